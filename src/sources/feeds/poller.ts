/**
 * Following feeds: each feed is checked at its interval with a conditional request, backs off
 * exponentially while it fails, and hands its new items to the news desk like any posted article
 * (the desk's post listeners then deliver them). A lease per feed, held in the database, keeps
 * several processes from polling the same feed at once.
 */
import { actorId } from '../../core/articles.js';
import { AkhbarError, isAkhbarError, type AkhbarErrorDetails } from '../../core/errors.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { NewsDesk } from '../../core/newsDesk.js';
import type { Leases } from '../../core/ports.js';
import { noTelemetry, type Telemetry } from '../../core/telemetry.js';
import type { Actor } from '../../core/types.js';
import { normalizeUrl } from '../../core/urls.js';
import type { Fetcher } from '../web/fetchResource.js';
import { itemToArticleInput, PageNotRead, selectNewItems } from './feedItems.js';
import { feedId, rememberSeen, type FeedRecord, type FeedRegistry, type NewFeed } from './feedRegistry.js';
import type { ParsedFeed } from './parseFeed.js';

// The feed parser is loaded at the first feed read, so a CLI command that reads none does not pay for it.
const feedParser = () => import('./parseFeed.js');

/** What the poller is built from. */
export interface FeedPollerOptions {
  readonly registry: FeedRegistry;
  readonly desk: NewsDesk;
  /** For the per-feed lease. */
  readonly leases: Pick<Leases, 'acquire' | 'release'>;
  readonly fetch: Fetcher;
  readonly logger: Logger;
  /** Time between checks of a healthy feed. */
  readonly intervalMs: number;
  /** Newest items posted by a feed's first successful poll (see SelectionLimits). Default 3. */
  readonly firstPollItems?: number;
  /** Most new items one later poll posts. Default 20. */
  readonly maxItemsPerPoll?: number;
  /** Item text shorter than this is a teaser, and the linked page is read instead. Default 600. */
  readonly teaserChars?: number;
  /** Longest wait after repeated failures. Default 6 hours. */
  readonly backoffCapMs?: number;
  /** Failed checks in a row after which a feed is paused until an admin resumes it. Default 10. */
  readonly maxFailures?: number;
  /** Longest wait a feed's `<ttl>` or a server's Retry-After can ask for. Default 24 hours. */
  readonly maxWaitMs?: number;
  /** Polls at which a teaser item's page is tried before the teaser is taken as it is. Default 3. */
  readonly pageTries?: number;
  /** Called once when a feed is paused, to tell the admins; a failure to tell is logged, not retried. */
  readonly onPaused?: (feed: FeedRecord) => Promise<void>;
  /** How often due feeds are looked for; 0 turns the timer off (tests call pollDue). Default 30 s. */
  readonly checkEveryMs?: number;
  /** Unique per process: the lease owner. */
  readonly owner: string;
  readonly now?: () => Date;
  readonly timers?: { readonly setTimeout: typeof setTimeout; readonly clearTimeout: typeof clearTimeout };
  /** Where feed checks are counted for monitoring; nowhere by default. */
  readonly telemetry?: Telemetry;
}

/** The outcome of one poll of one feed. */
export interface PollResult {
  readonly feedId: string;
  /** `busy`: another process holds the feed's lease; `removed`: unfollowed meanwhile. */
  readonly status: 'checked' | 'not-modified' | 'failed' | 'busy' | 'removed';
  /** New articles stored. */
  readonly posted: number;
  /** Items the desk already had (same text or URL). */
  readonly duplicates: number;
  /** Items that could not be posted (refused or failed); they are not retried. */
  readonly failedItems: number;
  /** Items whose linked page could not be read this time: not seen yet, tried again at the next poll. */
  readonly retryLater?: number;
  /** True when this check paused the feed. */
  readonly paused?: boolean;
  /** New items not posted because of the first-poll or per-poll limit. */
  readonly passedOver: number;
  readonly error?: AkhbarError;
}

/** A feed just followed, or (`resumed`) a paused one added again, and its first check. */
export interface AddedFeed {
  readonly feed: FeedRecord;
  readonly result: PollResult;
  readonly resumed?: boolean;
}

/** The running poller. */
export interface FeedPoller {
  /**
   * Follows a feed (admins only): fetches and parses it first, so a dead link or broken XML is
   * refused with nothing stored, then posts its newest items under the first-poll rule.
   */
  addFeed(url: string, actor: Actor, init?: Pick<NewFeed, 'addedIn'>): Promise<AddedFeed>;
  /** Checks one feed now, whether due or not. */
  pollOnce(ref: FeedRecord | string): Promise<PollResult>;
  /** Checks every feed that is due, one after another. */
  pollDue(): Promise<PollResult[]>;
  /** Resumes a paused feed (admins only) and checks it at once. */
  resume(ref: string, actor: Actor): Promise<{ readonly feed: FeedRecord; readonly result: PollResult }>;
  /** Stops the timer, cancels fetches in flight and waits for the current round to end. */
  stop(): Promise<void>;
}

const DEFAULT_FIRST_POLL_ITEMS = 3;
const DEFAULT_MAX_ITEMS_PER_POLL = 20;
const DEFAULT_TEASER_CHARS = 600;
const DEFAULT_BACKOFF_CAP_MS = 6 * 60 * 60_000;
const DEFAULT_CHECK_EVERY_MS = 30_000;
const DEFAULT_MAX_FAILURES = 10;
// A day: a publisher's <ttl> or Retry-After beyond it is more likely a mistake than a wish to be read daily at most.
const DEFAULT_MAX_WAIT_MS = 24 * 60 * 60_000;
// Three polls (45 minutes at the default interval) outlast a page that is briefly down or not published yet.
const DEFAULT_PAGE_TRIES = 3;
// Long enough for a feed and its teaser pages at the fetch deadline; released as soon as the poll ends.
const LEASE_MS = 10 * 60_000;

/** Starts polling the registry's feeds. */
export function startFeedPoller(options: FeedPollerOptions): FeedPoller {
  const { registry, desk, leases, fetch } = options;
  const logger = options.logger.child({ component: 'feeds' });
  const now = options.now ?? (() => new Date());
  const timers = options.timers ?? { setTimeout, clearTimeout };
  const limits = {
    firstPollItems: options.firstPollItems ?? DEFAULT_FIRST_POLL_ITEMS,
    maxItemsPerPoll: options.maxItemsPerPoll ?? DEFAULT_MAX_ITEMS_PER_POLL,
  };
  const teaserChars = options.teaserChars ?? DEFAULT_TEASER_CHARS;
  const backoffCapMs = options.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS;
  const checkEveryMs = options.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
  const maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
  const maxWaitMs = Math.max(options.intervalMs, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  const pageTries = options.pageTries ?? DEFAULT_PAGE_TRIES;
  const telemetry = options.telemetry ?? noTelemetry;
  const cancel = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let round: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const leaseKey = (id: string) => `feed-poll:${id}`;
  const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
  // 2, 4, 8… intervals after 1, 2, 3… failures, capped.
  const backoffMs = (failures: number) => Math.min(backoffCapMs, Math.max(options.intervalMs, options.intervalMs * 2 ** failures));
  // What the publisher asked for lengthens the wait, never shortens it, and never past maxWaitMs.
  const waitMs = (ownMs: number, askedMs = 0) => Math.min(Math.max(maxWaitMs, ownMs), Math.max(ownMs, askedMs));

  async function withLease<T>(id: string, busy: () => T, work: () => Promise<T>): Promise<T> {
    if (!(await leases.acquire(leaseKey(id), options.owner, LEASE_MS))) return busy();
    try {
      return await work();
    } finally {
      await leases.release(leaseKey(id), options.owner).catch((error: unknown) => logger.warn('feed lease not released', { feed: id, ...errorFields(error) }));
    }
  }

  /** Posts the new items of a parsed feed and returns the record as it stands after this successful check. */
  async function ingest(record: FeedRecord, feed: ParsedFeed, response: { etag?: string; lastModified?: string; movedTo?: string }) {
    const firstPoll = record.lastCheckedAt === undefined;
    const { post, passedOver } = selectNewItems(feed.items, new Set(record.seen), firstPoll, limits);
    const actor: Actor = { kind: 'feed', feedId: record.id, host: new URL(record.url).host };
    const triesSoFar = new Map((record.retryItems ?? []).map((r) => [r.id, r.tries]));
    const retryItems: { id: string; tries: number }[] = [];
    let posted = 0;
    let duplicates = 0;
    let failedItems = 0;
    for (const item of post) {
      const tries = (triesSoFar.get(item.id) ?? 0) + 1;
      // A page already stored (posted by link, or by another feed) costs no fetch.
      if (item.link && (await desk.findByUrl(item.link))) {
        duplicates++;
        continue;
      }
      try {
        const input = await itemToArticleInput(item, {
          fetch,
          teaserChars,
          signal: cancel.signal,
          // The last try takes the teaser as it is, so a page that never comes back cannot hold the item forever.
          teaserIfPageFails: tries >= pageTries,
          onPageError: (error) => logger.warn('feed item page not read after its last try; using the teaser', { feed: record.id, item: item.id, tries, ...facts(error) }),
        });
        const result = await desk.postArticle(input, actor);
        if (result.duplicate) duplicates++;
        else posted++;
      } catch (error) {
        // The store being down fails the whole poll, so the items are tried again after the backoff.
        if (isAkhbarError(error, 'STORE_UNAVAILABLE')) throw error;
        if (error instanceof PageNotRead) {
          retryItems.push({ id: item.id, tries });
          logger.info('feed item page not read; trying again at the next poll', { feed: record.id, item: item.id, tries, ...facts(error.cause) });
          continue;
        }
        failedItems++;
        logger.warn('feed item not posted', { feed: record.id, item: item.id, ...facts(error) });
      }
    }
    if (passedOver > 0) logger.info('feed items passed over', { feed: record.id, passedOver, firstPoll });
    const title = feed.title ?? record.title;
    const { etag: _etag, lastModified: _lastModified, retryItems: _retryItems, ...rest } = await healthy(record, response.movedTo);
    const retrying = new Set(retryItems.map((r) => r.id));
    const itemsPosted = (record.itemsPosted ?? 0) + posted;
    const updated: FeedRecord = {
      ...rest,
      ...(title ? { title } : {}),
      ...(response.etag ? { etag: response.etag } : {}),
      ...(response.lastModified ? { lastModified: response.lastModified } : {}),
      nextCheckAt: later(waitMs(options.intervalMs, (feed.ttlMinutes ?? 0) * 60_000)),
      ...(itemsPosted > 0 ? { itemsPosted } : {}),
      ...(posted > 0 ? { lastPostedAt: now().toISOString() } : {}),
      ...(retryItems.length > 0 ? { retryItems } : {}),
      // An item whose page is to be tried again is not seen yet, so the next poll selects it again.
      seen: rememberSeen(record.seen.filter((id) => !retrying.has(id)), feed.items.map((item) => item.id).filter((id) => !retrying.has(id))),
    };
    if (feed.repaired) logger.info('feed read after repairing its XML', { feed: record.id });
    return { updated, posted, duplicates, failedItems, passedOver, ...(retryItems.length > 0 ? { retryLater: retryItems.length } : {}) };
  }

  /**
   * The record after a successful check: no failures, not paused, and at the address it moved to
   * for good, unless another followed feed is there already (then both stay as they are).
   */
  async function healthy(record: FeedRecord, movedTo: string | undefined): Promise<FeedRecord> {
    const { paused: _paused, ...rest } = record;
    const checked: FeedRecord = { ...rest, failures: 0, lastCheckedAt: now().toISOString() };
    const target = movedTo === undefined ? undefined : normalizeUrl(movedTo);
    if (target === undefined || target === record.url) return checked;
    const other = await registry.findByUrl(target);
    if (other && other.id !== record.id) {
      logger.warn('feed moved for good to a feed already followed; kept at its old address', { feed: record.id, other: other.id });
      return checked;
    }
    logger.info('feed moved for good; following it at its new address', { feed: record.id });
    return { ...checked, url: target, movedFrom: record.movedFrom ?? record.url };
  }

  async function check(record: FeedRecord): Promise<PollResult> {
    const base = { feedId: record.id, posted: 0, duplicates: 0, failedItems: 0, passedOver: 0 };
    // Items waiting for their page are in the copy already read: a 304 would never bring them back.
    const conditional = (record.retryItems ?? []).length === 0;
    try {
      const response = await fetch(record.url, {
        kind: 'feed',
        ...(conditional && record.etag ? { etag: record.etag } : {}),
        ...(conditional && record.lastModified ? { lastModified: record.lastModified } : {}),
        signal: cancel.signal,
      });
      if (response.notModified) {
        // The <ttl> of the copy last read is not stored; a 304 keeps the plain interval.
        await registry.save({ ...(await healthy(record, response.movedTo)), nextCheckAt: later(options.intervalMs) });
        logger.debug('feed not modified', { feed: record.id });
        return { ...base, status: 'not-modified' };
      }
      const feed = (await feedParser()).parseFeed(response.text, response.url);
      const outcome = await ingest(record, feed, response);
      const kept = await registry.save(outcome.updated);
      logger.info('feed checked', { feed: record.id, items: feed.items.length, posted: outcome.posted, failedItems: outcome.failedItems });
      const { updated: _updated, ...counts } = outcome;
      return { ...base, ...counts, status: kept ? 'checked' : 'removed' };
    } catch (error) {
      // Stopping aborts fetches in flight; that says nothing about the feed.
      if (stopped) return { ...base, status: 'failed', error: asDomainError(error, record.url) };
      return recordFailure(record, error, base);
    }
  }

  async function recordFailure(record: FeedRecord, error: unknown, base: Omit<PollResult, 'status'>): Promise<PollResult> {
    const failures = record.failures + 1;
    const domain = isAkhbarError(error) ? error : undefined;
    const askedMs = domain && 'retryAfterMs' in domain.details ? domain.details.retryAfterMs : undefined;
    const delayMs = waitMs(backoffMs(failures), askedMs);
    const lastError: FeedRecord['lastError'] = {
      at: now().toISOString(),
      code: domain ? domain.code : 'INTERNAL',
      ...(domain ? { details: domain.details } : {}),
    };
    const pausing = failures >= maxFailures && record.paused === undefined;
    const failed: FeedRecord = {
      ...record,
      failures,
      lastError,
      nextCheckAt: later(delayMs),
      ...(pausing ? { paused: { at: lastError.at, failures, error: lastError } } : {}),
    };
    const saved = await registry.save(failed).catch((saveError: unknown) => {
      logger.error('feed failure not recorded', { feed: record.id, ...errorFields(saveError) });
      return false;
    });
    if (domain) logger.warn('feed check failed', { feed: record.id, failures, retryInMs: delayMs, ...facts(error) });
    else logger.error('feed check failed', { feed: record.id, failures, retryInMs: delayMs, ...errorFields(error) });
    // Told only when the pause was stored: a pause that did not happen is not announced, and the next failure tries again.
    if (pausing && saved) {
      logger.warn('feed paused after failing too often; an admin resumes it with /feed resume', { feed: record.id, failures });
      await options.onPaused?.(failed).catch((notifyError: unknown) => logger.warn('admins not told of a paused feed', { feed: record.id, ...errorFields(notifyError) }));
    }
    return { ...base, status: 'failed', error: asDomainError(error, record.url), ...(pausing && saved ? { paused: true } : {}) };
  }

  async function pollOnce(ref: FeedRecord | string): Promise<PollResult> {
    const id = typeof ref === 'string' ? (await registry.find(ref)).id : ref.id;
    const empty = { feedId: id, posted: 0, duplicates: 0, failedItems: 0, passedOver: 0 };
    return withLease<PollResult>(
      id,
      () => ({ ...empty, status: 'busy' }),
      async () => {
        // Read again under the lease: another process may have just checked it, or it was removed.
        const current = await registry.find(id).catch((error: unknown) => {
          if (isAkhbarError(error, 'FEED_NOT_FOUND')) return undefined;
          throw error;
        });
        if (!current) return { ...empty, status: 'removed' };
        const result = await check(current);
        telemetry.feedFetched(result.status);
        return result;
      },
    );
  }

  async function pollDue(): Promise<PollResult[]> {
    const results: PollResult[] = [];
    for (const record of await registry.due(now())) {
      if (stopped) break;
      results.push(await pollOnce(record));
    }
    return results;
  }

  function schedule(): void {
    if (stopped || checkEveryMs <= 0) return;
    timer = timers.setTimeout(() => {
      round = pollDue()
        .catch((error: unknown) => logger.error('feed round failed', errorFields(error)))
        .finally(schedule);
    }, checkEveryMs);
    // The timer alone should not keep a process (a CLI command) alive.
    timer.unref?.();
  }
  schedule();

  async function resume(ref: string, actor: Actor) {
    if (!desk.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor), action: 'feed' });
    const record = await registry.find(ref);
    const { paused: _paused, ...rest } = record;
    // Failures start again from none, so a feed that fails once more is not paused again at once.
    await registry.save({ ...rest, failures: 0, nextCheckAt: now().toISOString() });
    logger.info('feed resumed', { feed: record.id, by: actorId(actor), wasPaused: record.paused !== undefined });
    const result = await pollOnce(record.id);
    return { feed: await registry.find(record.id), result };
  }

  return {
    async addFeed(url, actor, init = {}) {
      if (!desk.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
      const normalized = normalizeUrl(url);
      if (normalized === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: url.slice(0, 200) });
      const existing = await registry.findByUrl(normalized);
      // Adding a paused feed again is how an admin who does not know its id resumes it.
      if (existing?.paused) return { ...(await resume(existing.id, actor)), resumed: true };
      if (existing) throw new AkhbarError({ code: 'FEED_EXISTS', url: normalized, id: existing.id });
      const response = await fetch(normalized, { kind: 'feed', signal: cancel.signal });
      const feed = (await feedParser()).parseFeed(response.text, response.url);
      const id = feedId(normalized);
      // Held from before the record exists, so no other process polls it before its first items are in.
      return withLease(
        id,
        () => {
          throw new AkhbarError({ code: 'FEED_EXISTS', url: normalized, id });
        },
        async () => {
          const record = await registry.add(normalized, actor, { ...(feed.title ? { title: feed.title } : {}), ...init });
          logger.info('feed added', { feed: id, by: record.addedBy, items: feed.items.length });
          const outcome = await ingest(record, feed, response);
          await registry.save(outcome.updated);
          const { updated, ...counts } = outcome;
          return { feed: updated, result: { feedId: id, status: 'checked' as const, ...counts } };
        },
      );
    },
    pollOnce,
    pollDue,
    resume,
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      cancel.abort();
      await round.catch(() => {});
    },
  };
}

// A poll result carries a domain error; anything else was an unexpected failure while fetching.
function asDomainError(error: unknown, url: string): AkhbarError {
  if (isAkhbarError(error)) return error;
  return new AkhbarError({ code: 'LINK_UNREACHABLE', url, reason: 'network', cause: String(error) }, { cause: error });
}

// The facts of a domain error without the URL, which for a private feed can carry a token.
function facts(error: unknown): Record<string, unknown> {
  if (!isAkhbarError(error)) return errorFields(error);
  const { url: _url, ...rest } = error.details as AkhbarErrorDetails & { url?: string };
  return rest;
}
