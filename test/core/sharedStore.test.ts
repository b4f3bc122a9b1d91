/**
 * Several processes on one database: what one stores or deletes, the others list and answer from
 * (or stop answering from) without a restart; the search index starts from its stored snapshot;
 * and a write the database refused is never reported, listed or delivered as if it had happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import type { CachedAnswer } from '../../src/core/answerCache.js';
import { indexFormat } from '../../src/core/articleIndex.js';
import { startDelivery } from '../../src/core/delivery/index.js';
import { scaleLimits, TELEGRAM_LIMITS } from '../../src/core/delivery/pacing.js';
import { isAkhbarError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Storage } from '../../src/core/ports.js';
import { createSubscriptions } from '../../src/core/subscriptions.js';
import type { Actor, Article } from '../../src/core/types.js';
import { errorText } from '../../src/i18n/errors.js';
import { openStorage } from '../../src/storage/index.js';
import { openMemoryStorage } from '../../src/storage/memory/index.js';
import { openTestDesk } from '../support/desk.js';
import { fakeSender } from '../support/fakeSender.js';
import { sampleArticle } from '../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'akhbar-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshUrl = () => `sqlite://${join(dir, `shared-${++files}.sqlite`)}`;

const SOLAR_QUESTION = 'ما هي قدرة محطة الطاقة الشمسية الجديدة؟';

describe('two processes on one SQLite file', () => {
  it('list and answer from an article the other posted, within 2 s and without a restart', async () => {
    const url = freshUrl();
    // Two handles on one file are two processes as far as SQLite and the desks can tell.
    const one = await openTestDesk({ storage: await openStorage(url) });
    const two = await openTestDesk({ storage: await openStorage(url) });
    await one.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const { article } = await one.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);

    // Listing and look-ups read the database: at once.
    expect((await two.desk.listArticles()).items.map((i) => i.id)).toContain(article.id);
    expect((await two.desk.getArticle(article.id.slice(0, 6))).title).toBe(article.title);
    // Answering needs the other process's search index to have read the change: within one poll.
    await expect
      .poll(async () => (await two.desk.ask(SOLAR_QUESTION)).citations.map((c) => c.articleId), { timeout: 2_000, interval: 50 })
      .toContain(article.id);
    expect(two.desk.articleCount).toBe(2);
    for (const side of [one, two]) {
      await side.desk.close();
      await side.storage.close();
    }
  });

  it('stop listing and answering from an article the other deleted, and never serve an answer that cited it', async () => {
    const url = freshUrl();
    // One answer cache shared by both, as Redis is shared by instances.
    const answerCache = new Keyv<CachedAnswer>();
    const one = await openTestDesk({ storage: await openStorage(url), answerCache });
    const two = await openTestDesk({ storage: await openStorage(url), answerCache });
    await one.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    const { article: solar } = await one.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    await two.desk.catchUp();
    const before = await one.desk.ask(SOLAR_QUESTION);
    expect(before.citations[0]!.articleId).toBe(solar.id);
    expect(await two.desk.ask(SOLAR_QUESTION)).toMatchObject({ cached: true, text: before.text });

    // Deleted through the first process's desk, as /delete does; the second learns of it from the change feed.
    expect((await one.desk.deleteArticle(solar.id, operator)).id).toBe(solar.id);
    expect((await two.desk.listArticles()).items.map((i) => i.id)).not.toContain(solar.id);
    await expect.poll(() => two.desk.articleCount, { timeout: 2_000, interval: 50 }).toBe(1);
    const after = await two.desk.ask(SOLAR_QUESTION);
    expect(after.cached).toBe(false);
    expect(after.citations.map((c) => c.articleId)).not.toContain(solar.id);
    await expect(two.desk.getArticle(solar.id)).rejects.toMatchObject({ code: 'ARTICLE_NOT_FOUND' });

    // Posted again (the same text is the same id): answered afresh, not from the old posting's cache entry.
    await one.desk.catchUp();
    await one.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    await two.desk.catchUp();
    const again = await two.desk.ask(SOLAR_QUESTION);
    expect(again).toMatchObject({ cached: false, found: true });
    expect(again.citations[0]!.articleId).toBe(solar.id);
    for (const side of [one, two]) {
      await side.desk.close();
      await side.storage.close();
    }
  });

  it('reload when the changes they had not read yet were pruned', async () => {
    const url = freshUrl();
    const writer = await openStorage(url);
    const { article: flood } = await (await openTestDesk({ storage: writer, changePollMs: 0 })).desk.postArticle(
      { text: sampleArticle('en-flood-barrier.txt') },
      operator,
    );
    const reader = await openTestDesk({ storage: await openStorage(url), changePollMs: 0 });
    expect(reader.desk.articleCount).toBe(1);
    // While the reader is not looking: one article in, one out, and the log of it pruned away.
    const { article: rail } = await (await openTestDesk({ storage: writer, changePollMs: 0 })).desk.postArticle(
      { text: sampleArticle('en-rail-strike.txt') },
      operator,
    );
    await writer.articles.delete(flood.id);
    await writer.articles.insert(article('probe-1'));
    expect(await writer.changes.prune(Date.now() + 60_000)).toBeGreaterThan(0);

    await reader.desk.catchUp();
    expect(reader.desk.articleCount).toBe(2);
    const answer = await reader.desk.ask('What raise do the rail drivers get this year?');
    expect(answer.citations[0]!.articleId).toBe(rail.id);
    expect((await reader.desk.ask('How long does it take to close the flood gates?')).citations.map((c) => c.articleId)).not.toContain(flood.id);
    await reader.desk.close();
    await reader.storage.close();
    await writer.close();
  });
});

describe('the stored search index', () => {
  it('is saved at close and restored at the next start, with the changes made in between applied', async () => {
    const url = freshUrl();
    const first = await openTestDesk({ storage: await openStorage(url), snapshotAtCloseAfter: 2 });
    const { article: solar } = await first.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    const { article: flood } = await first.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await first.desk.close();
    const saved = await first.storage.indexSnapshots.load(indexFormat());
    expect(saved?.seq).toBe(await first.storage.changes.latestSeq());
    await first.storage.close();

    // Another process (the CLI) changes things while no bot runs; too little to be worth a snapshot at its close.
    const cli = await openTestDesk({ storage: await openStorage(url), changePollMs: 0, snapshotAtCloseAfter: 2 });
    const { article: rail } = await cli.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    await cli.desk.close();
    expect((await cli.storage.indexSnapshots.load(indexFormat()))?.seq).toBe(saved!.seq);
    await cli.storage.articles.delete(flood.id);
    await cli.storage.close();

    const storage = await openStorage(url);
    const scans = countScans(storage);
    const second = await openTestDesk({ storage });
    expect(scans.count).toBe(0);
    expect(second.desk.articleCount).toBe(2);
    expect((await second.desk.ask(SOLAR_QUESTION)).citations[0]!.articleId).toBe(solar.id);
    expect((await second.desk.ask('What raise do the rail drivers get this year?')).citations[0]!.articleId).toBe(rail.id);
    expect((await second.desk.ask('How long does it take to close the flood gates?')).citations.map((c) => c.articleId)).not.toContain(flood.id);
    await second.desk.close();
    await storage.close();
  });

  it('is built from the articles when the stored one is unreadable or made by other code, and saved again', async () => {
    const url = freshUrl();
    const first = await openTestDesk({ storage: await openStorage(url), snapshotEvery: 0 });
    await first.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    await first.desk.close();
    const latest = await first.storage.changes.latestSeq();
    await first.storage.indexSnapshots.save(indexFormat(), { seq: latest, bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]) });
    await first.storage.close();

    const storage = await openStorage(url);
    const scans = countScans(storage);
    const second = await openTestDesk({ storage });
    expect(scans.count).toBe(1);
    expect((await second.desk.ask(SOLAR_QUESTION)).found).toBe(true);
    // The rebuilt index is saved without waiting for a shutdown.
    await expect.poll(async () => (await storage.indexSnapshots.load(indexFormat()))?.bytes.byteLength ?? 0).toBeGreaterThan(16);
    await second.desk.close();

    // A snapshot of another term pipeline is never used.
    await storage.indexSnapshots.save('terms-of-another-version', { seq: latest, bytes: new Uint8Array(32) });
    const third = await openTestDesk({ storage });
    expect(scans.count).toBe(2);
    expect((await third.desk.ask(SOLAR_QUESTION)).found).toBe(true);
    await third.desk.close();
    await storage.close();
  });

  it('is saved again after every so many changes read, not only at close, but not more often than asked', async () => {
    const url = freshUrl();
    const writer = await openStorage(url);
    const reader = await openTestDesk({ storage: await openStorage(url), changePollMs: 0, snapshotEvery: 3, snapshotMinIntervalMs: 300 });
    const stored = async () => (await writer.indexSnapshots.load(indexFormat()))?.seq;
    // The one saved after building the index at start.
    await expect.poll(stored).toBe(0);
    for (let n = 1; n <= 3; n++) await writer.articles.insert(article(`p${n}`));
    await reader.desk.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stored()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.articles.insert(article('p4'));
    await reader.desk.catchUp();
    await expect.poll(stored).toBe(await writer.changes.latestSeq());
    await reader.desk.close();
    await reader.storage.close();
    await writer.close();
  });
});

describe('a database that refuses writes', () => {
  it('refuses a post with STORE_UNAVAILABLE, and nothing of it appears or is delivered afterwards', async () => {
    const storage = openMemoryStorage();
    const { desk } = await openTestDesk({ storage });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    await subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date());
    const sender = fakeSender();
    const delivery = await startDelivery({
      storage,
      desk,
      subscriptions,
      senders: new Map([['telegram', sender]]),
      limits: new Map([['telegram', scaleLimits(TELEGRAM_LIMITS, 20)]]),
      logger: silentLogger,
      owner: 'outage',
      digestCheckMs: 0,
      fanOutSweepMs: 50,
      worker: { pollMs: 50, backoffBaseMs: 20 },
    });

    storage.simulateOutage(true);
    const error = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
    // What the user is told: it could not be saved, try again.
    expect(errorText(error, 'en')).toMatch(/nothing was saved.*try again/i);
    expect(errorText(error, 'ar')).toContain('لم يُحفظ شيء');
    storage.simulateOutage(false);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(desk.articleCount).toBe(0);
    expect((await desk.listArticles()).total).toBe(0);
    await expect(desk.ask('What raise do the rail drivers get?')).rejects.toMatchObject({ code: 'NO_ARTICLES' });
    expect(await storage.changes.latestSeq()).toBe(1);
    await delivery.settled();
    await delivery.worker.idle();
    expect(sender.received).toEqual([]);
    expect(await delivery.report()).toMatchObject({ pending: 0, sent: 0 });

    // Once the database is back the same post is new, and delivered.
    expect((await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator)).duplicate).toBe(false);
    await expect.poll(() => sender.received.length, { timeout: 5_000 }).toBe(1);
    await delivery.stop();
  });

  it('loses no delivery when the database fails while they are being sent', async () => {
    const storage = openMemoryStorage();
    const { desk } = await openTestDesk({ storage });
    const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
    const chats = Array.from({ length: 20 }, (_, i) => String(500 + i));
    for (const chatId of chats) await subscriptions.subscribe({ platform: 'telegram', chatId, kind: 'private' }, { mode: 'each' }, new Date());
    const sender = fakeSender();
    const original = sender.send.bind(sender);
    let sends = 0;
    // The database goes away after the fifth send and comes back a little later.
    sender.send = async (target, message) => {
      if (++sends === 5) {
        storage.simulateOutage(true);
        setTimeout(() => storage.simulateOutage(false), 150);
      }
      return original(target, message);
    };
    const delivery = await startDelivery({
      storage,
      desk,
      subscriptions,
      senders: new Map([['telegram', sender]]),
      limits: new Map([['telegram', { perSecond: 200, chatIntervalMs: { private: 0, group: 0, channel: 0 } }]]),
      logger: silentLogger,
      owner: 'flaky',
      digestCheckMs: 0,
      worker: { pollMs: 50, backoffBaseMs: 30, leaseMs: 300, concurrency: 4 },
    });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await expect.poll(async () => (await delivery.report()).sent, { timeout: 8_000 }).toBe(20);
    expect(new Set(sender.received.map((m) => m.chatId))).toEqual(new Set(chats));
    expect(await delivery.report()).toMatchObject({ pending: 0, failed: 0, dead: 0 });
    await delivery.stop();
  });
});

function article(id: string): Article {
  return {
    id: id.padEnd(12, '0'),
    title: `Probe ${id}`,
    text: `A short probe article called ${id}, about nothing in particular.`,
    language: 'en',
    postedAt: new Date().toISOString(),
    postedBy: 'operator',
    source: 'paste',
  };
}

/** Counts full reads of the articles, which a start from a snapshot does not make. */
function countScans(storage: Storage): { count: number } {
  const counter = { count: 0 };
  const scan = storage.articles.scan.bind(storage.articles);
  (storage.articles as { scan: Storage['articles']['scan'] }).scan = (batchSize?: number) => {
    counter.count++;
    return scan(batchSize);
  };
  return counter;
}
