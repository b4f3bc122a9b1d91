/**
 * The SQLite backend: one file in WAL mode, real tables and indexes, numbered migrations. Several
 * processes on one machine may open the same file (the CLI beside the bot): every write runs in an
 * immediate transaction, so claims, leases and "insert unless present" are decided by SQLite's
 * single writer, and a writer that cannot get the lock within the busy timeout fails loudly.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeliveredSummary, DeliveryStatus } from '../../core/delivery/types.js';
import type {
  ArticleRepo,
  ArticleVectorRepo,
  Change,
  ChangeFeed,
  ChangeKind,
  DeliveryCounts,
  FeedRepo,
  IndexSnapshots,
  Leases,
  OutboxDelivery,
  OutboxItem,
  OutboxRepo,
  Storage,
  StorageOptions,
  SubscriptionRepo,
  SummaryRepo,
} from '../../core/ports.js';
import type { Subscription } from '../../core/subscriptions.js';
import type { FeedRecord, Language, Summary } from '../../core/types.js';
import { checkNewDelivery, float32Of, needsStoredMessages, pageBounds, storeUnavailable, zeroCounts } from '../common.js';
import { sqliteFollows } from './follows.js';
import { sqliteLastAnswers } from './lastAnswers.js';
import { migrate } from './schema.js';
import {
  chatKindCode,
  countsOf,
  deliveryColumns,
  deliveryKey,
  effectiveIdSql,
  fromArticle,
  statusCode,
  statusOf,
  storedIdOf,
  toArticle,
  toListing,
  LISTING_COLUMNS,
  HEADS_STORY,
  toOutboxDelivery,
  presentationOf,
  subscriptionOptionsOf,
  type ArticleRow,
  type CountRow,
  type Delta,
  type DeliveryRow,
  type ListingRow,
  toSubscription,
  type SubscriptionRow,
} from '../rows.js';

/** SQLite settings beyond the shared ones. */
export interface SqliteOptions extends StorageOptions {
  /** How long a writer waits for another process's write to finish before failing. Default 5 s. */
  readonly busyTimeoutMs?: number;
}

/** The SQLite handle: the ports, plus the connection for maintenance and tests. */
export interface SqliteStorage extends Storage {
  readonly kind: 'sqlite';
  readonly path: string;
  readonly database: Database.Database;
}


/** A delivery named by its id: the id and its key (see deliveryKey). */
interface Named {
  key: bigint;
  id: string;
}

// The row a Named stands for: keyed, with that id spelled out or stored, or unkeyed with it stored.
const NAMED = `seq IN (SELECT seq FROM deliveries WHERE key = @key AND ${effectiveIdSql()} = @id
                       UNION ALL SELECT seq FROM deliveries WHERE key IS NULL AND id = @id)`;

interface DeliveryInsert {
  key: bigint | null;
  id: string;
  stored_id: string | null;
  platform: string;
  chat_id: string;
  chat_kind: number;
  language: string;
  article_id: string | null;
  not_before: number;
  created_at: number;
  presentation: string | null;
  body: string | null;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const PRUNE_BATCH = 5_000;

/** Opens (creating and migrating as needed) the SQLite store at `path`. */
export function openSqliteStorage(path: string, options: SqliteOptions = {}): SqliteStorage {
  const clock = options.clock ?? Date.now;
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    // WAL: readers never wait for the writer, and other processes' readers neither.
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL loses at most the last transactions on a power cut, never consistency.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    throw storeUnavailable(`opening SQLite store ${path}`, error);
  }
  return sqliteStorage(db, path, clock);
}

function sqliteStorage(db: Database.Database, path: string, clock: () => number): SqliteStorage {
  let closed = false;

  function run<T>(operation: string, body: () => T): Promise<T> {
    try {
      if (closed) throw new Error('storage handle is closed');
      return Promise.resolve(body());
    } catch (error) {
      // A RangeError is a caller's mistake (see checkNewDelivery), not an outage.
      if (error instanceof RangeError) return Promise.reject(error);
      return Promise.reject(storeUnavailable(operation, error));
    }
  }

  // Immediate: take the write lock at BEGIN, so a read-then-write never fails half-way with BUSY.
  function write<T>(operation: string, body: () => T): Promise<T> {
    return run(operation, () => db.transaction(body).immediate());
  }

  const q = {
    articleById: db.prepare<[string], ArticleRow>('SELECT * FROM articles WHERE id = ?'),
    articleByUrl: db.prepare<[string], ArticleRow>('SELECT * FROM articles WHERE url = ?'),
    insertArticle: db.prepare(
      `INSERT INTO articles (id, url, title, language, posted_at, posted_by, source, byline, published_at, body, story_id)
       VALUES (@id, @url, @title, @language, @posted_at, @posted_by, @source, @byline, @published_at, @body, @story_id)`,
    ),
    idsInRange: db.prepare<[string, string, number], { id: string }>('SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?'),
    idsFrom: db.prepare<[string, number], { id: string }>('SELECT id FROM articles WHERE id >= ? ORDER BY id LIMIT ?'),
    listArticles: db.prepare<[number, number], ListingRow>(
      `SELECT ${LISTING_COLUMNS} FROM articles a ORDER BY a.posted_at DESC, a.id LIMIT ? OFFSET ?`,
    ),
    listStories: db.prepare<[number, number], ListingRow>(
      `SELECT ${LISTING_COLUMNS} FROM articles a WHERE ${HEADS_STORY} ORDER BY a.posted_at DESC, a.id LIMIT ? OFFSET ?`,
    ),
    countArticles: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles'),
    countStories: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM articles a WHERE ${HEADS_STORY}`),
    storyArticles: db.prepare<[string], ListingRow>(
      `SELECT ${LISTING_COLUMNS} FROM articles a WHERE a.story_id IN (SELECT value FROM json_each(?)) ORDER BY a.posted_at, a.id`,
    ),
    postedBetween: db.prepare<[string, string, number], ListingRow>(
      `SELECT ${LISTING_COLUMNS} FROM articles a WHERE a.posted_at > ? AND a.posted_at <= ? ORDER BY a.posted_at DESC, a.id LIMIT ?`,
    ),
    scanArticles: db.prepare<[string, number], ArticleRow>('SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?'),
    articleLanguages: db.prepare<[], { language: Language }>('SELECT DISTINCT language FROM articles'),
    putVector: db.prepare<[string, Buffer, string]>(
      `INSERT INTO article_vectors (article_id, model, vector) SELECT id, ?, ? FROM articles WHERE id = ?
       ON CONFLICT (article_id, model) DO UPDATE SET vector = excluded.vector`,
    ),
    allVectors: db.prepare<[string], { article_id: string; vector: Buffer }>('SELECT article_id, vector FROM article_vectors WHERE model = ?'),
    someVectors: db.prepare<[string, string], { article_id: string; vector: Buffer }>(
      'SELECT article_id, vector FROM article_vectors WHERE model = ? AND article_id IN (SELECT value FROM json_each(?))',
    ),
    withoutVector: db.prepare<[string, number], { id: string }>(
      'SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_vectors v WHERE v.article_id = a.id AND v.model = ?) ORDER BY a.id LIMIT ?',
    ),
    deleteArticle: db.prepare<[string]>('DELETE FROM articles WHERE id = ?'),

    summary: db.prepare<[string], { data: string }>('SELECT data FROM summaries WHERE key = ?'),
    putSummary: db.prepare<[string, string, string]>(
      'INSERT INTO summaries (key, article_id, data) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id, data = excluded.data',
    ),
    deleteSummaries: db.prepare<[string]>('DELETE FROM summaries WHERE article_id = ?'),

    subscription: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?'),
    putSubscription: db.prepare(
      `INSERT INTO subscriptions (id, platform, chat_id, chat_kind, name, mode, digest_time, time_zone, language, active,
                                  inactive_reason, created_at, updated_at, digest_covered_until, options, story_updates)
       VALUES (@id, @platform, @chat_id, @chat_kind, @name, @mode, @digest_time, @time_zone, @language, @active,
               @inactive_reason, @created_at, @updated_at, @digest_covered_until, @options, @story_updates)
       ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id, chat_kind = excluded.chat_kind,
         name = excluded.name, mode = excluded.mode, digest_time = excluded.digest_time, time_zone = excluded.time_zone,
         language = excluded.language, active = excluded.active, inactive_reason = excluded.inactive_reason,
         created_at = excluded.created_at, updated_at = excluded.updated_at, digest_covered_until = excluded.digest_covered_until,
         options = excluded.options, story_updates = excluded.story_updates`,
    ),
    deleteSubscription: db.prepare<[string]>('DELETE FROM subscriptions WHERE id = ?'),
    chatSubscriptions: db.prepare<[string, string], SubscriptionRow>('SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ? ORDER BY created_at, id'),
    listSubscriptions: db.prepare<[number | null, number | null, string | null, string | null], SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE (? IS NULL OR active = ?) AND (? IS NULL OR mode = ?) ORDER BY created_at, id',
    ),

    message: db.prepare<[string, string], { data: string }>('SELECT data FROM delivery_messages WHERE article_id = ? AND language = ?'),
    putMessage: db.prepare<[string, string, string, number]>(
      `INSERT INTO delivery_messages (article_id, language, data, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (article_id, language) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
    ),
    deleteMessages: db.prepare<[string]>('DELETE FROM delivery_messages WHERE article_id = ?'),
    // Unless the id is there already unkeyed; a row with the same key is left alone here (see enqueue).
    insertDelivery: db.prepare<DeliveryInsert>(
      `INSERT INTO deliveries (key, id, platform, chat_id, chat_kind, language, article_id, status, not_before, created_at, presentation, body)
       SELECT @key, @stored_id, @platform, @chat_id, @chat_kind, @language, @article_id, 0, @not_before, @created_at, @presentation, @body
       WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE key IS NULL AND id = @id)
       ON CONFLICT DO NOTHING`,
    ),
    insertItem: db.prepare<[number | bigint, number, string, string]>(
      'INSERT INTO delivery_items (delivery_seq, position, article_id, language) VALUES (?, ?, ?, ?)',
    ),
    items: db.prepare<[number], { article_id: string; language: string }>(
      'SELECT article_id, language FROM delivery_items WHERE delivery_seq = ? ORDER BY position',
    ),
    delivery: db.prepare<Named, DeliveryRow>(`SELECT ${deliveryColumns()} FROM deliveries WHERE ${NAMED}`),
    claim: db.prepare<{ owner: string; now: number; until: number; limit: number; platforms: string }, DeliveryRow>(
      `UPDATE deliveries SET claimed_by = @owner, claimed_until = @until
       WHERE seq IN (
         -- Walk the pending queue in seq order; left to itself the planner may pick the chat index and
         -- sort every pending row (100k pending: 140 ms instead of 0.3 ms).
         SELECT d.seq FROM deliveries d INDEXED BY deliveries_queue
         WHERE d.status = 0 AND d.not_before <= @now AND d.claimed_until <= @now
           AND d.platform IN (SELECT value FROM json_each(@platforms))
           AND NOT EXISTS (
             SELECT 1 FROM deliveries e
             WHERE e.status = 0 AND e.platform = d.platform AND e.chat_id = d.chat_id AND e.seq < d.seq
               AND (e.not_before > @now OR (e.claimed_until > @now AND e.claimed_by <> @owner)))
         ORDER BY d.seq LIMIT @limit)
       RETURNING ${deliveryColumns()}`,
    ),
    renew: db.prepare<Named & { until: number; owner: string; now: number }>(
      `UPDATE deliveries SET claimed_until = @until WHERE ${NAMED} AND status = 0 AND claimed_by = @owner AND claimed_until > @now`,
    ),
    finish: db.prepare<[number, number, number | null, string | null, number]>(
      `UPDATE deliveries SET status = ?, attempts = ?, finished_at = ?, last_error = coalesce(?, last_error),
         claimed_by = NULL, claimed_until = 0 WHERE seq = ?`,
    ),
    retry: db.prepare<[number, number, string | null, number]>(
      `UPDATE deliveries SET attempts = ?, not_before = ?, last_error = coalesce(?, last_error),
         claimed_by = NULL, claimed_until = 0 WHERE seq = ?`,
    ),
    pendingOfChat: db.prepare<[string, string], DeliveryRow>(
      `SELECT ${deliveryColumns()} FROM deliveries WHERE platform = ? AND chat_id = ? AND status = 0 ORDER BY seq`,
    ),
    // The id is written out first (from the old chat id: SET reads the row as it was), so it stays the same.
    retarget: db.prepare<[string, string, string]>(
      `UPDATE deliveries SET id = ${effectiveIdSql()}, chat_id = ? WHERE platform = ? AND chat_id = ? AND status = 0`,
    ),
    pendingArticleDeliveries: db.prepare<[string], { seq: number }>('SELECT seq FROM deliveries WHERE article_id = ? AND status = 0'),
    pendingDigestsWith: db.prepare<[string], { seq: number; others: number }>(
      `SELECT d.seq AS seq, (SELECT count(*) FROM delivery_items j WHERE j.delivery_seq = d.seq AND j.article_id <> i.article_id) AS others
       FROM delivery_items i JOIN deliveries d ON d.seq = i.delivery_seq
       WHERE i.article_id = ? AND d.status = 0 GROUP BY d.seq`,
    ),
    deleteDelivery: db.prepare<[number]>('DELETE FROM deliveries WHERE seq = ?'),
    deleteItemsOf: db.prepare<[number, string]>('DELETE FROM delivery_items WHERE delivery_seq = ? AND article_id = ?'),
    bump: db.prepare<[string, number, number, number, number]>(
      `INSERT INTO delivery_counts (article_id, pending, sent, failed, dead) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (article_id) DO UPDATE SET pending = pending + excluded.pending, sent = sent + excluded.sent,
         failed = failed + excluded.failed, dead = dead + excluded.dead`,
    ),
    totals: db.prepare<[], CountRow>("SELECT * FROM delivery_counts WHERE article_id = ''"),
    // The newest stored articles by posted time (the articles_newest index), whatever order they were queued in.
    newestCounts: db.prepare<[number], CountRow>(
      `SELECT c.article_id, c.pending, c.sent, c.failed, c.dead FROM articles a JOIN delivery_counts c ON c.article_id = a.id
       WHERE c.pending <> 0 OR c.sent <> 0 OR c.failed <> 0 OR c.dead <> 0
       ORDER BY a.posted_at DESC, a.id LIMIT ?`,
    ),
    // Articles deleted since they were queued, most recently queued first.
    goneCounts: db.prepare<[number], CountRow>(
      `SELECT c.article_id, c.pending, c.sent, c.failed, c.dead FROM delivery_counts c
       WHERE c.article_id <> '' AND (c.pending <> 0 OR c.sent <> 0 OR c.failed <> 0 OR c.dead <> 0)
         AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = c.article_id)
       ORDER BY c.rowid DESC LIMIT ?`,
    ),
    dropEmptyCounts: db.prepare(
      "DELETE FROM delivery_counts WHERE article_id <> '' AND pending = 0 AND sent = 0 AND failed = 0 AND dead = 0",
    ),
    // The head of the queue index (seq order, pending rows only), walked until the platform matches.
    oldestPending: db.prepare<[string], { created_at: number }>('SELECT created_at FROM deliveries WHERE status = 0 AND platform = ? ORDER BY seq LIMIT 1'),
    ping: db.prepare<[], { one: number }>('SELECT 1 AS one'),
    recountTotals: db.prepare<[], { status: number; n: number }>('SELECT status, count(*) AS n FROM deliveries GROUP BY status'),
    recountArticles: db.prepare<[], { article_id: string; status: number; n: number }>(
      `SELECT article_id, status, count(*) AS n FROM (
         SELECT article_id, status FROM deliveries WHERE article_id IS NOT NULL
         UNION ALL
         SELECT i.article_id, d.status FROM (SELECT DISTINCT delivery_seq, article_id FROM delivery_items) i
           JOIN deliveries d ON d.seq = i.delivery_seq
       ) GROUP BY article_id, status ORDER BY article_id`,
    ),
    finishedBefore: db.prepare<[number, number], DeliveryRow>(
      `SELECT ${deliveryColumns()} FROM deliveries WHERE status <> 0 AND finished_at < ? ORDER BY finished_at LIMIT ?`,
    ),
    pruneMessages: db.prepare<[number]>(
      `DELETE FROM delivery_messages WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.status = 0 AND d.article_id = delivery_messages.article_id
                           AND d.language = delivery_messages.language)
         AND NOT EXISTS (SELECT 1 FROM delivery_items i JOIN deliveries d ON d.seq = i.delivery_seq
                         WHERE d.status = 0 AND i.article_id = delivery_messages.article_id AND i.language = delivery_messages.language)`,
    ),

    requestFanOut: db.prepare<[string, number]>(
      "INSERT INTO fan_outs (article_id, state, requested_at) VALUES (?, 'pending', ?) ON CONFLICT (article_id) DO NOTHING",
    ),
    completeFanOut: db.prepare<[string, number]>(
      `INSERT INTO fan_outs (article_id, state, requested_at) VALUES (?, 'done', ?)
       ON CONFLICT (article_id) DO UPDATE SET state = 'done', claimed_by = NULL, claimed_until = 0`,
    ),
    claimFanOut: db.prepare<[string, number, string, number, string]>(
      "UPDATE fan_outs SET claimed_by = ?, claimed_until = ? WHERE article_id = ? AND state = 'pending' AND (claimed_until <= ? OR claimed_by = ?)",
    ),
    pendingFanOuts: db.prepare<[number, number], { article_id: string }>(
      "SELECT article_id FROM fan_outs WHERE state = 'pending' AND claimed_until <= ? ORDER BY requested_at, article_id LIMIT ?",
    ),
    fanOutState: db.prepare<[string], { state: string }>('SELECT state FROM fan_outs WHERE article_id = ?'),
    deleteFanOut: db.prepare<[string]>('DELETE FROM fan_outs WHERE article_id = ?'),

    feed: db.prepare<[string], { data: string }>('SELECT data FROM feeds WHERE id = ?'),
    feedByUrl: db.prepare<[string], { data: string }>('SELECT data FROM feeds WHERE url = ?'),
    insertFeed: db.prepare<[string, string, string, string, number, string]>(
      'INSERT INTO feeds (id, url, added_at, next_check_at, paused, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    updateFeed: db.prepare<[string, string, number, string, string]>('UPDATE feeds SET url = ?, next_check_at = ?, paused = ?, data = ? WHERE id = ?'),
    deleteFeed: db.prepare<[string]>('DELETE FROM feeds WHERE id = ?'),
    listFeeds: db.prepare<[], { data: string }>('SELECT data FROM feeds ORDER BY added_at, id'),
    dueFeeds: db.prepare<[string], { data: string }>('SELECT data FROM feeds WHERE next_check_at <= ? AND paused = 0 ORDER BY next_check_at, id'),

    acquire: db.prepare<[string, string, number, number]>(
      `INSERT INTO leases (key, owner, until) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.until <= ?`,
    ),
    renewLease: db.prepare<[number, string, string, number]>('UPDATE leases SET until = ? WHERE key = ? AND owner = ? AND until > ?'),
    release: db.prepare<[string, string]>('DELETE FROM leases WHERE key = ? AND owner = ?'),
    purgeLeases: db.prepare<[number]>('DELETE FROM leases WHERE until <= ?'),
    pushChatNext: db.prepare<[number, string, string]>(
      `UPDATE deliveries SET not_before = max(not_before, ?)
       WHERE seq = (SELECT seq FROM deliveries WHERE platform = ? AND chat_id = ? AND status = 0 ORDER BY seq LIMIT 1)`,
    ),
    // substr rather than LIKE: a prefix may hold % or _, and the table is a few rows.
    leaseHolders: db.prepare<[string, string, number], { key: string; owner: string; until: number }>(
      'SELECT key, owner, until FROM leases WHERE substr(key, 1, length(?)) = ? AND until > ? ORDER BY key',
    ),

    logChange: db.prepare<[string, string, string, number]>('INSERT INTO changes (kind, id, op, at) VALUES (?, ?, ?, ?)'),
    changesSince: db.prepare<[number, number], Change>('SELECT seq, kind, id, op, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
    latestSeq: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'changes'"),
    oldestSeq: db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM changes'),
    // The changes after the stored search-index snapshot stay: a starting process replays them onto it.
    pruneChanges: db.prepare<[number]>(
      'DELETE FROM changes WHERE at < ? AND seq < (SELECT max(seq) FROM changes) AND seq <= coalesce((SELECT max(seq) FROM index_snapshots), seq)',
    ),

    loadSnapshot: db.prepare<[string], { seq: number; bytes: Buffer }>('SELECT seq, bytes FROM index_snapshots WHERE slot = 1 AND format = ?'),
    saveSnapshot: db.prepare<[string, number, Buffer, number]>(
      `INSERT INTO index_snapshots (slot, format, seq, bytes, saved_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (slot) DO UPDATE SET format = excluded.format, seq = excluded.seq, bytes = excluded.bytes, saved_at = excluded.saved_at
       WHERE index_snapshots.format <> excluded.format OR index_snapshots.seq <= excluded.seq`,
    ),
  };

  const logChange = (kind: ChangeKind, id: string, op: Change['op']) => q.logChange.run(kind, id, op, clock());

  function bump(articleIds: readonly string[], from: DeliveryStatus | undefined, to: DeliveryStatus | undefined, n = 1): void {
    const delta = deltaOf(from, to, n);
    for (const key of ['', ...new Set(articleIds)]) q.bump.run(key, delta.pending, delta.sent, delta.failed, delta.dead);
  }

  /** A digest's articles from delivery_items; an article delivery's one from its row. */
  function itemsOf(row: DeliveryRow): OutboxItem[] {
    if (row.article_id !== null) return [{ articleId: row.article_id, language: row.language as Language }];
    return q.items.all(row.seq).map((item) => ({ articleId: item.article_id, language: item.language as Language }));
  }

  /** The delivery with this id, keyed or not. */
  function find(id: string): DeliveryRow | undefined {
    return q.delivery.get({ key: deliveryKey(id), id });
  }

  function lookup(articleId: string, language: Language): DeliveredSummary | undefined {
    const found = q.message.get(articleId, language);
    return found ? (JSON.parse(found.data) as DeliveredSummary) : undefined;
  }

  function view(row: DeliveryRow): OutboxDelivery {
    return toOutboxDelivery(row, row.article_id === null ? itemsOf(row) : [], lookup);
  }

  function finish(row: DeliveryRow, status: DeliveryStatus, attempts: number, error: string | null): void {
    q.finish.run(statusCode(status), attempts, clock(), error, row.seq);
    bump(itemsOf(row).map((item) => item.articleId), statusOf(row.status), status);
  }

  const articles: ArticleRepo = {
    insert: (article, options = {}) =>
      write('article insert', () => {
        const existing = q.articleById.get(article.id) ?? (article.url === undefined ? undefined : q.articleByUrl.get(article.url));
        if (existing) return { article: toArticle(existing), inserted: false };
        q.insertArticle.run(fromArticle(article));
        if (options.queueFanOut) q.requestFanOut.run(article.id, clock());
        logChange('article', article.id, 'new');
        return { article, inserted: true };
      }),
    get: (id) =>
      run('article read', () => {
        const row = q.articleById.get(id);
        return row ? toArticle(row) : undefined;
      }),
    findByUrl: (url) =>
      run('article read', () => {
        const row = q.articleByUrl.get(url);
        return row ? toArticle(row) : undefined;
      }),
    findIdsByPrefix: (prefix, limit) =>
      run('article read', () => {
        if (prefix === '') return q.idsFrom.all('', limit).map((r) => r.id);
        const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
        return q.idsInRange.all(prefix, next, limit).map((r) => r.id);
      }),
    delete: (id) =>
      write('article delete', () => {
        if (!q.articleById.get(id)) return false;
        const direct = q.pendingArticleDeliveries.all(id);
        for (const { seq } of direct) q.deleteDelivery.run(seq);
        if (direct.length > 0) bump([id], 'pending', undefined, direct.length);
        for (const digest of q.pendingDigestsWith.all(id)) {
          if (digest.others === 0) {
            q.deleteDelivery.run(digest.seq);
            bump([id], 'pending', undefined);
          } else {
            // The digest stays pending for its other articles; only this article's count drops.
            q.deleteItemsOf.run(digest.seq, id);
            q.bump.run(id, -1, 0, 0, 0);
          }
        }
        q.deleteSummaries.run(id);
        q.deleteMessages.run(id);
        q.deleteFanOut.run(id);
        q.deleteArticle.run(id);
        logChange('article', id, 'deleted');
        return true;
      }),
    list: (page) =>
      run('article list', () => {
        const { offset, limit } = pageBounds(page);
        return (page?.storiesOnly ? q.listStories : q.listArticles).all(limit, offset).map(toListing);
      }),
    count: (options) => run('article count', () => (options?.storiesOnly ? q.countStories : q.countArticles).get()!.n),
    storyArticles: (storyIds) =>
      run('article list', () => (storyIds.length === 0 ? [] : q.storyArticles.all(JSON.stringify(storyIds)).map(toListing))),
    postedBetween: (after, until, limit) => run('article list', () => q.postedBetween.all(after, until, limit).map(toListing)),
    async *scan(batchSize = 500) {
      let after = '';
      for (;;) {
        const batch = await run('article scan', () => q.scanArticles.all(after, batchSize).map(toArticle));
        yield* batch;
        if (batch.length < batchSize) return;
        after = batch[batch.length - 1]!.id;
      }
    },
    languages: () => run('article languages', () => q.articleLanguages.all().map((row) => row.language)),
  };

  const vectors: ArticleVectorRepo = {
    put: (articleId, model, vector) =>
      write('vector write', () => void q.putVector.run(model, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), articleId)),
    load: (model, articleIds) =>
      run('vector read', () => {
        const rows = articleIds === undefined ? q.allVectors.all(model) : q.someVectors.all(model, JSON.stringify(articleIds));
        return new Map(rows.map((row) => [row.article_id, float32Of(row.vector)]));
      }),
    missing: (model, limit) => run('vector read', () => q.withoutVector.all(model, limit).map((row) => row.id)),
  };

  const summaries: SummaryRepo = {
    get: (key) =>
      run('summary read', () => {
        const row = q.summary.get(key);
        return row ? (JSON.parse(row.data) as Summary) : undefined;
      }),
    put: (key, summary) =>
      write('summary write', () => {
        q.putSummary.run(key, summary.articleId, JSON.stringify(summary));
      }),
  };

  const subscriptions: SubscriptionRepo = {
    get: (id) =>
      run('subscription read', () => {
        const row = q.subscription.get(id);
        return row ? toSubscription(row) : undefined;
      }),
    put: (subscription) =>
      write('subscription write', () => {
        const existed = q.subscription.get(subscription.id) !== undefined;
        q.putSubscription.run(fromSubscription(subscription));
        logChange('subscription', subscription.id, existed ? 'changed' : 'new');
      }),
    update: (id, patch) =>
      write('subscription write', () => {
        const row = q.subscription.get(id);
        if (!row) return undefined;
        const next = { ...toSubscription(row), ...patch };
        if (patch.active === true) delete (next as { inactiveReason?: string }).inactiveReason;
        q.putSubscription.run(fromSubscription(next));
        logChange('subscription', id, 'changed');
        return next;
      }),
    delete: (id) =>
      write('subscription delete', () => {
        if (q.deleteSubscription.run(id).changes === 0) return false;
        logChange('subscription', id, 'deleted');
        return true;
      }),
    list: (filter = {}) =>
      run('subscription list', () => {
        const active = filter.active === undefined ? null : filter.active ? 1 : 0;
        const mode = filter.mode ?? null;
        return q.listSubscriptions.all(active, active, mode, mode).map(toSubscription);
      }),
    inChat: (chat) => run('subscription list', () => q.chatSubscriptions.all(chat.platform, chat.chatId).map(toSubscription)),
    move: (fromId, to) =>
      write('subscription move', () => {
        if (q.deleteSubscription.run(fromId).changes === 0) return undefined;
        const existed = q.subscription.get(to.id) !== undefined;
        q.putSubscription.run(fromSubscription(to));
        logChange('subscription', fromId, 'deleted');
        logChange('subscription', to.id, existed ? 'changed' : 'new');
        return to;
      }),
  };

  const outbox: OutboxRepo = {
    putMessage: (summary) =>
      write('message write', () => {
        q.putMessage.run(summary.articleId, summary.language, JSON.stringify(summary), clock());
      }),
    getMessage: (articleId, language) => run('message read', () => lookup(articleId, language)),
    enqueue: (deliveries, options = {}) =>
      write('delivery enqueue', () => {
        const known = new Set<string>();
        for (const d of deliveries) {
          checkNewDelivery(d);
          if (!needsStoredMessages(d)) continue;
          for (const item of d.items) {
            const key = `${item.articleId}\u0000${item.language}`;
            if (known.has(key)) continue;
            if (!q.message.get(item.articleId, item.language)) throw new RangeError(`no message stored for ${item.articleId} in ${item.language}`);
            known.add(key);
          }
        }
        let added = 0;
        const perArticle = new Map<string, number>();
        for (const d of deliveries) {
          const key = deliveryKey(d.id);
          const row: DeliveryInsert = {
            key,
            id: d.id,
            stored_id: storedIdOf(d),
            platform: d.target.platform,
            chat_id: d.target.chatId,
            chat_kind: chatKindCode(d.target.kind),
            language: d.language,
            article_id: d.kind === 'digest' ? null : d.items[0]!.articleId,
            not_before: d.notBefore ?? 0,
            created_at: Date.parse(d.createdAt) || clock(),
            presentation: presentationOf(d),
            body: d.answer === undefined ? null : JSON.stringify(d.answer),
          };
          let info = q.insertDelivery.run(row);
          // Nothing written: the id is queued already, or another id has its key; the latter goes in unkeyed.
          if (info.changes === 0 && !q.delivery.get({ key, id: d.id })) info = q.insertDelivery.run({ ...row, key: null, stored_id: d.id });
          if (info.changes === 0) continue;
          added++;
          if (d.kind === 'digest') d.items.forEach((item, position) => q.insertItem.run(info.lastInsertRowid, position, item.articleId, item.language));
          for (const articleId of new Set(d.items.map((i) => i.articleId))) perArticle.set(articleId, (perArticle.get(articleId) ?? 0) + 1);
        }
        // One counter write per article rather than per delivery: a fan-out to 10k chats is one row update.
        if (added > 0) q.bump.run('', added, 0, 0, 0);
        for (const [articleId, n] of perArticle) q.bump.run(articleId, n, 0, 0, 0);
        if (options.completesFanOut !== undefined) q.completeFanOut.run(options.completesFanOut, clock());
        return added;
      }),
    get: (id) =>
      run('delivery read', () => {
        const row = find(id);
        return row ? view(row) : undefined;
      }),
    claim: (request) =>
      write('delivery claim', () => {
        const now = clock();
        const rows = q.claim.all({
          owner: request.owner,
          now,
          until: now + request.leaseMs,
          limit: request.limit,
          platforms: JSON.stringify(request.platforms),
        });
        // RETURNING comes in no promised order; the queue's order is seq.
        return rows.sort((a, b) => a.seq - b.seq).map(view);
      }),
    renew: (ids, owner, leaseMs) =>
      write('delivery renew', () => {
        const now = clock();
        return ids.filter((id) => q.renew.run({ key: deliveryKey(id), id, until: now + leaseMs, owner, now }).changes === 1);
      }),
    settle: (id, owner, outcome) =>
      write('delivery settle', () => {
        const row = find(id);
        if (!row || row.status !== statusCode('pending') || row.claimed_by !== owner) return false;
        switch (outcome.kind) {
          case 'sent':
            finish(row, 'sent', row.attempts + 1, null);
            // Only the next one: it blocks those after it in the chat until it is due.
            if ((outcome.chatGapMs ?? 0) > 0) q.pushChatNext.run(Math.ceil(clock() + outcome.chatGapMs!), row.platform, row.chat_id);
            break;
          case 'failed':
            finish(row, 'failed', row.attempts + 1, outcome.error);
            break;
          case 'dead':
            finish(row, 'dead', row.attempts, outcome.reason);
            break;
          case 'retry':
            q.retry.run(row.attempts + (outcome.countAttempt ? 1 : 0), Math.ceil(outcome.notBefore), outcome.error ?? null, row.seq);
            break;
        }
        return true;
      }),
    killChat: (chat, reason) =>
      write('delivery update', () => {
        const rows = q.pendingOfChat.all(chat.platform, chat.chatId);
        for (const row of rows) finish(row, 'dead', row.attempts, reason);
        return rows.length;
      }),
    retarget: (from, toChatId) => write('delivery update', () => q.retarget.run(toChatId, from.platform, from.chatId).changes),
    counts: (options = {}) =>
      run('delivery counts', () => {
        const totals = q.totals.get();
        const limit = options.articles ?? 10;
        const stored = q.newestCounts.all(limit);
        const gone = stored.length < limit ? q.goneCounts.all(limit - stored.length) : [];
        // Oldest first: the deleted ones, then the stored ones by posted time.
        const byArticle = [...stored, ...gone].reverse().map((row) => ({ articleId: row.article_id, ...countsOf(row) }));
        return { ...(totals ? countsOf(totals) : zeroCounts()), byArticle } satisfies DeliveryCounts;
      }),
    oldestPendingAt: (platform) => run('delivery read', () => q.oldestPending.get(platform)?.created_at),
    recount: () =>
      run('delivery recount', () => {
        const totals = zeroCounts();
        for (const row of q.recountTotals.all()) totals[statusOf(row.status)] += row.n;
        const byArticle = new Map<string, ReturnType<typeof zeroCounts>>();
        for (const row of q.recountArticles.all()) {
          const counts = byArticle.get(row.article_id) ?? zeroCounts();
          counts[statusOf(row.status)] += row.n;
          byArticle.set(row.article_id, counts);
        }
        return { ...totals, byArticle: [...byArticle].map(([articleId, counts]) => ({ articleId, ...counts })) };
      }),
    async prune(finishedBefore) {
      let pruned = 0;
      // Batches keep each write transaction short, so other processes' claims and sends are not held up.
      for (;;) {
        const n = await write('delivery prune', () => {
          const rows = q.finishedBefore.all(finishedBefore, PRUNE_BATCH);
          // Summed per article first: one counter write per article and batch, not per row.
          const deltas = new Map<string, Delta>();
          const minus = (key: string, status: DeliveryStatus) => {
            const delta = deltas.get(key) ?? zeroCounts();
            delta[status]--;
            deltas.set(key, delta);
          };
          for (const row of rows) {
            for (const articleId of new Set(itemsOf(row).map((item) => item.articleId))) minus(articleId, statusOf(row.status));
            minus('', statusOf(row.status));
            q.deleteDelivery.run(row.seq);
          }
          for (const [key, d] of deltas) q.bump.run(key, d.pending, d.sent, d.failed, d.dead);
          return rows.length;
        });
        pruned += n;
        if (n < PRUNE_BATCH) break;
      }
      await write('delivery prune', () => {
        q.dropEmptyCounts.run();
        q.pruneMessages.run(finishedBefore);
      });
      return pruned;
    },
    requestFanOut: (articleId) =>
      write('fan-out request', () => {
        q.requestFanOut.run(articleId, clock());
      }),
    claimFanOut: (articleId, owner, leaseMs) =>
      write('fan-out claim', () => {
        const now = clock();
        return q.claimFanOut.run(owner, now + leaseMs, articleId, now, owner).changes === 1;
      }),
    pendingFanOuts: (limit) => run('fan-out read', () => q.pendingFanOuts.all(clock(), limit).map((r) => r.article_id)),
    fanOutState: (articleId) => run('fan-out read', () => (q.fanOutState.get(articleId)?.state as 'pending' | 'done' | undefined) ?? 'none'),
  };

  const feeds: FeedRepo = {
    get: (id) =>
      run('feed read', () => {
        const row = q.feed.get(id);
        return row ? (JSON.parse(row.data) as FeedRecord) : undefined;
      }),
    findByUrl: (url) =>
      run('feed read', () => {
        const row = q.feedByUrl.get(url);
        return row ? (JSON.parse(row.data) as FeedRecord) : undefined;
      }),
    insert: (record) =>
      write('feed insert', () => {
        if (q.insertFeed.run(record.id, record.url, record.addedAt, record.nextCheckAt, record.paused ? 1 : 0, JSON.stringify(record)).changes === 0) return false;
        logChange('feed', record.id, 'new');
        return true;
      }),
    insertMany: (records) =>
      write('feed insert', () => {
        const added: string[] = [];
        for (const record of records) {
          if (q.insertFeed.run(record.id, record.url, record.addedAt, record.nextCheckAt, record.paused ? 1 : 0, JSON.stringify(record)).changes === 0) continue;
          logChange('feed', record.id, 'new');
          added.push(record.id);
        }
        return added;
      }),
    update: (record) =>
      write('feed update', () => {
        if (q.updateFeed.run(record.url, record.nextCheckAt, record.paused ? 1 : 0, JSON.stringify(record), record.id).changes === 0) return false;
        logChange('feed', record.id, 'changed');
        return true;
      }),
    delete: (id) =>
      write('feed delete', () => {
        if (q.deleteFeed.run(id).changes === 0) return false;
        logChange('feed', id, 'deleted');
        return true;
      }),
    list: () => run('feed list', () => q.listFeeds.all().map((row) => JSON.parse(row.data) as FeedRecord)),
    due: (at) => run('feed list', () => q.dueFeeds.all(at).map((row) => JSON.parse(row.data) as FeedRecord)),
  };

  let acquisitions = 0;
  const leases: Leases = {
    acquire: (key, owner, ttlMs) =>
      write('lease acquire', () => {
        const now = clock();
        // Expired leases are only dead rows; sweep them now and then instead of on every call.
        if (++acquisitions % 1_000 === 0) q.purgeLeases.run(now);
        return q.acquire.run(key, owner, now + ttlMs, now).changes === 1;
      }),
    renew: (key, owner, ttlMs) =>
      write('lease renew', () => {
        const now = clock();
        return q.renewLease.run(now + ttlMs, key, owner, now).changes === 1;
      }),
    release: (key, owner) =>
      write('lease release', () => {
        q.release.run(key, owner);
      }),
    holders: (prefix) => run('lease read', () => q.leaseHolders.all(prefix, prefix, clock())),
  };

  const changes: ChangeFeed = {
    changesSince: (seq, limit = 1_000) => run('change read', () => q.changesSince.all(seq, limit)),
    latestSeq: () => run('change read', () => q.latestSeq.get()?.seq ?? 0),
    oldestSeq: () => run('change read', () => q.oldestSeq.get()?.seq ?? 0),
    prune: (before) => write('change prune', () => q.pruneChanges.run(before).changes),
  };

  const indexSnapshots: IndexSnapshots = {
    load: (format) =>
      run('index snapshot read', () => {
        const row = q.loadSnapshot.get(format);
        return row ? { seq: row.seq, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) } : undefined;
      }),
    save: (format, snapshot) =>
      write('index snapshot write', () => {
        const bytes = Buffer.from(snapshot.bytes.buffer, snapshot.bytes.byteOffset, snapshot.bytes.byteLength);
        return q.saveSnapshot.run(format, snapshot.seq, bytes, clock()).changes === 1;
      }),
  };

  return {
    kind: 'sqlite',
    path,
    database: db,
    articles,
    summaries,
    subscriptions,
    outbox,
    feeds,
    follows: sqliteFollows(db, { run, write }),
    lastAnswers: sqliteLastAnswers(db, { run, write }, clock),
    leases,
    changes,
    indexSnapshots,
    vectors,
    ping: () => run('ping', () => void q.ping.get()),
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function deltaOf(from: DeliveryStatus | undefined, to: DeliveryStatus | undefined, n: number): Delta {
  const delta = zeroCounts();
  if (from) delta[from] -= n;
  if (to) delta[to] += n;
  return delta;
}

function fromSubscription(s: Subscription): SubscriptionRow {
  return {
    id: s.id,
    platform: s.platform,
    chat_id: s.chatId,
    chat_kind: s.kind,
    name: s.name ?? null,
    mode: s.mode,
    digest_time: s.digestTime ?? null,
    time_zone: s.timeZone ?? null,
    language: s.language ?? null,
    active: s.active ? 1 : 0,
    inactive_reason: s.inactiveReason ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    digest_covered_until: s.digestCoveredUntil ?? null,
    options: subscriptionOptionsOf(s),
    story_updates: s.storyUpdates ? 1 : 0,
  };
}

