/**
 * `npm run bench -- status`: what `/status` costs with 1,000,000 delivery rows, on SQLite and on
 * PostgreSQL. The store holds ARTICLES broadcasts of one article each to the CHATS chats of
 * bench -- delivery, queued through the real outbox (enqueue, a broadcast per call), all but the
 * last one then finished in bulk SQL as settling would leave them (mostly sent, some dead or
 * failed, the counters moved to match); the last one is still pending. That the counters match the
 * rows is checked with the outbox's own recount.
 *
 * Timed, CALLS times each, p50 and max: the delivery service's report(), which the Telegram and
 * Discord /status handlers (and the console's status) call for the delivery figures, and which reads
 * the counters, not the rows; and, as the baseline, the full scan `SELECT status, count(*) FROM
 * deliveries GROUP BY status` that /status would need without them. Target: report() ≤ 50 ms, at
 * p50 and at max.
 *
 * SQLite is a file in a temporary folder; PostgreSQL a database made on 127.0.0.1:5432 (user
 * postgres) for the run and dropped after, skipped with a notice when no server answers. After the
 * bulk update PostgreSQL gets the VACUUM ANALYZE autovacuum would soon run. The exit code is 0
 * whether or not the target is met.
 */
import { createHash } from 'node:crypto';
import { createBenchDatabase } from './postgres.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startDelivery } from '../src/core/delivery/index.js';
import { silentLogger } from '../src/core/logger.js';
import { openNewsDesk } from '../src/core/newsDesk.js';
import type { NewDelivery, Storage } from '../src/core/ports.js';
import { createSubscriptions } from '../src/core/subscriptions.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';
import { openStorage, type PostgresStorage, type SqliteStorage } from '../src/storage/index.js';
import { CHATS, makeChats } from './delivery.js';

/** The target for /status with a million delivery rows. */
const TARGET_MS = 50;
const ROWS = 1_000_000;
const ARTICLES = ROWS / CHATS;
const CALLS = 50;

// Of the finished broadcasts, by seq: every 50th delivery dead (the 2 % of chats that blocked the
// bot in bench -- delivery), every 97th of the others failed, the rest sent.
const DEAD_EVERY = 50;
const FAILED_EVERY = 97;

const COUNTED = `count(*) FILTER (WHERE status = 0) AS pending, count(*) FILTER (WHERE status = 1) AS sent,
  count(*) FILTER (WHERE status = 2) AS failed, count(*) FILTER (WHERE status = 3) AS dead`;

interface Timing {
  readonly p50: number;
  readonly max: number;
}

interface BackendRun {
  readonly backend: string;
  readonly fillSeconds: number;
  readonly finishSeconds: number;
  readonly counts: { pending: number; sent: number; failed: number; dead: number };
  readonly countersMatchRows: boolean;
  readonly report: Timing;
  readonly baseline: Timing;
}

/** The article ids of the broadcasts, shaped as articleId() makes them (12 hex digits). */
function articleIds(): string[] {
  return Array.from({ length: ARTICLES }, (_, n) => createHash('sha256').update(`status bench article ${n}`).digest('hex').slice(0, 12));
}

async function time(calls: number, body: () => Promise<unknown>): Promise<Timing> {
  const took: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await body();
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  return { p50: took[Math.floor((took.length - 1) / 2)]!, max: took[took.length - 1]! };
}

/** Queues ARTICLES broadcasts to every chat through the outbox, one enqueue per broadcast. */
async function fill(storage: Storage): Promise<void> {
  const { chats } = makeChats();
  const createdAt = new Date().toISOString();
  for (const [n, articleId] of articleIds().entries()) {
    await storage.outbox.putMessage({
      articleId,
      title: `Broadcast ${n}`,
      language: 'en',
      sentences: ['A first sentence of a summary, of the length the extractive engine picks.', 'A second one, somewhat shorter.', 'A third.'],
    });
    const deliveries: NewDelivery[] = chats.map((chat) => ({
      id: `a:${articleId}:telegram:${chat.chatId}`,
      target: { platform: 'telegram', chatId: chat.chatId, kind: chat.kind },
      kind: 'article',
      language: 'en',
      items: [{ articleId, language: 'en' }],
      createdAt,
    }));
    const queued = await storage.outbox.enqueue(deliveries);
    if (queued !== deliveries.length) throw new Error(`broadcast ${n}: ${queued} of ${deliveries.length} queued`);
  }
}

/**
 * Finishes every broadcast but the last as the worker's settles would: status, attempts, finish
 * time and error on each row, and the counters moved by the same amounts (status codes as in
 * storage/rows.ts: 1 sent, 2 failed, 3 dead).
 */
async function finishSqlite(storage: SqliteStorage, last: string): Promise<void> {
  const db = storage.database;
  db.transaction(() => {
    db.prepare(
      `UPDATE deliveries SET
         status = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 3 WHEN seq % ${FAILED_EVERY} = 0 THEN 2 ELSE 1 END,
         attempts = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 0 ELSE 1 END,
         finished_at = created_at + 60000,
         last_error = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 'Forbidden: bot was blocked by the user'
                           WHEN seq % ${FAILED_EVERY} = 0 THEN '400 Bad Request: message is too long' END
       WHERE status = 0 AND article_id <> ?`,
    ).run(last);
    // Each article's counters and the totals ('') from the rows, as the settles would have moved them.
    db.prepare(
      `UPDATE delivery_counts SET pending = c.pending, sent = c.sent, failed = c.failed, dead = c.dead
       FROM (SELECT article_id AS key, ${COUNTED} FROM deliveries WHERE article_id IS NOT NULL GROUP BY article_id
             UNION ALL SELECT '', ${COUNTED} FROM deliveries) c
       WHERE delivery_counts.article_id = c.key`,
    ).run();
  })();
}

/** The same on PostgreSQL, its counters spread over their 16 shards by seq. */
async function finishPostgres(storage: PostgresStorage, last: string): Promise<void> {
  const client = await storage.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `UPDATE deliveries SET
         status = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 3 WHEN seq % ${FAILED_EVERY} = 0 THEN 2 ELSE 1 END,
         attempts = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 0 ELSE 1 END,
         finished_at = created_at + 60000,
         last_error = CASE WHEN seq % ${DEAD_EVERY} = 0 THEN 'Forbidden: bot was blocked by the user'
                           WHEN seq % ${FAILED_EVERY} = 0 THEN '400 Bad Request: message is too long' END
       WHERE status = 0 AND article_id <> $1`,
      [last],
    );
    // Rewritten in the order the articles were first queued, so "most recently queued" stays as it was.
    const order = await client.query<{ article_id: string }>("SELECT article_id FROM delivery_counts WHERE article_id <> '' GROUP BY article_id ORDER BY min(pos)");
    await client.query('DELETE FROM delivery_counts');
    await client.query(
      `INSERT INTO delivery_counts (article_id, shard, pending, sent, failed, dead)
       SELECT coalesce(d.article_id, ''), d.seq % 16, count(*) FILTER (WHERE d.status = 0), count(*) FILTER (WHERE d.status = 1),
              count(*) FILTER (WHERE d.status = 2), count(*) FILTER (WHERE d.status = 3)
       FROM deliveries d LEFT JOIN unnest($1::text[]) WITH ORDINALITY AS o(article_id, n) ON o.article_id = d.article_id
       GROUP BY GROUPING SETS ((d.article_id, o.n, d.seq % 16), (d.seq % 16))
       ORDER BY GROUPING(d.article_id) DESC, o.n, d.seq % 16`,
      [order.rows.map((r) => r.article_id)],
    );
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE deliveries, delivery_counts');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function measure(backend: string, storage: Storage, fullScan: () => Promise<unknown>, finish: (last: string) => Promise<void>): Promise<BackendRun> {
  const t0 = performance.now();
  await fill(storage);
  const fillSeconds = (performance.now() - t0) / 1_000;
  const t1 = performance.now();
  await finish(articleIds()[ARTICLES - 1]!);
  const finishSeconds = (performance.now() - t1) / 1_000;

  // The service as a bot process runs it, with nothing to send: report() is what /status calls.
  const desk = await openNewsDesk({ storage, engine: createExtractiveEngine(), logger: silentLogger, settings: loadConfig({}), changePollMs: 0, snapshotEvery: 0 });
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  const delivery = await startDelivery({
    storage,
    desk,
    subscriptions,
    senders: new Map(),
    limits: new Map(),
    logger: silentLogger,
    owner: `bench-status-${process.pid}`,
    digestCheckMs: 0,
    fanOutSweepMs: 0,
  });
  try {
    const counts = await delivery.report();
    const recounted = await storage.outbox.recount({ articles: ARTICLES });
    const kept = await storage.outbox.counts({ articles: ARTICLES });
    const byId = (rows: readonly { articleId: string }[]) => [...rows].sort((a, b) => (a.articleId < b.articleId ? -1 : 1));
    const countersMatchRows = JSON.stringify({ ...kept, byArticle: byId(kept.byArticle) }) === JSON.stringify({ ...recounted, byArticle: byId(recounted.byArticle) });
    const report = await time(CALLS, () => delivery.report());
    const baseline = await time(CALLS, fullScan);
    return {
      backend,
      fillSeconds,
      finishSeconds,
      counts: { pending: counts.pending, sent: counts.sent, failed: counts.failed, dead: counts.dead },
      countersMatchRows,
      report,
      baseline,
    };
  } finally {
    await delivery.stop();
    await desk.close();
  }
}

async function sqliteRun(): Promise<BackendRun> {
  const dir = mkdtempSync(join(tmpdir(), 'akhbar-bench-status-'));
  const storage = (await openStorage(`sqlite://${join(dir, 'status.sqlite')}`)) as SqliteStorage;
  try {
    const scan = storage.database.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status');
    return await measure('SQLite', storage, async () => scan.all(), (last) => finishSqlite(storage, last));
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(): Promise<BackendRun | string> {
  const database = await createBenchDatabase('akhbar_bench_status');
  if (typeof database === 'string') return database;
  try {
    const storage = (await openStorage(database.url)) as PostgresStorage;
    try {
      return await measure('PostgreSQL', storage, () => storage.pool.query('SELECT status, count(*) AS n FROM deliveries GROUP BY status'), (last) => finishPostgres(storage, last));
    } finally {
      await storage.close();
    }
  } finally {
    await database.drop();
  }
}

/** Runs the benchmark and prints its figures and verdicts. */
export async function runStatusBenchmark(): Promise<void> {
  console.log(
    `status benchmark: ${ROWS.toLocaleString('en')} delivery rows (${ARTICLES} broadcasts to ${CHATS.toLocaleString('en')} Telegram chats, ` +
      `the last still pending); ${CALLS} calls each of delivery.report() (what /status reads) and of the full scan it replaces\n`,
  );
  const runs: BackendRun[] = [];
  runs.push(await sqliteRun());
  const postgres = await postgresRun();
  if (typeof postgres === 'string') console.log(`PostgreSQL skipped: ${postgres}\n`);
  else runs.push(postgres);

  const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
  for (const run of runs) {
    console.log(
      `${run.backend}: filled through outbox.enqueue in ${run.fillSeconds.toFixed(1)} s, ${ARTICLES - 1} broadcasts finished in bulk SQL in ${run.finishSeconds.toFixed(1)} s; ` +
        `counts ${JSON.stringify(run.counts)}; counters match the rows (outbox.recount): ${run.countersMatchRows ? 'yes' : 'NO'}`,
    );
    console.log(`  delivery.report():                          p50 ${ms(run.report.p50)} ms, max ${ms(run.report.max)} ms`);
    console.log(`  SELECT status, count(*) … GROUP BY status:  p50 ${ms(run.baseline.p50)} ms, max ${ms(run.baseline.max)} ms (baseline)`);
  }
  console.log('');
  for (const run of runs) {
    const ok = run.report.p50 <= TARGET_MS && run.report.max <= TARGET_MS && run.countersMatchRows;
    console.log(
      `target /status with ${ROWS.toLocaleString('en')} delivery rows ≤ ${TARGET_MS} ms (${run.backend}): ${ok ? 'met' : 'NOT met'} ` +
        `(p50 ${ms(run.report.p50)} ms, max ${ms(run.report.max)} ms; the full scan p50 ${ms(run.baseline.p50)} ms)${ok ? '' : '  <<<'}`,
    );
  }
}
