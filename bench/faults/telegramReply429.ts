/**
 * Fault: a reply answered 429 with a retry_after longer than auto-retry waits (30 s). The reply
 * must come once Telegram allows (other chats answered meanwhile), or a short notice when the wait
 * is longer than a reply is worth. The waits run in virtual time (test/support/fakeTime.ts).
 */
import { startFakeTelegram } from '../../test/support/fakeTelegram.js';
import { fakeTime } from '../../test/support/fakeTime.js';
import { startTelegramBot, until } from '../../test/support/telegramBot.js';
import type { FaultCase } from './types.js';

const HELD = 51;
const OTHER = 52;
const LONG = 53;

export const telegramReply429: FaultCase = {
  fault: "a reply hit by 429 with retry_after 40 s (auto-retry's cap is 30 s), and one with 600 s",
  required: 'the reply sent after 40 s while other chats are answered; past 5 min a short notice instead, when Telegram allows',
  async run() {
    const fake = await startFakeTelegram();
    const time = fakeTime();
    const bot = await startTelegramBot(fake, { replyRetry: { timers: time.timers } });
    try {
      const to = (chat: number) => fake.sent.filter((m) => m.chatId === String(chat));
      const tooMany = (seconds: number) => ({ error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } });
      fake.fail('sendMessage', tooMany(40), { chatId: HELD });
      fake.fail('sendMessage', tooMany(600), { chatId: LONG });
      fake.pushMessage({ text: '/help', fromId: HELD, chatId: HELD });
      fake.pushMessage({ text: '/help', fromId: LONG, chatId: LONG });
      await until(() => time.pending() === 2 || to(HELD).length + to(LONG).length > 0, 'both replies refused').catch(() => undefined);

      fake.pushMessage({ text: '/help', fromId: OTHER, chatId: OTHER });
      const otherAnswered = await fake.waitFor(() => to(OTHER).length > 0).then(() => true, () => false);
      const early = to(HELD).length;
      await time.advance(39_900);
      const before40 = to(HELD).length;
      await time.advance(100);
      const held = await fake.waitFor(() => to(HELD).length > 0, 3_000).then(() => to(HELD), () => to(HELD));
      await time.advance(600_000 - 40_000);
      const notice = await fake.waitFor(() => to(LONG).length > 0, 3_000).then(() => to(LONG), () => to(LONG));

      const heldOk = early === 0 && before40 === 0 && held.length === 1 && /Commands:/.test(held[0]?.text ?? '');
      const noticeOk = notice.length === 1 && /held my answer back/.test(notice[0]?.text ?? '');
      return {
        ok: otherAnswered && heldOk && noticeOk,
        duplicates: Math.max(0, held.length - 1) + Math.max(0, notice.length - 1),
        result:
          `other chat ${otherAnswered ? 'answered at once' : 'not answered'}; the 40 s reply: ${early + before40 === 0 ? 'nothing before 40 s, ' : 'sent too early, '}` +
          `${held.length === 1 && heldOk ? 'the reply once after 40 s' : `${held.length} messages`}; the 600 s one: ${noticeOk ? 'a short notice after 600 s' : `${notice.length} messages`}`,
      };
    } finally {
      await bot.stop();
      await fake.close();
    }
  },
};
