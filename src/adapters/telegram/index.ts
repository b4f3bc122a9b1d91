/**
 * Starting and stopping the Telegram adapter: long polling through @grammyjs/runner, or a webhook
 * server when a URL is configured.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Api, GrammyError } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { Sender } from '../../core/delivery/index.js';
import { holdExclusiveRole } from '../../core/exclusive.js';
import { errorFields, redactSecret } from '../../core/logger.js';
import { telegramWebhookHandler } from './webhook.js';
import type { OpsRoute } from '../http/ops.js';
import type { Leases } from '../../core/ports.js';
import { commandMenu } from '../../commands/registry.js';
import { connectWithRetry, watchStartup, type StartupOptions } from '../startup.js';
import { createTelegramBot, type TelegramBotOptions } from './bot.js';
import { createTelegramSender } from './sender.js';

export { createTelegramBot } from './bot.js';
export { classifyTelegramError, createTelegramSender } from './sender.js';

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
  stop(): Promise<void>;
}

/** The delivery sender for Telegram: its own API client, without auto-retry (delivery retries itself). */
export function telegramSender(options: Pick<TelegramBotOptions, 'token' | 'apiRoot' | 'defaultLanguage'>): Sender {
  const api = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
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
  },
): Promise<TelegramAdapter> {
  redactSecret(options.token);
  const logger = options.logger.child({ adapter: 'telegram' });
  const bot = createTelegramBot(options);
  const watch = watchStartup('telegram', `the Telegram Bot API at ${options.apiRoot ?? 'https://api.telegram.org'}`, options.logger, options.startup);
  try {
    // getMe before auto-retry is installed: start-up keeps its own timeout and retries.
    // grammY types its signal with an AbortSignal shim of its own; Node's is the one it gets at run time.
    await connectWithRetry((signal) => bot.init(signal as Parameters<typeof bot.init>[0]), watch, { ...options.startup, fatal: tokenRefused });
  } catch (error) {
    watch.stop();
    if (tokenRefused(error)) logger.error('Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (BotFather gives it)', errorFields(error));
    throw error;
  }
  watch.ready({ username: bot.botInfo.username });
  // Replies to users retry 429s and network errors a few times; broadcasts go through the sender.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
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
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'channel_post', 'callback_query'] });
    logger.info('telegram webhook listening', { port: typeof address === 'object' && address ? address.port : port });
    let serving = true;
    return {
      port: typeof address === 'object' && address ? address.port : port,
      connected: () => serving,
      async stop() {
        serving = false;
        server.close();
        await once(server, 'close').catch(() => undefined);
      },
    };
  }

  let runner: RunnerHandle | undefined;
  const startPolling = async () => {
    await bot.api.deleteWebhook();
    runner = run(bot, { runner: { fetch: { allowed_updates: ['message', 'channel_post', 'callback_query'] } } });
    logger.info('telegram long polling started', { username: bot.botInfo.username });
  };
  const stopPolling = async () => {
    const current = runner;
    runner = undefined;
    if (current?.isRunning()) await current.stop();
  };
  const polling = () => runner?.isRunning() ?? false;
  const { poller } = options;
  if (!poller) {
    await startPolling();
    return { connected: polling, stop: stopPolling };
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
  let stopped = false;
  return {
    connected: () => !stopped && (role.holding ? polling() : true),
    async stop() {
      stopped = true;
      await role.stop();
    },
  };
}
