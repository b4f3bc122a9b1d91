/**
 * Where articles come from besides a paste: a page fetched by link, and (with feeds) items of the
 * RSS/Atom feeds admins follow. Adapters call this; it calls the news desk like any poster.
 */
import { actorId } from '../core/articles.js';
import { AkhbarError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { NewsDesk, PostResult } from '../core/newsDesk.js';
import type { Storage } from '../core/ports.js';
import type { Telemetry } from '../core/telemetry.js';
import type { Actor } from '../core/types.js';
import { normalizeUrl } from '../core/urls.js';
import { createFeedRegistry, type FeedRecord } from './feeds/feedRegistry.js';
import { startFeedPoller, type PollResult } from './feeds/poller.js';
import { parseAllowList } from './web/addressGuard.js';
import { createFetcher, type Fetcher } from './web/fetchResource.js';

// Readability and linkedom are loaded at the first link posted: most processes never post one.
const postLink = () => import('./web/postLink.js');

/** The fetch settings from config. */
export interface SourceSettings {
  readonly fetchTimeoutMs: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxRedirects: number;
  /** Hosts and networks that may be fetched although they are not public (tests, self-hosters). */
  readonly fetchAllowHosts: readonly string[];
  readonly feedPollIntervalMinutes: number;
  readonly feedFirstPollItems: number;
}

/** Posting by link and following feeds, as the adapters see it. */
export interface Sources {
  /** Fetches the article at `url` and posts it; nothing is fetched for someone who may not post. */
  postLink(url: string, actor: Actor): Promise<PostResult>;
  /** Follows a feed (admins): checked at once, its newest items posted; broken feeds are refused. */
  addFeed(url: string, actor: Actor): Promise<{ readonly feed: FeedRecord; readonly result: PollResult }>;
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
  readonly settings: Pick<SourceSettings, 'feedPollIntervalMinutes' | 'feedFirstPollItems'>;
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
    ...(deps.checkEveryMs === undefined ? {} : { checkEveryMs: deps.checkEveryMs }),
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
  });
  return {
    addFeed: (url, actor) => poller.addFeed(url, actor),
    async listFeeds(actor) {
      mustBeAdmin(actor);
      return registry.list();
    },
    removeFeed: (ref, actor) => registry.remove(ref, actor),
    stop: () => poller.stop(),
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
