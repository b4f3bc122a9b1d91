/**
 * Telegram unreachable, at start and while polling: the real adapter reaches the fake Bot API
 * through a link the case cuts. At start the link is a black hole (connections taken, never
 * answered) until a few attempts have failed; while polling it refuses every connection for five
 * start-up timeouts. The start-up timeout (30 s in production) is shortened through the adapter's
 * start-up option, as the start-up spec does.
 */
import { startTelegram } from '../../src/adapters/telegram/index.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/support/fakeTelegram.js';
import { fakeSender } from '../../test/support/fakeSender.js';
import { startCore } from '../../test/support/services.js';
import { capturedLogger, seconds, sleep, until, withCleanup, type LogLine } from './harness.js';
import { startSwitchableLink } from './switchableLink.js';
import type { FaultCase, FaultOutcome } from './types.js';

const STARTUP_TIMEOUT_MS = 1_000;
const RETRY_BASE_MS = 200;
/** How long the link stays a black hole at start: three attempts fail. */
const DOWN_AT_START_MS = 2_500;
const CUT_WHILE_POLLING_MS = 5 * STARTUP_TIMEOUT_MS;
const CANNOT_REACH = /cannot reach/iu;

const answered = (fake: FakeTelegram, chat: number) => fake.sent.some((m) => m.chatId === String(chat));
const since = (lines: readonly LogLine[], from: number) => lines.filter((line) => Date.parse(line.time) >= from);

/** Row 2 of the table. */
export const telegramUnreachable: FaultCase = {
  fault: 'Telegram unreachable at start / while polling',
  required: "'cannot reach Telegram' logged within 30 s (the start-up timeout, shortened here), retried with backoff, and it recovers",
  run: () =>
    withCleanup(async (defer): Promise<FaultOutcome> => {
      const fake = await startFakeTelegram();
      defer(() => fake.close());
      const link = await startSwitchableLink({ host: '127.0.0.1', port: Number(new URL(fake.apiRoot).port) }, 'silent');
      defer(() => link.close());
      const { lines, logger } = capturedLogger();
      const core = await startCore({ adminId: 'telegram:1', sender: fakeSender('telegram'), limits: { perSecond: 100, chatIntervalMs: { private: 0, group: 0, channel: 0 } } });
      defer(() => core.sources.stop());
      defer(() => core.delivery.stop());

      // At start: a black hole, then the link comes up.
      const startedAt = Date.now();
      const upTimer = setTimeout(() => link.setMode('up'), DOWN_AT_START_MS);
      defer(() => clearTimeout(upTimer));
      const adapter = await startTelegram({
        token: fake.token,
        apiRoot: link.url,
        ...core,
        defaultLanguage: 'en',
        timeZone: 'UTC',
        logger,
        startup: { timeoutMs: STARTUP_TIMEOUT_MS, retryBaseMs: RETRY_BASE_MS },
      });
      defer(() => adapter.stop());
      const readyMs = Date.now() - startedAt;
      const reachLine = lines.find((line) => line.level === 'error' && CANNOT_REACH.test(line.msg));
      const reachMs = reachLine ? Date.parse(reachLine.time) - startedAt : undefined;
      const waits = lines.filter((line) => line.msg === 'telegram not reachable yet').map((line) => Number(line.retryInMs));
      const backoff = waits.length >= 2 && waits.every((wait, i) => i === 0 || wait > waits[i - 1]!);
      fake.pushMessage({ text: '/help', fromId: 5, chatId: 5 });
      const answersAfterStart = await until(() => answered(fake, 5), 5_000);

      // While polling: every connection refused, the open long poll cut.
      const cutAt = Date.now();
      const connectionsBefore = link.connections;
      link.setMode('refused');
      await sleep(CUT_WHILE_POLLING_MS);
      const triesWhileCut = link.connections - connectionsBefore;
      const cutLines = since(lines, cutAt);
      const cutReachLines = cutLines.filter((line) => CANNOT_REACH.test(line.msg)).length;
      link.setMode('up');
      const upAt = Date.now();
      fake.pushMessage({ text: '/help', fromId: 6, chatId: 6 });
      const recovered = await until(() => answered(fake, 6), 30_000);
      const recoveredMs = Date.now() - upAt;

      const startOk = reachMs !== undefined && reachMs <= STARTUP_TIMEOUT_MS + 500 && backoff && answersAfterStart;
      const pollingOk = cutReachLines > 0 && recovered;
      const result =
        `at start (black hole ${seconds(DOWN_AT_START_MS)}, start-up timeout ${seconds(STARTUP_TIMEOUT_MS)}): ` +
        (reachLine ? `'${reachLine.msg.slice(0, 60)}…' logged after ${seconds(reachMs!)}` : "no 'cannot reach' line") +
        `, ${waits.length} failed attempts retried after ${waits.join(', ')} ms, ready after ${seconds(readyMs)}, ${answersAfterStart ? 'answers /help' : 'no answer to /help'}. ` +
        `While polling (refused for ${seconds(CUT_WHILE_POLLING_MS)}): ${cutReachLines} 'cannot reach' lines (${cutLines.length} lines at all), ${triesWhileCut} failed polls, each tried again by the runner 2 s later; ` +
        (recovered ? `answered again ${seconds(recoveredMs)} after the link came back` : 'no answer 30 s after the link came back');
      return { result, ok: startOk && pollingOk };
    }),
};
