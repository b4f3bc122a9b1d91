/**
 * Following a question through the real grammY bot against the fake Bot API: /follow in a chat, an
 * admin posts a later article that changes the answer, and the chat receives one update with its
 * new source; an unrelated article sends it nothing. /why then explains the last answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../support/fakeTelegram.js';
import { DEAL, FOOTBALL, TALKS } from '../../support/followArticles.js';
import { startTelegramBot, type StartedTelegramBot } from '../../support/telegramBot.js';

const ADMIN = 1;
const READER = 42;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(): Promise<{ fake: FakeTelegram; bot: StartedTelegramBot }> {
  const fake = await startFakeTelegram();
  cleanup.push(() => fake.close());
  const bot = await startTelegramBot(fake);
  cleanup.push(() => bot.stop());
  return { fake, bot };
}

const toReader = (m: { chatId: string }) => m.chatId === String(READER);
const isUpdate = (m: { chatId: string; text?: string }) => toReader(m) && /New answer to a question you follow/.test(m.text ?? '');

describe('following a question on Telegram', () => {
  it('sends the following chat one update with the new source when a later article changes the answer, none for an unrelated one', async () => {
    const { fake, bot } = await start();
    fake.pushMessage({ text: `/post ${TALKS}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => m.chatId === String(ADMIN) && /Stored article/.test(m.text ?? '')));

    fake.pushMessage({ text: '/follow What grain tariff was set for Port Ellery?', fromId: READER, chatId: READER });
    await fake.waitFor((sent) => sent.some((m) => toReader(m) && /Following &quot;What grain tariff was set for Port Ellery\?&quot;/.test(m.text ?? '')));

    fake.pushMessage({ text: `/post ${FOOTBALL}`, fromId: ADMIN, chatId: ADMIN });
    fake.pushMessage({ text: `/post ${DEAL}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some(isUpdate));
    // Both fan-outs are done and every delivery is sent: what the reader got is all they will get.
    await bot.delivery.settled();
    await bot.delivery.worker.idle();
    const updates = fake.sent.filter(isUpdate);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.parseMode).toBe('HTML');
    expect(updates[0]!.text).toContain('one and a half percent');
    expect(updates[0]!.text).toMatch(/Port Ellery grain tariff set at one and a half percent <code>[0-9a-f]{12}<\/code>/);

    fake.pushMessage({ text: '/why', fromId: READER, chatId: READER });
    await fake.waitFor((sent) => sent.some((m) => toReader(m) && /The answer quotes:/.test(m.text ?? '')));
  });
});
