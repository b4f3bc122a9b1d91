/**
 * Fault: a Bot API request that is never answered (the fake takes it and stays silent). Without a
 * bounded request time, grammY waits 500 s, holding a delivery slot, or the chat of a reply and
 * every update after it in that chat.
 */
import { startFakeTelegram } from '../../test/support/fakeTelegram.js';
import { sampleArticle } from '../../test/support/fixtures.js';
import { startTelegramBot } from '../../test/support/telegramBot.js';
import type { FaultCase } from './types.js';

// TELEGRAM_TIMEOUT_MS for the run: short, so the row takes seconds (the default is 15 s).
const TIMEOUT_MS = 1_000;
const SUBSCRIBERS = ['31', '32', '33'];
const GROUP = -4300;

export const telegramHang: FaultCase = {
  fault: 'a Bot API request that never answers (a delivery, then a reply in a group)',
  required: `given up after TELEGRAM_TIMEOUT_MS (${TIMEOUT_MS} ms here), the delivery retried and delivered once, the group's next reply not held`,
  async run() {
    const fake = await startFakeTelegram();
    const bot = await startTelegramBot(fake, { timeoutMs: TIMEOUT_MS });
    try {
      for (const chatId of SUBSCRIBERS) await bot.subscriptions.subscribe({ platform: 'telegram', chatId, kind: 'private' }, { mode: 'each' }, new Date());
      const delivered = (chatId: string) => fake.sent.filter((m) => m.chatId === chatId && /New article/.test(m.text ?? '')).length;
      fake.hang('sendMessage');
      let started = Date.now();
      await bot.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
      const deliveryMs = await fake.waitFor(() => SUBSCRIBERS.every((chatId) => delivered(chatId) > 0), 30_000).then(() => Date.now() - started, () => undefined);

      fake.hang('sendMessage');
      started = Date.now();
      fake.pushMessage({ text: '/help', chatId: GROUP, chatType: 'group', fromId: 41 });
      fake.pushMessage({ text: '/help', chatId: GROUP, chatType: 'group', fromId: 42 });
      const replies = () => fake.sent.filter((m) => m.chatId === String(GROUP) && /Commands:/.test(m.text ?? '')).length;
      const replyMs = await fake.waitFor(() => replies() >= 2, 30_000).then(() => Date.now() - started, () => undefined);

      const once = SUBSCRIBERS.filter((chatId) => delivered(chatId) === 1).length;
      const duplicates = SUBSCRIBERS.reduce((sum, chatId) => sum + Math.max(0, delivered(chatId) - 1), 0) + Math.max(0, replies() - 2);
      const seconds = (ms: number | undefined) => (ms === undefined ? 'never (30 s)' : `${(ms / 1000).toFixed(1)} s`);
      return {
        ok: deliveryMs !== undefined && once === SUBSCRIBERS.length && replyMs !== undefined && replyMs < TIMEOUT_MS + 3_000 + 2_000 && duplicates === 0,
        duplicates,
        result:
          `delivery with a hung send: ${once} of ${SUBSCRIBERS.length} delivered once, all within ${seconds(deliveryMs)}; ` +
          `group's two replies, the first hung: both within ${seconds(replyMs)} (timeout, then auto-retry's 3 s)`,
      };
    } finally {
      await bot.stop();
      await fake.close();
    }
  },
};
