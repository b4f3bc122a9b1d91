/**
 * Delivery to subscribers. A new article is stored with a fan-out request in the same write; the
 * process that claims the fan-out summarises the article once per language wanted, stores each
 * message once, and queues one small delivery row per subscriber, marking the fan-out done in the
 * same transaction. Workers in any process claim, send and settle the deliveries. Digests are
 * queued on their schedule from the articles in the database. Platform senders plug in through
 * the `Sender` interface.
 *
 * Nothing here lives only in one process: a fan-out a crashed process was doing is claimed again
 * once its short claim runs out, and its deliveries once theirs do.
 */
import { errorFields, type Logger } from '../logger.js';
import type { NewsDesk } from '../newsDesk.js';
import type { DeliveryCounts, NewDelivery, OutboxItem, Storage } from '../ports.js';
import type { Follows } from '../follows.js';
import { articleWords, compileFilters, type ArticleWords, type CompiledFilters } from '../filters.js';
import { chatOfSubscriptionId, styleOf, subscriptionId, type Subscription, type Subscriptions } from '../subscriptions.js';
import type { Article, Language } from '../types.js';
import type { RateLimits } from './pacing.js';
import { latestDailySlot } from './schedule.js';
import type { Telemetry } from '../telemetry.js';
import { firstParagraph } from './lead.js';
import { storyUpdateId, type DeliveredSummary, type DeliveryKind, type Sender } from './types.js';
import { outletOf, storyOutlets } from '../stories/index.js';
import { startDeliveryWorker, type DeliveryWorker, type WorkerOptions, type WorkerStats } from './worker.js';

export type { DeliveryMessage, DeliveredSummary, DeliveryTarget, Notice, SendOutcome, Sender } from './types.js';
export { messageLanguage } from './types.js';

/** Outbox counts, overall and for the articles queued most recently. */
export type DeliveryReport = DeliveryCounts;

/** What the delivery service is built from. */
export interface DeliveryOptions {
  readonly storage: Pick<Storage, 'articles' | 'outbox' | 'leases' | 'subscriptions'>;
  readonly desk: NewsDesk;
  readonly subscriptions: Subscriptions;
  /** Followed questions: a new article's fan-out also queues the answers it changed. */
  readonly follows?: Follows;
  readonly senders: ReadonlyMap<string, Sender>;
  readonly limits: ReadonlyMap<string, RateLimits>;
  readonly logger: Logger;
  /** Unique per process. */
  readonly owner: string;
  /** How often digest schedules are checked; 0 turns the timer off (tests call runDigests). */
  readonly digestCheckMs?: number;
  /** Most articles in one digest (the newest). */
  readonly digestMaxArticles?: number;
  /** How often fan-outs nobody holds (a crashed or a delivery-less process's) are looked for; 0 only at start. */
  readonly fanOutSweepMs?: number;
  /** How long a claim on a fan-out lasts unless its holder renews it; FAN_OUT_LEASE_MS unless set (specs shorten it). */
  readonly fanOutLeaseMs?: number;
  readonly clock?: () => number;
  /** Where send outcomes and 429 waits are counted for monitoring; nowhere by default. */
  readonly telemetry?: Telemetry;
  readonly worker?: Partial<
    Pick<WorkerOptions, 'concurrency' | 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'leaseMs' | 'pollMs' | 'maxHeld' | 'senderLeaseMs' | 'senderHeartbeatMs' | 'timers'>
  >;
}

/** The running delivery service. */
export interface DeliveryService {
  /** Queues the article for every `each` subscriber, unless its fan-out is done or another process holds it; returns how many were queued. */
  fanOut(article: Article): Promise<number>;
  /** Queues the digests that are due at `now`; returns how many were queued. */
  runDigests(now?: number): Promise<number>;
  /** Resolves when the fan-outs started so far have queued their deliveries (or failed). */
  settled(): Promise<void>;
  /** Outbox counts from the database's counters, and this process's worker figures. */
  report(): Promise<DeliveryReport & { readonly worker: Readonly<WorkerStats> }>;
  readonly worker: DeliveryWorker;
  stop(): Promise<void>;
}

// Short, so survivors take over a crashed process's fan-out quickly. The holder renews it while it
// works (summaries from a slow LLM, followed questions asked again), up to FAN_OUT_MAX_HOLD_MS: a
// fan-out stuck longer is left to the others. Queuing is idempotent, so a fan-out finished by two
// processes still gives each chat one copy.
const FAN_OUT_LEASE_MS = 20_000;
// Not tuned: far above a fan-out's worst case (a summary per language and a followed question
// each within the LLM deadline), as the digest lease below is.
const FAN_OUT_MAX_HOLD_MS = 10 * 60_000;
// Long enough to build one digest; a process that dies holding it leaves the slot to the others
// after this, and the digest's deterministic id keeps it from being queued twice.
const DIGEST_LEASE_MS = 10 * 60_000;
const FAN_OUT_SWEEP_BATCH = 20;

/** Starts delivery: takes up fan-outs left unfinished, then follows new articles and digests. */
export async function startDelivery(options: DeliveryOptions): Promise<DeliveryService> {
  const { storage, desk, subscriptions, owner } = options;
  const { outbox } = storage;
  const clock = options.clock ?? Date.now;
  const leaseMs = options.fanOutLeaseMs ?? FAN_OUT_LEASE_MS;
  const logger = options.logger.child({ component: 'delivery' });
  const worker = startDeliveryWorker({
    outbox,
    senders: options.senders,
    limits: options.limits,
    logger: options.logger,
    owner,
    clock,
    // Every process on this database sends with the same tokens, so they share each platform's rate.
    senderLeases: storage.leases,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...options.worker,
    events: {
      chatGone: async (id, reason) => {
        await subscriptions.deactivate(id, reason, new Date(clock()));
        // Nobody reads the chat's answers any more: its questions are not asked again.
        await options.follows?.chatGone(chatOfSubscriptionId(id));
      },
      chatMigrated: async (id, newChatId) => {
        await subscriptions.migrate(id, newChatId, new Date(clock()));
        await options.follows?.chatMoved(chatOfSubscriptionId(id), newChatId);
      },
    },
  });

  /** The summary a subscriber gets, stored once per article and language for every delivery that carries it. */
  async function message(article: Article, language: Language, stored: Map<string, DeliveredSummary>): Promise<DeliveredSummary> {
    const known = stored.get(`${article.id}:${language}`);
    if (known) return known;
    const summary = await desk.summarize(article.id, { language });
    const delivered: DeliveredSummary = {
      articleId: article.id,
      title: article.title,
      ...(article.url ? { url: article.url } : {}),
      language: summary.language,
      sentences: summary.sentences,
      // Stored with every message (once per article and language), so any subscriber may ask for it.
      lead: firstParagraph(article.text, article.title),
    };
    await outbox.putMessage(delivered);
    stored.set(`${article.id}:${language}`, delivered);
    return delivered;
  }

  /**
   * What a story update carries: the article's title and link, in the language the chat wants (the
   * note's words are; the title stays as the outlet wrote it). No summary is made for it; a summary
   * already stored in that language serves, and one made later for another chat replaces this.
   */
  async function noteMessage(article: Article, language: Language, notes: Map<Language, DeliveredSummary>): Promise<DeliveredSummary> {
    const known = notes.get(language) ?? (await outbox.getMessage(article.id, language));
    if (known) {
      notes.set(language, known);
      return known;
    }
    const note: DeliveredSummary = { articleId: article.id, title: article.title, ...(article.url ? { url: article.url } : {}), language, sentences: [] };
    await outbox.putMessage(note);
    notes.set(language, note);
    return note;
  }

  function delivery(id: string, subscription: Subscription, kind: DeliveryKind, language: Language, items: OutboxItem[]): NewDelivery {
    return {
      id,
      target: {
        platform: subscription.platform,
        chatId: subscription.chatId,
        kind: subscription.kind,
        ...(subscription.threadId !== undefined ? { threadId: subscription.threadId } : {}),
        ...(subscription.forum ? { forum: true } : {}),
      },
      kind,
      language,
      items,
      style: styleOf(subscription),
      createdAt: new Date(clock()).toISOString(),
    };
  }

  /**
   * A follow update as the chat (or the forum topic it was followed in) subscribed to read its news:
   * in that subscription's style and, for a Discord forum, as a post. A chat that follows without
   * subscribing gets the default style.
   */
  async function presented(update: NewDelivery): Promise<NewDelivery> {
    const subscription = await storage.subscriptions.get(subscriptionId(update.target));
    if (!subscription) return update;
    return { ...update, target: { ...update.target, ...(subscription.forum ? { forum: true } : {}) }, style: styleOf(subscription) };
  }

  // Each subscription's filters compiled once (the pattern is the costly part) and reused for every
  // article until the subscription changes.
  const compiled = new Map<string, { readonly updatedAt: string; readonly filters: CompiledFilters | undefined }>();
  function filtersOf(subscription: Subscription): CompiledFilters | undefined {
    const known = compiled.get(subscription.id);
    if (known && known.updatedAt === subscription.updatedAt) return known.filters;
    let filters: CompiledFilters | undefined;
    try {
      filters = subscription.filters ? compileFilters(subscription.filters) : undefined;
    } catch (error) {
      // Patterns are checked when set; one that no longer compiles lets everything through rather than lose news silently.
      logger.error('subscription filters do not compile; delivering unfiltered', { subscription: subscription.id, ...errorFields(error) });
    }
    compiled.set(subscription.id, { updatedAt: subscription.updatedAt, filters });
    return filters;
  }

  /** Whether the subscription's filters let the article through; `words` is built once per article. */
  function passes(subscription: Subscription, words: () => ArticleWords): boolean {
    const filters = filtersOf(subscription);
    return filters === undefined || !filters.active || filters.judge(words()).passed;
  }

  function wordsOnce(article: Article): () => ArticleWords {
    let words: ArticleWords | undefined;
    return () => (words ??= articleWords(article));
  }

  async function fanOut(article: Article): Promise<number> {
    // An article stored without a fan-out request (by a tool, or before delivery existed) gets one now.
    if ((await outbox.fanOutState(article.id)) === 'none') await outbox.requestFanOut(article.id);
    if (!(await outbox.claimFanOut(article.id, owner, leaseMs))) return 0;
    const renewal = holdFanOut(article.id);
    try {
      return await fanOutClaimed(article);
    } finally {
      renewal.stop();
    }
  }

  /** Renews this process's claim on a fan-out every third of the lease until stopped (or held too long). */
  function holdFanOut(articleId: string): { stop(): void } {
    const started = clock();
    const timer = setInterval(() => {
      if (clock() - started > FAN_OUT_MAX_HOLD_MS) {
        clearInterval(timer);
        logger.warn('fan-out held too long; leaving it to the other processes', { article: articleId });
        return;
      }
      outbox.claimFanOut(articleId, owner, leaseMs).catch((error: unknown) => logger.warn('fan-out claim not renewed', { article: articleId, ...errorFields(error) }));
    }, leaseMs / 3);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Queues the article for its audience; the caller holds the fan-out's claim. */
  async function fanOutClaimed(article: Article): Promise<number> {
    const words = wordsOnce(article);
    const audience = await storyAudience(article, await subscriptions.list({ active: true, mode: 'each' }), words);
    const subscribers = audience.news;
    const stored = new Map<string, DeliveredSummary>();
    const deliveries: NewDelivery[] = [];
    let filtered = 0;
    for (const subscriber of subscribers) {
      if (!passes(subscriber, words)) {
        filtered++;
        continue;
      }
      const summary = await message(article, subscriber.language ?? article.language, stored);
      const item = { articleId: article.id, language: summary.language };
      deliveries.push(delivery(`a:${article.id}:${subscriber.id}`, subscriber, 'article', summary.language, [item]));
    }
    if (audience.update) {
      const { storyId, outlet, subscribers: told } = audience.update;
      const notes = new Map<Language, DeliveredSummary>();
      for (const subscriber of told) {
        const note = await noteMessage(article, subscriber.language ?? article.language, notes);
        const item = { articleId: article.id, language: note.language };
        deliveries.push(delivery(storyUpdateId(storyId, outlet, subscriber), subscriber, 'update', note.language, [item]));
      }
    }
    // In the same write as the subscribers' copies, so the fan-out is done only once these are queued too.
    const updates = (await options.follows?.updatesFor(article)) ?? [];
    for (const update of updates) deliveries.push(await presented(update.delivery));
    // Ids are deterministic, so a fan-out taken over from a crashed process queues only what is missing.
    const queued = await outbox.enqueue(deliveries, { completesFanOut: article.id });
    // After the enqueue: a crash between the two asks again and finds the same ids already queued.
    await options.follows?.recorded(updates);
    worker.poke();
    logger.info('article queued for subscribers', { article: article.id, subscribers: subscribers.length, filtered, followUpdates: updates.length, queued });
    return queued;
  }

  /**
   * Who hears of the article. `news`: the subscribers to whom its story is news: all of them when it
   * starts a story (or the story's first article is gone); otherwise those who had none of the
   * story's earlier articles: subscribed after they were posted, or kept them all out with their
   * filters. `update`: of those who had the story, the ones who asked for "also reported by" notes
   * and whose filters let this article through, when it has a link from an outlet that had not
   * reported the story before.
   */
  async function storyAudience(
    article: Article,
    subscribers: Subscription[],
    words: () => ArticleWords,
  ): Promise<{ news: Subscription[]; update?: { storyId: string; outlet: string; subscribers: Subscription[] } }> {
    if (article.storyId === undefined) return { news: subscribers };
    const first = await storage.articles.get(article.storyId);
    if (!first) return { news: subscribers };
    const earlier = [first, ...(await storage.articles.storyArticles([first.id])).filter((other) => other.postedAt < article.postedAt)];
    const lastTold = earlier.reduce((latest, other) => (other.postedAt > latest ? other.postedAt : latest), first.postedAt);
    // Filters are judged on the full text, read only when some subscriber has filters.
    const filtering = subscribers.some((subscriber) => filtersOf(subscriber)?.active === true);
    const judged = filtering
      ? [first, ...(await Promise.all(earlier.slice(1).map((other) => storage.articles.get(other.id))))].flatMap((other) =>
          other ? [{ postedAt: other.postedAt, words: wordsOnce(other) }] : [],
        )
      : [];
    // Sent when posted: a subscriber had an earlier article if it was subscribed by then and its filters let it through.
    const hadStory = (subscriber: Subscription) =>
      filtersOf(subscriber)?.active === true
        ? judged.some((other) => other.postedAt >= subscriber.createdAt && passes(subscriber, other.words))
        : subscriber.createdAt <= lastTold;
    const news: Subscription[] = [];
    const had: Subscription[] = [];
    for (const subscriber of subscribers) (hadStory(subscriber) ? had : news).push(subscriber);
    const outlet = article.url === undefined ? undefined : outletOf(article);
    const newOutlet = outlet !== undefined && !storyOutlets(earlier).includes(outlet);
    const told = newOutlet ? had.filter((subscriber) => subscriber.storyUpdates === true && passes(subscriber, words)) : [];
    logger.info('article joins a story already sent', { article: article.id, story: first.id, skipped: had.length, updates: told.length });
    return { news, ...(told.length > 0 ? { update: { storyId: first.id, outlet: outlet!, subscribers: told } } : {}) };
  }

  async function runDigests(now = clock()): Promise<number> {
    let queued = 0;
    for (const subscription of await subscriptions.list({ active: true, mode: 'digest' })) {
      if (!subscription.digestTime) continue;
      const slot = latestDailySlot(now, subscription.digestTime, subscription.timeZone ?? 'UTC');
      const slotIso = new Date(slot).toISOString();
      const covered = subscription.digestCoveredUntil ?? subscription.createdAt;
      if (slotIso <= covered) continue;
      if (!(await storage.leases.acquire(`digest:${subscription.id}:${slotIso}`, owner, DIGEST_LEASE_MS))) continue;
      // From the database, so articles posted through any process are in it.
      const listings = await storage.articles.postedBetween(covered, slotIso, options.digestMaxArticles ?? 10);
      const stored = new Map<string, DeliveredSummary>();
      const items: OutboxItem[] = [];
      // Oldest first reads like a day's news; a story once, by the first of its articles the digest
      // holds, and not at all when its first article was in an earlier digest.
      const inDigest = new Set(listings.map((listing) => listing.id));
      const stories = new Set<string>();
      for (const listing of [...listings].reverse()) {
        const story = listing.storyId ?? listing.id;
        if (stories.has(story) || (listing.storyId !== undefined && !inDigest.has(listing.storyId) && (await storage.articles.get(listing.storyId)))) continue;
        stories.add(story);
        const article = await storage.articles.get(listing.id);
        // Deleted since it was listed, or kept out by the subscription's filters: not in the digest.
        if (!article || !passes(subscription, wordsOnce(article))) continue;
        const summary = await message(article, subscription.language ?? article.language, stored);
        items.push({ articleId: article.id, language: summary.language });
      }
      if (items.length > 0) {
        const language = subscription.language ?? items[0]!.language;
        queued += await outbox.enqueue([delivery(`d:${subscription.id}:${slotIso}`, subscription, 'digest', language, items)]);
        worker.poke();
      }
      // An empty day is covered too: nothing is sent, and the next digest starts from here.
      await subscriptions.markDigest(subscription.id, slotIso);
    }
    return queued;
  }

  const running = new Set<Promise<unknown>>();
  function track(job: Promise<unknown>): void {
    const tracked = job.finally(() => running.delete(tracked));
    running.add(tracked);
  }

  // One story's fan-outs run one after another, in the order its articles were posted: a chat is
  // queued the story before an "also reported by" note of it, though the note needs no summary and
  // would otherwise be queued first.
  const storyFanOuts = new Map<string, Promise<unknown>>();
  const fanOutLogged = (article: Article) => {
    const story = article.storyId ?? article.id;
    const job = (storyFanOuts.get(story) ?? Promise.resolve())
      .then(() => fanOut(article))
      .catch((error: unknown) => logger.error('fan-out failed; another try follows once its claim runs out', { article: article.id, ...errorFields(error) }));
    storyFanOuts.set(story, job);
    void job.finally(() => {
      if (storyFanOuts.get(story) === job) storyFanOuts.delete(story);
    });
    track(job);
  };

  let sweeping = false;
  async function sweep(): Promise<void> {
    if (sweeping) return;
    sweeping = true;
    try {
      for (const id of await outbox.pendingFanOuts(FAN_OUT_SWEEP_BATCH)) {
        const article = await storage.articles.get(id);
        if (article) await fanOut(article);
      }
    } finally {
      sweeping = false;
    }
  }
  const sweepLogged = () => track(sweep().catch((error: unknown) => logger.error('unfinished fan-outs not taken up', errorFields(error))));

  // Fan-outs a crash interrupted, or stored by a process without delivery; in the background, so start-up does not wait.
  sweepLogged();
  const unsubscribe = desk.onArticlePosted(fanOutLogged);
  const sweepMs = options.fanOutSweepMs ?? 5_000;
  const sweepTimer = sweepMs > 0 ? setInterval(sweepLogged, sweepMs) : undefined;
  sweepTimer?.unref();
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
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async report() {
      return { ...(await outbox.counts()), worker: worker.stats };
    },
    worker,
    async stop() {
      unsubscribe();
      if (sweepTimer) clearInterval(sweepTimer);
      if (digestTimer) clearInterval(digestTimer);
      // Fan-outs finish queuing; sends in flight finish; claims not yet sent are handed back.
      await Promise.allSettled([...running]);
      await worker.stop();
    },
  };
}
