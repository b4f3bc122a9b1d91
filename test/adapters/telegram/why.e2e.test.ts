/**
 * /why through the real grammY bot against the fake Bot API, across a restart: the answer a chat
 * was given is explained by the bot process that runs after it, over the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../../support/fakeTelegram.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startTelegramBot, type StartedTelegramBot } from '../../support/telegramBot.js';

const READER = 42;
const dir = mkdtempSync(join(tmpdir(), 'akhbar-why-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Stops a bot as a process exit would: adapter, core, then the database handle. */
async function stopProcess(bot: StartedTelegramBot): Promise<void> {
  await bot.stop();
  await bot.desk.close();
  await bot.storage.close();
}

const toReader = (m: { chatId: string }) => m.chatId === String(READER);

describe('/why on Telegram', () => {
  it('explains the last answer after the bot restarted, from the database it shares with the process that answered', async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    const storeUrl = `sqlite://${join(dir, 'why.sqlite')}`;

    const first = await startTelegramBot(fake, {}, { storeUrl });
    await first.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    fake.pushMessage({ text: '/ask How quickly can the gates be closed?', fromId: READER, chatId: READER });
    await fake.waitFor((sent) => sent.some((m) => toReader(m) && /25 minutes/.test(m.text ?? '')));
    await stopProcess(first);

    const second = await startTelegramBot(fake, {}, { storeUrl });
    cleanup.push(() => stopProcess(second));
    fake.pushMessage({ text: '/why', fromId: READER, chatId: READER });
    const explains = (m: { chatId: string; text?: string }) => toReader(m) && /The answer quotes:/.test(m.text ?? '');
    await fake.waitFor((sent) => sent.some(explains));
    const why = fake.sent.find(explains);
    expect(why?.text).toContain('How quickly can the gates be closed?');
    expect(why?.text).toContain('Marlow Bay opens its new flood barrier after six years of work');
  });
});
