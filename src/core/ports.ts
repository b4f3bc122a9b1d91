/**
 * The storage ports: what the core needs from a database, in the core's own words. Every backend
 * (memory, SQLite, PostgreSQL) implements all of them over one database, passes the one
 * contract suite in test/storage/contract.ts, and keeps these promises:
 *
 * - A write that did not happen rejects with an AkhbarError of code STORE_UNAVAILABLE; nothing is
 *   confirmed that was not stored. Reads that cannot be answered reject the same way.
 * - Anything two processes could race on (posting the same article, claiming a delivery, taking a
 *   lease, finishing a fan-out) is decided inside the database, not in one process's memory.
 * - Times are epoch milliseconds from the storage's clock unless a field says ISO 8601; the clock
 *   is the one `openStorage` was given, so tests and the core agree on "now".
 */
import type { DeliveredAnswer, DeliveredSummary, DeliveryKind, DeliveryMessage, DeliveryStatus, DeliveryTarget } from './delivery/types.js';
import type { Follow } from './follows.js';
import type { AnsweredQuestion } from './lastAnswers.js';
import type { DeliveryStyle, Subscription, SubscriptionMode } from './subscriptions.js';
import type { Article, ArticleListing, FeedRecord, Language, Summary } from './types.js';

/** A page request: `offset` rows skipped, at most `limit` returned. */
export interface PageRequest {
  readonly offset?: number;
  readonly limit?: number;
}

/** The outcome of inserting an article: the stored one (which may be an older article with the same id or URL). */
export interface ArticleInsert {
  readonly article: Article;
  /** False when an article with the same content hash or the same URL was already stored. */
  readonly inserted: boolean;
}

/** Articles, keyed by content hash (`Article.id`), each URL at most once. */
export interface ArticleRepo {
  /**
   * Stores the article unless one with the same id or URL exists, atomically, so two processes
   * posting the same text at once store it once. With `queueFanOut` a fan-out request is written in
   * the same transaction, so a crash between storing and queuing cannot lose the subscribers' copy.
   */
  insert(article: Article, options?: { readonly queueFanOut?: boolean }): Promise<ArticleInsert>;
  get(id: string): Promise<Article | undefined>;
  /** The article stored under this (already normalised) URL. */
  findByUrl(url: string): Promise<Article | undefined>;
  /** Ids starting with `prefix`, in id order, at most `limit` (an id typed shortened). */
  findIdsByPrefix(prefix: string, limit: number): Promise<string[]>;
  /**
   * Removes the article with everything that exists only for it: its summaries, its delivery
   * messages, its pending deliveries (and its place in pending digests) and its fan-out request.
   * Finished deliveries stay until pruned. False when there was no such article.
   */
  delete(id: string): Promise<boolean>;
  /**
   * Newest first (`postedAt` descending, then id), as the article list shows them. With
   * `storiesOnly`, one article per story: the one that started it (or, when that one was deleted,
   * each that joined it).
   */
  list(page?: PageRequest & { readonly storiesOnly?: boolean }): Promise<ArticleListing[]>;
  /** How many articles (with `storiesOnly`, how many `list` would list). */
  count(options?: { readonly storiesOnly?: boolean }): Promise<number>;
  /** The articles that joined these stories (their `storyId` is one of `storyIds`), oldest first. */
  storyArticles(storyIds: readonly string[]): Promise<ArticleListing[]>;
  /** Posted after `after` and at or before `until` (ISO times), newest first, at most `limit`. */
  postedBetween(after: string, until: string, limit: number): Promise<ArticleListing[]>;
  /** Every article in id order, a batch at a time: for building a search index. */
  scan(batchSize?: number): AsyncIterable<Article>;
  /** The languages the stored articles are written in, each once. */
  languages(): Promise<Language[]>;
}

/**
 * Each article's vector from an embedding model, made once and kept with the article (it goes when
 * the article does). Keyed by model too: vectors of two models cannot be compared.
 */
export interface ArticleVectorRepo {
  /** Keeps the vector (replacing one of the same model); nothing is kept when the article is gone. */
  put(articleId: string, model: string, vector: Float32Array): Promise<void>;
  /** The stored vectors of `model`: of these articles, or of every article when `articleIds` is omitted. */
  load(model: string, articleIds?: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Ids of articles with no vector of `model`, in id order, at most `limit`. */
  missing(model: string, limit: number): Promise<string[]>;
}

/**
 * Each chat's last answered question with its answer and evidence, for /why: in the database, so
 * the process that gets the chat's next message can explain it, whichever answered, and after a
 * restart. One per chat; the next answer replaces it.
 */
export interface LastAnswerRepo {
  /** Keeps `answered` as the chat's last answer (`chat` is platform:chatId), replacing the one before. */
  put(chat: string, answered: AnsweredQuestion): Promise<void>;
  get(chat: string): Promise<AnsweredQuestion | undefined>;
  /** Forgets the answers given before `before` (epoch ms); returns how many. */
  prune(before: number): Promise<number>;
}

/** Summaries made by an engine, under a key that names article, engine, version, language and length bounds. */
export interface SummaryRepo {
  get(key: string): Promise<Summary | undefined>;
  /** Keeps `summary` under `key`; it belongs to `summary.articleId` and goes when that article does. */
  put(key: string, summary: Summary): Promise<void>;
}

/** The fields of a subscription that change without a new subscribe. */
export type SubscriptionPatch = Partial<Pick<Subscription, 'active' | 'inactiveReason' | 'digestCoveredUntil' | 'updatedAt' | 'name' | 'filters'>>;

/** Subscriptions, keyed by `platform:chatId` (with `:threadId` for a forum topic). */
export interface SubscriptionRepo {
  get(id: string): Promise<Subscription | undefined>;
  /** Creates or replaces the subscription with this id. */
  put(subscription: Subscription): Promise<void>;
  /** Changes some fields in place (no lost update beside a concurrent patch of other fields); undefined when absent. */
  update(id: string, patch: SubscriptionPatch): Promise<Subscription | undefined>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
  /** Oldest first; only those matching the filter when one is given. */
  list(filter?: { readonly active?: boolean; readonly mode?: SubscriptionMode }): Promise<Subscription[]>;
  /** The chat's own subscription and its forum topics', oldest first; found by index, not by a scan. */
  inChat(chat: { readonly platform: string; readonly chatId: string }): Promise<Subscription[]>;
  /**
   * Renames a subscription (a chat got a new id) in one step: `to` replaces `fromId`. Undefined
   * when `fromId` is gone. Pending deliveries are not touched; see OutboxRepo.retarget.
   */
  move(fromId: string, to: Subscription): Promise<Subscription | undefined>;
}

/** One article of a delivery, in the language it is sent in. */
export interface OutboxItem {
  readonly articleId: string;
  readonly language: Language;
}

/** A chat as the outbox knows it: deliveries go to chats, whatever subscription queued them. */
export type ChatAddress = Pick<DeliveryTarget, 'platform' | 'chatId'>;

/** What a delivery carries: a new article's summary, a digest, a story update, or a followed question's new answer. */
export type { DeliveryKind } from './delivery/types.js';

/** A delivery as the core queues it; the message itself is stored once per article and language. */
export interface NewDelivery {
  /**
   * Deterministic, so queuing twice queues once: `a:<article>:<platform>:<chat>` for an article (the
   * form a store may keep without writing it out), `d:<platform>:<chat>:<slot>` for a digest,
   * `u:<story>:<outlet>:<platform>:<chat>[:<topic>]` for a story update (see storyUpdateId),
   * `f:<follow>:<article>` for a followed question's update.
   */
  readonly id: string;
  readonly target: DeliveryTarget;
  readonly kind: DeliveryKind;
  /** The language of the message as a whole (a digest's heading). */
  readonly language: Language;
  /**
   * Exactly one for `article` and `update`; a digest's articles in the order they are shown; for a
   * `follow-update`, the new article that changed the answer (deleting it drops the update).
   */
  readonly items: readonly OutboxItem[];
  /** A `follow-update`'s answer, stored with the delivery itself (it is for one chat only). */
  readonly answer?: DeliveredAnswer;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Not to be tried before; 0 (the default) is at once. */
  readonly notBefore?: number;
  /** How it reads; DEFAULT_STYLE when absent. */
  readonly style?: DeliveryStyle;
}

/** A delivery as stored, with its message put back together from the stored summaries: what the worker sends. */
export interface OutboxDelivery {
  /** As queued, also after a `retarget`. */
  readonly id: string;
  readonly target: DeliveryTarget;
  readonly kind: DeliveryKind;
  readonly language: Language;
  readonly items: readonly OutboxItem[];
  /** Carries the delivery's style, when it has one. */
  readonly message: DeliveryMessage;
  readonly articleIds: readonly string[];
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly notBefore: number;
  readonly createdAt: string;
  /** Who holds the claim and until when (0: never claimed); only meaningful while pending. */
  readonly claimedBy?: string;
  readonly claimedUntil: number;
  /** ISO 8601, when it was sent. */
  readonly sentAt?: string;
  /** Epoch ms it left `pending`; what pruning measures retention from. */
  readonly finishedAt?: number;
  readonly lastError?: string;
}

/** What became of one claimed delivery. Fractional times (scaled limits make them) are rounded up, never earlier. */
export type DeliveryOutcome =
  /**
   * With `chatGapMs`, the chat's next pending delivery is not due before that long from now, so the
   * per-chat gap holds when the next message into the chat is sent by another process.
   */
  | { readonly kind: 'sent'; readonly chatGapMs?: number }
  /** Given up: tried too often, or refused by the platform. */
  | { readonly kind: 'failed'; readonly error: string }
  /** The chat is gone. */
  | { readonly kind: 'dead'; readonly reason: string }
  /**
   * Back to pending, not before `notBefore`. `countAttempt` false for a 429 or a lease lost to
   * stopping: those say nothing about the message.
   */
  | { readonly kind: 'retry'; readonly notBefore: number; readonly countAttempt: boolean; readonly error?: string };

/** Delivery counts by status. */
export interface StatusCounts {
  readonly pending: number;
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
}

/**
 * Totals, and per article for the newest articles by posted time that have deliveries (oldest of
 * them first); articles deleted since they were queued come before them, as the oldest.
 */
export interface DeliveryCounts extends StatusCounts {
  readonly byArticle: readonly (StatusCounts & { readonly articleId: string })[];
}

/** What claiming asks for. */
export interface ClaimRequest {
  readonly owner: string;
  /** The claim lasts this long; then anyone may take the delivery over. */
  readonly leaseMs: number;
  readonly limit: number;
  /** Only deliveries to these platforms (those this process can send to). */
  readonly platforms: readonly string[];
}

/**
 * The durable outbox. A delivery row is small: target, status, counters, and references to
 * messages stored once per article and language. Claims are taken in the database, so two
 * processes never hold the same delivery, and counters are kept as rows change, so /status
 * reads a few rows rather than the outbox.
 */
export interface OutboxRepo {
  /** Stores the message sent for this article in this language (replacing an older one). */
  putMessage(summary: DeliveredSummary): Promise<void>;
  getMessage(articleId: string, language: Language): Promise<DeliveredSummary | undefined>;
  /**
   * Queues the deliveries whose id is not in the outbox yet, in one transaction, and returns how
   * many were new. With `completesFanOut` the article's fan-out request is marked done in the
   * same transaction, so a fan-out is either wholly queued and done, or still to do.
   */
  enqueue(deliveries: readonly NewDelivery[], options?: { readonly completesFanOut?: string }): Promise<number>;
  get(id: string): Promise<OutboxDelivery | undefined>;
  /**
   * Takes pending deliveries that are due and unclaimed (or whose claim ran out), oldest first.
   * A delivery is skipped while an earlier pending delivery into the same chat is not due yet or is
   * held by another owner, so each chat receives its messages in order from one process at a time.
   */
  claim(request: ClaimRequest): Promise<OutboxDelivery[]>;
  /** Extends claims still held by `owner`; returns the ids of those it extended. */
  renew(ids: readonly string[], owner: string, leaseMs: number): Promise<string[]>;
  /** Records the outcome of a claimed delivery; false (nothing written) when `owner` no longer holds it. */
  settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** Marks every pending delivery into the chat dead (it is gone); returns how many. */
  killChat(chat: ChatAddress, reason: string): Promise<number>;
  /** Points every pending delivery into the chat at its new id on the same platform; returns how many. */
  retarget(from: ChatAddress, toChatId: string): Promise<number>;
  /**
   * Totals and the `articles` (default 10) newest stored articles by posted time, from counters,
   * whatever order they were queued in (a digest or another process queues an older one later);
   * articles deleted since fill what is left, most recently queued first.
   */
  counts(options?: { readonly articles?: number }): Promise<DeliveryCounts>;
  /**
   * When (epoch ms) the pending delivery to `platform` queued first was queued; undefined when none
   * is pending. Queue order, read from the head of the queue, so it stays cheap with a long outbox:
   * how far behind sending is, for readiness and metrics.
   */
  oldestPendingAt(platform: string): Promise<number | undefined>;
  /** The same figures counted from the rows: slow, for checking the counters (tests, a doctor command). */
  recount(options?: { readonly articles?: number }): Promise<DeliveryCounts>;
  /** Deletes sent, failed and dead deliveries finished before `finishedBefore`, and messages nothing pending needs; never a pending one. */
  prune(finishedBefore: number): Promise<number>;
  /** Records that the article is to be fanned out (idempotent); see ArticleRepo.insert for the usual way. */
  requestFanOut(articleId: string): Promise<void>;
  /** Claims the fan-out of one article, when it is still to do and nobody else holds it; its holder renews the claim so. */
  claimFanOut(articleId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Articles whose fan-out is still to do and not held by anyone: a crashed process's work, for the others to take. */
  pendingFanOuts(limit: number): Promise<string[]>;
  /** Whether the article's fan-out was requested and whether it is done. */
  fanOutState(articleId: string): Promise<'none' | 'pending' | 'done'>;
}

/** How adding a follow turned out: stored, followed already (nothing changed), or the chat has its most. */
export type FollowAdd = 'added' | 'exists' | 'full';

/** Followed questions, keyed by id (one per chat and question), each with the terms it is found by. */
export interface FollowRepo {
  /**
   * Stores the follow unless its id is stored already or its chat has `maxPerChat` follows; the
   * count is checked in the same transaction, so two /follow at once cannot pass the limit.
   */
  add(follow: Follow, maxPerChat: number): Promise<FollowAdd>;
  get(id: string): Promise<Follow | undefined>;
  /** The chat's follows, oldest first. */
  list(chat: ChatAddress): Promise<Follow[]>;
  /**
   * Follows with at least one of `terms` (a new article's), oldest first: the cheap first cut, by
   * index, so a post re-asks only the questions that could be about it.
   */
  matching(terms: readonly string[]): Promise<Follow[]>;
  /** Records the evidence of the answer last sent; false when the follow is gone. */
  setFingerprint(id: string, fingerprint: string, updatedAt: string): Promise<boolean>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
  /** Forgets every follow of the chat (it is gone: blocked, kicked, deleted); returns how many. */
  deleteChat(chat: ChatAddress): Promise<number>;
  /**
   * Points the chat's follows at its new id on the same platform (a group became a supergroup);
   * each keeps its id, so updates already queued for it are still recognised. Returns how many.
   */
  moveChat(from: ChatAddress, toChatId: string): Promise<number>;
}

/** Followed feeds, keyed by id, each URL once. */
export interface FeedRepo {
  get(id: string): Promise<FeedRecord | undefined>;
  /** The feed at this (normalised) URL, whatever id it has (a feed keeps its id when it moves). */
  findByUrl(url: string): Promise<FeedRecord | undefined>;
  /** Adds a feed; false (nothing written) when its id or URL is already followed. */
  insert(record: FeedRecord): Promise<boolean>;
  /**
   * Adds the feeds not followed yet (by id or URL) in one transaction, so a failure stores none of
   * them; returns the ids it added, in the order given.
   */
  insertMany(records: readonly FeedRecord[]): Promise<string[]>;
  /** Writes a polled feed back; false (nothing written) when it was removed meanwhile. */
  update(record: FeedRecord): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Oldest first (`addedAt`, then id). */
  list(): Promise<FeedRecord[]>;
  /** Feeds whose next check is at or before `at` (ISO), soonest first; never a paused one. */
  due(at: string): Promise<FeedRecord[]>;
}

/** Named, expiring, exclusive leases held in the database, so they bind every process sharing it. */
export interface Leases {
  /** Takes `key` for `ttlMs` unless anyone, this owner too, holds it unexpired. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `owner` still holds; false when it ran out or someone else took it. */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back, only if `owner` holds it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * The unexpired leases whose key starts with `prefix`, in key order: how processes that each
   * hold a lease of their own under one prefix (a heartbeat) learn how many of them are alive.
   */
  holders(prefix: string): Promise<LeaseHolder[]>;
}

/** One unexpired lease. */
export interface LeaseHolder {
  readonly key: string;
  readonly owner: string;
  /** Epoch ms it runs out unless renewed. */
  readonly until: number;
}

/** The kinds of record whose changes other processes follow. */
export type ChangeKind = 'article' | 'subscription' | 'feed';

/** One change: a record created, changed or deleted. */
export interface Change {
  /** Strictly increasing in commit order over the whole database, never reused. */
  readonly seq: number;
  readonly kind: ChangeKind;
  readonly id: string;
  readonly op: 'new' | 'changed' | 'deleted';
  /** Epoch ms. */
  readonly at: number;
}

/**
 * The change sequence, written in the same transaction as the change itself: a process that
 * remembers the last `seq` it applied catches up by polling `changesSince(seq)`.
 */
export interface ChangeFeed {
  /** Changes after `seq`, in order, at most `limit` (default 1000). */
  changesSince(seq: number, limit?: number): Promise<Change[]>;
  /** The seq of the latest change (0 when none): where a process that just loaded everything starts. */
  latestSeq(): Promise<number>;
  /** The seq of the oldest change kept (0 when none); a reader behind it has missed changes and reloads. */
  oldestSeq(): Promise<number>;
  /**
   * Forgets changes older than `before`, always keeping the latest one so `latestSeq` survives and
   * those after the stored index snapshot, so a start from it never has to rebuild; returns how many went.
   */
  prune(before: number): Promise<number>;
  /**
   * Where the backend can push (PostgreSQL's LISTEN/NOTIFY): calls `wake` soon after any process
   * commits a change, so readers need not wait for their next poll. A wake-up only, never the
   * record. Resolves once listening, to a function that stops it. Absent: readers poll.
   */
  watch?(wake: () => void): Promise<() => void>;
}

/** A stored search-index snapshot: the index as bytes, and the last change it reflects. */
export interface IndexSnapshot {
  /** Every change up to and including this seq is in the bytes; a reader applies `changesSince(seq)` on top. */
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * The search index saved in the database, so a process starts from it instead of re-reading every
 * article. One snapshot per database. `format` names what made the bytes (the index layout and the
 * term pipeline); a snapshot of another format is never handed out, because its terms would not
 * match the ones the running code makes. Small on purpose: a backend needs one row with a BLOB.
 */
export interface IndexSnapshots {
  /** The stored snapshot when it was made in `format`; undefined when there is none or it is of another format. */
  load(format: string): Promise<IndexSnapshot | undefined>;
  /**
   * Stores the snapshot, replacing the stored one unless that one is of the same format and a
   * later seq (another process saved a newer one meanwhile). Returns whether it was stored.
   */
  save(format: string, snapshot: IndexSnapshot): Promise<boolean>;
}

/** Every port over one database, and how to close it. */
export interface Storage {
  /** `memory`, `sqlite` or `postgres`: what the data survives, and who may share it, depends on it. */
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  readonly articles: ArticleRepo;
  readonly summaries: SummaryRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly outbox: OutboxRepo;
  readonly feeds: FeedRepo;
  readonly follows: FollowRepo;
  readonly leases: Leases;
  readonly changes: ChangeFeed;
  readonly indexSnapshots: IndexSnapshots;
  readonly vectors: ArticleVectorRepo;
  readonly lastAnswers: LastAnswerRepo;
  /** Resolves when the database answers a trivial query; rejects with STORE_UNAVAILABLE otherwise (closed, away). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What every backend is opened with. */
export interface StorageOptions {
  /** Epoch ms; Date.now by default. */
  readonly clock?: () => number;
}
