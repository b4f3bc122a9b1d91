import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startDelivery, type DeliveryService } from '../../../src/core/delivery/index.js';
import { scaleLimits, TELEGRAM_LIMITS, type RateLimits } from '../../../src/core/delivery/pacing.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { NewsDesk } from '../../../src/core/newsDesk.js';
import type { Storage } from '../../../src/core/ports.js';
import { noTelemetry, type Telemetry } from '../../../src/core/telemetry.js';
import { createSubscriptions, type ChatKind, type Subscriptions } from '../../../src/core/subscriptions.js';
import type { Actor } from '../../../src/core/types.js';
import { openStorage } from '../../../src/storage/index.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';
import type { Engine } from '../../../src/core/engine.js';
import { createExtractiveEngine } from '../../../src/engines/extractive/index.js';
import { openTestDesk } from '../../support/desk.js';
import { fakeSender, type FakeSender } from '../../support/fakeSender.js';
import { fakeTime, type FakeTime } from '../../support/fakeTime.js';
import { sampleArticle } from '../../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'akhbar-delivery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Telegram's limits, 20 times faster so tests take milliseconds, not minutes.
const FAST = scaleLimits(TELEGRAM_LIMITS, 20);

interface Rig {
  desk: NewsDesk;
  storage: Storage;
  subscriptions: Subscriptions;
  sender: FakeSender;
  delivery: DeliveryService;
}

interface RigOptions {
  storeUrl?: string;
  limits?: RateLimits;
  sender?: FakeSender;
  senderPlatform?: string;
  clock?: () => number;
  /** Virtual time for the worker, the database and the platform: backoff and pacing take no real time. */
  time?: FakeTime;
  concurrency?: number;
  owner?: string;
  leaseMs?: number;
  senderHeartbeatMs?: number;
  maxHeld?: number;
  telemetry?: Telemetry;
}

async function rig(options: RigOptions = {}): Promise<Rig> {
  if (options.time) options = { ...options, clock: options.time.now };
  // One clock for the database and the core, so claims and retries agree on "now".
  const storage = await openStorage(options.storeUrl ?? 'memory://', options.clock ? { clock: options.clock } : {});
  const { desk } = await openTestDesk({ storage, changePollMs: 50, ...(options.clock ? { now: () => new Date(options.clock!()) } : {}) });
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  const sender = options.sender ?? fakeSender('telegram', options.clock);
  const delivery = await startDelivery({
    storage,
    desk,
    subscriptions,
    senders: new Map([[options.senderPlatform ?? 'telegram', sender]]),
    limits: new Map([['telegram', options.limits ?? FAST]]),
    logger: silentLogger,
    owner: options.owner ?? 'test',
    digestCheckMs: 0,
    fanOutSweepMs: 100,
    worker: { backoffBaseMs: 20, concurrency: options.concurrency ?? 16, pollMs: 50, ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.maxHeld ? { maxHeld: options.maxHeld } : {}),
      ...(options.senderHeartbeatMs ? { senderHeartbeatMs: options.senderHeartbeatMs, senderLeaseMs: options.senderHeartbeatMs * 5 } : {}),
      ...(options.time ? { timers: options.time.timers } : {}),
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  return { desk, storage, subscriptions, sender, delivery };
}

async function subscribeChats(subscriptions: Subscriptions, ids: string[], kind: ChatKind = 'private') {
  for (const chatId of ids) await subscriptions.subscribe({ platform: 'telegram', chatId, kind }, { mode: 'each' }, new Date());
}

async function postAndDeliver(r: Rig, name: Parameters<typeof sampleArticle>[0], time?: FakeTime) {
  const { article } = await r.desk.postArticle({ text: sampleArticle(name) }, operator);
  // Posting starts the fan-out without waiting for it; wait for it, then for the sends.
  await r.delivery.settled();
  // In virtual time the worker's timers fire only as the test drives them.
  await (time ? time.runUntil(r.delivery.worker.idle()) : r.delivery.worker.idle());
  return article;
}

describe('delivery of new articles', () => {
  it('sends every `each` subscriber the article’s summary exactly once, and digest subscribers nothing yet', async () => {
    const r = await rig();
    await subscribeChats(r.subscriptions, ['10', '11', '12']);
    await r.subscriptions.subscribe({ platform: 'telegram', chatId: '-100', kind: 'channel' }, { mode: 'digest', digestTime: '08:00' }, new Date());
    const article = await postAndDeliver(r, 'ar-solar-plant.txt');
    expect(r.sender.received.map((m) => m.chatId).sort()).toEqual(['10', '11', '12']);
    const message = r.sender.received[0]!.message;
    expect(message.kind).toBe('article');
    if (message.kind === 'article') {
      expect(message.summary.articleId).toBe(article.id);
      expect(message.summary.language).toBe('ar');
      expect(message.summary.sentences.length).toBeGreaterThanOrEqual(3);
    }
    // Fanning out the same article again sends nothing new.
    expect(await r.delivery.fanOut(article)).toBe(0);
    const report = await r.delivery.report();
    expect(report).toMatchObject({ pending: 0, sent: 3, failed: 0, dead: 0 });
    expect(report.byArticle).toEqual([{ articleId: article.id, pending: 0, sent: 3, failed: 0, dead: 0 }]);
  });

  it('queues deliveries by itself when an article is posted, without holding up the post', async () => {
    const r = await rig();
    await subscribeChats(r.subscriptions, ['20', '21']);
    await r.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await expect.poll(() => r.sender.received.length, { timeout: 5_000 }).toBe(2);
  });

  it('answers users while a large broadcast is still going out', async () => {
    const r = await rig({ limits: { perSecond: 500, chatIntervalMs: { private: 0, group: 0, channel: 0 } } });
    await subscribeChats(
      r.subscriptions,
      Array.from({ length: 2_000 }, (_, i) => String(20_000 + i)),
    );
    const { article } = await r.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await r.delivery.settled();
    expect((await r.delivery.report()).pending).toBeGreaterThan(1_000);
    const answer = await r.desk.ask('How quickly can the gates be closed?');
    expect(answer.citations[0]!.articleId).toBe(article.id);
    // The answer came back long before the broadcast finished.
    expect((await r.delivery.report()).pending).toBeGreaterThan(500);
    await r.delivery.stop();
  });

  it('keeps to the overall rate and to the gap between messages into one chat', async () => {
    const limits: RateLimits = { perSecond: 100, chatIntervalMs: { private: 60, group: 200, channel: 200 } };
    const time = fakeTime();
    const r = await rig({ limits, time });
    const chats = Array.from({ length: 40 }, (_, i) => String(1000 + i));
    await subscribeChats(r.subscriptions, chats);
    await postAndDeliver(r, 'en-rail-strike.txt', time);
    await postAndDeliver(r, 'en-flood-barrier.txt', time);
    const times = r.sender.received.map((m) => m.at).sort((a, b) => a - b);
    expect(times).toHaveLength(80);
    // No 100 ms window holds more than 10 sends (100/s), give or take the pacer's catch-up.
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 100).length;
      expect(inWindow).toBeLessThanOrEqual(10 + 3);
    }
    // 80 sends at 100/s take at least 0.79 s of (virtual) time.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(790 - 30);
    for (const chat of chats) {
      const [first, second] = r.sender.received.filter((m) => m.chatId === chat).map((m) => m.at);
      expect(second! - first!).toBeGreaterThanOrEqual(59);
    }
  });

  it('waits out a 429 for that chat only, and the message still arrives once', async () => {
    const time = fakeTime();
    const r = await rig({ time });
    await subscribeChats(r.subscriptions, ['30', '31']);
    r.sender.script.set('30', [{ kind: 'rate-limited', retryAfterMs: 300 }]);
    await postAndDeliver(r, 'en-rail-strike.txt', time);
    const calls30 = r.sender.calls.filter((c) => c.chatId === '30');
    expect(calls30).toHaveLength(2);
    // Virtual time: the wait is what the platform asked for, to the millisecond, plus the pacer's turn.
    expect(calls30[1]!.at - calls30[0]!.at).toBeGreaterThanOrEqual(300);
    expect(calls30[1]!.at - calls30[0]!.at).toBeLessThan(300 + 10);
    expect(r.sender.received.filter((m) => m.chatId === '30')).toHaveLength(1);
    // The other chat was not held up by chat 30's wait.
    expect(r.sender.received.find((m) => m.chatId === '31')!.at).toBeLessThan(calls30[1]!.at);
  });

  it('backs off while the database cannot be claimed from, instead of asking it again at every poll, and delivers once it is back', async () => {
    const time = fakeTime();
    const r = await rig({ time });
    await subscribeChats(r.subscriptions, ['50']);
    const outbox = r.storage.outbox;
    const claim = outbox.claim.bind(outbox);
    let broken = true;
    let claims = 0;
    outbox.claim = async (request) => {
      claims++;
      if (broken) throw new Error('SQLITE_BUSY: database is locked');
      return claim(request);
    };
    await r.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await r.delivery.settled();
    await time.advance(10_000);
    // The rig polls every 50 ms: 200 claims in 10 s without a back-off; 20·2^n ms waits make about 10.
    expect(claims).toBeLessThanOrEqual(12);
    broken = false;
    await time.advance(15_000);
    await time.runUntil(r.delivery.worker.idle());
    expect(r.sender.received.map((m) => m.chatId)).toEqual(['50']);
    await r.delivery.stop();
  });

  it('retries server errors with backoff, and gives up after the last attempt', async () => {
    const time = fakeTime();
    const r = await rig({ time });
    await subscribeChats(r.subscriptions, ['40', '41']);
    const error = { kind: 'transient', error: '502 Bad Gateway' } as const;
    r.sender.script.set('40', [error, error]);
    r.sender.script.set('41', Array.from({ length: 20 }, () => error));
    await postAndDeliver(r, 'en-rail-strike.txt', time);
    expect(r.sender.received.map((m) => m.chatId)).toEqual(['40']);
    const report = await r.delivery.report();
    expect(report).toMatchObject({ sent: 1, failed: 1, pending: 0 });
    const calls41 = r.sender.calls.filter((c) => c.chatId === '41').map((c) => c.at);
    expect(calls41).toHaveLength(8);
    // The rig's base is 20 ms: the n-th wait is 20·2^(n-1) ms, ±25 % jitter, plus at most the pacer's turn.
    for (let n = 1; n < calls41.length; n++) {
      const backoff = 20 * 2 ** (n - 1);
      const waited = calls41[n]! - calls41[n - 1]!;
      expect(waited).toBeGreaterThanOrEqual(0.75 * backoff);
      expect(waited).toBeLessThanOrEqual(1.25 * backoff + 10);
    }
    await r.delivery.stop();
  });

  it('reports each send to monitoring by platform and outcome, and each 429 with the wait it asked for', async () => {
    const time = fakeTime();
    const events: string[] = [];
    const telemetry: Telemetry = {
      ...noTelemetry,
      delivered: (platform, result) => events.push(`${platform} ${result}`),
      rateLimited: (platform, seconds) => events.push(`${platform} waits ${seconds} s`),
    };
    const r = await rig({ time, telemetry });
    await subscribeChats(r.subscriptions, ['70', '71', '72', '73', '74']);
    const error = { kind: 'transient', error: '502 Bad Gateway' } as const;
    r.sender.script.set('71', [error]);
    r.sender.script.set('72', Array.from({ length: 8 }, () => error));
    r.sender.script.set('73', [{ kind: 'chat-gone', reason: 'Forbidden: bot was kicked' }]);
    r.sender.script.set('74', [{ kind: 'rate-limited', retryAfterMs: 1_500 }]);
    await postAndDeliver(r, 'en-rail-strike.txt', time);
    const count = (event: string) => events.filter((e) => e === event).length;
    expect(count('telegram sent')).toBe(3);
    // 71 once; 72 seven times before its eighth and last try fails.
    expect(count('telegram retried')).toBe(8);
    expect(count('telegram failed')).toBe(1);
    expect(count('telegram dropped')).toBe(1);
    expect(events.filter((e) => e.includes('waits'))).toEqual(['telegram waits 1.5 s']);
    await r.delivery.stop();
  });

  it('deactivates a chat that blocked the bot instead of retrying it, and sends it nothing more', async () => {
    const r = await rig();
    await subscribeChats(r.subscriptions, ['50', '51']);
    r.sender.script.set('51', [{ kind: 'chat-gone', reason: 'Forbidden: bot was blocked by the user' }]);
    await postAndDeliver(r, 'en-rail-strike.txt');
    const gone = await r.subscriptions.get('telegram:51');
    expect(gone).toMatchObject({ active: false, inactiveReason: 'Forbidden: bot was blocked by the user' });
    await postAndDeliver(r, 'en-flood-barrier.txt');
    expect(r.sender.calls.filter((c) => c.chatId === '51')).toHaveLength(1);
    expect(r.sender.received.filter((m) => m.chatId === '50')).toHaveLength(2);
    expect((await r.delivery.report()).dead).toBe(1);
  });

  it('stops the subscriptions of a gone chat’s forum topics with it, and delivers into a topic with its thread', async () => {
    const r = await rig();
    const group = { platform: 'telegram', chatId: '-1009', kind: 'group' as const };
    await r.subscriptions.subscribe(group, { mode: 'each' }, new Date());
    await r.subscriptions.subscribe({ ...group, threadId: '5' }, { mode: 'each', format: 'headline' }, new Date());
    await postAndDeliver(r, 'en-rail-strike.txt');
    expect(r.sender.received.map((m) => [m.target?.threadId, m.message.style?.format])).toEqual(
      expect.arrayContaining([
        [undefined, 'summary'],
        ['5', 'headline'],
      ]),
    );
    r.sender.script.set('-1009', [{ kind: 'chat-gone', reason: 'Forbidden: bot was kicked from the supergroup chat' }]);
    await postAndDeliver(r, 'en-flood-barrier.txt');
    expect((await r.subscriptions.list()).map((s) => [s.id, s.active])).toEqual([
      ['telegram:-1009', false],
      ['telegram:-1009:5', false],
    ]);
  });

  it('follows a group that migrated to a supergroup and delivers there', async () => {
    const r = await rig();
    await subscribeChats(r.subscriptions, ['-60'], 'group');
    r.sender.script.set('-60', [{ kind: 'migrated', newChatId: '-10060' }]);
    await postAndDeliver(r, 'en-rail-strike.txt');
    expect(r.sender.received.map((m) => m.chatId)).toEqual(['-10060']);
    expect(await r.subscriptions.get('telegram:-60')).toBeUndefined();
    expect(await r.subscriptions.get('telegram:-10060')).toMatchObject({ chatId: '-10060', active: true, kind: 'group' });
  });

  it('resumes after a crash: nothing lost, and only the messages in flight at the crash sent twice', async () => {
    const storeUrl = `sqlite://${join(dir, 'crash.sqlite')}`;
    const crashingSender = fakeSender();
    // After 10 messages the process "dies": the platform receives the next sends, but their answers
    // never come back, so the outbox never records them as sent.
    const chats = Array.from({ length: 30 }, (_, i) => String(7000 + i));
    let sends = 0;
    const original = crashingSender.send.bind(crashingSender);
    crashingSender.send = async (target, message) => {
      if (++sends <= 10) return original(target, message);
      crashingSender.received.push({ chatId: target.chatId, at: Date.now(), message });
      return new Promise(() => {});
    };
    // Short sender heartbeats: the dead process stays counted (and the newcomer waits) for a few of them.
    const first = await rig({ storeUrl, sender: crashingSender, concurrency: 4, owner: 'first', leaseMs: 400, senderHeartbeatMs: 200 });
    await subscribeChats(first.subscriptions, chats);
    const { article } = await first.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    expect(article.id).toMatch(/^[0-9a-f]{12}$/);
    await first.delivery.settled();
    await expect.poll(() => sends, { timeout: 5_000 }).toBeGreaterThanOrEqual(14);
    const inFlightAtCrash = first.delivery.worker.inFlight;
    expect(inFlightAtCrash).toBe(4);
    // The process dies: its connection is gone, so its claims are no longer renewed and run out.
    await first.storage.close();

    // A new process on the same database, a working platform: it takes over once the claims run out.
    const second = await rig({ storeUrl, owner: 'second', senderHeartbeatMs: 200 });
    await expect.poll(() => second.sender.received.length, { timeout: 5_000 }).toBe(20);
    await second.delivery.worker.idle();
    const delivered = [...crashingSender.received, ...second.sender.received].map((m) => m.chatId);
    expect(new Set(delivered)).toEqual(new Set(chats));
    // The 4 in flight at the crash are sent again; everything else exactly once.
    expect(second.sender.received).toHaveLength(20);
    expect(delivered.length - chats.length).toBe(inFlightAtCrash);
    expect((await second.delivery.report()).sent).toBe(30);
    await second.delivery.stop();
  });

  it('does not send what it could no longer keep claimed while the database was away', async () => {
    const time = fakeTime();
    const name = `cut-off-${Date.now()}`;
    const storage = openMemoryStorage(name, { clock: time.now });
    const { desk } = await openTestDesk({ storage, now: () => new Date(time.now()) });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscribeChats(subscriptions, ['90', '91', '92', '93', '94']);
    const sender = fakeSender('telegram', time.now);
    let release: () => void = () => {};
    let firstStarted: () => void = () => {};
    const sending = new Promise<void>((resolve) => (firstStarted = resolve));
    const original = sender.send.bind(sender);
    let started = 0;
    // The first send hangs until the test lets it finish: the claims on the rest wait meanwhile.
    sender.send = async (target, message) => {
      if (++started === 1) {
        firstStarted();
        await new Promise<void>((resolve) => (release = resolve));
      }
      return original(target, message);
    };
    const delivery = await startDelivery({
      storage,
      desk,
      subscriptions,
      senders: new Map([['telegram', sender]]),
      limits: new Map([['telegram', { perSecond: 1_000, chatIntervalMs: { private: 0, group: 0, channel: 0 } }]]),
      logger: silentLogger,
      owner: 'cut-off',
      digestCheckMs: 0,
      clock: time.now,
      worker: { concurrency: 1, leaseMs: 150, pollMs: 50, timers: time.timers },
    });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await delivery.settled();
    await time.runUntil(sending);
    expect(started).toBe(1);
    // The database goes away long enough for every claim to run out, and another process takes them.
    storage.simulateOutage(true);
    await time.advance(300);
    storage.simulateOutage(false);
    const other = openMemoryStorage(name, { clock: time.now });
    const taken = await other.outbox.claim({ owner: 'other', leaseMs: 60_000, limit: 10, platforms: ['telegram'] });
    expect(taken).toHaveLength(5);
    release();
    // Idle: the send under way has ended and nothing this process holds is left to send.
    await time.runUntil(delivery.worker.idle());
    // Only the send already under way went out from here; the other process has the rest.
    expect(started).toBe(1);
    expect(sender.received).toHaveLength(1);
    expect(delivery.worker.stats.skipped).toBeGreaterThanOrEqual(4);
    await delivery.stop();
  });

  it('does not send what a renewal that came too late no longer holds', async () => {
    const name = `late-renewal-${Date.now()}`;
    const storage = openMemoryStorage(name);
    const { desk } = await openTestDesk({ storage });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscribeChats(subscriptions, ['95', '96', '97', '98', '99']);
    const sender = fakeSender();
    let release: () => void = () => {};
    const original = sender.send.bind(sender);
    let started = 0;
    sender.send = async (target, message) => {
      if (++started === 1) await new Promise<void>((resolve) => (release = resolve));
      return original(target, message);
    };
    // A busy database: from the second renewal on, renewals wait in a queue until the test lets
    // them through, and looking a delivery up (what the worker once did to learn which it lost) takes a while.
    let renewals = 0;
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let secondRenewalAt = 0;
    const outbox: typeof storage.outbox = Object.create(storage.outbox) as typeof storage.outbox;
    outbox.renew = async (ids, owner, ms) => {
      if (++renewals >= 2) {
        if (renewals === 2) secondRenewalAt = Date.now();
        await gate;
      }
      return storage.outbox.renew(ids, owner, ms);
    };
    outbox.get = async (id) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return storage.outbox.get(id);
    };
    const leaseMs = 900;
    const delivery = await startDelivery({
      storage: { ...storage, outbox },
      desk,
      subscriptions,
      senders: new Map([['telegram', sender]]),
      limits: new Map([['telegram', { perSecond: 1_000, chatIntervalMs: { private: 0, group: 0, channel: 0 } }]]),
      logger: silentLogger,
      owner: 'late',
      digestCheckMs: 0,
      // No look at the outbox meanwhile: it would claim its own lapsed claims again before the other process.
      worker: { concurrency: 1, leaseMs, pollMs: 60_000 },
    });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await expect.poll(() => started).toBe(1);
    await expect.poll(() => secondRenewalAt, { timeout: 3_000 }).toBeGreaterThan(0);
    // The first renewal made the claims last until a lease after it, a third of a lease before the
    // second was asked for; once that has passed, another process takes them.
    await new Promise((resolve) => setTimeout(resolve, secondRenewalAt + (leaseMs * 2) / 3 + 100 - Date.now()));
    const other = openMemoryStorage(name);
    expect(await other.outbox.claim({ owner: 'other', leaseMs: 60_000, limit: 10, platforms: ['telegram'] })).toHaveLength(5);
    // The renewal goes through now, renews nothing, and the send under way ends meanwhile.
    open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sender.received).toHaveLength(1);
    await delivery.stop();
  });

  it('keeps a sent delivery claimed while its outcome waits to be written', async () => {
    const name = `slow-settle-${Date.now()}`;
    const storage = openMemoryStorage(name);
    const { desk } = await openTestDesk({ storage });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscribeChats(subscriptions, ['89']);
    const sender = fakeSender();
    const leaseMs = 300;
    // A busy database: the settle waits in a queue for longer than a claim lasts unrenewed.
    let settling = 0;
    const outbox: typeof storage.outbox = Object.create(storage.outbox) as typeof storage.outbox;
    outbox.settle = async (id, owner, outcome) => {
      settling++;
      await new Promise((resolve) => setTimeout(resolve, leaseMs * 3));
      return storage.outbox.settle(id, owner, outcome);
    };
    const delivery = await startDelivery({
      storage: { ...storage, outbox },
      desk,
      subscriptions,
      senders: new Map([['telegram', sender]]),
      limits: new Map([['telegram', { perSecond: 1_000, chatIntervalMs: { private: 0, group: 0, channel: 0 } }]]),
      logger: silentLogger,
      owner: 'slow',
      digestCheckMs: 0,
      worker: { concurrency: 1, leaseMs, pollMs: 50 },
    });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await expect.poll(() => settling).toBe(1);
    // Past the end of the claim it had when it was sent: another process finds nothing to take.
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 2));
    const other = openMemoryStorage(name);
    expect(await other.outbox.claim({ owner: 'other', leaseMs: 60_000, limit: 10, platforms: ['telegram'] })).toEqual([]);
    await delivery.worker.idle();
    expect(sender.received).toHaveLength(1);
    expect((await delivery.report()).sent).toBe(1);
    await delivery.stop();
  });

  it('keeps a fan-out its holder is still working on (summaries slower than the claim) from a second process', async () => {
    const storage = openMemoryStorage();
    const extractive = createExtractiveEngine();
    // Each summary takes 4 claims' length, as a slow LLM's would.
    const engine: Engine = { ...extractive, summarize: async (request) => (await sleep(400), extractive.summarize(request)) };
    const { desk } = await openTestDesk({ storage, engine, changePollMs: 0 });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscribeChats(subscriptions, ['90']);
    await subscriptions.subscribe({ platform: 'telegram', chatId: '91', kind: 'private' }, { mode: 'each', language: 'ar' }, new Date());
    const claims: string[] = [];
    // Both processes read one database; what it grants each is recorded.
    const outbox: Storage['outbox'] = {
      ...storage.outbox,
      claimFanOut: async (articleId, owner, leaseMs) => {
        const granted = await storage.outbox.claimFanOut(articleId, owner, leaseMs);
        if (granted) claims.push(owner);
        return granted;
      },
    };
    const sender = fakeSender('telegram');
    const processes = await Promise.all(
      (['first', 'second'] as const).map((owner) =>
        startDelivery({
          storage: { ...storage, outbox },
          desk,
          subscriptions,
          senders: new Map([['telegram', sender]]),
          limits: new Map([['telegram', FAST]]),
          logger: silentLogger,
          owner,
          digestCheckMs: 0,
          // The second looks for fan-outs nobody holds every 20 ms, the first starts its own at once.
          fanOutSweepMs: owner === 'second' ? 20 : 0,
          fanOutLeaseMs: 100,
          worker: { pollMs: 20 },
        }),
      ),
    );
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await expect.poll(() => sender.received.map((m) => m.chatId).sort(), { timeout: 5_000 }).toEqual(['90', '91']);
    // Whichever took it first held it to the end: its claim renewed while it summarized.
    expect(new Set(claims).size).toBe(1);
    for (const process of processes) await process.stop();
  });

  it('takes over a fan-out a crashed process had claimed but not finished', async () => {
    const storeUrl = `sqlite://${join(dir, 'fan-out-crash.sqlite')}`;
    const storage = await openStorage(storeUrl);
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscribeChats(subscriptions, ['80', '81', '82']);
    // The first process stored the article with its fan-out request, claimed the fan-out, and died.
    const { desk } = await openTestDesk({ storage });
    const { article } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    expect(await storage.outbox.claimFanOut(article.id, 'dead-process', 300)).toBe(true);
    await desk.close();
    await storage.close();

    const survivor = await rig({ storeUrl, owner: 'survivor' });
    await expect.poll(() => survivor.sender.received.map((m) => m.chatId).sort(), { timeout: 5_000 }).toEqual(['80', '81', '82']);
    expect(await survivor.storage.outbox.fanOutState(article.id)).toBe('done');
    await survivor.delivery.stop();
  });
});

describe('digests', () => {
  it('sends one digest at the local time with what was posted since the last one, and nothing on an empty day', async () => {
    let now = Date.parse('2026-11-29T05:00:00Z');
    const r = await rig({ clock: () => now });
    // 08:00 in Algiers is 07:00 UTC.
    await r.subscriptions.subscribe(
      { platform: 'telegram', chatId: '-200', kind: 'channel' },
      { mode: 'digest', digestTime: '08:00', timeZone: 'Africa/Algiers', language: 'ar' },
      new Date(now),
    );
    now += 60_000;
    const first = await r.desk.postArticle({ text: sampleArticle('ar-book-fair.txt') }, operator);
    now += 60_000;
    const second = await r.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);

    now = Date.parse('2026-11-29T06:59:00Z');
    expect(await r.delivery.runDigests(now)).toBe(0);
    now = Date.parse('2026-11-29T07:00:30Z');
    expect(await r.delivery.runDigests(now)).toBe(1);
    expect(await r.delivery.runDigests(now + 60_000)).toBe(0);
    await r.delivery.worker.idle();
    expect(r.sender.received).toHaveLength(1);
    const digest = r.sender.received[0]!.message;
    expect(digest.kind).toBe('digest');
    if (digest.kind === 'digest') expect(digest.summaries.map((s) => s.articleId)).toEqual([first.article.id, second.article.id]);

    // The next day nothing new was posted: no digest.
    now = Date.parse('2026-11-30T07:01:00Z');
    expect(await r.delivery.runDigests(now)).toBe(0);
    await r.delivery.worker.idle();
    expect(r.sender.received).toHaveLength(1);
  });
});

describe('several processes on one SQLite file', () => {
  it('put articles posted through either of them in one digest', async () => {
    let now = Date.parse('2026-11-29T05:00:00Z');
    const clock = () => now;
    const storeUrl = `sqlite://${join(dir, 'digest.sqlite')}`;
    const one = await rig({ storeUrl, clock, owner: 'one' });
    const two = await rig({ storeUrl, clock, senderPlatform: 'nobody', owner: 'two' });
    await one.subscriptions.subscribe({ platform: 'telegram', chatId: '-300', kind: 'channel' }, { mode: 'digest', digestTime: '07:00', timeZone: 'UTC' }, new Date(now));
    now += 60_000;
    const first = await one.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    now += 60_000;
    const second = await two.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    now = Date.parse('2026-11-29T07:00:30Z');
    expect(await one.delivery.runDigests(now)).toBe(1);
    // The other process finds the slot covered (and its lease taken): no second digest.
    expect(await two.delivery.runDigests(now)).toBe(0);
    await one.delivery.worker.idle();
    const digest = one.sender.received[0]!.message;
    expect(one.sender.received).toHaveLength(1);
    expect(digest.kind === 'digest' ? digest.summaries.map((s) => s.articleId) : []).toEqual([first.article.id, second.article.id]);
    for (const r of [one, two]) {
      await r.delivery.stop();
      await r.desk.close();
      await r.storage.close();
    }
  });

  it('send each delivery once between them', async () => {
    const storeUrl = `sqlite://${join(dir, 'shared.sqlite')}`;
    // One process posts with no sender: the deliveries wait in the shared outbox.
    const poster = await rig({ storeUrl, senderPlatform: 'nobody', owner: 'poster' });
    const chats = Array.from({ length: 60 }, (_, i) => String(9000 + i));
    await subscribeChats(poster.subscriptions, chats);
    await poster.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await poster.delivery.settled();
    // Two sending processes start on the same file and race for the same deliveries.
    const platform = fakeSender();
    const [one, two] = await Promise.all([
      rig({ storeUrl, sender: platform, owner: 'one', concurrency: 8 }),
      rig({ storeUrl, sender: platform, owner: 'two', concurrency: 8 }),
    ]);
    await expect.poll(async () => (await one.delivery.report()).sent, { timeout: 10_000 }).toBe(60);
    // Both idle: neither holds anything more it could send, so no duplicate can still come.
    await Promise.all([one.delivery.worker.idle(), two.delivery.worker.idle()]);
    expect(platform.received.map((m) => m.chatId).sort()).toEqual([...chats].sort());
    expect(one.delivery.worker.stats.sent + two.delivery.worker.stats.sent).toBe(60);
    for (const r of [poster, one, two]) {
      await r.delivery.stop();
      await r.desk.close();
      await r.storage.close();
    }
  });

  it('share one rate budget between them instead of each sending at the full rate', async () => {
    const storeUrl = `sqlite://${join(dir, 'budget.sqlite')}`;
    const limits: RateLimits = { perSecond: 100, chatIntervalMs: { private: 0, group: 0, channel: 0 } };
    const poster = await rig({ storeUrl, senderPlatform: 'nobody', owner: 'poster' });
    const chats = Array.from({ length: 80 }, (_, i) => String(7000 + i));
    await subscribeChats(poster.subscriptions, chats);
    await poster.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await poster.delivery.settled();
    const platform = fakeSender();
    const [one, two] = await Promise.all([
      // Small batches, so both have work to the end and both count as senders.
      rig({ storeUrl, sender: platform, limits, owner: 'one', concurrency: 8, senderHeartbeatMs: 40, maxHeld: 8 }),
      rig({ storeUrl, sender: platform, limits, owner: 'two', concurrency: 8, senderHeartbeatMs: 40, maxHeld: 8 }),
    ]);
    await expect.poll(async () => (await one.delivery.report()).sent, { timeout: 10_000 }).toBe(80);
    expect(one.delivery.worker.stats.sent).toBeGreaterThan(0);
    expect(two.delivery.worker.stats.sent).toBeGreaterThan(0);
    const times = platform.received.map((m) => m.at).sort((a, b) => a - b);
    // 100/s between both: no 200 ms window holds more than 20, give or take the pacers' catch-up.
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 200).length).toBeLessThanOrEqual(20 + 4);
    }
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(650);
    for (const r of [poster, one, two]) {
      await r.delivery.stop();
      await r.desk.close();
      await r.storage.close();
    }
  });

  it('keep the gap between two messages into one chat when another process sends the second', async () => {
    const storeUrl = `sqlite://${join(dir, 'gap.sqlite')}`;
    const limits: RateLimits = { perSecond: 100, chatIntervalMs: { private: 400, group: 400, channel: 400 } };
    const poster = await rig({ storeUrl, senderPlatform: 'nobody', owner: 'poster' });
    await subscribeChats(poster.subscriptions, ['42']);
    await poster.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await poster.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await poster.delivery.settled();
    const first = await rig({ storeUrl, limits, owner: 'first' });
    await expect.poll(() => first.sender.received.length, { timeout: 5_000 }).toBe(1);
    // It stops with the chat's second message claimed and its gap not yet over: the next process must wait it out.
    await first.delivery.stop();
    const second = await rig({ storeUrl, limits, owner: 'second' });
    await expect.poll(() => second.sender.received.length, { timeout: 5_000 }).toBe(1);
    expect(second.sender.received[0]!.at - first.sender.received[0]!.at).toBeGreaterThanOrEqual(399);
    for (const r of [poster, first, second]) {
      if (r !== first) await r.delivery.stop();
      await r.desk.close();
      await r.storage.close();
    }
  });
});
