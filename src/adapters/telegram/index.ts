/**
 * Starting and stopping the Telegram adapter: long polling through @grammyjs/runner, or a webhook
 * server when a URL is configured.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Api, GrammyError } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Sender } from '../../core/delivery/index.js';
import { holdExclusiveRole } from '../../core/exclusive.js';
import { errorFields, redactSecret } from '../../core/logger.js';
import { telegramWebhookHandler } from './webhook.js';
import type { OpsRoute } from '../http/ops.js';
import type { Leases } from '../../core/ports.js';
import { commandMenu } from '../../commands/registry.js';
import { connectWithRetry, watchStartup, type StartupOptions } from '../startup.js';
import { createTelegramBot, type TelegramBotOptions } from './bot.js';
import { DEFAULT_TELEGRAM_TIMEOUT_MS, replyRetries, requestTimeout } from './client.js';
import { telegramConnection, type ConflictRetryOptions, type TelegramStatus } from './polling.js';
import { createReplies } from './replies.js';
import { createTelegramSender } from './sender.js';

// The same list for polling and the webhook: Telegram delivers only these, and keeps the last list given.
const ALLOWED_UPDATES = ['message', 'channel_post', 'callback_query', 'inline_query'] as const;

export { createTelegramBot } from './bot.js';
export { classifyTelegramError, createTelegramSender } from './sender.js';
export type { TelegramState, TelegramStatus } from './polling.js';

/** A running Telegram adapter. */
export interface TelegramAdapter {
  /** Resolves when stopped; in webhook mode, the port the server listens on. */
  readonly port?: number;
  /**
   * Whether the part this process plays on Telegram is up: the webhook is set and served, or long
   * polling runs. A process standing by while another instance holds the poller lease has no
   * connection to keep, and counts as connected.
   */
  connected(): boolean;
  /** What the connection to Telegram is doing now, for readiness (see polling.ts). */
  readonly status: TelegramStatus;
  stop(): Promise<void>;
}

/**
 * The delivery sender for Telegram: its own API client, without auto-retry (delivery retries
 * itself), with the same request timeout as the bot, so a send that is never answered comes back
 * as transient and is tried again.
 */
export function telegramSender(options: Pick<TelegramBotOptions, 'token' | 'apiRoot' | 'defaultLanguage' | 'timeoutMs'>): Sender {
  const api = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  api.config.use(requestTimeout(options.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS));
  return createTelegramSender(api, options.defaultLanguage);
}

/** Several processes on one database: only the holder of the `telegram-poller` lease long-polls. */
export interface TelegramPollerLease {
  readonly leases: Pick<Leases, 'acquire' | 'renew' | 'release'>;
  readonly owner: string;
  readonly leaseMs?: number;
  readonly renewMs?: number;
}

// 401: a token Telegram does not know; 404: not a token at all. Neither gets better by waiting.
function tokenRefused(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}

/** The lease that one process at a time holds to long-poll; Telegram answers a second poller 409. */
export const TELEGRAM_POLLER_LEASE = 'telegram-poller';

/**
 * Starts the bot: registers its commands, then long-polls, or serves the webhook when one is given.
 * With `poller`, long polling runs only while this process holds the poller lease; another process
 * that polls already is told apart with a message to use webhook mode, and this one only delivers
 * (it polls if the other stops, so a restart does not leave the bot deaf).
 */
export async function startTelegram(
  options: TelegramBotOptions & {
    readonly webhook?: { readonly url: string; readonly secret: string; readonly port: number };
    readonly poller?: TelegramPollerLease;
    /** How long to wait for the Bot API before saying it cannot be reached (it is tried again meanwhile). */
    readonly startup?: StartupOptions;
    /** In webhook mode, the health and metrics endpoints served on the webhook's port. */
    readonly ops?: OpsRoute;
    /** The waits between getUpdates calls while another process polls with this token (409). */
    readonly conflictRetry?: ConflictRetryOptions;
    /** The wait before polling again after a getUpdates that failed (Telegram unreachable). Default 2 s. */
    readonly pollRetryMs?: number;
  },
): Promise<TelegramAdapter> {
  redactSecret(options.token);
  const logger = options.logger.child({ adapter: 'telegram' });
  const replies = createReplies(logger, options.defaultLanguage, options.replyRetry);
  const bot = createTelegramBot(options, replies);
  const watch = watchStartup('telegram', `the Telegram Bot API at ${options.apiRoot ?? 'https://api.telegram.org'}`, options.logger, options.startup);
  try {
    // getMe before auto-retry is installed: start-up keeps its own timeout and retries.
    // grammY types its signal with an AbortSignal shim of its own; Node's is the one it gets at run time.
    await connectWithRetry((signal) => bot.init(signal as Parameters<typeof bot.init>[0]), watch, { ...options.startup, fatal: tokenRefused });
  } catch (error) {
    watch.stop();
    replies.stop();
    if (tokenRefused(error)) logger.error('Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (BotFather gives it)', errorFields(error));
    throw error;
  }
  watch.ready({ username: bot.botInfo.username });
  // 2 s: one failed request every 2 s costs nothing while Telegram is away, and the bot hears
  // again at most 2 s after it is back.
  const pollRetryMs = options.pollRetryMs ?? 2_000;
  const connection = telegramConnection(logger, options.webhook ? 'webhook' : options.poller ? 'standby' : 'polling', options.conflictRetry);
  // Stopping drops the replies still held back, stops taking updates, and says so in the status.
  const adapter = (stopTaking: () => Promise<void>, port?: number): TelegramAdapter => ({
    ...(port !== undefined ? { port } : {}),
    get status() {
      return connection.status;
    },
    connected: () => connection.status.connected,
    async stop() {
      replies.stop();
      await stopTaking();
      connection.set('stopped');
    },
  });
  // Below auto-retry, so it sees (and waits out a 409 on) each getUpdates attempt.
  bot.api.config.use(connection.transformer);
  // Replies to users retry 429s and network errors a few times; broadcasts go through the sender.
  // A 429 beyond 30 s comes back as an error, which replies.ts waits out without holding the update.
  bot.api.config.use(replyRetries());
  await Promise.all([
    bot.api.setMyCommands(commandMenu('telegram', 'en')),
    bot.api.setMyCommands(commandMenu('telegram', 'ar'), { language_code: 'ar' }),
  ]).catch((error: unknown) => logger.warn('could not register commands', errorFields(error)));

  if (options.webhook) {
    const { url, secret, port } = options.webhook;
    redactSecret(secret);
    // Telegram waits about a minute for an answer; it is sent after 10 s while the update is still handled.
    const handle = telegramWebhookHandler(bot, { secret, logger, answerWithinMs: 10_000, ...(options.ops ? { ops: options.ops } : {}) });
    const server: Server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.error('webhook request failed', errorFields(error));
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.listen(port);
    await once(server, 'listening');
    const address = server.address();
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
    logger.info('telegram webhook listening', { port: typeof address === 'object' && address ? address.port : port });
    return adapter(async () => {
      server.close();
      await once(server, 'close').catch(() => undefined);
    }, typeof address === 'object' && address ? address.port : port);
  }

  let runner: RunnerHandle | undefined;
  const startPolling = async () => {
    await bot.api.deleteWebhook();
    // Silent: what getUpdates comes to is logged by the connection, in the log's own lines.
    // A failed poll is tried again every `pollRetryMs`, for as long as it takes: the runner's own
    // default doubles its wait without bound and gives up after 15 hours.
    const started = run(bot, {
      runner: { fetch: { allowed_updates: ALLOWED_UPDATES }, silent: true, retryInterval: pollRetryMs, maxRetryTime: Infinity },
    });
    runner = started;
    connection.set('polling');
    // The runner ends by itself only on an error it does not retry (a 409 no longer reaches it): a revoked token.
    started.task()?.catch((error: unknown) => {
      if (runner !== started) return;
      runner = undefined;
      connection.set('stopped');
      logger.error(
        tokenRefused(error)
          ? 'telegram long polling stopped: Telegram refused the bot token (revoked in BotFather?); check TELEGRAM_BOT_TOKEN and restart'
          : 'telegram long polling stopped on an error it does not retry; restart the bot',
        errorFields(error),
      );
    });
    logger.info('telegram long polling started', { username: bot.botInfo.username });
  };
  const stopPolling = async () => {
    const current = runner;
    runner = undefined;
    if (current?.isRunning()) await current.stop();
    connection.set('standby');
  };
  const { poller } = options;
  if (!poller) {
    await startPolling();
    return adapter(stopPolling);
  }
  const role = holdExclusiveRole({
    leases: poller.leases,
    key: TELEGRAM_POLLER_LEASE,
    owner: poller.owner,
    logger,
    ...(poller.leaseMs !== undefined ? { leaseMs: poller.leaseMs } : {}),
    ...(poller.renewMs !== undefined ? { renewMs: poller.renewMs } : {}),
    start: startPolling,
    stop: stopPolling,
    onRefused: (first) => {
      if (!first) return;
      logger.error(
        'another instance on this database already long-polls Telegram, and a bot can have only one poller: this instance does not poll ' +
          '(it still delivers). To run several instances, use webhook mode: set TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET on each, behind one load balancer',
      );
    },
  });
  await role.ready;
  return adapter(() => role.stop());
}
