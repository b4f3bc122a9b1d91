/**
 * `npm run bench -- cluster`: three delivery processes on one PostgreSQL database send a broadcast
 * of one article to 10,000 Telegram subscribers through the fake Bot API of bench/delivery.ts, which
 * enforces the per-token limit (time scaled by SCALE). The processes share that one budget through
 * their sender leases, so together they should pace at about the limit and never above it.
 *
 * Two runs, each on a fresh database made on 127.0.0.1:5432 (user postgres) and dropped after:
 *   A. three children deliver everything;
 *   B. one of them is SIGKILLed once the platform has accepted KILL_AFTER messages in all; the two
 *      others take its claims over once they run out. Nothing may be lost, and the only duplicates
 *      allowed are the messages in flight at the kill (accepted by the platform from the killed
 *      process, still pending in the outbox).
 *
 * Pace: accepted messages from the first to the last, as a ratio of the enforced limit (target
 * ≥ 0.9), and the busiest sliding 1 s window of accepted messages and of all requests (the fake
 * refuses what goes over the limit with 429, so "never above" shows in the requests and in the 429s
 * it answered for the overall limit). The exit code is 0 whether or not a target is met.
 *
 * With BENCH_TRACE_DIR=DIR, each child writes its trace to DIR/<run>-<child>.jsonl (see
 * bench/deliveryWorker.ts), and the bench prints per child how late its sender counts came and how
 * much of the time it had no good count, and for every burst of 429s for the token limit what each
 * child had sent in the second before and the sender count it was pacing by.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { statusCode } from '../src/storage/rows.js';
import { createBenchDatabase, POSTGRES_SERVER, type BenchDatabase } from './postgres.js';
import { loadConfig } from '../src/config.js';
import { startDelivery } from '../src/core/delivery/index.js';
import { silentLogger } from '../src/core/logger.js';
import { openNewsDesk } from '../src/core/newsDesk.js';
import { createSubscriptions } from '../src/core/subscriptions.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';
import { openStorage } from '../src/storage/index.js';
import { ARTICLE_PATH, CHATS, KILL_AFTER, LIMIT_PER_SECOND, makeChats, SCALE, startFakeTelegram, type Chat, type FakeTelegram } from './delivery.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./deliveryWorker.ts', import.meta.url));
const PROCESSES = 3;
const TARGET_RATIO = 0.9;
const TIME_LIMIT_MS = 5 * 60_000;

interface ChildResult {
  readonly label: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stats: Readonly<Record<string, number>> | undefined;
  readonly stderr: readonly string[];
}

const TRACE_DIR = process.env['BENCH_TRACE_DIR'];

function tracePath(run: string, label: string): string {
  return join(TRACE_DIR!, `${run}-${label}.jsonl`);
}

function runChild(storeUrl: string, platformUrl: string, run: string, label: string, onSpawn: (child: ChildProcess) => void): Promise<ChildResult> {
  if (TRACE_DIR) rmSync(tracePath(run, label), { force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, storeUrl, platformUrl, 'resume'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_RUN: label, ...(TRACE_DIR ? { BENCH_TRACE: tracePath(run, label) } : {}) },
  });
  onSpawn(child);
  let stats: Record<string, number> | undefined;
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as { type?: string; stats?: Record<string, number> };
      if (parsed.type === 'done') stats = parsed.stats;
    } catch {
      stderr.push(`(stdout) ${line}`);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (stderr.length < 10) stderr.push(line);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ label, code, signal, stats, stderr }));
  });
}

async function withServer<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with the subscribers and the article's deliveries queued, as a running bot would leave them. */
async function prepare(label: string, chats: readonly Chat[]): Promise<BenchDatabase> {
  const database = await createBenchDatabase(`akhbar_bench_cluster_${label}`);
  if (typeof database === 'string') throw new Error(database);
  const storage = await openStorage(database.url);
  const desk = await openNewsDesk({ storage, engine: createExtractiveEngine(), logger: silentLogger, settings: loadConfig({}), changePollMs: 0, snapshotEvery: 0 });
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  const now = new Date();
  for (let i = 0; i < chats.length; i += 500) {
    await Promise.all(chats.slice(i, i + 500).map((chat) => subscriptions.subscribe({ platform: 'telegram', chatId: chat.chatId, kind: chat.kind }, { mode: 'each' }, now)));
  }
  // No sender here: this process only fans out; the children send.
  const delivery = await startDelivery({ storage, desk, subscriptions, senders: new Map(), limits: new Map(), logger: silentLogger, owner: 'bench-setup', digestCheckMs: 0, fanOutSweepMs: 0 });
  await desk.postArticle({ text: readFileSync(ARTICLE_PATH, 'utf8') }, { kind: 'operator' });
  await delivery.settled();
  const pending = (await storage.outbox.counts()).pending;
  await delivery.stop();
  await desk.close();
  await storage.close();
  if (pending === 0) {
    await database.drop();
    throw new Error('the fan-out queued nothing');
  }
  return database;
}

/** The most events in any window of `windowMs` starting at an event (times sorted ascending). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

interface Figures {
  readonly label: string;
  readonly delivered: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly deactivated: number;
  readonly tooManyOverall: number;
  readonly tooManyChat: number;
  readonly pace: number;
  readonly busiestAccepted: number;
  readonly busiestRequests: number;
  readonly seconds: number;
  readonly children: readonly ChildResult[];
  readonly inFlightAtKill?: number;
  readonly acceptedAtKill?: number;
}

async function run(label: string, fake: FakeTelegram, chats: readonly Chat[], blocked: ReadonlySet<string>, kill: boolean): Promise<Figures> {
  const prepared = performance.now();
  const database = await prepare(kill ? 'b' : 'a', chats);
  const storeUrl = database.url;
  console.log(`${label}: database made, ${CHATS} subscribed and the broadcast queued in ${((performance.now() - prepared) / 1_000).toFixed(1)} s`);
  try {
    fake.reset();
    const t0 = performance.now();
    const children = new Map<string, ChildProcess>();
    let killedAt: Promise<{ inFlight: number; accepted: number }> | undefined;
    const victim = 'p2';
    if (kill) {
      fake.onAccepted = (accepted) => {
        if (accepted !== KILL_AFTER || killedAt) return;
        const dead = children.get(victim);
        const exited = dead ? new Promise((resolve) => dead.once('exit', resolve)) : Promise.resolve();
        dead?.kill('SIGKILL');
        killedAt = (async () => {
          // What the dead process had sent and not settled: read once the requests it had written
          // before it died are answered (they may still sit in this process's socket buffers), and
          // before its claims run out and are taken over (2 to 3 s after the kill), in one query.
          await exited;
          await new Promise((resolve) => setTimeout(resolve, 500));
          const fromVictim = fake.received.filter((r) => r.run === victim);
          const client = new pg.Client({ connectionString: storeUrl });
          await client.connect();
          try {
            // Rows name their article and chat; the usual delivery id is not written out (see storage/rows.ts).
            const { rows } = await client.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM deliveries d JOIN unnest($1::text[], $2::text[]) AS v(article_id, chat_id)
                 ON d.article_id = v.article_id AND d.chat_id = v.chat_id
               WHERE d.platform = 'telegram' AND d.status = $3`,
              [fromVictim.map((r) => r.messageId), fromVictim.map((r) => r.chatId), statusCode('pending')],
            );
            return { inFlight: rows[0]!.n, accepted: fromVictim.length };
          } finally {
            await client.end();
          }
        })();
      };
    }
    const progress = setInterval(() => console.log(`  … ${fake.received.length} accepted`), 5_000);
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => `p${i + 1}`).map((l) => runChild(storeUrl, fake.url, kill ? 'b' : 'a', l, (child) => children.set(l, child))),
    );
    if (TRACE_DIR) printTrace(label, kill ? 'b' : 'a', fake);
    clearInterval(progress);
    const seconds = (performance.now() - t0) / 1_000;
    const atKill = killedAt ? await killedAt : undefined;
    fake.onAccepted = undefined;
    const got = new Set(fake.received.map((r) => r.chatId));
    const accepted = fake.received.map((r) => r.at).sort((a, b) => a - b);
    const requests = [...fake.requestTimes].sort((a, b) => a - b);
    let tooManyOverall = 0;
    let tooMany = 0;
    for (const counters of fake.runs.values()) {
      tooManyOverall += counters.tooManyOverall;
      tooMany += counters.tooMany;
    }
    const storage = await openStorage(storeUrl);
    let deactivated = 0;
    try {
      deactivated = (await storage.subscriptions.list({ active: false })).length;
    } finally {
      await storage.close();
    }
    const spanMs = accepted.length > 1 ? accepted.at(-1)! - accepted[0]! : 0;
    return {
      label,
      delivered: got.size,
      duplicates: fake.received.length - got.size,
      lost: chats.filter((c) => !blocked.has(c.chatId) && !got.has(c.chatId)).length,
      deactivated,
      tooManyOverall,
      tooManyChat: tooMany - tooManyOverall,
      pace: spanMs > 0 ? ((accepted.length / spanMs) * 1_000) / LIMIT_PER_SECOND : 0,
      busiestAccepted: busiestWindow(accepted, 1_000) / LIMIT_PER_SECOND,
      busiestRequests: busiestWindow(requests, 1_000) / LIMIT_PER_SECOND,
      seconds,
      children: results,
      ...(atKill ? { inFlightAtKill: atKill.inFlight, acceptedAtKill: atKill.accepted } : {}),
    };
  } finally {
    await database.drop();
  }
}

interface TraceLine {
  readonly time: string;
  readonly msg: string;
  readonly senders?: number;
  readonly tookMs?: number;
  readonly goodForMs?: number;
  readonly poolWaiting?: number;
  readonly loopDelayMaxMs?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** What the children's traces say about the sender counts, and about each burst of token-limit 429s. */
function printTrace(label: string, run: string, fake: FakeTelegram): void {
  // The fake's times are this process's performance.now(); the children log wall-clock times.
  const wall = (at: number) => performance.timeOrigin + at;
  const t0 = fake.received.length > 0 ? wall(Math.min(...fake.received.map((r) => r.at))) : 0;
  const counts = new Map<string, { at: number; senders: number }[]>();
  console.log(`${label}: trace`);
  for (let i = 1; i <= PROCESSES; i++) {
    const child = `p${i}`;
    let lines: TraceLine[];
    try {
      lines = readFileSync(tracePath(run, child), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceLine);
    } catch {
      continue;
    }
    const beats = lines.filter((l) => l.msg === 'sender count');
    counts.set(child, beats.map((b) => ({ at: Date.parse(b.time), senders: b.senders! })));
    const took = beats.map((b) => b.tookMs!).sort((a, b) => a - b);
    // Time from the first count to the last not covered by a count still good.
    let goodUntil = -Infinity;
    let without = 0;
    for (const b of beats) {
      const at = Date.parse(b.time);
      if (goodUntil > -Infinity && at > goodUntil) without += at - goodUntil;
      goodUntil = Math.max(goodUntil, at + (b.goodForMs ?? 0));
    }
    const span = beats.length > 1 ? Date.parse(beats.at(-1)!.time) - Date.parse(beats[0]!.time) : 0;
    const samples = lines.filter((l) => l.msg === 'bench sample');
    const waiting = samples.map((s) => s.poolWaiting!).sort((a, b) => a - b);
    const delay = samples.map((s) => s.loopDelayMaxMs!).sort((a, b) => a - b);
    console.log(
      `  ${child}: ${beats.length} sender counts, taking p50 ${quantile(took, 0.5)} / p99 ${quantile(took, 0.99)} / max ${took.at(-1) ?? 0} ms; ` +
        `no good count ${span > 0 ? ((100 * without) / span).toFixed(1) : '0.0'} % of ${(span / 1_000).toFixed(1)} s; ` +
        `queries waiting for the pool p50 ${quantile(waiting, 0.5)} / p90 ${quantile(waiting, 0.9)}; event loop delay (max per 100 ms) p90 ${quantile(delay, 0.9)} ms`,
    );
  }
  const countAt = (child: string, at: number) => {
    let senders: number | undefined;
    for (const c of counts.get(child) ?? []) if (c.at <= at) senders = c.senders;
    return senders ?? '-';
  };
  const refused = [...fake.refusedOverall].sort((a, b) => a.at - b.at);
  // A burst: refusals less than 300 ms apart.
  for (let i = 0; i < refused.length; ) {
    let j = i + 1;
    while (j < refused.length && refused[j]!.at - refused[j - 1]!.at < 300) j++;
    const start = refused[i]!.at;
    const sent = Array.from({ length: PROCESSES }, (_, k) => `p${k + 1}`).map((child) => {
      const n = fake.received.filter((r) => r.run === child && r.at > start - 1_000 && r.at <= start).length;
      return `${child} ${n} (counting ${countAt(child, wall(start))})`;
    });
    console.log(
      `  ${j - i} token 429s from ${((wall(start) - t0) / 1_000).toFixed(2)} s to ${((wall(refused[j - 1]!.at) - t0) / 1_000).toFixed(2)} s; accepted in the second before: ${sent.join(', ')}`,
    );
    i = j;
  }
}

/** Runs the cluster benchmark and prints its table. */
export async function runClusterBenchmark(): Promise<void> {
  try {
    await withServer((c) => c.query('SELECT 1'));
  } catch (error) {
    console.error(`cluster benchmark: no PostgreSQL at 127.0.0.1:5432 (${error instanceof Error ? error.message : String(error)}); nothing measured`);
    process.exitCode = 1;
    return;
  }
  const { chats, blocked } = makeChats();
  const fake = await startFakeTelegram(chats, blocked);
  console.log(
    `cluster benchmark: ${PROCESSES} delivery processes on one PostgreSQL database, ${CHATS} Telegram subscribers (${blocked.size} blocked), ` +
      `fake Bot API enforcing ${LIMIT_PER_SECOND}/s per token (time ×${SCALE}); run B SIGKILLs one process at ${KILL_AFTER} accepted messages\n`,
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    const figures = await Promise.race([
      (async () => [await run('A: 3 processes', fake, chats, blocked, false), await run('B: one SIGKILLed', fake, chats, blocked, true)])(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not finished within ${TIME_LIMIT_MS / 1_000} s`)), TIME_LIMIT_MS))),
    ]);
    print(figures, blocked.size);
  } finally {
    clearTimeout(timer);
    await fake.close();
  }
}

function print(figures: readonly Figures[], blocked: number): void {
  const columns = ['run', 'delivered once', 'duplicates', 'lost', 'deactivated', '429 token', '429 chat', 'pace', 'busiest 1 s', 'busiest 1 s requests', 'seconds'];
  const rows = [
    columns,
    ...figures.map((f) => [
      f.label,
      String(f.delivered),
      String(f.duplicates),
      String(f.lost),
      String(f.deactivated),
      String(f.tooManyOverall),
      String(f.tooManyChat),
      f.pace.toFixed(3),
      f.busiestAccepted.toFixed(3),
      f.busiestRequests.toFixed(3),
      f.seconds.toFixed(1),
    ]),
  ];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  console.log(
    `\npace = accepted messages / seconds from the first to the last accepted / ${LIMIT_PER_SECOND} per second; busiest 1 s = the most accepted ` +
      `(requests: all requests, 403/429/502 included) in any sliding 1 s window, over the limit; 429 token = refused for the overall limit`,
  );
  for (const f of figures) {
    for (const c of f.children) {
      console.log(`  ${f.label} ${c.label}: ${c.signal ? `ended by ${c.signal}` : `exit ${c.code}`}${c.stats ? `, worker ${JSON.stringify(c.stats)}` : ''}`);
      for (const line of c.stderr) console.log(`    stderr: ${line}`);
    }
  }
  const [a, b] = figures as [Figures, Figures];
  const checks: [string, boolean][] = [
    [`A: each delivered once, 0 lost (${a.duplicates} duplicates, ${a.lost} lost)`, a.duplicates === 0 && a.lost === 0],
    [`A and B: pace ≥ ${TARGET_RATIO} (${a.pace.toFixed(3)}, ${b.pace.toFixed(3)})`, a.pace >= TARGET_RATIO && b.pace >= TARGET_RATIO],
    [
      `A and B: never above the limit: busiest 1 s ≤ 1 and no 429 for the token limit (${a.busiestAccepted.toFixed(3)}/${a.tooManyOverall}, ${b.busiestAccepted.toFixed(3)}/${b.tooManyOverall})`,
      a.busiestAccepted <= 1 && b.busiestAccepted <= 1 && a.tooManyOverall === 0 && b.tooManyOverall === 0,
    ],
    [`B: 0 lost (${b.lost})`, b.lost === 0],
    [`B: duplicates (${b.duplicates}) ≤ in flight at the kill (${b.inFlightAtKill ?? '?'} of ${b.acceptedAtKill ?? '?'} sent by the killed process)`, b.duplicates <= (b.inFlightAtKill ?? -1)],
    [`deactivated = the ${blocked} blocked chats (A ${a.deactivated}, B ${b.deactivated})`, a.deactivated === blocked && b.deactivated === blocked],
  ];
  console.log('');
  for (const [label, ok] of checks) console.log(`${label}: ${ok ? 'met' : 'NOT met  <<<'}`);
}
