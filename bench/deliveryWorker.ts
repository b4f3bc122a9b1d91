/**
 * The child process of the delivery benchmark (bench/delivery.ts): one akhbar delivery service over
 * a SQLite store, sending through HTTP to the parent's fake Telegram platform.
 *
 *   node --import tsx bench/deliveryWorker.ts STORE_PATH PLATFORM_URL fresh|resume [CHATS_JSON]
 *
 * STORE_PATH is a SQLite file, or a store URL (postgres://…) when several children share a database
 * (bench/cluster.ts); BENCH_RUN names the child in what it sends (its mode by default). With
 * BENCH_TRACE set to a file, the child appends its debug log there (the sender counts it paces by)
 * and, every 100 ms, the queries waiting for a pooled connection and the event loop's delay.
 *
 * `fresh` subscribes the chats listed in CHATS_JSON, posts the article and fans it out; `resume` only
 * starts delivery, which picks up what a killed predecessor left pending. Either way it waits until
 * the worker is idle, then prints one JSON line `{"type":"done",...}` on stdout and exits 0; it holds
 * the outbox's size in bytes right after the fan-out (`fresh` only) and at the end. While it
 * runs it prints `{"type":"rss",...}` lines, so a parent that kills it still knows its peak memory.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { startDelivery, type DeliveryMessage, type DeliveryTarget, type SendOutcome, type Sender } from '../src/core/delivery/index.js';
import { scaleLimits, TELEGRAM_LIMITS } from '../src/core/delivery/pacing.js';
import { createLogger } from '../src/core/logger.js';
import { openNewsDesk } from '../src/core/newsDesk.js';
import { openStorage } from '../src/storage/index.js';
import { createSubscriptions, type ChatKind } from '../src/core/subscriptions.js';
import type { Article } from '../src/core/types.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';
import { ARTICLE_PATH, CONCURRENCY, SCALE } from './delivery.js';
import { measureOutboxBytes } from './outboxBytes.js';

const [storePath, platformUrl, mode, chatsPath] = process.argv.slice(2);
if (!storePath || !platformUrl || (mode !== 'fresh' && mode !== 'resume') || (mode === 'fresh' && !chatsPath)) {
  console.error('usage: deliveryWorker.ts STORE_PATH PLATFORM_URL fresh|resume [CHATS_JSON]');
  process.exit(2);
}

const started = performance.now();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
sampler.unref();
// The parent may SIGKILL this process; a heartbeat tells it the peak so far.
const heartbeat = setInterval(() => emit({ type: 'rss', peakRssBytes: peakRss }), 250);
heartbeat.unref();

function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** The fake platform answers like the Bot API, with `retry_after_ms` because its clock is scaled. */
interface PlatformAnswer {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after_ms?: number };
}

const sendUrl = new URL('/send', platformUrl).href;

const httpSender: Sender = {
  platform: 'telegram',
  async send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome> {
    const messageId =
      message.kind === 'digest' ? `digest:${message.summaries.map((s) => s.articleId).join(',')}` : message.kind === 'follow-update' ? `follow:${message.answer.question}` : message.summary.articleId;
    let status: number;
    let answer: PlatformAnswer;
    try {
      const response = await fetch(sendUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: target.chatId, kind: target.kind, messageId, run: runLabel }),
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as PlatformAnswer;
    } catch (error) {
      return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
    }
    if (status === 200) return { kind: 'sent' };
    const description = answer.description ?? `HTTP ${status}`;
    // Telegram does not say whether a 429 is per chat or global; the real adapter says 'chat' too.
    if (status === 429) return { kind: 'rate-limited', retryAfterMs: answer.parameters?.retry_after_ms ?? 1000 / SCALE, scope: 'chat' };
    if (status >= 500) return { kind: 'transient', error: `${status} ${description}` };
    if (status === 403) return { kind: 'chat-gone', reason: description };
    return { kind: 'rejected', error: `${status} ${description}` };
  },
};

// Warnings and errors (deliveries given up, store failures) go to stderr, which the parent shows.
const tracePath = process.env['BENCH_TRACE'];
// Appended synchronously: a SIGKILLed child's trace is whole up to the kill.
const logger = tracePath
  ? createLogger('debug', { process: `bench-${mode}` }, (line) => appendFileSync(tracePath, line + '\n'))
  : createLogger('warn', { process: `bench-${mode}` });
const storage = await openStorage(storePath.includes('://') ? storePath : `sqlite://${storePath}`);
if (tracePath) {
  const pool = 'pool' in storage ? (storage.pool as { waitingCount: number }) : undefined;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  setInterval(() => {
    const sample = { time: new Date().toISOString(), msg: 'bench sample', poolWaiting: pool?.waitingCount ?? 0, loopDelayMaxMs: Math.round(delay.max / 1e6) };
    appendFileSync(tracePath, JSON.stringify(sample) + '\n');
    delay.reset();
  }, 100).unref();
}
const runLabel = process.env['BENCH_RUN'] ?? mode;
// No fan-out request with the post: the explicit fanOut below is the one measured.
const desk = await openNewsDesk({ storage, engine: createExtractiveEngine(), logger, settings: loadConfig({}), queueFanOut: false });
const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');

const phases: Record<string, number> = {};
let mark = performance.now();
function phase(name: string): void {
  const now = performance.now();
  phases[name] = Math.round(now - mark);
  mark = now;
}

let article: Article | undefined;
if (mode === 'fresh') {
  const chats = JSON.parse(readFileSync(chatsPath!, 'utf8')) as { chatId: string; kind: ChatKind }[];
  const now = new Date();
  // Independent records, so a few hundred at a time is safe and much faster than one by one.
  for (let i = 0; i < chats.length; i += 500) {
    await Promise.all(
      chats.slice(i, i + 500).map((chat) => subscriptions.subscribe({ platform: 'telegram', chatId: chat.chatId, kind: chat.kind }, { mode: 'each' }, now)),
    );
  }
  phase('subscribeMs');
  // Posted before delivery starts, so the explicit fanOut below is the only one.
  ({ article } = await desk.postArticle({ text: readFileSync(ARTICLE_PATH, 'utf8') }, { kind: 'operator' }));
  phase('postMs');
}

// What a killed predecessor left pending, read before this process claims any of it.
const resumed = (await storage.outbox.counts()).pending;
const delivery = await startDelivery({
  storage,
  desk,
  subscriptions,
  senders: new Map([['telegram', httpSender]]),
  limits: new Map([['telegram', scaleLimits(TELEGRAM_LIMITS, SCALE)]]),
  logger,
  owner: `bench-${mode}-${process.pid}-${Date.now()}`,
  digestCheckMs: 0,
  // Claims run out on the platform's scaled clock too, so a killed predecessor's are taken over in scaled time.
  // Sender leases too: processes sharing the database share the rate in scaled time.
  worker: {
    concurrency: CONCURRENCY,
    backoffBaseMs: 2_000 / SCALE,
    backoffCapMs: 60_000 / SCALE,
    leaseMs: Math.max(1_000, 60_000 / SCALE),
    senderLeaseMs: 15_000 / SCALE,
    senderHeartbeatMs: 3_000 / SCALE,
  },
});
phase('startMs');

let queued = 0;
let bytesPending: Awaited<ReturnType<typeof measureOutboxBytes>> | undefined;
if (article) {
  queued = await delivery.fanOut(article);
  phase('fanOutMs');
  // At once, while the outbox is as the fan-out left it (the worker may have sent a few already).
  bytesPending = await measureOutboxBytes(storage);
  phase('measureMs');
}

// From here on the worker sends; how busy the process is tells whether it, not the platform, sets the pace.
const loopAtSendStart = performance.eventLoopUtilization();
const cpuAtSendStart = process.cpuUsage();

await delivery.worker.idle();
// Beside other processes, "nothing to claim" may only mean a dead one's claims have not run out yet.
while ((await storage.outbox.counts()).pending > 0) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await delivery.worker.idle();
}
phase('sendMs');
const busy = performance.eventLoopUtilization(loopAtSendStart);
const cpu = process.cpuUsage(cpuAtSendStart);
const bytesFinished = await measureOutboxBytes(storage);
const report = await delivery.report();
await delivery.stop();
await desk.close();
await storage.close();
clearInterval(heartbeat);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

emit({
  type: 'done',
  mode,
  peakRssBytes: peakRss,
  stats: delivery.worker.stats,
  outbox: { pending: report.pending, sent: report.sent, failed: report.failed, dead: report.dead },
  resumed,
  queued,
  phases,
  outboxBytes: { ...(bytesPending ? { pending: bytesPending } : {}), finished: bytesFinished },
  /** While sending: share of the time the event loop was busy, and CPU ms (all threads) per wall ms. */
  sending: { eventLoopUtilization: Number(busy.utilization.toFixed(3)), cpuPerWallMs: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, phases.sendMs!)).toFixed(3)) },
  totalMs: Math.round(performance.now() - started),
});
// fetch's keep-alive sockets would hold the process open for a while; the line is written first.
process.stdout.write('', () => process.exit(0));
