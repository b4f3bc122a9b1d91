/**
 * `npm run bench -- delivery`: a broadcast of one article to 10,000 Telegram subscribers through a
 * fake Telegram platform that enforces the platform's limits (time scaled down by SCALE), answers
 * 429 with a retry time, fails a few percent with 502 and has some chats that blocked the bot.
 *
 * The delivery service runs in a child process (bench/deliveryWorker.ts) over a SQLite store; the
 * fake platform runs here, on 127.0.0.1, and records every message it accepts. Two runs:
 *   A. one child delivers everything;
 *   B. the child is SIGKILLed when the platform has accepted KILL_AFTER messages and a second
 *      child resumes from the store: nothing may be lost, and the only duplicates allowed are the
 *      messages that were in flight at the kill (accepted by the platform, still pending in the
 *      outbox, so the dead process never learnt they had gone out).
 *
 * A third run, C, is run A on PostgreSQL: a database made on 127.0.0.1:5432 (user postgres) for the
 * run and dropped after; it is skipped, saying so, when no server answers.
 *
 * Printed per run: delivered, duplicates, lost, deactivated, the 429s and 5xx answered, throughput
 * as a ratio of the limit the fake enforces (target ≥ 0.9), peak RSS of the delivery process, time;
 * and for runs A and C the outbox's bytes per delivery (bench/outboxBytes.ts) right after the
 * fan-out and after the broadcast (target ≤ 200 after it), for C also once VACUUM FULL has dropped
 * the dead row versions every update leaves in PostgreSQL.
 * The figures are a report: the exit code is 0 whether or not a target is met (1 only when the run
 * cannot finish within TIME_LIMIT_MS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createBenchDatabase } from './postgres.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TELEGRAM_LIMITS } from '../src/core/delivery/pacing.js';
import { openStorage } from '../src/storage/index.js';
import { createSubscriptions, type ChatKind } from '../src/core/subscriptions.js';
import { measureOutboxBytes, OUTBOX_TABLES, perDelivery, type OutboxBytes } from './outboxBytes.js';
import type { PostgresStorage } from '../src/storage/index.js';

/** Platform time runs this many times faster than Telegram's: limits ×SCALE, waits ÷SCALE. */
export const SCALE = 20;
/** The delivery worker's concurrency in the child. */
export const CONCURRENCY = 256;
export const ARTICLE_PATH = fileURLToPath(new URL('../examples/articles/en-rail-strike.txt', import.meta.url));

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./deliveryWorker.ts', import.meta.url));

export const CHATS = 10_000;
const MIX: Readonly<Record<ChatKind, number>> = { private: 0.6, group: 0.25, channel: 0.15 };
const BLOCKED_SHARE = 0.02;
const SERVER_ERROR_SHARE = 0.03;
const SEED = 0x5eed_a4b;
export const KILL_AFTER = 5_000;
const TIME_LIMIT_MS = 5 * 60_000;
const TARGET_RATIO = 0.9;
/** The issue's target for the outbox after a 10k broadcast; the keyv store it replaced took about 1,070. */
const TARGET_BYTES_PER_DELIVERY = 200;

export interface SlidingLimit {
  readonly count: number;
  readonly windowMs: number;
}
/** Telegram: 30 messages/s overall. */
export const OVERALL: SlidingLimit = { count: 30 * SCALE, windowMs: 1_000 };
/** Telegram: 1 message/s into a private chat, 20/min into a group or channel; windows scaled down. */
const PER_CHAT: Readonly<Record<ChatKind, SlidingLimit>> = {
  private: { count: 1, windowMs: 1_000 / SCALE },
  group: { count: 20, windowMs: 60_000 / SCALE },
  channel: { count: 20, windowMs: 60_000 / SCALE },
};
export const LIMIT_PER_SECOND = (OVERALL.count * 1_000) / OVERALL.windowMs;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A uniform number in [0, 1) fixed by `text` and the seed (FNV-1a, then one mulberry32 step). */
function unitHash(text: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mulberry32(h)();
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface Chat {
  readonly chatId: string;
  readonly kind: ChatKind;
}

/** CHATS chats in the MIX, in a seeded order, and the seeded BLOCKED_SHARE of them that blocked the bot. */
export function makeChats(): { chats: Chat[]; blocked: Set<string> } {
  const random = mulberry32(SEED);
  const kinds: ChatKind[] = [];
  const privateCount = Math.round(CHATS * MIX.private);
  const groupCount = Math.round(CHATS * MIX.group);
  for (let i = 0; i < CHATS; i++) kinds.push(i < privateCount ? 'private' : i < privateCount + groupCount ? 'group' : 'channel');
  shuffle(kinds, random);
  // Telegram's id shapes: users positive, basic groups negative, channels and supergroups -100….
  const chats = kinds.map((kind, i): Chat => ({
    kind,
    chatId: kind === 'private' ? String(200_000_000 + i) : kind === 'group' ? String(-(400_000_000 + i)) : `-100${1_500_000_000 + i}`,
  }));
  const blocked = new Set(shuffle([...chats], random).slice(0, Math.round(CHATS * BLOCKED_SHARE)).map((c) => c.chatId));
  return { chats, blocked };
}

// ---------------------------------------------------------------------------------------------
// The fake Telegram platform

export interface Received {
  readonly chatId: string;
  readonly messageId: string;
  /** performance.now() when accepted. */
  readonly at: number;
  /** Which child sent it: `fresh` or `resume`. */
  readonly run: string;
}

export interface RunCounters {
  requests: number;
  accepted: number;
  tooMany: number;
  /** The 429s answered because the overall (per-token) limit was reached, not a chat's. */
  tooManyOverall: number;
  serverErrors: number;
  forbidden: number;
  badRequests: number;
  first: number;
  last: number;
}

/** The fake platform as the benchmarks drive it. */
export interface FakeTelegram {
  readonly url: string;
  readonly received: readonly Received[];
  readonly runs: ReadonlyMap<string, RunCounters>;
  /** performance.now() of every request that reached the platform, accepted or not. */
  readonly requestTimes: readonly number[];
  /** When, and from which child, each request refused for the overall limit came. */
  readonly refusedOverall: readonly { readonly at: number; readonly run: string }[];
  /** Called after each accepted message with the total accepted since the last reset. */
  onAccepted: ((accepted: number, run: string) => void) | undefined;
  /** Forgets everything recorded (a new run). */
  reset(): void;
  readonly openSockets: number;
  close(): Promise<void>;
}

/** A sliding window of accepted-message times (increasing), with a moving head. */
class Times {
  private readonly times: number[] = [];
  private head = 0;
  /** How long until one more fits in `limit` at `now` (0 = now). */
  wait(limit: SlidingLimit, now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - limit.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    if (this.times.length - this.head < limit.count) return 0;
    return this.times[this.times.length - limit.count]! + limit.windowMs - now;
  }
  push(now: number): void {
    this.times.push(now);
  }
}

/** Starts the fake Bot API on 127.0.0.1 for these chats, refusing the blocked ones with 403. */
export async function startFakeTelegram(chats: readonly Chat[], blocked: ReadonlySet<string>): Promise<FakeTelegram> {
  const kinds = new Map(chats.map((c) => [c.chatId, c.kind]));
  let received: Received[] = [];
  let runs = new Map<string, RunCounters>();
  let overall = new Times();
  let perChat = new Map<string, Times>();
  let requestsPerChat = new Map<string, number>();
  let requestTimes: number[] = [];
  let refusedOverall: { at: number; run: string }[] = [];
  const sockets = new Set<Socket>();

  function counters(run: string): RunCounters {
    let found = runs.get(run);
    if (!found) {
      found = { requests: 0, accepted: 0, tooMany: 0, tooManyOverall: 0, serverErrors: 0, forbidden: 0, badRequests: 0, first: Infinity, last: -Infinity };
      runs.set(run, found);
    }
    return found;
  }

  function reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function answer(body: { chatId?: unknown; kind?: unknown; messageId?: unknown; run?: unknown }, res: ServerResponse): void {
    const now = performance.now();
    const run = counters(typeof body.run === 'string' ? body.run : '?');
    run.requests++;
    requestTimes.push(now);
    const chatId = typeof body.chatId === 'string' ? body.chatId : '';
    const kind = kinds.get(chatId);
    if (!kind || body.kind !== kind || typeof body.messageId !== 'string') {
      run.badRequests++;
      reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
      return;
    }
    if (blocked.has(chatId)) {
      run.forbidden++;
      reply(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      return;
    }
    // The nth request to a chat fails or not by the seed alone, whatever order requests arrive in.
    const nth = (requestsPerChat.get(chatId) ?? 0) + 1;
    requestsPerChat.set(chatId, nth);
    if (unitHash(`${chatId}#${nth}`) < SERVER_ERROR_SHARE) {
      run.serverErrors++;
      reply(res, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      return;
    }
    let chatTimes = perChat.get(chatId);
    if (!chatTimes) {
      chatTimes = new Times();
      perChat.set(chatId, chatTimes);
    }
    const overallWait = overall.wait(OVERALL, now);
    const wait = Math.max(overallWait, chatTimes.wait(PER_CHAT[kind], now));
    if (wait > 0) {
      run.tooMany++;
      if (overallWait > 0) {
        run.tooManyOverall++;
        refusedOverall.push({ at: now, run: typeof body.run === 'string' ? body.run : '?' });
      }
      const retryAfterMs = Math.max(1, Math.ceil(wait));
      reply(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfterMs} ms`,
        parameters: { retry_after_ms: retryAfterMs },
      });
      return;
    }
    overall.push(now);
    chatTimes.push(now);
    received.push({ chatId, messageId: body.messageId, at: now, run: typeof body.run === 'string' ? body.run : '?' });
    run.accepted++;
    run.first = Math.min(run.first, now);
    run.last = Math.max(run.last, now);
    reply(res, 200, { ok: true, result: { message_id: received.length, chat: { id: chatId, type: kind } } });
    fake.onAccepted?.(received.length, typeof body.run === 'string' ? body.run : '?');
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST' || req.url !== '/send') {
      reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = {};
      }
      answer(typeof body === 'object' && body !== null ? body : {}, res);
    });
  }

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeTelegram = {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get runs() {
      return runs;
    },
    get requestTimes() {
      return requestTimes;
    },
    get refusedOverall() {
      return refusedOverall;
    },
    onAccepted: undefined,
    reset() {
      received = [];
      runs = new Map();
      overall = new Times();
      perChat = new Map();
      requestsPerChat = new Map();
      requestTimes = [];
      refusedOverall = [];
      fake.onAccepted = undefined;
    },
    get openSockets() {
      return sockets.size;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// ---------------------------------------------------------------------------------------------
// The child process

interface ChildDone {
  readonly type: 'done';
  readonly mode: string;
  readonly peakRssBytes: number;
  readonly stats: Readonly<Record<string, number>>;
  readonly outbox: Readonly<Record<string, number>>;
  readonly resumed: number;
  readonly queued: number;
  readonly phases: Readonly<Record<string, number>>;
  readonly outboxBytes: { readonly pending?: Measured; readonly finished: Measured };
  readonly sending: { readonly eventLoopUtilization: number; readonly cpuPerWallMs: number };
  readonly totalMs: number;
}

interface ChildResult {
  readonly mode: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly done: ChildDone | undefined;
  /** The highest peak the child reported (heartbeats survive a SIGKILL). */
  readonly peakRssBytes: number;
  readonly stderr: readonly string[];
  readonly stderrLines: number;
}

type Measured = OutboxBytes | { readonly unavailable: string };

class Aborted extends Error {}

interface Session {
  readonly children: Set<ChildProcess>;
  aborted: boolean;
}

function runChild(session: Session, args: string[], onSpawn?: (child: ChildProcess) => void): Promise<ChildResult> {
  if (session.aborted) return Promise.reject(new Aborted('aborted'));
  const mode = args[2] ?? '?';
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  session.children.add(child);
  onSpawn?.(child);
  let done: ChildDone | undefined;
  let peakRssBytes = 0;
  const stderr: string[] = [];
  let stderrLines = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as { type?: string; peakRssBytes?: number };
      if (typeof parsed.peakRssBytes === 'number') peakRssBytes = Math.max(peakRssBytes, parsed.peakRssBytes);
      if (parsed.type === 'done') done = parsed as ChildDone;
    } catch {
      stderr.push(`(stdout) ${line}`);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines++;
    if (stderr.length < 20) stderr.push(line);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close' (not 'exit'): both pipes are drained, so the last JSON line has been read.
    child.once('close', (code, signal) => {
      session.children.delete(child);
      resolve({ mode, code, signal, done, peakRssBytes, stderr, stderrLines });
    });
  });
}

/** Waits until the dead child's sockets are closed, so every request it had sent is answered or gone. */
async function drained(fake: FakeTelegram): Promise<void> {
  const until = performance.now() + 3_000;
  while (fake.openSockets > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

// ---------------------------------------------------------------------------------------------
// Figures

interface Figures {
  readonly label: string;
  readonly delivered: number;
  readonly duplicates: number;
  readonly lost: number;
  /** Blocked chats that nonetheless received the message (must be 0). */
  readonly blockedReceived: number;
  readonly deactivated: number;
  /** Inactive subscriptions that are not among the blocked chats (must be 0). */
  readonly deactivatedWrongly: number;
  readonly tooMany: number;
  readonly serverErrors: number;
  readonly requests: number;
  readonly accepted: number;
  /** Sum over the children of first → last accepted message, in seconds. */
  readonly sendingSeconds: number;
  readonly ratio: number;
  readonly requestRatio: number;
  readonly peakRssMb: number;
  readonly seconds: number;
  /** CPU ms per wall ms of this process (the fake platform) during the run. */
  readonly platformCpu: number;
  readonly children: readonly ChildResult[];
}

async function inactiveSubscriptions(storeUrl: string): Promise<string[]> {
  const storage = await openStorage(storeUrl);
  try {
    return (await createSubscriptions(storage.subscriptions, 'UTC').list({ active: false })).map((s) => s.chatId);
  } finally {
    await storage.close();
  }
}

async function figures(
  label: string,
  fake: FakeTelegram,
  chats: readonly Chat[],
  blocked: ReadonlySet<string>,
  storeUrl: string,
  children: readonly ChildResult[],
  seconds: number,
  cpu: NodeJS.CpuUsage,
): Promise<Figures> {
  const got = new Set(fake.received.map((r) => r.chatId));
  const inactive = await inactiveSubscriptions(storeUrl);
  let sendingMs = 0;
  let accepted = 0;
  let requests = 0;
  let tooMany = 0;
  let serverErrors = 0;
  for (const run of fake.runs.values()) {
    if (run.accepted > 1) sendingMs += run.last - run.first;
    accepted += run.accepted;
    requests += run.requests;
    tooMany += run.tooMany;
    serverErrors += run.serverErrors;
  }
  const perSecond = (n: number) => (sendingMs > 0 ? (n / sendingMs) * 1_000 : 0);
  return {
    label,
    delivered: got.size,
    duplicates: fake.received.length - got.size,
    lost: chats.filter((c) => !blocked.has(c.chatId) && !got.has(c.chatId)).length,
    blockedReceived: [...blocked].filter((id) => got.has(id)).length,
    deactivated: inactive.length,
    deactivatedWrongly: inactive.filter((id) => !blocked.has(id)).length,
    tooMany,
    serverErrors,
    requests,
    accepted,
    sendingSeconds: sendingMs / 1_000,
    ratio: perSecond(accepted) / LIMIT_PER_SECOND,
    requestRatio: perSecond(requests) / LIMIT_PER_SECOND,
    peakRssMb: Math.max(...children.map((c) => c.peakRssBytes)) / 2 ** 20,
    seconds,
    platformCpu: (cpu.user + cpu.system) / 1_000 / (seconds * 1_000),
    children,
  };
}

interface PostgresRun {
  readonly figures: Figures;
  /** The outbox after the broadcast once VACUUM FULL has dropped the dead row versions. */
  readonly vacuumed: Measured;
}

interface CrashRun {
  readonly figures: Figures;
  /** Chats the platform got from the killed process whose delivery its outbox still calls pending. */
  readonly inFlightAtKill: number;
  readonly pendingAtKill: number;
  readonly acceptedAtKill: number;
}

function childProblems(result: ChildResult, expectKill: boolean): string[] {
  const problems: string[] = [];
  if (expectKill) {
    if (result.signal !== 'SIGKILL') problems.push(`the ${result.mode} child was to be killed but ended with code ${result.code}`);
  } else if (result.code !== 0 || !result.done) {
    problems.push(`the ${result.mode} child ended with code ${result.code}${result.signal ? ` (${result.signal})` : ''}${result.done ? '' : ' and no report'}`);
  }
  if (result.stderrLines > 0) {
    problems.push(`the ${result.mode} child wrote ${result.stderrLines} line(s) to stderr, first ones:\n    ${result.stderr.slice(0, 5).join('\n    ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

export async function runDeliveryBenchmark(): Promise<void> {
  const started = performance.now();
  const { chats, blocked } = makeChats();
  const dir = mkdtempSync(join(tmpdir(), 'akhbar-bench-delivery-'));
  const chatsPath = join(dir, 'chats.json');
  writeFileSync(chatsPath, JSON.stringify(chats));
  const fake = await startFakeTelegram(chats, blocked);
  const session: Session = { children: new Set(), aborted: false };
  let abortTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    abortTimer = setTimeout(() => reject(new Aborted(`the delivery benchmark did not finish within ${TIME_LIMIT_MS / 1_000} s`)), TIME_LIMIT_MS);
  });
  deadline.catch(() => undefined);

  const count = (kind: ChatKind) => chats.filter((c) => c.kind === kind).length;
  console.log(
    `delivery benchmark: ${CHATS} Telegram subscribers (${count('private')} private, ${count('group')} groups, ${count('channel')} channels), ` +
      `${blocked.size} blocked, ${SERVER_ERROR_SHARE * 100} % of requests answered 502`,
  );
  console.log(
    `fake Telegram at ${fake.url}, time scaled ×${SCALE}: ≤ ${OVERALL.count} messages per ${OVERALL.windowMs} ms overall (= ${LIMIT_PER_SECOND}/s), ` +
      `≤ ${PER_CHAT.private.count} per ${PER_CHAT.private.windowMs} ms into a private chat, ≤ ${PER_CHAT.group.count} per ${PER_CHAT.group.windowMs} ms into a group or channel`,
  );
  console.log(
    `delivery child: concurrency ${CONCURRENCY}, TELEGRAM_LIMITS scaled ×${SCALE}; run B kills it (SIGKILL) at ${KILL_AFTER} accepted messages; ` +
      `${availableParallelism()} CPUs shared by the fake platform and the delivery process\n`,
  );

  const problems: string[] = [];
  /** After the deadline, whatever is still running stops at its next step (and opens no store). */
  const alive = (): void => {
    if (session.aborted) throw new Aborted('aborted');
  };

  async function runA(): Promise<Figures> {
    fake.reset();
    const storePath = join(dir, 'run-a.sqlite');
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const child = await runChild(session, [storePath, fake.url, 'fresh', chatsPath]);
    await drained(fake);
    alive();
    problems.push(...childProblems(child, false).map((p) => `run A: ${p}`));
    return figures('A: no crash', fake, chats, blocked, `sqlite://${storePath}`, [child], (performance.now() - t0) / 1_000, process.cpuUsage(cpu0));
  }

  /**
   * Run A on PostgreSQL, in a database of its own; a string saying why when there is no server. Its
   * outbox is measured once more after VACUUM FULL, which keeps the live rows only.
   */
  async function runC(): Promise<PostgresRun | string> {
    const database = await createBenchDatabase('akhbar_bench_delivery');
    if (typeof database === 'string') return database;
    try {
      fake.reset();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const child = await runChild(session, [database.url, fake.url, 'fresh', chatsPath]);
      await drained(fake);
      alive();
      problems.push(...childProblems(child, false).map((p) => `run C: ${p}`));
      const run = await figures('C: no crash, PostgreSQL', fake, chats, blocked, database.url, [child], (performance.now() - t0) / 1_000, process.cpuUsage(cpu0));
      const storage = (await openStorage(database.url)) as PostgresStorage;
      try {
        await storage.pool.query(`VACUUM FULL ${OUTBOX_TABLES.join(', ')}`);
        return { figures: run, vacuumed: await measureOutboxBytes(storage) };
      } finally {
        await storage.close();
      }
    } finally {
      // A child killed at the deadline may still hold connections; drop() forces them out.
      await database.drop();
    }
  }

  async function runB(): Promise<CrashRun> {
    fake.reset();
    const storePath = join(dir, 'run-b.sqlite');
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let first: ChildProcess | undefined;
    fake.onAccepted = (accepted, run) => {
      if (run === 'fresh' && accepted === KILL_AFTER) first?.kill('SIGKILL');
    };
    const killed = await runChild(session, [storePath, fake.url, 'fresh', chatsPath], (child) => (first = child));
    await drained(fake);
    alive();
    fake.onAccepted = undefined;
    problems.push(...childProblems(killed, true).map((p) => `run B: ${p}`));

    // Before the restart: what the platform got from the dead process that its outbox still calls pending.
    const fromKilled = new Map<string, string>();
    for (const r of fake.received) if (r.run === 'fresh') fromKilled.set(r.chatId, r.messageId);
    const storage = await openStorage(`sqlite://${storePath}`);
    let inFlightAtKill = 0;
    let pendingAtKill: number;
    try {
      for (const [chatId, articleId] of fromKilled) {
        if ((await storage.outbox.get(`a:${articleId}:telegram:${chatId}`))?.status === 'pending') inFlightAtKill++;
      }
      pendingAtKill = (await storage.outbox.counts()).pending;
    } finally {
      await storage.close();
    }
    alive();

    const resumed = await runChild(session, [storePath, fake.url, 'resume']);
    await drained(fake);
    alive();
    problems.push(...childProblems(resumed, false).map((p) => `run B: ${p}`));
    return {
      figures: await figures('B: killed, resumed', fake, chats, blocked, `sqlite://${storePath}`, [killed, resumed], (performance.now() - t0) / 1_000, process.cpuUsage(cpu0)),
      inFlightAtKill,
      pendingAtKill,
      acceptedAtKill: fromKilled.size,
    };
  }

  const body = (async () => {
    const a = await runA();
    const b = await runB();
    const c = await runC();
    return { a, b, c };
  })();
  body.catch(() => undefined);

  try {
    const { a, b, c } = await Promise.race([body, deadline]);
    printReport(a, b, c, blocked.size, problems);
    console.log(`\n(benchmark process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB; total ${((performance.now() - started) / 1_000).toFixed(1)} s)`);
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
    console.error(`\nABORTED: ${error.message}; the figures are incomplete.`);
    process.exitCode = 1;
  } finally {
    clearTimeout(abortTimer);
    session.aborted = true;
    for (const child of session.children) child.kill('SIGKILL');
    // Let the runs notice (their children are dead) before their files go.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([body.then(() => undefined, () => undefined), new Promise((resolve) => (grace = setTimeout(resolve, 10_000)))]);
    clearTimeout(grace);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printReport(a: Figures, b: CrashRun, pgRun: PostgresRun | string, blocked: number, problems: readonly string[]): void {
  const c = typeof pgRun === 'string' ? pgRun : pgRun.figures;
  const columns = ['run', 'delivered', 'duplicates', 'lost', 'deactivated', '429s', '5xx', 'throughput', 'peak RSS MB', 'seconds'];
  const row = (f: Figures) => [
    f.label,
    String(f.delivered),
    String(f.duplicates),
    String(f.lost),
    String(f.deactivated),
    String(f.tooMany),
    String(f.serverErrors),
    f.ratio.toFixed(3),
    f.peakRssMb.toFixed(1),
    f.seconds.toFixed(1),
  ];
  const rows = [columns, row(a), row(b.figures), ...(typeof c === 'string' ? [] : [row(c)])];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));

  console.log(`\nthroughput = messages accepted / seconds from the first to the last accepted (per delivery process) / ${LIMIT_PER_SECOND} per second enforced`);
  for (const f of [a, b.figures, ...(typeof c === 'string' ? [] : [c])]) {
    console.log(
      `  ${f.label}: ${f.accepted} accepted of ${f.requests} requests in ${f.sendingSeconds.toFixed(2)} s of sending; ` +
        `all requests (with 403/429/502) ${f.requestRatio.toFixed(3)} of the limit; the child's pacer is set to ${((TELEGRAM_LIMITS.perSecond * SCALE) / LIMIT_PER_SECOND).toFixed(3)} of it; ` +
        `the fake platform (this process) used ${f.platformCpu.toFixed(2)} CPU ms per wall ms over the run`,
    );
    for (const c of f.children) {
      if (c.done) console.log(`    ${c.mode} child: phases ${JSON.stringify(c.done.phases)} ms, while sending ${JSON.stringify(c.done.sending)}, worker ${JSON.stringify(c.done.stats)}, outbox after ${JSON.stringify(c.done.outbox)}`);
      else console.log(`    ${c.mode} child: no report (ended by ${c.signal ?? `code ${c.code}`}), peak RSS so far ${(c.peakRssBytes / 2 ** 20).toFixed(1)} MB`);
    }
  }
  console.log(
    `  run B kill: the platform had accepted ${b.acceptedAtKill} messages from the killed process; its outbox still had ${b.pendingAtKill} pending, ` +
      `${b.inFlightAtKill} of them already received (in flight at the kill)`,
  );
  if (typeof c === 'string') console.log(`  run C (PostgreSQL) skipped: ${c}`);

  console.log('\noutbox bytes per delivery (the deliveries table with its indexes, delivery_messages, delivery_items, delivery_counts):');
  const finishedBytes = new Map<string, Measured>();
  for (const [backend, f] of [['SQLite', a], ['PostgreSQL', c]] as const) {
    if (typeof f === 'string') continue;
    const done = f.children[0]?.done;
    if (!done) {
      console.log(`  ${backend}: no report from the child`);
      continue;
    }
    const moments: [string, Measured | undefined][] = [
      ['pending, right after the fan-out', done.outboxBytes.pending],
      ['finished, after the broadcast', done.outboxBytes.finished],
    ];
    if (backend === 'PostgreSQL' && typeof pgRun !== 'string') moments.push(['finished, live rows only (after VACUUM FULL)', pgRun.vacuumed]);
    for (const [moment, measured] of moments) {
      if (!measured) continue;
      if ('unavailable' in measured) {
        console.log(`  ${backend}, ${moment}: not measured (${measured.unavailable})`);
        continue;
      }
      const parts = Object.entries(measured.parts)
        .filter(([, bytes]) => bytes / measured.deliveries >= 0.5)
        .map(([name, bytes]) => `${name} ${(bytes / measured.deliveries).toFixed(1)}`)
        .join(', ');
      console.log(
        `  ${backend}, ${moment}: ${perDelivery(measured).toFixed(1)} bytes per delivery (${measured.total.toLocaleString('en')} bytes / ${measured.deliveries} deliveries, ` +
          `${measured.pending} pending); by table or index: ${parts}${measured.perChat > 0 ? `; and ${(measured.perChat / measured.deliveries).toFixed(1)} per chat in delivery_chats, paid once per chat` : ''}`,
      );
    }
    console.log(`    (${'unavailable' in done.outboxBytes.finished ? 'not measured' : done.outboxBytes.finished.method})`);
    finishedBytes.set(backend, done.outboxBytes.finished);
  }

  const checks: [string, boolean, string][] = [
    [`target throughput ≥ ${TARGET_RATIO}`, a.ratio >= TARGET_RATIO && b.figures.ratio >= TARGET_RATIO, `run A ${a.ratio.toFixed(3)}, run B ${b.figures.ratio.toFixed(3)}`],
    ['crash run: lost = 0', b.figures.lost === 0, `lost ${b.figures.lost}`],
    [`crash run: duplicates (${b.figures.duplicates}) ≤ in flight at kill (${b.inFlightAtKill})`, b.figures.duplicates <= b.inFlightAtKill, ''],
    ['no-crash run: lost = 0 and duplicates = 0', a.lost === 0 && a.duplicates === 0, `lost ${a.lost}, duplicates ${a.duplicates}`],
    [
      'deactivated = exactly the blocked chats',
      [a, b.figures].every((f) => f.deactivated === blocked && f.deactivatedWrongly === 0),
      `${blocked} blocked; A ${a.deactivated} deactivated (${a.deactivatedWrongly} not blocked), B ${b.figures.deactivated} (${b.figures.deactivatedWrongly} not blocked)`,
    ],
    ['no blocked chat received the message', a.blockedReceived === 0 && b.figures.blockedReceived === 0, `A ${a.blockedReceived}, B ${b.figures.blockedReceived}`],
  ];
  for (const [backend, measured] of finishedBytes) {
    const figure = 'unavailable' in measured ? undefined : perDelivery(measured);
    checks.push([
      `target outbox bytes per delivery after the 10k broadcast ≤ ${TARGET_BYTES_PER_DELIVERY} (${backend})`,
      figure !== undefined && figure <= TARGET_BYTES_PER_DELIVERY,
      figure === undefined ? 'not measured' : figure.toFixed(1),
    ]);
  }
  if (typeof c !== 'string') checks.push(['PostgreSQL run: lost = 0 and duplicates = 0', c.lost === 0 && c.duplicates === 0, `lost ${c.lost}, duplicates ${c.duplicates}`]);
  console.log('');
  for (const [label, ok, detail] of checks) console.log(`${label}: ${ok ? 'met' : 'NOT met'}${detail ? ` (${detail})` : ''}${ok ? '' : '  <<<'}`);
  if (problems.length > 0) {
    console.log('\nproblems:');
    for (const p of problems) console.log(`  - ${p}`);
  }
}
