/**
 * Retention with a clock the test moves forward: finished deliveries older than
 * DELIVERY_RETENTION_DAYS go and pending ones stay; articles posted before ARTICLE_RETENTION_DAYS
 * are deleted as /delete deletes them and are no longer answered from; one process per period
 * does the work.
 */
import { describe, expect, it } from 'vitest';
import { indexFormat } from '../../src/core/articleIndex.js';
import { silentLogger } from '../../src/core/logger.js';
import { createLastAnswers } from '../../src/core/lastAnswers.js';
import { startRetention } from '../../src/core/retention.js';
import type { Actor } from '../../src/core/types.js';
import { openStorage } from '../../src/storage/index.js';
import { openTestDesk } from '../support/desk.js';
import { sampleArticle } from '../support/fixtures.js';
import { startTelegramDelivery } from '../support/delivery.js';

const DAY = 86_400_000;
const operator: Actor = { kind: 'operator' };

/** Real time plus whatever the test skips ahead, so timers and pacing still run. */
function fakeClock() {
  let skipped = 0;
  return { now: () => Date.now() + skipped, advance: (ms: number) => void (skipped += ms) };
}

async function rig(settings: { deliveryRetentionDays: number; articleRetentionDays: number }) {
  const clock = fakeClock();
  // One clock for the database, the desk, delivery and retention, so they agree on "now".
  const storage = await openStorage('memory://', { clock: clock.now });
  const { desk } = await openTestDesk({ storage, now: () => new Date(clock.now()), changePollMs: 0 });
  // Telegram is sent from here; Discord has no sender in this process, so its deliveries stay pending.
  const { subscriptions, sender, delivery } = await startTelegramDelivery(storage, desk, { clock: clock.now });
  const retention = (owner = 'one') => startRetention({ storage, desk, logger: silentLogger, owner, clock: clock.now, everyMs: 0, ...settings });
  return { clock, storage, desk, subscriptions, sender, delivery, retention };
}

describe('retention', () => {
  it('prunes finished deliveries older than the window, keeps pending ones, and lets one process per period do it', async () => {
    const { clock, storage, desk, subscriptions, sender, delivery, retention } = await rig({ deliveryRetentionDays: 30, articleRetentionDays: 0 });
    await subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date(clock.now()));
    await subscriptions.subscribe({ platform: 'discord', chatId: '20', kind: 'channel' }, { mode: 'each' }, new Date(clock.now()));
    const { article } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await delivery.settled();
    await expect.poll(() => sender.received.length).toBe(1);
    await delivery.worker.idle();
    const sentId = `a:${article.id}:telegram:10`;
    const pendingId = `a:${article.id}:discord:20`;
    expect(await storage.outbox.get(sentId)).toMatchObject({ status: 'sent' });

    const one = retention('one');
    const other = retention('other');
    clock.advance(29 * DAY);
    expect(await one.run()).toEqual({ deliveries: 0, changes: 0, articles: 0, lastAnswers: 0 });
    expect(await storage.outbox.get(sentId)).toMatchObject({ status: 'sent' });

    clock.advance(2 * DAY);
    // A snapshot of the search index as of now: every change so far is in it.
    const latest = await storage.changes.latestSeq();
    await storage.indexSnapshots.save(indexFormat(), { seq: latest, bytes: new Uint8Array([1]) });
    const report = await other.run();
    expect(report).toMatchObject({ deliveries: 1, articles: 0 });
    // The changes are older than 30 days now and in the snapshot: all go but the latest, which is always kept.
    expect(report!.changes).toBeGreaterThan(0);
    expect((await storage.changes.changesSince(0)).map((c) => c.seq)).toEqual([latest]);
    expect(await storage.outbox.get(sentId)).toBeUndefined();
    expect(await storage.outbox.get(pendingId)).toMatchObject({ status: 'pending' });
    expect((await storage.outbox.recount()).pending).toBe(1);
    // The pending delivery still has its message to send.
    expect(await storage.outbox.getMessage(article.id, 'en')).toBeDefined();
    // Within the same period the other process finds the work taken.
    expect(await one.run()).toBeUndefined();
    // The article itself is kept: no article window is set.
    expect(desk.articleCount).toBe(1);

    for (const job of [one, other]) await job.stop();
    await delivery.stop();
    await desk.close();
  });

  it('deletes articles posted before the article window through the desk, after which they are not answered from', async () => {
    const { clock, storage, desk, delivery, retention } = await rig({ deliveryRetentionDays: 30, articleRetentionDays: 10 });
    const { article: old } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    clock.advance(5 * DAY);
    const { article: recent } = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const question = 'How quickly can the gates be closed?';
    expect((await desk.ask(question)).citations[0]!.articleId).toBe(old.id);

    const job = retention();
    clock.advance(4 * DAY);
    expect(await job.run()).toMatchObject({ articles: 0 });
    clock.advance(2 * DAY);
    expect(await job.run()).toMatchObject({ articles: 1 });
    expect(desk.articleCount).toBe(1);
    expect(await storage.articles.get(old.id)).toBeUndefined();
    expect((await desk.getArticle(recent.id)).id).toBe(recent.id);
    const after = await desk.ask(question);
    expect(after.cached).toBe(false);
    expect(after.citations.map((c) => c.articleId)).not.toContain(old.id);

    await job.stop();
    await delivery.stop();
    await desk.close();
  });

  it('forgets a chat’s last answer (what /why explains) a week after it was given, and keeps a newer one', async () => {
    const { clock, storage, desk, delivery, retention } = await rig({ deliveryRetentionDays: 30, articleRetentionDays: 0 });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    const lastAnswers = createLastAnswers(storage.lastAnswers, silentLogger);
    const answered = async (question: string) => ({ question, answer: await desk.ask(question, operator) });
    await lastAnswers.remember({ platform: 'telegram', chatId: '10' }, await answered('What was opened?'));
    clock.advance(6 * DAY);
    await lastAnswers.remember({ platform: 'telegram', chatId: '11' }, await answered('When was it opened?'));
    clock.advance(2 * DAY);
    const job = retention();
    expect(await job.run()).toMatchObject({ lastAnswers: 1 });
    expect(await lastAnswers.recall({ platform: 'telegram', chatId: '10' })).toBeUndefined();
    expect((await lastAnswers.recall({ platform: 'telegram', chatId: '11' }))?.question).toBe('When was it opened?');
    await job.stop();
    await delivery.stop();
    await desk.close();
  });

  it('runs in the bot and the console, not in a one-shot CLI command', async () => {
    const { openServices } = await import('../../src/main.js');
    const { loadConfig } = await import('../../src/config.js');
    for (const retention of [true, false]) {
      const services = await openServices(loadConfig({ STORE_URL: 'memory://' }), silentLogger, new Map(), { retention });
      // The first run starts right after start-up and takes the period's lease.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await services.storage.leases.acquire('retention', 'probe', 1_000)).toBe(!retention);
      await services.close();
    }
  });
});
