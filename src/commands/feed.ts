/**
 * /feed add <url> | list | remove <id> | resume <id> | import (an OPML file) | export: admins
 * follow RSS and Atom feeds, whose new items are posted as articles, see how each one is doing, and
 * move their list in and out as OPML.
 */
import { AkhbarError } from '../core/errors.js';
import type { FeedChat, FeedRecord } from '../core/types.js';
import { feedErrorText } from '../i18n/errors.js';
import { messages, type Messages, type UiLanguage } from '../i18n/messages.js';
import { OPML_LIMITS } from '../sources/feeds/opml.js';
import { textView } from './views.js';
import type { Command, CommandContext, FileInput } from './types.js';

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** One row of /feed list: what the feed is, and its health (paused, failing, last read, articles posted, last error). */
export function feedLine(feed: FeedRecord, m: Messages, language: UiLanguage): string {
  const state: string[] = [];
  if (feed.paused) state.push(m.feedPausedState(minute(feed.paused.at), feed.paused.failures, feed.id));
  else if (feed.failures > 0) state.push(m.feedFailing(feed.failures));
  state.push(feed.lastCheckedAt ? m.feedLastSuccess(minute(feed.lastCheckedAt)) : m.feedNotCheckedYet);
  if (feed.itemsPosted) state.push(m.feedItemsPosted(feed.itemsPosted));
  if (feed.lastError) state.push(m.feedLastError(minute(feed.lastError.at), feedErrorText(feed.lastError, language)));
  return `${feed.title ? `${feed.title} — ` : ''}${feed.url}  (${state.join(' · ')})`;
}

// Where a feed is added from: the chat its admins are told in. The console has no chat to tell.
function addedFrom(ctx: CommandContext): FeedChat | undefined {
  if (ctx.platform === 'console') return undefined;
  const { platform, chatId, kind } = ctx.chat.ref;
  return { platform, chatId, kind, language: ctx.language };
}

// A character takes at least one byte: a file of more bytes than the OPML cap holds characters is refused before it is read.
async function readOpmlFile(file: FileInput): Promise<string> {
  if (file.size !== undefined && file.size > OPML_LIMITS.maxChars) {
    throw new AkhbarError({ code: 'OPML_INVALID', cause: `${file.name} is ${file.size} bytes, more than ${OPML_LIMITS.maxChars}` });
  }
  return file.read();
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
  takesFile: true,
  options: [],
  subcommands: [
    { name: 'add', describe: (m) => m.options.feedAdd, options: [{ name: 'url', type: 'string', describe: (m) => m.options.feedUrl, required: true, maxLength: 2000 }] },
    { name: 'list', describe: (m) => m.options.feedList, options: [] },
    { name: 'remove', describe: (m) => m.options.feedRemove, options: [{ name: 'id', type: 'string', describe: (m) => m.options.feedId, required: true }] },
    { name: 'resume', describe: (m) => m.options.feedResume, options: [{ name: 'id', type: 'string', describe: (m) => m.options.feedId, required: true }] },
    { name: 'import', describe: (m) => m.options.feedImport, options: [{ name: 'file', type: 'attachment', describe: (m) => m.options.feedImportFile, required: true }] },
    { name: 'export', describe: (m) => m.options.feedExport, options: [] },
  ],
  menu: (m) => m.menu.feed,
  help: (m, platform) => m.help.feed(platform),
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const sources = services.sources!;
    const [verb = '', ...rest] = input.text.trim().split(/\s+/u);
    const target = rest.join(' ').trim();
    const where = addedFrom(ctx);
    switch (verb.toLowerCase()) {
      case 'add': {
        if (target === '') return textView(m.feedUsage, 'refused');
        const { feed: added, result, resumed } = await sources.addFeed(target, ctx.actor, where);
        if (resumed) return textView(m.feedResumed(added.id, added.url, result.status === 'checked' || result.status === 'not-modified'));
        return textView(m.feedAdded(added.id, added.url, result.posted, result.passedOver));
      }
      case 'list':
      case '': {
        const feeds = await sources.listFeeds(ctx.actor);
        if (feeds.length === 0) return textView(m.noFeeds);
        return {
          blocks: [
            { kind: 'title', text: m.feedsHeader(feeds.length) },
            { kind: 'items', items: feeds.map((f) => ({ id: f.id, text: feedLine(f, m, ctx.language) })) },
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
      case 'resume': {
        if (target === '') return textView(m.feedUsage, 'refused');
        const { feed: resumed, result } = await sources.resumeFeed(target, ctx.actor);
        return textView(m.feedResumed(resumed.id, resumed.url, result.status === 'checked' || result.status === 'not-modified'));
      }
      case 'import': {
        if (!input.file) return textView(m.feedImportNeedsFile, 'refused');
        const text = await readOpmlFile(input.file);
        const { added, existing } = await sources.importFeeds(text, ctx.actor, where);
        return textView(m.feedImported(added.length, existing.length));
      }
      case 'export': {
        const { opml, count } = await sources.exportFeeds(ctx.actor);
        return { ...textView(m.feedExported(count)), attachment: { name: 'akhbar-feeds.opml', contentType: 'text/x-opml', content: opml } };
      }
      default:
        return textView(m.feedUsage, 'refused');
    }
  },
};
