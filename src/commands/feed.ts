/**
 * /feed add <url> | list | remove <id>: admins follow RSS and Atom feeds, whose new items are
 * posted as articles.
 */
import type { FeedRecord } from '../core/types.js';
import { messages, type Messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { Command } from './types.js';

function feedLine(feed: FeedRecord, m: Messages): string {
  const state = feed.failures > 0 ? m.feedFailing(feed.failures) : feed.lastCheckedAt ? feed.lastCheckedAt.slice(0, 16).replace('T', ' ') : m.feedNotCheckedYet;
  return `${feed.title ? `${feed.title} — ` : ''}${feed.url}  (${state})`;
}

/** The /feed command. */
export const feed: Command = {
  name: 'feed',
  aliases: { arabic: 'خلاصات' },
  right: 'admin',
  adminAction: 'feed',
  needs: ['sources'],
  private: true,
  slow: true,
  options: [],
  subcommands: [
    { name: 'add', describe: (m) => m.options.feedAdd, options: [{ name: 'url', type: 'string', describe: (m) => m.options.feedUrl, required: true, maxLength: 2000 }] },
    { name: 'list', describe: (m) => m.options.feedList, options: [] },
    { name: 'remove', describe: (m) => m.options.feedRemove, options: [{ name: 'id', type: 'string', describe: (m) => m.options.feedId, required: true }] },
  ],
  menu: (m) => m.menu.feed,
  help: (m, platform) => m.help.feed(platform),
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const sources = services.sources!;
    const [verb = '', ...rest] = input.text.trim().split(/\s+/u);
    const target = rest.join(' ').trim();
    switch (verb.toLowerCase()) {
      case 'add': {
        if (target === '') return textView(m.feedUsage, 'refused');
        const { feed: added, result } = await sources.addFeed(target, ctx.actor);
        return textView(m.feedAdded(added.id, added.url, result.posted, result.passedOver));
      }
      case 'list':
      case '': {
        const feeds = await sources.listFeeds(ctx.actor);
        if (feeds.length === 0) return textView(m.noFeeds);
        return {
          blocks: [
            { kind: 'title', text: m.feedsHeader(feeds.length) },
            { kind: 'items', items: feeds.map((f) => ({ id: f.id, text: feedLine(f, m) })) },
          ],
          outcome: 'ok',
        };
      }
      case 'remove':
      case 'rm': {
        if (target === '') return textView(m.feedUsage, 'refused');
        const removed = await sources.removeFeed(target, ctx.actor);
        return textView(m.feedRemoved(removed.id, removed.url));
      }
      default:
        return textView(m.feedUsage, 'refused');
    }
  },
};
