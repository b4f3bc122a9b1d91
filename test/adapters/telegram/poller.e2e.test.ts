/**
 * Several instances on one database, one Telegram bot in long-polling mode: the real grammY bot
 * against the fake Bot API (which answers 409 to a second poller, as Telegram does), with the
 * poller lease on a shared SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/ports.js';
import { openStorage } from '../../../src/storage/index.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startFakeTelegram, type FakeTelegram } from '../../support/fakeTelegram.js';
import { startTelegramBot } from '../../support/telegramBot.js';

const USER = 7;
const dir = mkdtempSync(join(tmpdir(), 'akhbar-poller-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function instance(fake: FakeTelegram, db: Storage, owner: string) {
  const bot = await startTelegramBot(fake, { poller: { leases: db.leases, owner, leaseMs: 800, renewMs: 100 } });
  cleanup.push(() => bot.stop());
  return bot;
}

const polls = (fake: FakeTelegram) => fake.calls.filter((c) => c.method === 'getUpdates').length;

describe('Telegram long polling across instances', () => {
  it('a second instance refuses to poll, says to use webhook mode, still delivers and counts as connected, and polls once the first stops', async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    const file = `sqlite://${join(dir, 'poller.sqlite')}`;
    const dbA = await openStorage(file);
    const dbB = await openStorage(file);
    cleanup.push(() => dbA.close());
    cleanup.push(() => dbB.close());

    const a = await instance(fake, dbA, 'a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(polls(fake)).toBeGreaterThan(0);
    const b = await instance(fake, dbB, 'b');
    const refusal = b.lines.find((line) => line.level === 'error' && /does not poll/.test(line.msg));
    expect(refusal?.msg).toMatch(/webhook mode.*TELEGRAM_WEBHOOK_URL/);
    expect(a.lines.some((line) => /does not poll/.test(line.msg))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.conflicts).toBe(0);
    // Said once, not at every try.
    expect(b.lines.filter((line) => /does not poll/.test(line.msg))).toHaveLength(1);
    // For readiness both are connected: one polls, the other has no connection to keep while it stands by.
    expect(a.adapter.connected()).toBe(true);
    expect(b.adapter.connected()).toBe(true);
    // What readiness reads: both connected, one polling and one standing by.
    expect(a.adapter.status).toMatchObject({ state: 'polling', connected: true });
    expect(b.adapter.status).toMatchObject({ state: 'standby', connected: true });

    // The instance that does not poll sends its deliveries all the same.
    await b.subscriptions.subscribe({ platform: 'telegram', chatId: String(USER), kind: 'private' }, { mode: 'each' }, new Date());
    await b.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    await fake.waitFor((sent) => sent.some((m) => m.chatId === String(USER) && /New article/.test(m.text ?? '')));

    // The poller stops (a restart, a scale-down): the other takes polling over, and users are answered.
    await a.adapter.stop();
    expect(a.adapter.connected()).toBe(false);
    fake.pushMessage({ text: '/help', fromId: USER, chatId: USER });
    await fake.waitFor((sent) => sent.filter((m) => m.chatId === String(USER)).length >= 2, 3_000);
    expect(fake.conflicts).toBe(0);
    expect(a.adapter.status.state).toBe('stopped');
    expect(b.adapter.status.state).toBe('polling');
  });
});
