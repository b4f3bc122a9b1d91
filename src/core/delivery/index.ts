/**
 * Delivery to subscribers: each new article is summarised once per language wanted, one delivery
 * per subscriber is written to the outbox, and the worker sends them; digests are queued on their
 * schedule. Platform senders plug in through the `Sender` interface.
 */
import { errorFields, type Logger } from '../logger.js';
import type { NewsDesk } from '../newsDesk.js';
import type { Store } from '../store.js';
import type { Subscription, Subscriptions } from '../subscriptions.js';
import type { Article, Language } from '../types.js';
import { createOutbox, type DeliveryReport, type Outbox } from './outbox.js';
import type { RateLimits } from './pacing.js';
import { latestDailySlot } from './schedule.js';
import type { DeliveredSummary, Delivery, DeliveryMessage, Sender } from './types.js';
import { startDeliveryWorker, type DeliveryWorker, type WorkerOptions, type WorkerStats } from './worker.js';

export type { DeliveryReport } from './outbox.js';
export type { Delivery, DeliveryMessage, DeliveredSummary, DeliveryTarget, SendOutcome, Sender } from './types.js';

/** What the delivery service is built from. */
export interface DeliveryOptions {
  readonly store: Store;
  readonly desk: NewsDesk;
  readonly subscriptions: Subscriptions;
  readonly senders: ReadonlyMap<string, Sender>;
  readonly limits: ReadonlyMap<string, RateLimits>;
  readonly logger: Logger;
  /** Unique per process. */
  readonly owner: string;
  /** How often digest schedules are checked; 0 turns the timer off (tests call runDigests). */
  readonly digestCheckMs?: number;
  /** Most articles in one digest (the newest). */
  readonly digestMaxArticles?: number;
  readonly clock?: () => number;
  readonly worker?: Partial<Pick<WorkerOptions, 'concurrency' | 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'leaseMs'>>;
}

/** The running delivery service. */
export interface DeliveryService {
  /** Queues the article for every `each` subscriber (done automatically for posted articles). */
  fanOut(article: Article): Promise<number>;
  /** Queues the digests that are due at `now`; returns how many were queued. */
  runDigests(now?: number): Promise<number>;
  /** Resolves when the fan-outs started so far have written their deliveries. */
  settled(): Promise<void>;
  /** Outbox counts, overall and per article. */
  report(): Promise<DeliveryReport & { readonly worker: Readonly<WorkerStats> }>;
  readonly worker: DeliveryWorker;
  readonly outbox: Outbox;
  stop(): Promise<void>;
}

// Long enough for a fan-out to 100k subscribers; released as soon as it is done.
const FAN_OUT_LEASE_MS = 5 * 60_000;
const DIGEST_LEASE_MS = 24 * 60 * 60_000;

/** Starts delivery: resumes what a previous process left, then follows new articles and digests. */
export async function startDelivery(options: DeliveryOptions): Promise<DeliveryService> {
  const { store, desk, subscriptions } = options;
  const clock = options.clock ?? Date.now;
  const logger = options.logger.child({ component: 'delivery' });
  const outbox = createOutbox(store);
  const worker = startDeliveryWorker({
    store,
    outbox,
    senders: options.senders,
    limits: options.limits,
    logger: options.logger,
    owner: options.owner,
    clock,
    ...options.worker,
    events: {
      chatGone: (id, reason) => subscriptions.deactivate(id, reason, new Date(clock())),
      chatMigrated: async (id, newChatId) => (await subscriptions.migrate(id, newChatId, new Date(clock())))?.id,
    },
  });

  async function summaryFor(article: Article, language: Language): Promise<DeliveredSummary> {
    const summary = await desk.summarize(article.id, { language });
    return {
      articleId: article.id,
      title: article.title,
      ...(article.url ? { url: article.url } : {}),
      language: summary.language,
      sentences: summary.sentences,
    };
  }

  function delivery(id: string, subscription: Subscription, message: DeliveryMessage, articleIds: string[]): Delivery {
    return {
      id,
      subscriptionId: subscription.id,
      target: { platform: subscription.platform, chatId: subscription.chatId, kind: subscription.kind },
      message,
      articleIds,
      status: 'pending',
      attempts: 0,
      notBefore: 0,
      createdAt: new Date(clock()).toISOString(),
    };
  }

  /**
   * Writes the deliveries not yet in the outbox and hands them to the worker. Only work that may
   * have been started before (a resumed fan-out, a digest) looks for existing records first.
   */
  async function queue(deliveries: Delivery[], mayExist: boolean): Promise<number> {
    const fresh: Delivery[] = [];
    for (const d of deliveries) {
      // Ids are deterministic, so a resumed fan-out skips what the interrupted one already wrote.
      if (mayExist && (await outbox.get(d.id))) continue;
      await outbox.put(d);
      fresh.push(d);
    }
    worker.add(fresh);
    return fresh.length;
  }

  async function fanOut(article: Article): Promise<number> {
    if (!(await store.lease(`fanout:${article.id}`, options.owner, FAN_OUT_LEASE_MS))) return 0;
    const previous = await outbox.fanOut(article.id);
    if (previous?.state === 'done') return 0;
    await outbox.setFanOut({ articleId: article.id, state: 'started', at: new Date(clock()).toISOString() });
    const subscribers = (await subscriptions.list()).filter((s) => s.active && s.mode === 'each');
    const summaries = new Map<Language, DeliveredSummary>();
    const deliveries: Delivery[] = [];
    for (const subscriber of subscribers) {
      const language = subscriber.language ?? article.language;
      let summary = summaries.get(language);
      if (!summary) {
        summary = await summaryFor(article, language);
        summaries.set(language, summary);
      }
      deliveries.push(delivery(`a:${article.id}:${subscriber.id}`, subscriber, { kind: 'article', summary }, [article.id]));
    }
    const queued = await queue(deliveries, previous !== undefined);
    await outbox.setFanOut({ articleId: article.id, state: 'done', at: new Date(clock()).toISOString() });
    await store.release(`fanout:${article.id}`, options.owner);
    logger.info('article queued for subscribers', { article: article.id, subscribers: subscribers.length, queued });
    return queued;
  }

  async function runDigests(now = clock()): Promise<number> {
    let queued = 0;
    for (const subscription of await subscriptions.list()) {
      if (!subscription.active || subscription.mode !== 'digest' || !subscription.digestTime) continue;
      const slot = latestDailySlot(now, subscription.digestTime, subscription.timeZone ?? 'UTC');
      const slotIso = new Date(slot).toISOString();
      const covered = subscription.digestCoveredUntil ?? subscription.createdAt;
      if (slotIso <= covered) continue;
      if (!(await store.lease(`digest:${subscription.id}:${slotIso}`, options.owner, DIGEST_LEASE_MS))) continue;
      const listings = desk.postedBetween(covered, slotIso).slice(0, options.digestMaxArticles ?? 10);
      if (listings.length > 0) {
        const summaries: DeliveredSummary[] = [];
        // Oldest first reads like a day's news.
        for (const listing of [...listings].reverse()) {
          const article = await desk.getArticle(listing.id);
          summaries.push(await summaryFor(article, subscription.language ?? article.language));
        }
        const language = subscription.language ?? summaries[0]!.language;
        queued += await queue([
          delivery(`d:${subscription.id}:${slotIso}`, subscription, { kind: 'digest', language, summaries }, listings.map((l) => l.id)),
        ], true);
      }
      // An empty day is covered too: nothing is sent, and the next digest starts from here.
      await subscriptions.markDigest(subscription.id, slotIso);
    }
    return queued;
  }

  const running = new Set<Promise<unknown>>();
  const fanOutLogged = (article: Article) => {
    const job = fanOut(article)
      .catch((error: unknown) => logger.error('fan-out failed; it resumes at the next start', { article: article.id, ...errorFields(error) }))
      .finally(() => running.delete(job));
    running.add(job);
  };

  // Resume: fan-outs a crash interrupted, then every delivery still pending (one scan for both).
  const { pending, unfinishedFanOuts } = await outbox.resumable();
  for (const record of unfinishedFanOuts) {
    const article = await desk.getArticle(record.articleId).catch(() => undefined);
    if (article) await fanOut(article);
  }
  worker.add(pending);
  if (pending.length > 0) logger.info('resuming deliveries', { pending: pending.length });

  const unsubscribe = desk.onArticlePosted(fanOutLogged);
  const digestTimer =
    (options.digestCheckMs ?? 30_000) > 0
      ? setInterval(() => {
          runDigests().catch((error: unknown) => logger.error('digest run failed', errorFields(error)));
        }, options.digestCheckMs ?? 30_000)
      : undefined;
  digestTimer?.unref();

  return {
    fanOut,
    runDigests,
    async settled() {
      await Promise.allSettled([...running]);
    },
    async report() {
      return { ...(await outbox.report()), worker: worker.stats };
    },
    worker,
    outbox,
    async stop() {
      unsubscribe();
      if (digestTimer) clearInterval(digestTimer);
      // Fan-outs finish writing the outbox; sends in flight finish; queued ones wait for the next start.
      await Promise.allSettled([...running]);
      await worker.stop();
    },
  };
}
