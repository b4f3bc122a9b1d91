/**
 * Fault: another process long-polls with the same bot token for a while (a second instance on
 * another database, an overlapping deploy). Telegram, like the fake, ends one of the two pending
 * getUpdates with 409 Conflict each time the other asks. The bot must keep polling with backoff,
 * say so once, and answer what comes once the other has stopped.
 */
import { startFakeTelegram } from '../../test/support/fakeTelegram.js';
import { startTelegramBot, until } from '../../test/support/telegramBot.js';
import type { FaultCase } from './types.js';

// How long the other poller polls: into the bot's third wait (1, 2, then 4 s by default).
const OTHER_POLLS_MS = 4_000;
const USERS = [21, 22, 23];

export const telegramConflict: FaultCase = {
  fault: 'one 409 Conflict while long polling (another process polls with the token for 4 s)',
  required: 'retry with backoff while the conflict lasts, log it once (and the recovery), answer what comes after; one token has one poller (README)',
  async run() {
    const fake = await startFakeTelegram();
    const bot = await startTelegramBot(fake);
    try {
      // The states readiness would have read, in order.
      const states: string[] = [bot.adapter.status.state];
      const sample = setInterval(() => {
        if (states.at(-1) !== bot.adapter.status.state) states.push(bot.adapter.status.state);
      }, 5);
      const answered = (chat: number) => fake.sent.filter((m) => m.chatId === String(chat) && /Commands:/.test(m.text ?? '')).length;
      fake.pushMessage({ text: '/help', fromId: USERS[0]!, chatId: USERS[0]! });
      await fake.waitFor((sent) => sent.some((m) => m.chatId === String(USERS[0])));

      // The other process: a bare long poller, as grammY's would be, for OTHER_POLLS_MS.
      const end = Date.now() + OTHER_POLLS_MS;
      while (Date.now() < end) await fetch(`${fake.apiRoot}/bot${fake.token}/getUpdates?timeout=1`).then((r) => r.text());
      const stoppedAt = Date.now();
      const conflicts = fake.conflicts;

      for (const user of USERS.slice(1)) fake.pushMessage({ text: '/help', fromId: user, chatId: user });
      let recoveredMs: number | undefined;
      try {
        await fake.waitFor(() => USERS.every((user) => answered(user) > 0), 60_000);
        recoveredMs = Date.now() - stoppedAt;
      } catch {
        // Reported below.
      }
      await until(() => bot.adapter.status.state === 'polling', 'polling again', 1_000).catch(() => undefined);
      clearInterval(sample);
      const conflictLines = bot.lines.filter((line) => /another process is polling with this bot token/.test(line.msg)).length;
      const recoveryLines = bot.lines.filter((line) => /long polling recovered/.test(line.msg)).length;
      const once = USERS.filter((user) => answered(user) === 1).length;
      const duplicates = USERS.reduce((sum, user) => sum + Math.max(0, answered(user) - 1), 0);
      // The bot's own getUpdates (the other poller's carry no allowed_updates): the waits between them.
      const polls = fake.calls.filter((c) => c.method === 'getUpdates' && c.payload.allowed_updates !== undefined).map((c) => c.at);
      const waits = polls.slice(1).map((at, i) => ((at - polls[i]!) / 1000).toFixed(1)).filter((wait) => Number(wait) >= 0.5);
      const ok = recoveredMs !== undefined && once === USERS.length && conflictLines === 1 && recoveryLines === 1 && states.includes('conflict') && bot.adapter.status.state === 'polling';
      return {
        ok,
        duplicates,
        result:
          `${conflicts} 409s; the bot polled again after ${waits.join(', ')} s; ` +
          `${recoveredMs === undefined ? 'never answered again' : `answered again ${(recoveredMs / 1000).toFixed(1)} s after the other stopped`}; ` +
          `${once} of ${USERS.length} messages answered once; log: ${conflictLines} conflict line, ${recoveryLines} recovery line; status ${states.join(' → ')}`,
      };
    } finally {
      await bot.stop();
      await fake.close();
    }
  },
};
