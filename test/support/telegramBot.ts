/**
 * The Telegram adapter started as in production (runner, auto-retry, the delivery sender) against
 * the fake Bot API, on the core services over a memory database, with its log lines kept: for the
 * fault and poller specs and the fault suite (`npm run bench -- faults`).
 */
import { startTelegram, telegramSender, type TelegramAdapter } from '../../src/adapters/telegram/index.js';
import { scaleLimits, TELEGRAM_LIMITS } from '../../src/core/delivery/pacing.js';
import { createLogger } from '../../src/core/logger.js';
import type { FakeTelegram } from './fakeTelegram.js';
import { startCore } from './services.js';

/** A log line as the logger writes it. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** What a scenario may change of the adapter; `timeoutMs` goes to the delivery sender too. */
export type TelegramBotOptions = Pick<
  Parameters<typeof startTelegram>[0],
  'timeoutMs' | 'conflictRetry' | 'replyRetry' | 'poller' | 'pollRetryMs' | 'webhook' | 'ops' | 'streamAnswers' | 'streamEditIntervalMs' | 'inlineWaitMs'
>;

/** What a scenario may change of the core services; the admin is `telegram:1` unless given. */
export type TelegramCoreOptions = Partial<Pick<Parameters<typeof startCore>[0], 'adminId' | 'engine' | 'env' | 'feedMaxFailures' | 'feedCheckEveryMs' | 'storeUrl'>>;

/** A running bot; `stop()` stops the adapter, then the core (not the fake). */
export type StartedTelegramBot = Awaited<ReturnType<typeof startCore>> & {
  readonly adapter: TelegramAdapter;
  readonly lines: LogLine[];
  stop(): Promise<void>;
};

/** Starts the bot on `fake`, admin `telegram:1` unless `core` names another. */
export async function startTelegramBot(fake: FakeTelegram, options: TelegramBotOptions = {}, core: TelegramCoreOptions = {}): Promise<StartedTelegramBot> {
  const lines: LogLine[] = [];
  const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as LogLine));
  const timeout = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  const services = await startCore({
    adminId: 'telegram:1',
    ...core,
    sender: telegramSender({ token: fake.token, apiRoot: fake.apiRoot, defaultLanguage: 'en', ...timeout }),
    limits: scaleLimits(TELEGRAM_LIMITS, 20),
  });
  const adapter = await startTelegram({
    token: fake.token,
    apiRoot: fake.apiRoot,
    desk: services.desk,
    subscriptions: services.subscriptions,
    follows: services.follows,
    delivery: services.delivery,
    sources: services.sources,
    lastAnswers: services.lastAnswers,
    defaultLanguage: 'en',
    timeZone: 'UTC',
    maxArticleChars: services.maxArticleChars,
    logger,
    ...options,
  }).catch(async (error: unknown) => {
    await Promise.all([services.delivery.stop(), services.sources.stop()]);
    throw error;
  });
  return {
    ...services,
    adapter,
    lines,
    async stop() {
      await adapter.stop();
      await Promise.all([services.delivery.stop(), services.sources.stop()]);
    },
  };
}

/** Resolves once `predicate` holds, looking every 5 ms; rejects naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
