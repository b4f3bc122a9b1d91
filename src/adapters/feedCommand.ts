/**
 * `/feed add <url> | list | remove <id>`, the same on every chat platform: parses the arguments,
 * calls the sources and returns plain text (each adapter escapes it for its own format).
 */
import type { Actor } from '../core/types.js';
import type { FeedRecord } from '../sources/feeds/feedRegistry.js';
import type { Sources } from '../sources/index.js';
import { messages, type UiLanguage } from '../i18n/messages.js';

/** Runs one `/feed …` command; domain errors propagate for the adapter's error boundary to word. */
export async function runFeedCommand(sources: Sources, args: string, actor: Actor, language: UiLanguage): Promise<string> {
  const m = messages(language);
  const [verb = '', ...rest] = args.trim().split(/\s+/u);
  const target = rest.join(' ').trim();
  switch (verb.toLowerCase()) {
    case 'add': {
      if (target === '') return m.feedUsage;
      const { feed, result } = await sources.addFeed(target, actor);
      return m.feedAdded(feed.id, feed.url, result.posted, result.passedOver);
    }
    case 'list':
    case '': {
      const feeds = await sources.listFeeds(actor);
      return feeds.length === 0 ? m.noFeeds : [m.feedsHeader(feeds.length), ...feeds.map((feed) => feedLine(feed, language))].join('\n');
    }
    case 'remove':
    case 'rm': {
      if (target === '') return m.feedUsage;
      const feed = await sources.removeFeed(target, actor);
      return m.feedRemoved(feed.id, feed.url);
    }
    default:
      return m.feedUsage;
  }
}

function feedLine(feed: FeedRecord, language: UiLanguage): string {
  const m = messages(language);
  const state = feed.failures > 0 ? m.feedFailing(feed.failures) : feed.lastCheckedAt ? feed.lastCheckedAt.slice(0, 16).replace('T', ' ') : m.feedNotCheckedYet;
  return `• ${feed.id}  ${feed.title ? `${feed.title} — ` : ''}${feed.url}  (${state})`;
}
