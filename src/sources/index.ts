/**
 * Where articles come from besides a paste: a page fetched by link, and (with feeds) items of the
 * RSS/Atom feeds admins follow. Adapters call this; it calls the news desk like any poster.
 */
import { actorId } from '../core/articles.js';
import { AkhbarError } from '../core/errors.js';
import { errorFields, type Logger } from '../core/logger.js';
import type { NewsDesk, PostResult } from '../core/newsDesk.js';
import type { Storage } from '../core/ports.js';
import type { Telemetry } from '../core/telemetry.js';
import type { NoticeSender } from '../core/delivery/notices.js';
import type { Actor, ArticleInput, FeedChat } from '../core/types.js';
import { normalizeUrl } from '../core/urls.js';
import { createFeedRegistry, type AddManyResult, type FeedRecord } from './feeds/feedRegistry.js';
import { startFeedPoller, type AddedFeed, type PollResult } from './feeds/poller.js';
import { parseAllowList } from './web/addressGuard.js';
import { createFetcher, type Fetcher } from './web/fetchResource.js';

// Readability and linkedom are loaded at the first link posted: most processes never post one.
const postLink = () => import('./web/postLink.js');
// The XML parser behind OPML is loaded at the first import or export.
const opmlCodec = () => import('./feeds/opml.js');

/** The fetch settings from config. */
export interface SourceSettings {
  readonly fetchTimeoutMs: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxRedirects: number;
  /** Hosts and networks that may be fetched although they are not public (tests, self-hosters). */
  readonly fetchAllowHosts: readonly string[];
  readonly feedPollIntervalMinutes: number;
  readonly feedFirstPollItems: number;
  /** Failed checks in a row after which a feed is paused (FEED_MAX_FAILURES). */
  readonly feedMaxFailures: number;
}

/** Posting by link and following feeds, as the adapters see it. */
export interface Sources {
  /** Fetches the article at `url` and posts it; nothing is fetched for someone who may not post. */
  postLink(url: string, actor: Actor): Promise<PostResult>;
  /** The article at `url`, fetched under the same guard as postLink, for reading only: nothing is stored (anyone). */
  readLink(url: string): Promise<ArticleInput>;
  /** Follows a feed (admins): checked at once, its newest items posted; broken feeds are refused. */
  addFeed(url: string, actor: Actor, where?: FeedChat): Promise<AddedFeed>;
  /** Resumes a paused feed (admins) and checks it at once. */
  resumeFeed(ref: string, actor: Actor): Promise<{ readonly feed: FeedRecord; readonly result: PollResult }>;
  /**
   * Follows every feed an OPML document lists (admins): the whole file is checked first and refused
   * (OPML_INVALID, OPML_TOO_LARGE) with nothing stored, then all new feeds are stored in one step.
   * Their first check comes with the next round of polling, under the first-poll rule.
   */
  importFeeds(opml: string, actor: Actor, where?: FeedChat): Promise<AddManyResult>;
  /** The followed feeds as an OPML document (admins), oldest first. */
  exportFeeds(actor: Actor): Promise<{ readonly opml: string; readonly count: number }>;
  /** The followed feeds, oldest first (admins). */
  listFeeds(actor: Actor): Promise<FeedRecord[]>;
  /** Stops following a feed, by id, id prefix or URL (admins). */
  removeFeed(ref: string, actor: Actor): Promise<FeedRecord>;
  /** Stops the feed poller. */
  stop(): Promise<void>;
}

/** A single http(s) URL and nothing else, as typed after `/post`; undefined for anything else. */
export function linkToPost(text: string | undefined): string | undefined {
  const trimmed = (text ?? '').trim();
  return /^https?:\/\/\S+$/iu.test(trimmed) ? trimmed : undefined;
}

/** The fetcher the settings describe: SSRF-guarded, with the timeout, size cap and redirect cap. */
export function fetcherFromSettings(settings: SourceSettings): Fetcher {
  return createFetcher({
    timeoutMs: settings.fetchTimeoutMs,
    maxBytes: settings.fetchMaxBytes,
    maxRedirects: settings.fetchMaxRedirects,
    allow: parseAllowList(settings.fetchAllowHosts),
  });
}

/** What the sources are built from. */
export interface SourcesDeps {
  readonly desk: NewsDesk;
  readonly storage: Pick<Storage, 'feeds' | 'leases'>;
  readonly logger: Logger;
  readonly fetch: Fetcher;
  readonly settings: Pick<SourceSettings, 'feedPollIntervalMinutes' | 'feedFirstPollItems'> & Partial<Pick<SourceSettings, 'feedMaxFailures'>>;
  /** How the admins are told a feed was paused; nobody is told when absent (the CLI). */
  readonly notify?: NoticeSender;
  /** ADMIN_IDS: told in their private chats about a paused feed that was not added from a chat. */
  readonly adminIds?: ReadonlySet<string>;
  /** Unique per process: the owner of feed-poll leases. */
  readonly owner: string;
  /** How often due feeds are looked for; 0 turns the poller's timer off (tests poll by hand). */
  readonly checkEveryMs?: number;
  /** Where feed checks are counted for monitoring; nowhere by default. */
  readonly telemetry?: Telemetry;
}

/** Opens the article sources over the news desk and starts polling the followed feeds. */
export function openSources(deps: SourcesDeps): Sources {
  const { desk, fetch } = deps;
  const logger = deps.logger.child({ component: 'sources' });
  const mustBeAdmin = (actor: Actor): void => {
    if (!desk.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
  };
  const registry = createFeedRegistry({ feeds: deps.storage.feeds, isAdmin: (actor) => desk.isAdmin(actor) });
  const poller = startFeedPoller({
    registry,
    desk,
    leases: deps.storage.leases,
    fetch,
    logger: deps.logger,
    intervalMs: deps.settings.feedPollIntervalMinutes * 60_000,
    firstPollItems: deps.settings.feedFirstPollItems,
    owner: deps.owner,
    ...(deps.settings.feedMaxFailures === undefined ? {} : { maxFailures: deps.settings.feedMaxFailures }),
    ...(deps.notify ? { onPaused: (feed: FeedRecord) => tellAdmins(feed, deps.notify!) } : {}),
    ...(deps.checkEveryMs === undefined ? {} : { checkEveryMs: deps.checkEveryMs }),
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
  });

  /** Tells the admins where the feed was added from, or every admin with a private chat when it was added elsewhere. */
  async function tellAdmins(feed: FeedRecord, notify: NoticeSender): Promise<void> {
    const targets: FeedChat[] = feed.addedIn
      ? [feed.addedIn]
      : // A Telegram user's id is the id of their private chat with the bot; Discord would need a DM channel opened first.
        [...(deps.adminIds ?? [])].filter((id) => id.startsWith('telegram:')).map((id) => ({ platform: 'telegram', chatId: id.slice('telegram:'.length), kind: 'private' }));
    for (const target of targets) {
      const outcome = await notify(target, { kind: 'feed-paused', feed, ...(target.language ? { language: target.language } : {}) }).catch((error: unknown) => {
        logger.warn('paused-feed notice not sent', { feed: feed.id, platform: target.platform, ...errorFields(error) });
        return undefined;
      });
      if (outcome?.kind === 'sent') logger.info('admins told of a paused feed', { feed: feed.id, platform: target.platform, chat: target.chatId });
      else if (outcome) logger.warn('paused-feed notice not sent', { feed: feed.id, platform: target.platform, outcome: outcome.kind });
    }
  }

  return {
    addFeed: (url, actor, where) => poller.addFeed(url, actor, where ? { addedIn: where } : {}),
    resumeFeed: (ref, actor) => poller.resume(ref, actor),
    async importFeeds(opml, actor, where) {
      // Rights first: a stranger's file is not even read.
      mustBeAdmin(actor);
      const entries = (await opmlCodec()).parseOpml(opml);
      const result = await registry.addMany(
        entries.map((entry) => ({ ...entry, ...(where ? { addedIn: where } : {}) })),
        actor,
      );
      logger.info('feeds imported', { listed: entries.length, added: result.added.length, existing: result.existing.length });
      return result;
    },
    async exportFeeds(actor) {
      mustBeAdmin(actor);
      const feeds = await registry.list();
      const opml = (await opmlCodec()).writeOpml(
        feeds.map((f) => ({ url: f.url, ...(f.title ? { title: f.title } : {}), ...(f.siteUrl ? { siteUrl: f.siteUrl } : {}) })),
        { title: 'akhbar feeds', createdAt: new Date() },
      );
      return { opml, count: feeds.length };
    },
    async listFeeds(actor) {
      mustBeAdmin(actor);
      return registry.list();
    },
    removeFeed: (ref, actor) => registry.remove(ref, actor),
    stop: () => poller.stop(),
    readLink: async (url) => (await postLink()).fetchArticleFromLink(url, { fetch }),
    async postLink(url, actor) {
      mustBeAdmin(actor);
      // A link already stored (up to tracking parameters) is answered from the store, not fetched again.
      const known = await desk.findByUrl(normalizeUrl(url) ?? url);
      if (known) return { article: await desk.getArticle(known.id), duplicate: true };
      const started = Date.now();
      const input = await (await postLink()).fetchArticleFromLink(url, { fetch });
      const result = await desk.postArticle(input, actor);
      logger.info('link posted', { id: result.article.id, duplicate: result.duplicate, ms: Date.now() - started });
      return result;
    },
  };
}
