/**
 * The PostgreSQL backend, for several instances sharing one database. Plain parameterised SQL
 * through a pg.Pool, every multi-statement write in one transaction at READ COMMITTED. What
 * instances race on is decided by the database:
 *
 * - Claims take the chats they serve first (`delivery_chats`, FOR NO KEY UPDATE SKIP LOCKED), then
 *   that chat's due deliveries (FOR UPDATE SKIP LOCKED) in a statement that runs after the chat
 *   locks are held, so it sees every claim committed before: two instances never hold one delivery,
 *   and never serve one chat at once. Settling takes the chat's lock too, so a take-over of an
 *   expired claim and a late settle of it happen one after the other.
 * - Leases, fan-out claims and "insert unless present" are single upserts or conditional updates.
 *   Leases and claim renewals go through two connections of their own, so a heartbeat never
 *   queues behind bulk writes.
 * - The change feed is a table whose seq comes from a sequence taken under a table lock held to
 *   commit, so seq order is commit order and a reader polling `changesSince` never skips a change
 *   that commits late. Each such transaction also sends `NOTIFY akhbar_changes`, which PostgreSQL
 *   delivers at commit; `onChange` listens for it so instances wake at once.
 * - Counters for /status are rows updated in the same transactions as the deliveries, always in
 *   one key order, so counts() reads a few rows and two writers never deadlock on them.
 *
 * Every failed query rejects with STORE_UNAVAILABLE; a write that waits on a lock longer than the
 * lock timeout (5 s unless the URL says `lock_timeout=MS`) fails rather than hangs.
 */
import pg from 'pg';
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
  NewDelivery,
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
import { postgresFollows } from './follows.js';
import { postgresLastAnswers } from './lastAnswers.js';
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
  presentationOf,
  subscriptionOptionsOf,
  toArticle,
  toListing,
  LISTING_COLUMNS,
  HEADS_STORY,
  toOutboxDelivery,
  type ArticleRow,
  type CountRow,
  type Delta,
  type DeliveryRow,
  type ListingRow,
  toSubscription,
  type SubscriptionRow,
} from '../rows.js';

/** PostgreSQL settings beyond the shared ones; the URL's own parameters take precedence. */
export interface PostgresOptions extends StorageOptions {
  /** How long a statement waits for a lock another session holds before failing. Default 5 s. */
  readonly lockTimeoutMs?: number;
  /** How long opening a connection may take before failing. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
}

/** Called with the seq of a change another (or this) process committed; see PostgresStorage.onChange. */
export type ChangeListener = (seq: number) => void;

/** The PostgreSQL handle: the ports, the pool for maintenance and tests, and change notifications. */
export interface PostgresStorage extends Storage {
  readonly kind: 'postgres';
  readonly pool: pg.Pool;
  /**
   * Calls `listener` soon after any process commits a change to this schema, with the newest seq of
   * that transaction; after the listening connection was lost and is back, once with the latest seq,
   * since notifications sent meanwhile are gone. A wake-up only: `changes.changesSince` stays the
   * record. Resolves once listening (rejects with STORE_UNAVAILABLE when it cannot start), to a
   * function that removes the listener.
   */
  onChange(listener: ChangeListener): Promise<() => void>;
}

/** The channel every instance listens on; the payload is `<schema>:<seq>`. */
export const CHANGE_CHANNEL = 'akhbar_changes';


/** One connection's query function: the pool's (one statement, autocommit) or a transaction's client. */
export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

// Counter rows per key; chosen so that a few instances' concurrent settles seldom meet on one row.
const COUNTER_SHARDS = 16;
const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const PRUNE_BATCH = 5_000;
const LISTEN_RETRY_MS = [250, 1_000, 5_000, 30_000] as const;
const INT8_OID = 20;

// Epoch ms, seqs and counts are BIGINT; pg hands int8 back as text lest it lose digits, and none of
// ours comes near 2^53. Per pool, not pg.types globally, so nothing else in the process changes.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

// A delivery is held back while an earlier pending one into the same chat is not due yet or is held
// by someone else: the SQLite backend's rule, shared by both claim statements.
const NOT_BLOCKED = `NOT EXISTS (
  SELECT 1 FROM deliveries e
  WHERE e.status = 0 AND e.platform = d.platform AND e.chat_id = d.chat_id AND e.seq < d.seq
    AND (e.not_before > $1 OR (e.claimed_until > $1 AND e.claimed_by <> $2))
    -- Implied by the line above (times are never negative); spelled out so the planner may use deliveries_held.
    AND (e.not_before > 0 OR e.claimed_until > 0)
    -- OFFSET 0 keeps this a per-row probe of that index; as an anti join the planner compared every
    -- candidate with every held row (100k pending, 240 held: 9 ms instead of 0.9).
    OFFSET 0)`;

/**
 * The rows of the deliveries named by ids ($ids, text[]) with their keys ($keys, bigint[]): keyed
 * rows whose id is one of them (a keyed row's key is its id's, so key and id need not be paired), and
 * unkeyed rows storing one. Plain conditions, so the planner ORs the two indexes' scans.
 */
function named(keys: string, ids: string, alias = 'd'): string {
  return `((${alias}.key = ANY(${keys}::bigint[]) AND ${effectiveIdSql(alias)} = ANY(${ids}::text[]))
           OR (${alias}.key IS NULL AND ${alias}.id = ANY(${ids}::text[])))`;
}

/** The keys of `ids`, as text: pg sends a bigint[] parameter from strings without losing digits. */
const keysOf = (ids: readonly string[]) => ids.map((id) => deliveryKey(id).toString());

const SUBSCRIPTION_UPSERT = `
  INSERT INTO subscriptions (id, platform, chat_id, chat_kind, name, mode, digest_time, time_zone, language, active,
                             inactive_reason, created_at, updated_at, digest_covered_until, options, story_updates)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
  ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id, chat_kind = excluded.chat_kind,
    name = excluded.name, mode = excluded.mode, digest_time = excluded.digest_time, time_zone = excluded.time_zone,
    language = excluded.language, active = excluded.active, inactive_reason = excluded.inactive_reason,
    created_at = excluded.created_at, updated_at = excluded.updated_at, digest_covered_until = excluded.digest_covered_until,
    options = excluded.options, story_updates = excluded.story_updates`;

/** Opens the PostgreSQL store a `postgres://` or `postgresql://` URL names, migrating it first. */
export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
  const config: pg.PoolConfig = {
    connectionString: url,
    lock_timeout: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A dead peer (a host gone without closing) is noticed instead of a query waiting forever.
    keepAlive: true,
    application_name: 'akhbar',
    types,
  };
  const migrator = new pg.Client(config);
  // An 'error' event with no listener would end the process; the failed query rejects anyway.
  migrator.on('error', () => undefined);
  try {
    await migrator.connect();
    await migrate(migrator);
  } catch (error) {
    throw storeUnavailable(`opening PostgreSQL store ${redact(url)}`, error);
  } finally {
    // Ending the session also drops the advisory lock if unlocking failed.
    await migrator.end().catch(() => undefined);
  }
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
  const leasePool = new pg.Pool({ ...config, max: LEASE_CONNECTIONS });
  // An idle connection that breaks is dropped by the pool and reported here; the next query opens
  // another, and a query on a broken connection rejects on its own.
  pool.on('error', () => undefined);
  leasePool.on('error', () => undefined);
  return postgresStorage(pool, leasePool, config, options.clock ?? Date.now);
}

// Leases and delivery claim renewals are heartbeats (the senders sharing a rate, the poller and
// gateway leaders, the claims a worker holds): on the main pool they waited behind a broadcast's
// settles (in bench -- cluster 20 to 250 queries deep; a sender heartbeat's two queries took a
// median of up to 1.2 s, a claim renewal a mean of 1 to 1.3 s of a 3 s claim), and a late one is
// a paused sender, a lost leadership or a claim run out under a send. Two, so one slow query does
// not hold up the others.
const LEASE_CONNECTIONS = 2;

function postgresStorage(pool: pg.Pool, leasePool: pg.Pool, config: pg.ClientConfig, clock: () => number): PostgresStorage {
  let closed = false;

  const poolQuery: Query = (text, values) => pool.query(text, values);
  const leaseQuery: Query = (text, values) => leasePool.query(text, values);

  /** One statement, autocommit (on the lease connections when `on` says so). */
  async function run<T>(operation: string, body: (q: Query) => Promise<T>, on: Query = poolQuery): Promise<T> {
    try {
      if (closed) throw new Error('storage handle is closed');
      return await body(on);
    } catch (error) {
      throw storeUnavailable(operation, error);
    }
  }

  /** Several statements in one transaction; `begin` chooses its kind. */
  async function transaction<T>(operation: string, body: (q: Query) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    let client: pg.PoolClient;
    try {
      if (closed) throw new Error('storage handle is closed');
      client = await pool.connect();
    } catch (error) {
      throw storeUnavailable(operation, error);
    }
    const q: Query = (text, values) => client.query(text, values);
    try {
      await client.query(begin);
      const result = await body(q);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot even roll back is destroyed rather than handed to the next caller.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : true);
      // A RangeError is a caller's mistake (see checkNewDelivery), not an outage.
      if (error instanceof RangeError) throw error;
      throw storeUnavailable(operation, error);
    }
  }

  const write = <T>(operation: string, body: (q: Query) => Promise<T>) => transaction(operation, body);
  // One snapshot for reads that take several statements (a delivery, its items, its messages).
  const read = <T>(operation: string, body: (q: Query) => Promise<T>) =>
    transaction(operation, body, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');

  /**
   * Appends changes and wakes the listeners, as the last statements of a write: the table lock is
   * held to commit, so nobody takes a later seq and commits before this one (a reader would skip
   * it), and taking it last means its holder never waits for anything else.
   */
  async function logChanges(q: Query, entries: readonly (readonly [ChangeKind, string, Change['op']])[]): Promise<void> {
    await q('LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE');
    await q(
      `WITH added AS (
         INSERT INTO changes (kind, id, op, at)
         SELECT kind, id, op, $4 FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(kind, id, op, n) ORDER BY n
         RETURNING seq)
       SELECT pg_notify($5, current_schema() || ':' || max(seq)) FROM added`,
      [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2]), clock(), CHANGE_CHANNEL],
    );
  }

  /**
   * Adds status deltas to the counters, one row per key, in one key order (see the header), on one
   * shard picked at random: concurrent settles then rarely wait for the same counter row.
   */
  async function bump(q: Query, deltas: ReadonlyMap<string, Delta>): Promise<void> {
    const keys = [...deltas.keys()].filter((key) => Object.values(deltas.get(key)!).some((n) => n !== 0)).sort();
    if (keys.length === 0) return;
    const column = (status: DeliveryStatus) => keys.map((key) => deltas.get(key)![status]);
    const shard = Math.floor(Math.random() * COUNTER_SHARDS);
    await q(
      `INSERT INTO delivery_counts (article_id, shard, pending, sent, failed, dead)
       SELECT a, $6, p, s, f, d FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS t(a, p, s, f, d)
       ON CONFLICT (article_id, shard) DO UPDATE SET pending = delivery_counts.pending + excluded.pending,
         sent = delivery_counts.sent + excluded.sent, failed = delivery_counts.failed + excluded.failed,
         dead = delivery_counts.dead + excluded.dead`,
      [keys, column('pending'), column('sent'), column('failed'), column('dead'), shard],
    );
  }

  /** The counter deltas of `rows` moving from one status to another: the totals and each of their articles once. */
  function deltasOf<R extends { seq: number; article_id: string | null }>(
    rows: readonly R[],
    items: ReadonlyMap<number, OutboxItem[]>,
    from: (row: R) => DeliveryStatus | undefined,
    to: DeliveryStatus | undefined,
  ): Map<string, Delta> {
    const deltas = new Map<string, Delta>();
    const add = (key: string, status: DeliveryStatus | undefined, n: number) => {
      if (!status) return;
      const delta = deltas.get(key) ?? zeroCounts();
      delta[status] += n;
      deltas.set(key, delta);
    };
    for (const row of rows) {
      const articleIds = row.article_id !== null ? [row.article_id] : [...new Set((items.get(row.seq) ?? []).map((i) => i.articleId))];
      for (const key of ['', ...articleIds]) {
        add(key, from(row), -1);
        add(key, to, 1);
      }
    }
    return deltas;
  }

  async function itemsOf(q: Query, seqs: readonly number[]): Promise<Map<number, OutboxItem[]>> {
    const items = new Map<number, OutboxItem[]>();
    if (seqs.length === 0) return items;
    const { rows } = await q<{ delivery_seq: number; article_id: string; language: string }>(
      'SELECT delivery_seq, article_id, language FROM delivery_items WHERE delivery_seq = ANY($1::bigint[]) ORDER BY delivery_seq, position',
      [seqs],
    );
    for (const row of rows) {
      const list = items.get(row.delivery_seq) ?? [];
      list.push({ articleId: row.article_id, language: row.language as Language });
      items.set(row.delivery_seq, list);
    }
    return items;
  }

  // A digest is the delivery without an article of its own.
  const digestSeqs = (rows: readonly { seq: number; article_id: string | null }[]) => rows.filter((r) => r.article_id === null).map((r) => r.seq);

  /** Deliveries as the port returns them, with items and messages read in two queries for all of them. */
  async function views(q: Query, rows: readonly DeliveryRow[]): Promise<OutboxDelivery[]> {
    const items = await itemsOf(q, digestSeqs(rows));
    const itemsFor = (row: DeliveryRow): OutboxItem[] =>
      row.article_id !== null ? [{ articleId: row.article_id, language: row.language as Language }] : (items.get(row.seq) ?? []);
    const pairs = new Map<string, OutboxItem>();
    for (const row of rows) for (const item of itemsFor(row)) pairs.set(`${item.articleId}\u0000${item.language}`, item);
    const messages = new Map<string, DeliveredSummary>();
    if (pairs.size > 0) {
      const list = [...pairs.values()];
      const { rows: found } = await q<{ article_id: string; language: string; data: DeliveredSummary }>(
        `SELECT m.article_id, m.language, m.data FROM delivery_messages m
         JOIN unnest($1::text[], $2::text[]) AS p(article_id, language) ON m.article_id = p.article_id AND m.language = p.language`,
        [list.map((i) => i.articleId), list.map((i) => i.language)],
      );
      for (const m of found) messages.set(`${m.article_id}\u0000${m.language}`, m.data);
    }
    const lookup = (articleId: string, language: Language) => messages.get(`${articleId}\u0000${language}`);
    return rows.map((row) => toOutboxDelivery(row, row.article_id === null ? itemsFor(row) : [], lookup));
  }

  async function subscriptionExists(q: Query, id: string): Promise<boolean> {
    return (await q('SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE', [id])).rowCount === 1;
  }

  const articles: ArticleRepo = {
    insert: (article, options = {}) =>
      write('article insert', async (q) => {
        const row = fromArticle(article);
        // The row in the way may be deleted between the conflict and the look-up; then try again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const added = await q(
            `INSERT INTO articles (id, url, title, language, posted_at, posted_by, source, byline, published_at, body, story_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
            [row.id, row.url, row.title, row.language, row.posted_at, row.posted_by, row.source, row.byline, row.published_at, row.body, row.story_id],
          );
          if (added.rowCount === 1) {
            if (options.queueFanOut) {
              await q("INSERT INTO fan_outs (article_id, state, requested_at) VALUES ($1, 'pending', $2) ON CONFLICT DO NOTHING", [article.id, clock()]);
            }
            await logChanges(q, [['article', article.id, 'new']]);
            return { article, inserted: true };
          }
          const { rows } = await q<ArticleRow>('SELECT * FROM articles WHERE id = $1 OR url = $2 ORDER BY (id = $1) DESC LIMIT 1', [row.id, row.url]);
          if (rows[0]) return { article: toArticle(rows[0]), inserted: false };
        }
        throw new Error(`article ${article.id} conflicted with a row that kept disappearing`);
      }),
    get: (id) =>
      run('article read', async (q) => {
        const { rows } = await q<ArticleRow>('SELECT * FROM articles WHERE id = $1', [id]);
        return rows[0] ? toArticle(rows[0]) : undefined;
      }),
    findByUrl: (url) =>
      run('article read', async (q) => {
        const { rows } = await q<ArticleRow>('SELECT * FROM articles WHERE url = $1', [url]);
        return rows[0] ? toArticle(rows[0]) : undefined;
      }),
    findIdsByPrefix: (prefix, limit) =>
      run('article read', async (q) => {
        if (prefix === '') return (await q<{ id: string }>('SELECT id FROM articles ORDER BY id LIMIT $1', [limit])).rows.map((r) => r.id);
        // A range, not LIKE: the prefix may hold % or _, and a range uses the primary key's order.
        const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
        const { rows } = await q<{ id: string }>('SELECT id FROM articles WHERE id >= $1 AND id < $2 ORDER BY id LIMIT $3', [prefix, next, limit]);
        return rows.map((r) => r.id);
      }),
    delete: (id) =>
      write('article delete', async (q) => {
        if ((await q('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return false;
        // Waits for any enqueue still holding this article's messages (FOR KEY SHARE), so the
        // statements below see its deliveries; a later enqueue finds the messages gone.
        await q('SELECT 1 FROM delivery_messages WHERE article_id = $1 FOR UPDATE', [id]);
        const direct = await q('DELETE FROM deliveries WHERE article_id = $1 AND status = 0', [id]);
        const digests = await q<{ seq: number; others: number }>(
          `SELECT d.seq, (SELECT count(*) FROM delivery_items j WHERE j.delivery_seq = d.seq AND j.article_id <> $1) AS others
           FROM deliveries d WHERE d.status = 0 AND d.seq IN (SELECT delivery_seq FROM delivery_items WHERE article_id = $1)
           FOR UPDATE OF d`,
          [id],
        );
        const emptied = digests.rows.filter((d) => d.others === 0).map((d) => d.seq);
        const kept = digests.rows.filter((d) => d.others > 0).map((d) => d.seq);
        if (emptied.length > 0) await q('DELETE FROM deliveries WHERE seq = ANY($1::bigint[])', [emptied]);
        // A digest that stays pending for its other articles only loses this one.
        if (kept.length > 0) await q('DELETE FROM delivery_items WHERE delivery_seq = ANY($1::bigint[]) AND article_id = $2', [kept, id]);
        const gone = (direct.rowCount ?? 0) + emptied.length;
        await bump(
          q,
          new Map([
            ['', { ...zeroCounts(), pending: -gone }],
            [id, { ...zeroCounts(), pending: -(gone + kept.length) }],
          ]),
        );
        await q('DELETE FROM summaries WHERE article_id = $1', [id]);
        await q('DELETE FROM delivery_messages WHERE article_id = $1', [id]);
        await q('DELETE FROM fan_outs WHERE article_id = $1', [id]);
        await q('DELETE FROM articles WHERE id = $1', [id]);
        await logChanges(q, [['article', id, 'deleted']]);
        return true;
      }),
    list: (page) =>
      run('article list', async (q) => {
        const { offset, limit } = pageBounds(page);
        const { rows } = await q<ListingRow>(
          `SELECT ${LISTING_COLUMNS} FROM articles a ${page?.storiesOnly ? `WHERE ${HEADS_STORY}` : ''} ORDER BY a.posted_at DESC, a.id LIMIT $1 OFFSET $2`,
          [limit, offset],
        );
        return rows.map(toListing);
      }),
    count: (options) =>
      run('article count', async (q) =>
        Number((await q<{ n: number }>(`SELECT count(*) AS n FROM articles a ${options?.storiesOnly ? `WHERE ${HEADS_STORY}` : ''}`)).rows[0]!.n),
      ),
    storyArticles: (storyIds) =>
      run('article list', async (q) => {
        if (storyIds.length === 0) return [];
        const { rows } = await q<ListingRow>(
          `SELECT ${LISTING_COLUMNS} FROM articles a WHERE a.story_id = ANY($1::text[]) ORDER BY a.posted_at, a.id`,
          [storyIds],
        );
        return rows.map(toListing);
      }),
    postedBetween: (after, until, limit) =>
      run('article list', async (q) => {
        const { rows } = await q<ListingRow>(
          `SELECT ${LISTING_COLUMNS} FROM articles a WHERE a.posted_at > $1 AND a.posted_at <= $2 ORDER BY a.posted_at DESC, a.id LIMIT $3`,
          [after, until, limit],
        );
        return rows.map(toListing);
      }),
    async *scan(batchSize = 500) {
      let after = '';
      for (;;) {
        const batch = await run('article scan', async (q) =>
          (await q<ArticleRow>('SELECT * FROM articles WHERE id > $1 ORDER BY id LIMIT $2', [after, batchSize])).rows.map(toArticle),
        );
        yield* batch;
        if (batch.length < batchSize) return;
        after = batch[batch.length - 1]!.id;
      }
    },
    languages: () =>
      run('article languages', async (q) => (await q<{ language: Language }>('SELECT DISTINCT language FROM articles')).rows.map((row) => row.language)),
  };

  const vectors: ArticleVectorRepo = {
    put: (articleId, model, vector) =>
      write('vector write', async (q) => {
        await q(
          `INSERT INTO article_vectors (article_id, model, vector) SELECT id, $2, $3 FROM articles WHERE id = $1
           ON CONFLICT (article_id, model) DO UPDATE SET vector = excluded.vector`,
          [articleId, model, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)],
        );
      }),
    load: (model, articleIds) =>
      run('vector read', async (q) => {
        const { rows } =
          articleIds === undefined
            ? await q<{ article_id: string; vector: Buffer }>('SELECT article_id, vector FROM article_vectors WHERE model = $1', [model])
            : await q<{ article_id: string; vector: Buffer }>('SELECT article_id, vector FROM article_vectors WHERE model = $1 AND article_id = ANY($2::text[])', [model, articleIds]);
        return new Map(rows.map((row) => [row.article_id, float32Of(row.vector)]));
      }),
    missing: (model, limit) =>
      run('vector read', async (q) => {
        const { rows } = await q<{ id: string }>(
          'SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_vectors v WHERE v.article_id = a.id AND v.model = $1) ORDER BY a.id LIMIT $2',
          [model, limit],
        );
        return rows.map((row) => row.id);
      }),
  };

  const summaries: SummaryRepo = {
    get: (key) => run('summary read', async (q) => (await q<{ data: Summary }>('SELECT data FROM summaries WHERE key = $1', [key])).rows[0]?.data),
    put: (key, summary) =>
      run('summary write', async (q) => {
        await q(
          `INSERT INTO summaries (key, article_id, data) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id, data = excluded.data`,
          [key, summary.articleId, JSON.stringify(summary)],
        );
      }),
  };

  const subscriptions: SubscriptionRepo = {
    get: (id) =>
      run('subscription read', async (q) => {
        const { rows } = await q<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
        return rows[0] ? toSubscription(rows[0]) : undefined;
      }),
    put: (subscription) =>
      write('subscription write', async (q) => {
        const existed = await subscriptionExists(q, subscription.id);
        await q(SUBSCRIPTION_UPSERT, subscriptionValues(subscription));
        await logChanges(q, [['subscription', subscription.id, existed ? 'changed' : 'new']]);
      }),
    update: (id, patch) =>
      write('subscription write', async (q) => {
        // FOR UPDATE: a concurrent patch of other fields waits and then starts from this one's result.
        const { rows } = await q<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE', [id]);
        if (!rows[0]) return undefined;
        const next = { ...toSubscription(rows[0]), ...patch };
        if (patch.active === true) delete (next as { inactiveReason?: string }).inactiveReason;
        await q(SUBSCRIPTION_UPSERT, subscriptionValues(next));
        await logChanges(q, [['subscription', id, 'changed']]);
        return next;
      }),
    delete: (id) =>
      write('subscription delete', async (q) => {
        if ((await q('DELETE FROM subscriptions WHERE id = $1', [id])).rowCount === 0) return false;
        await logChanges(q, [['subscription', id, 'deleted']]);
        return true;
      }),
    list: (filter = {}) =>
      run('subscription list', async (q) => {
        const { rows } = await q<SubscriptionRow>(
          'SELECT * FROM subscriptions WHERE ($1::boolean IS NULL OR active = $1) AND ($2::text IS NULL OR mode = $2) ORDER BY created_at, id',
          [filter.active ?? null, filter.mode ?? null],
        );
        return rows.map(toSubscription);
      }),
    inChat: (chat) =>
      run('subscription list', async (q) => {
        const { rows } = await q<SubscriptionRow>('SELECT * FROM subscriptions WHERE platform = $1 AND chat_id = $2 ORDER BY created_at, id', [chat.platform, chat.chatId]);
        return rows.map(toSubscription);
      }),
    move: (fromId, to) =>
      write('subscription move', async (q) => {
        if ((await q('DELETE FROM subscriptions WHERE id = $1', [fromId])).rowCount === 0) return undefined;
        const existed = await subscriptionExists(q, to.id);
        await q(SUBSCRIPTION_UPSERT, subscriptionValues(to));
        await logChanges(q, [
          ['subscription', fromId, 'deleted'],
          ['subscription', to.id, existed ? 'changed' : 'new'],
        ]);
        return to;
      }),
  };

  const outbox: OutboxRepo = {
    putMessage: (summary) =>
      run('message write', async (q) => {
        await q(
          `INSERT INTO delivery_messages (article_id, language, data, created_at) VALUES ($1, $2, $3::jsonb, $4)
           ON CONFLICT (article_id, language) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
          [summary.articleId, summary.language, JSON.stringify(summary), clock()],
        );
      }),
    getMessage: (articleId, language) =>
      run('message read', async (q) => {
        const { rows } = await q<{ data: DeliveredSummary }>('SELECT data FROM delivery_messages WHERE article_id = $1 AND language = $2', [
          articleId,
          language,
        ]);
        return rows[0]?.data;
      }),
    enqueue: (deliveries, options = {}) =>
      write('delivery enqueue', async (q) => {
        for (const d of deliveries) checkNewDelivery(d);
        const pairs = new Map<string, OutboxItem>();
        for (const d of deliveries.filter(needsStoredMessages)) for (const item of d.items) pairs.set(`${item.articleId}\u0000${item.language}`, item);
        const needed = [...pairs.values()];
        if (needed.length > 0) {
          // FOR KEY SHARE: a prune or a delete of these messages waits until the deliveries that need them are in.
          const { rows } = await q<{ article_id: string; language: string }>(
            `SELECT m.article_id, m.language FROM delivery_messages m
             JOIN unnest($1::text[], $2::text[]) AS p(article_id, language) ON m.article_id = p.article_id AND m.language = p.language
             ORDER BY m.article_id, m.language FOR KEY SHARE OF m`,
            [needed.map((i) => i.articleId), needed.map((i) => i.language)],
          );
          const found = new Set(rows.map((r) => `${r.article_id}\u0000${r.language}`));
          const missing = needed.find((i) => !found.has(`${i.articleId}\u0000${i.language}`));
          if (missing) throw new RangeError(`no message stored for ${missing.articleId} in ${missing.language}`);
        }
        if (deliveries.length > 0) {
          // Sorted, so two enqueues adding the same new chats take their locks in one order.
          await q(
            `INSERT INTO delivery_chats (platform, chat_id)
             SELECT DISTINCT platform, chat_id FROM unnest($1::text[], $2::text[]) AS t(platform, chat_id) ORDER BY 1, 2
             ON CONFLICT DO NOTHING`,
            [deliveries.map((d) => d.target.platform), deliveries.map((d) => d.target.chatId)],
          );
        }
        /**
         * Inserts those of `batch` whose id is not queued unkeyed and whose key (when `keyed`) is free,
         * returning the seq each inserted one got by its index in `batch`. Seqs are drawn in the order
         * given (the queue's order), rows go in sorted by key, so two enqueues of overlapping
         * deliveries wait for each other rather than deadlock.
         */
        const insert = async (batch: readonly NewDelivery[], keyed: boolean): Promise<Map<number, number>> => {
          if (batch.length === 0) return new Map();
          const { rows } = await q<{ n: number; seq: number }>(
            `WITH input AS (
               SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::text[])
                 WITH ORDINALITY AS t(key, id, stored_id, platform, chat_id, chat_kind, language, article_id, not_before, created_at, presentation, body, n)
             ), numbered AS MATERIALIZED (
               SELECT nextval(pg_get_serial_sequence('deliveries', 'seq')) AS seq, i.* FROM (SELECT * FROM input ORDER BY n) i
             ), added AS (
               INSERT INTO deliveries (seq, key, id, platform, chat_id, chat_kind, language, article_id, status, not_before, created_at, presentation, body)
               SELECT seq, key, stored_id, platform, chat_id, chat_kind, language, article_id, 0, not_before, created_at, presentation, body
               FROM numbered x WHERE NOT EXISTS (SELECT 1 FROM deliveries u WHERE u.key IS NULL AND u.id = x.id)
               ORDER BY key, id
               ON CONFLICT DO NOTHING
               RETURNING seq)
             SELECT x.n, x.seq FROM numbered x JOIN added USING (seq)`,
            [
              keyed ? keysOf(batch.map((d) => d.id)) : batch.map(() => null),
              batch.map((d) => d.id),
              batch.map((d) => (keyed ? storedIdOf(d) : d.id)),
              batch.map((d) => d.target.platform),
              batch.map((d) => d.target.chatId),
              batch.map((d) => chatKindCode(d.target.kind)),
              batch.map((d) => d.language),
              batch.map((d) => (d.kind === 'digest' ? null : d.items[0]!.articleId)),
              batch.map((d) => d.notBefore ?? 0),
              batch.map((d) => Date.parse(d.createdAt) || clock()),
              batch.map((d) => presentationOf(d)),
              batch.map((d) => (d.answer === undefined ? null : JSON.stringify(d.answer))),
            ],
          );
          return new Map(rows.map((r) => [r.n - 1, r.seq]));
        };
        const seqs = await insert(deliveries, true);
        // Not inserted: queued already (maybe earlier in this batch), or another id holds the key. The
        // latter, found under no key and no id, go in unkeyed.
        const skipped = deliveries.filter((_, n) => !seqs.has(n));
        let collided: NewDelivery[] = [];
        if (skipped.length > 0) {
          const ids = skipped.map((d) => d.id);
          const { rows } = await q<{ id: string }>(
            `SELECT n.id FROM unnest($1::text[], $2::bigint[]) AS n(id, key)
             WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.key = n.key AND ${effectiveIdSql('d')} = n.id)
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.key IS NULL AND d.id = n.id)`,
            [ids, keysOf(ids)],
          );
          const unqueued = new Set(rows.map((r) => r.id));
          collided = skipped.filter((d) => unqueued.delete(d.id));
        }
        const unkeyedSeqs = await insert(collided, false);
        const seqOf = new Map<string, number>();
        deliveries.forEach((d, n) => {
          const seq = seqs.get(n);
          if (seq !== undefined) seqOf.set(d.id, seq);
        });
        collided.forEach((d, n) => seqOf.set(d.id, unkeyedSeqs.get(n)!));
        const item = { seq: [] as number[], position: [] as number[], articleId: [] as string[], language: [] as string[] };
        const deltas = new Map<string, Delta>();
        const plus = (key: string) => {
          const delta = deltas.get(key) ?? zeroCounts();
          delta.pending++;
          deltas.set(key, delta);
        };
        for (const d of deliveries) {
          const seq = seqOf.get(d.id);
          if (seq === undefined) continue;
          // Once: a batch naming the same id twice queues it once.
          seqOf.delete(d.id);
          if (d.kind === 'digest') {
            d.items.forEach((it, position) => {
              item.seq.push(seq);
              item.position.push(position);
              item.articleId.push(it.articleId);
              item.language.push(it.language);
            });
          }
          plus('');
          for (const articleId of new Set(d.items.map((i) => i.articleId))) plus(articleId);
        }
        if (item.seq.length > 0) {
          await q(
            'INSERT INTO delivery_items (delivery_seq, position, article_id, language) SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[])',
            [item.seq, item.position, item.articleId, item.language],
          );
        }
        // One counter write per article rather than per delivery: a fan-out to 10k chats is one row update.
        await bump(q, deltas);
        if (options.completesFanOut !== undefined) {
          await q(
            `INSERT INTO fan_outs (article_id, state, requested_at) VALUES ($1, 'done', $2)
             ON CONFLICT (article_id) DO UPDATE SET state = 'done', claimed_by = NULL, claimed_until = 0`,
            [options.completesFanOut, clock()],
          );
        }
        return seqs.size + unkeyedSeqs.size;
      }),
    get: (id) =>
      read('delivery read', async (q) => {
        const { rows } = await q<DeliveryRow>(`SELECT ${deliveryColumns('d')} FROM deliveries d WHERE ${named('$1', '$2')}`, [keysOf([id]), [id]]);
        return rows[0] ? (await views(q, rows))[0] : undefined;
      }),
    claim: (request) =>
      write('delivery claim', async (q) => {
        if (request.limit <= 0 || request.platforms.length === 0) return [];
        const now = clock();
        // First the chats: those of the first claimable deliveries (a few times the limit, so a busy
        // chat or one another instance is claiming does not leave the rest idle), oldest first,
        // skipping chats whose row another claim holds right now.
        const chats = await q<{ platform: string; chat_id: string }>(
          `SELECT c.platform, c.chat_id FROM delivery_chats c
           JOIN (SELECT d.platform, d.chat_id, min(d.seq) AS first FROM (
                   SELECT d.seq, d.platform, d.chat_id FROM deliveries d
                   WHERE d.status = 0 AND d.not_before <= $1 AND d.claimed_until <= $1 AND d.platform = ANY($3::text[])
                     AND ${NOT_BLOCKED}
                   ORDER BY d.seq LIMIT $4) d
                 GROUP BY d.platform, d.chat_id) w ON w.platform = c.platform AND w.chat_id = c.chat_id
           ORDER BY w.first LIMIT $5
           FOR NO KEY UPDATE OF c SKIP LOCKED`,
          [now, request.owner, request.platforms, request.limit * 4 + 16, request.limit],
        );
        if (chats.rows.length === 0) return [];
        // Then, in a statement whose snapshot is taken with those chats held, their deliveries by the
        // same rule: every claim into these chats that committed before is seen now.
        const { rows } = await q<DeliveryRow>(
          `UPDATE deliveries SET claimed_by = $2, claimed_until = $3
           WHERE seq IN (
             SELECT d.seq FROM deliveries d
             JOIN unnest($4::text[], $5::text[]) AS c(platform, chat_id) ON d.platform = c.platform AND d.chat_id = c.chat_id
             WHERE d.status = 0 AND d.not_before <= $1 AND d.claimed_until <= $1 AND ${NOT_BLOCKED}
             ORDER BY d.seq LIMIT $6
             FOR UPDATE OF d SKIP LOCKED)
           RETURNING ${deliveryColumns()}`,
          [now, request.owner, now + request.leaseMs, chats.rows.map((c) => c.platform), chats.rows.map((c) => c.chat_id), request.limit],
        );
        // RETURNING comes in no promised order; the queue's order is seq.
        return views(
          q,
          rows.sort((a, b) => a.seq - b.seq),
        );
      }),
    renew: (ids, owner, leaseMs) =>
      run('delivery renew', async (q) => {
        if (ids.length === 0) return [];
        const now = clock();
        // Keyed and unkeyed apart: one statement ORing them matched each held row against every id
        // (2,000 held: 74 ms instead of a few).
        const keyed = await q<{ id: string }>(
          `UPDATE deliveries d SET claimed_until = $1 FROM unnest($2::bigint[], $3::text[]) AS n(key, id)
           WHERE d.key = n.key AND ${effectiveIdSql('d')} = n.id AND d.status = 0 AND d.claimed_by = $4 AND d.claimed_until > $5
           RETURNING n.id`,
          [now + leaseMs, keysOf(ids), [...ids], owner, now],
        );
        const unkeyed = await q<{ id: string }>(
          'UPDATE deliveries SET claimed_until = $1 WHERE key IS NULL AND id = ANY($2::text[]) AND status = 0 AND claimed_by = $3 AND claimed_until > $4 RETURNING id',
          [now + leaseMs, [...ids], owner, now],
        );
        return [...keyed.rows, ...unkeyed.rows].map((row) => row.id);
      }, leaseQuery),
    settle: (id, owner, outcome) =>
      write('delivery settle', async (q) => {
        // The chat's row too, so this waits for a claim into the chat that is under way (see the header).
        const { rows } = await q<DeliveryRow>(
          `SELECT ${deliveryColumns('d')} FROM deliveries d JOIN delivery_chats c ON c.platform = d.platform AND c.chat_id = d.chat_id
           WHERE ${named('$1', '$2')} FOR NO KEY UPDATE`,
          [keysOf([id]), [id]],
        );
        const row = rows[0];
        if (!row || row.status !== statusCode('pending') || row.claimed_by !== owner) return false;
        const finish = async (status: DeliveryStatus, attempts: number, error: string | null) => {
          await q(
            `UPDATE deliveries SET status = $1, attempts = $2, finished_at = $3, last_error = coalesce($4, last_error),
               claimed_by = NULL, claimed_until = 0 WHERE seq = $5`,
            [statusCode(status), attempts, clock(), error, row.seq],
          );
          await bump(q, deltasOf([row], await itemsOf(q, digestSeqs([row])), () => 'pending', status));
        };
        switch (outcome.kind) {
          case 'sent':
            if ((outcome.chatGapMs ?? 0) > 0) {
              // Only the next one: it blocks those after it in the chat until it is due. Before the
              // counters, so the hot counter row is locked for as short a time as before.
              await q(
                `UPDATE deliveries SET not_before = greatest(not_before, $1)
                 WHERE seq = (SELECT seq FROM deliveries WHERE platform = $2 AND chat_id = $3 AND status = 0 AND seq <> $4 ORDER BY seq LIMIT 1)`,
                [Math.ceil(clock() + outcome.chatGapMs!), row.platform, row.chat_id, row.seq],
              );
            }
            await finish('sent', row.attempts + 1, null);
            break;
          case 'failed':
            await finish('failed', row.attempts + 1, outcome.error);
            break;
          case 'dead':
            await finish('dead', row.attempts, outcome.reason);
            break;
          case 'retry':
            await q(
              `UPDATE deliveries SET attempts = $1, not_before = $2, last_error = coalesce($3, last_error),
                 claimed_by = NULL, claimed_until = 0 WHERE seq = $4`,
              [row.attempts + (outcome.countAttempt ? 1 : 0), Math.ceil(outcome.notBefore), outcome.error ?? null, row.seq],
            );
            break;
        }
        return true;
      }),
    killChat: (chat, reason) =>
      write('delivery update', async (q) => {
        const { rows } = await q<{ seq: number; article_id: string | null }>(
          `UPDATE deliveries SET status = 3, finished_at = $1, last_error = $2, claimed_by = NULL, claimed_until = 0
           WHERE platform = $3 AND chat_id = $4 AND status = 0 RETURNING seq, article_id`,
          [clock(), reason, chat.platform, chat.chatId],
        );
        await bump(q, deltasOf(rows, await itemsOf(q, digestSeqs(rows)), () => 'pending', 'dead'));
        return rows.length;
      }),
    retarget: (from, toChatId) =>
      write('delivery update', async (q) => {
        await q('INSERT INTO delivery_chats (platform, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [from.platform, toChatId]);
        const result = await q(
          // The id is written out first (from the old chat id: SET reads the row as it was), so it stays the same.
          `UPDATE deliveries SET id = ${effectiveIdSql()}, chat_id = $1 WHERE platform = $2 AND chat_id = $3 AND status = 0`,
          [toChatId, from.platform, from.chatId],
        );
        return result.rowCount ?? 0;
      }),
    counts: (options = {}) =>
      run('delivery counts', async (q) => {
        // One statement, one snapshot: the totals and the per-article rows agree.
        // Part 2: the newest stored articles by posted time (walking the articles_newest index, each
        // article's shards summed), whatever order they were queued in. Part 1: articles deleted
        // since they were queued, found among the newest shard rows (the pos index), most recent
        // first; they fill what the stored ones leave, as the oldest.
        const limit = options.articles ?? 10;
        const { rows } = await q<CountRow & { part: number; rank: number }>(
          `WITH stored AS (
             SELECT a.id AS article_id, s.pending, s.sent, s.failed, s.dead, row_number() OVER (ORDER BY a.posted_at DESC, a.id) AS rank
             FROM articles a CROSS JOIN LATERAL (
               SELECT sum(pending)::bigint AS pending, sum(sent)::bigint AS sent, sum(failed)::bigint AS failed, sum(dead)::bigint AS dead
               FROM delivery_counts c WHERE c.article_id = a.id) s
             WHERE s.pending <> 0 OR s.sent <> 0 OR s.failed <> 0 OR s.dead <> 0
             ORDER BY a.posted_at DESC, a.id LIMIT $1),
           gone AS (
             SELECT DISTINCT article_id FROM (
               SELECT article_id FROM delivery_counts WHERE article_id <> '' ORDER BY pos DESC LIMIT $2) newest
             WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = newest.article_id)),
           sums AS (
             SELECT article_id, min(pos) AS pos, sum(pending)::bigint AS pending, sum(sent)::bigint AS sent, sum(failed)::bigint AS failed, sum(dead)::bigint AS dead
             FROM delivery_counts WHERE article_id = '' OR article_id IN (SELECT article_id FROM gone) GROUP BY article_id)
           (SELECT 0 AS part, 0::bigint AS rank, article_id, pending, sent, failed, dead FROM sums WHERE article_id = '')
           UNION ALL
           (SELECT 1, row_number() OVER (ORDER BY pos DESC), article_id, pending, sent, failed, dead FROM sums
            WHERE article_id <> '' AND (pending <> 0 OR sent <> 0 OR failed <> 0 OR dead <> 0) ORDER BY pos DESC LIMIT $1)
           UNION ALL
           (SELECT 2, rank, article_id, pending, sent, failed, dead FROM stored)`,
          [limit, limit * COUNTER_SHARDS * 2],
        );
        const totals = rows.find((r) => r.part === 0);
        const newestFirst = (part: number) => rows.filter((r) => r.part === part).sort((a, b) => a.rank - b.rank);
        const stored = newestFirst(2);
        const byArticle = [...stored, ...newestFirst(1).slice(0, limit - stored.length)]
          .reverse()
          .map((row) => ({ articleId: row.article_id, ...countsOf(row) }));
        return { ...(totals ? countsOf(totals) : zeroCounts()), byArticle } satisfies DeliveryCounts;
      }),
    oldestPendingAt: (platform) =>
      run('delivery read', async (q) => {
        // The head of the queue index (seq order, pending rows only), walked until the platform matches.
        const { rows } = await q<{ created_at: number }>('SELECT created_at FROM deliveries WHERE status = 0 AND platform = $1 ORDER BY seq LIMIT 1', [platform]);
        return rows[0]?.created_at;
      }),
    recount: () =>
      read('delivery recount', async (q) => {
        const totals = zeroCounts();
        for (const row of (await q<{ status: number; n: number }>('SELECT status, count(*) AS n FROM deliveries GROUP BY status')).rows) {
          totals[statusOf(row.status)] += row.n;
        }
        const byArticle = new Map<string, ReturnType<typeof zeroCounts>>();
        const { rows } = await q<{ article_id: string; status: number; n: number }>(
          `SELECT article_id, status, count(*) AS n FROM (
             SELECT article_id, status FROM deliveries WHERE article_id IS NOT NULL
             UNION ALL
             SELECT i.article_id, d.status FROM (SELECT DISTINCT delivery_seq, article_id FROM delivery_items) i
               JOIN deliveries d ON d.seq = i.delivery_seq
           ) rows GROUP BY article_id, status ORDER BY article_id`,
        );
        for (const row of rows) {
          const counts = byArticle.get(row.article_id) ?? zeroCounts();
          counts[statusOf(row.status)] += row.n;
          byArticle.set(row.article_id, counts);
        }
        return { ...totals, byArticle: [...byArticle].map(([articleId, counts]) => ({ articleId, ...counts })) };
      }),
    async prune(finishedBefore) {
      let pruned = 0;
      // Batches keep each transaction short, so other instances' claims and sends are not held up.
      for (;;) {
        const n = await write('delivery prune', async (q) => {
          // SKIP LOCKED: two instances pruning at once take different rows, and each counts only its own.
          const { rows } = await q<{ seq: number; article_id: string | null; status: number }>(
            `SELECT seq, article_id, status FROM deliveries WHERE status <> 0 AND finished_at < $1
             ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [finishedBefore, PRUNE_BATCH],
          );
          if (rows.length === 0) return 0;
          const items = await itemsOf(q, digestSeqs(rows));
          await q('DELETE FROM deliveries WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
          // Summed per article first: one counter write per article and batch, not per row.
          await bump(q, deltasOf(rows, items, (row) => statusOf(row.status), undefined));
          return rows.length;
        });
        pruned += n;
        if (n < PRUNE_BATCH) break;
      }
      await write('delivery prune', async (q) => {
        // A shard row at zero adds nothing to its article's sums.
        await q("DELETE FROM delivery_counts WHERE article_id <> '' AND pending = 0 AND sent = 0 AND failed = 0 AND dead = 0");
        const unneeded = `NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.status = 0 AND d.article_id = m.article_id AND d.language = m.language)
          AND NOT EXISTS (SELECT 1 FROM delivery_items i JOIN deliveries d ON d.seq = i.delivery_seq
                          WHERE d.status = 0 AND i.article_id = m.article_id AND i.language = m.language)`;
        // Locked first, skipping messages an enqueue holds; checked again in a statement that sees
        // every enqueue committed before the locks were taken.
        const { rows } = await q<{ article_id: string; language: string }>(
          `SELECT article_id, language FROM delivery_messages m WHERE created_at < $1 AND ${unneeded} FOR UPDATE SKIP LOCKED`,
          [finishedBefore],
        );
        if (rows.length === 0) return;
        await q(
          `DELETE FROM delivery_messages m USING unnest($1::text[], $2::text[]) AS p(article_id, language)
           WHERE m.article_id = p.article_id AND m.language = p.language AND ${unneeded}`,
          [rows.map((r) => r.article_id), rows.map((r) => r.language)],
        );
      });
      return pruned;
    },
    requestFanOut: (articleId) =>
      run('fan-out request', async (q) => {
        await q("INSERT INTO fan_outs (article_id, state, requested_at) VALUES ($1, 'pending', $2) ON CONFLICT (article_id) DO NOTHING", [
          articleId,
          clock(),
        ]);
      }),
    claimFanOut: (articleId, owner, leaseMs) =>
      run('fan-out claim', async (q) => {
        const now = clock();
        const result = await q(
          "UPDATE fan_outs SET claimed_by = $1, claimed_until = $2 WHERE article_id = $3 AND state = 'pending' AND (claimed_until <= $4 OR claimed_by = $1)",
          [owner, now + leaseMs, articleId, now],
        );
        return result.rowCount === 1;
      }),
    pendingFanOuts: (limit) =>
      run('fan-out read', async (q) => {
        const { rows } = await q<{ article_id: string }>(
          "SELECT article_id FROM fan_outs WHERE state = 'pending' AND claimed_until <= $1 ORDER BY requested_at, article_id LIMIT $2",
          [clock(), limit],
        );
        return rows.map((r) => r.article_id);
      }),
    fanOutState: (articleId) =>
      run('fan-out read', async (q) => {
        const { rows } = await q<{ state: 'pending' | 'done' }>('SELECT state FROM fan_outs WHERE article_id = $1', [articleId]);
        return rows[0]?.state ?? 'none';
      }),
  };

  // ON CONFLICT DO NOTHING: a feed followed already, by id or by URL, is left as it is.
  async function insertFeed(q: Query, record: FeedRecord): Promise<boolean> {
    const result = await q(
      'INSERT INTO feeds (id, url, added_at, next_check_at, paused, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING',
      [record.id, record.url, record.addedAt, record.nextCheckAt, record.paused !== undefined, JSON.stringify(record)],
    );
    return result.rowCount !== 0;
  }

  const feeds: FeedRepo = {
    get: (id) => run('feed read', async (q) => (await q<{ data: FeedRecord }>('SELECT data FROM feeds WHERE id = $1', [id])).rows[0]?.data),
    findByUrl: (url) => run('feed read', async (q) => (await q<{ data: FeedRecord }>('SELECT data FROM feeds WHERE url = $1', [url])).rows[0]?.data),
    insert: (record) =>
      write('feed insert', async (q) => {
        if (!(await insertFeed(q, record))) return false;
        await logChanges(q, [['feed', record.id, 'new']]);
        return true;
      }),
    insertMany: (records) =>
      write('feed insert', async (q) => {
        const added: string[] = [];
        for (const record of records) if (await insertFeed(q, record)) added.push(record.id);
        if (added.length > 0) await logChanges(q, added.map((id) => ['feed', id, 'new'] as const));
        return added;
      }),
    update: (record) =>
      write('feed update', async (q) => {
        const result = await q('UPDATE feeds SET url = $1, next_check_at = $2, paused = $3, data = $4::jsonb WHERE id = $5', [
          record.url,
          record.nextCheckAt,
          record.paused !== undefined,
          JSON.stringify(record),
          record.id,
        ]);
        if (result.rowCount === 0) return false;
        await logChanges(q, [['feed', record.id, 'changed']]);
        return true;
      }),
    delete: (id) =>
      write('feed delete', async (q) => {
        if ((await q('DELETE FROM feeds WHERE id = $1', [id])).rowCount === 0) return false;
        await logChanges(q, [['feed', id, 'deleted']]);
        return true;
      }),
    list: () => run('feed list', async (q) => (await q<{ data: FeedRecord }>('SELECT data FROM feeds ORDER BY added_at, id')).rows.map((r) => r.data)),
    due: (at) =>
      run('feed list', async (q) =>
        (await q<{ data: FeedRecord }>('SELECT data FROM feeds WHERE next_check_at <= $1 AND NOT paused ORDER BY next_check_at, id', [at])).rows.map((r) => r.data),
      ),
  };

  let acquisitions = 0;
  const leases: Leases = {
    acquire: (key, owner, ttlMs) =>
      run('lease acquire', async (q) => {
        const now = clock();
        // Expired leases are only dead rows; sweep them now and then instead of on every call.
        if (++acquisitions % 1_000 === 0) await q('DELETE FROM leases WHERE until <= $1', [now]);
        const result = await q(
          `INSERT INTO leases (key, owner, until) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.until <= $4`,
          [key, owner, now + ttlMs, now],
        );
        return result.rowCount === 1;
      }, leaseQuery),
    renew: (key, owner, ttlMs) =>
      run('lease renew', async (q) => {
        const now = clock();
        return (await q('UPDATE leases SET until = $1 WHERE key = $2 AND owner = $3 AND until > $4', [now + ttlMs, key, owner, now])).rowCount === 1;
      }, leaseQuery),
    release: (key, owner) =>
      run('lease release', async (q) => {
        await q('DELETE FROM leases WHERE key = $1 AND owner = $2', [key, owner]);
      }, leaseQuery),
    holders: (prefix) =>
      run('lease read', async (q) => {
        // left() rather than LIKE: a prefix may hold % or _, and the table is a few rows.
        const { rows } = await q<{ key: string; owner: string; until: number }>(
          'SELECT key, owner, until FROM leases WHERE left(key, length($1)) = $1 AND until > $2 ORDER BY key',
          [prefix, clock()],
        );
        return rows.map((row) => ({ key: row.key, owner: row.owner, until: Number(row.until) }));
      }, leaseQuery),
  };

  const changes: ChangeFeed = {
    changesSince: (seq, limit = 1_000) =>
      run('change read', async (q) => (await q<Change>('SELECT seq, kind, id, op, at FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit])).rows),
    latestSeq: () => run('change read', async (q) => Number((await q<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM changes')).rows[0]!.seq)),
    oldestSeq: () => run('change read', async (q) => Number((await q<{ seq: number }>('SELECT coalesce(min(seq), 0) AS seq FROM changes')).rows[0]!.seq)),
    prune: (before) =>
      run(
        'change prune',
        // The changes after the stored search-index snapshot stay: a starting process replays them onto it.
        async (q) =>
          (
            await q(
              'DELETE FROM changes WHERE at < $1 AND seq < (SELECT max(seq) FROM changes) AND seq <= coalesce((SELECT max(seq) FROM index_snapshots), seq)',
              [before],
            )
          ).rowCount ?? 0,
      ),
  };

  const indexSnapshots: IndexSnapshots = {
    load: (format) =>
      run('index snapshot read', async (q) => {
        const row = (await q<{ seq: number; bytes: Buffer }>('SELECT seq, bytes FROM index_snapshots WHERE slot = 1 AND format = $1', [format])).rows[0];
        return row ? { seq: Number(row.seq), bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) } : undefined;
      }),
    save: (format, snapshot) =>
      write('index snapshot write', async (q) => {
        const bytes = Buffer.from(snapshot.bytes.buffer, snapshot.bytes.byteOffset, snapshot.bytes.byteLength);
        // Never replace a later snapshot of the same format that another instance saved meanwhile.
        const result = await q(
          `INSERT INTO index_snapshots (slot, format, seq, bytes, saved_at) VALUES (1, $1, $2, $3, $4)
           ON CONFLICT (slot) DO UPDATE SET format = excluded.format, seq = excluded.seq, bytes = excluded.bytes, saved_at = excluded.saved_at
           WHERE index_snapshots.format <> excluded.format OR index_snapshots.seq <= excluded.seq`,
          [format, snapshot.seq, bytes, clock()],
        );
        return result.rowCount === 1;
      }),
  };

  const notifications = changeNotifications(config, () => closed, changes);
  const watchedChanges: ChangeFeed = { ...changes, watch: (wake) => notifications.add(() => wake()) };

  return {
    kind: 'postgres',
    indexSnapshots,
    vectors,
    pool,
    articles,
    summaries,
    subscriptions,
    outbox,
    feeds,
    follows: postgresFollows({ run: (operation, body) => run(operation, body), write }),
    lastAnswers: postgresLastAnswers({ run: (operation, body) => run(operation, body), write }, clock),
    leases,
    changes: watchedChanges,
    onChange: (listener) => notifications.add(listener),
    ping: () => run('ping', async (q) => void (await q('SELECT 1'))),
    async close() {
      if (closed) return;
      closed = true;
      await notifications.stop();
      await Promise.all([pool.end(), leasePool.end()]);
    },
  };
}

/**
 * The LISTEN side: one dedicated connection per storage, opened for the first listener, reopened
 * with back-off while the storage is open when it breaks.
 */
function changeNotifications(config: pg.ClientConfig, isClosed: () => boolean, changes: ChangeFeed) {
  const listeners = new Set<ChangeListener>();
  let client: pg.Client | undefined;
  let starting: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const emit = (seq: number) => {
    for (const listener of [...listeners]) listener(seq);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client(config);
    // Only a lost connection arrives here; it is reopened below, and polling covers the gap.
    next.on('error', () => undefined);
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        scheduleReconnect();
      }
    });
    try {
      await next.connect();
      const schema = (await next.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
      next.on('notification', (message) => {
        if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
        const at = message.payload.lastIndexOf(':');
        if (message.payload.slice(0, at) !== schema) return;
        const seq = Number(message.payload.slice(at + 1));
        if (Number.isSafeInteger(seq)) emit(seq);
      });
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (isClosed()) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  }

  function scheduleReconnect(): void {
    if (isClosed() || retry || listeners.size === 0) return;
    const delay = LISTEN_RETRY_MS[Math.min(failures, LISTEN_RETRY_MS.length - 1)]!;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        async () => {
          failures = 0;
          // What was sent while nobody listened is lost: wake everyone to poll.
          emit(await changes.latestSeq());
        },
        () => {
          failures++;
          scheduleReconnect();
        },
      ).catch(() => {
        // latestSeq failed: the database is away again; the next 'end' reconnects.
      });
    }, delay);
    retry.unref();
  }

  return {
    async add(listener: ChangeListener): Promise<() => void> {
      if (isClosed()) throw storeUnavailable('listening for changes', new Error('storage handle is closed'));
      if (!client) {
        starting ??= connect().finally(() => {
          starting = undefined;
        });
        try {
          await starting;
        } catch (error) {
          throw storeUnavailable('listening for changes', error);
        }
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async stop(): Promise<void> {
      if (retry) clearTimeout(retry);
      retry = undefined;
      listeners.clear();
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function subscriptionValues(s: Subscription): unknown[] {
  return [
    s.id,
    s.platform,
    s.chatId,
    s.kind,
    s.name ?? null,
    s.mode,
    s.digestTime ?? null,
    s.timeZone ?? null,
    s.language ?? null,
    s.active,
    s.inactiveReason ?? null,
    s.createdAt,
    s.updatedAt,
    s.digestCoveredUntil ?? null,
    subscriptionOptionsOf(s),
    s.storyUpdates === true,
  ];
}

