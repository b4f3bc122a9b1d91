/**
 * Wiring from config: the database, the answer cache, the engine, the news desk, subscriptions and
 * delivery, and the adapters that are switched on.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.js';
import { createLogger, errorFields, type Logger } from './core/logger.js';
import { openNewsDesk, type NewsDesk } from './core/newsDesk.js';
import type { Storage } from './core/ports.js';
import { openStorage } from './storage/index.js';
import { openAnswerCacheStore } from './storage/cache.js';
import type { Engine } from './core/engine.js';
import { startDelivery, type DeliveryService, type Sender } from './core/delivery/index.js';
import { noticeSender } from './core/delivery/notices.js';
import type { RateLimits } from './core/delivery/pacing.js';
import { createFollows, type Follows } from './core/follows.js';
import { createLastAnswers } from './core/lastAnswers.js';
import { createSubscriptions, type Subscriptions } from './core/subscriptions.js';
import { startRetention } from './core/retention.js';
import { createEmbeddings, createEngine } from './engines/index.js';
import { createConsoleScreen, createConsoleSender, runConsole } from './adapters/console/index.js';
import { fetcherFromSettings, openSources, type Sources } from './sources/index.js';
import type { Telemetry } from './core/telemetry.js';
import type { Metrics } from './ops/metrics.js';
import { checkReadiness } from './ops/readiness.js';
import { opsRoute, startOpsServer, type OpsRoute, type OpsServer } from './adapters/http/ops.js';

/** The running core of one process. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly storage: Storage;
  readonly engine: Engine;
  readonly desk: NewsDesk;
  readonly subscriptions: Subscriptions;
  readonly follows: Follows;
  readonly delivery: DeliveryService;
  readonly sources: Sources;
  /** This process among those sharing the database: what its claims and leases carry. */
  readonly owner: string;
  close(): Promise<void>;
}

/** The broadcast pace per platform, from config. */
export function rateLimitsFromConfig(config: Config): Map<string, RateLimits> {
  return new Map<string, RateLimits>([
    [
      'telegram',
      {
        perSecond: config.telegramMessagesPerSecond,
        chatIntervalMs: {
          private: config.telegramPrivateChatIntervalMs,
          group: config.telegramGroupChatIntervalMs,
          channel: config.telegramGroupChatIntervalMs,
        },
      },
    ],
    [
      'discord',
      {
        perSecond: config.discordRequestsPerSecond,
        chatIntervalMs: {
          private: config.discordChannelIntervalMs,
          group: config.discordChannelIntervalMs,
          channel: config.discordChannelIntervalMs,
        },
      },
    ],
    ['console', { perSecond: 100, chatIntervalMs: { private: 0, group: 0, channel: 0 } }],
  ]);
}

/** What a process runs beside the core. */
export interface ServiceOptions {
  /**
   * The hourly retention job (DELIVERY_RETENTION_DAYS, ARTICLE_RETENTION_DAYS): on in the bot and
   * the console, off in a one-shot CLI command, which should not delete anything it was not asked to.
   */
  readonly retention?: boolean;
  /** Where the core reports what it does (ops/metrics.ts); nowhere when absent (the CLI). */
  readonly telemetry?: Telemetry;
}

/**
 * Opens the database, the news desk and delivery described by `config`. Deliveries for platforms
 * with no sender here wait in the outbox for a process that has one.
 */
export async function openServices(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  senders: ReadonlyMap<string, Sender> = new Map(),
  options: ServiceOptions = {},
): Promise<Services> {
  const storage = await openStorage(config.storeUrl);
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const closers: (() => Promise<void>)[] = [() => storage.close()];
  // Everything opened so far, last first: a failed start leaves nothing open behind it.
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => logger.warn('close failed', errorFields(error)));
  };
  try {
    const cache = await openAnswerCacheStore(config.cacheUrl, logger);
    closers.push(() => cache.close());
    const { telemetry } = options;
    const engine = await createEngine(config, logger, telemetry);
    const embeddings = await createEmbeddings(config, logger);
    const desk = await openNewsDesk({
      storage,
      answerCache: cache.keyv,
      engine,
      logger,
      settings: config,
      changePollMs: config.changePollMs,
      ...(telemetry ? { telemetry } : {}),
      ...(embeddings ? { embeddings } : {}),
    });
    closers.push(() => desk.close());
    const subscriptions = createSubscriptions(storage.subscriptions, config.deliveryTimeZone);
    const follows = createFollows({ repo: storage.follows, desk, logger });
    const delivery = await startDelivery({
      storage,
      desk,
      subscriptions,
      follows,
      senders,
      limits: rateLimitsFromConfig(config),
      logger,
      owner,
      worker: { concurrency: config.deliveryConcurrency, maxAttempts: config.deliveryMaxAttempts },
      ...(telemetry ? { telemetry } : {}),
    });
    closers.push(() => delivery.stop());
    const sources = openSources({
      desk,
      storage,
      logger,
      fetch: fetcherFromSettings(config),
      settings: config,
      owner,
      notify: noticeSender(senders),
      adminIds: config.adminIds,
      ...(telemetry ? { telemetry } : {}),
    });
    // Feeds stop first: a poll in flight may still post articles for delivery to queue.
    closers.push(() => sources.stop());
    if (options.retention) {
      const retention = startRetention({
        storage,
        desk,
        logger,
        owner,
        deliveryRetentionDays: config.deliveryRetentionDays,
        articleRetentionDays: config.articleRetentionDays,
      });
      // Stopped before the desk closes: a run in flight may still be deleting articles through it.
      closers.push(() => retention.stop());
    }
    return {
      config,
      logger,
      storage,
      engine,
      desk,
      subscriptions,
      follows,
      delivery,
      sources,
      owner,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** What a running bot serves on /healthz, /readyz and /metrics. */
export interface Operations {
  /** The ops endpoints as a route, for a server of their own or the Telegram webhook's. */
  readonly route: OpsRoute;
  /** Records whether a platform is connected now; each platform the bot serves starts as not connected. */
  platformState(platform: string, connected: () => boolean): void;
}

/**
 * The health and metrics endpoints over `services`: readiness reads the store, each platform's
 * state and the outbox; metrics read the outbox and the engine's totals at each scrape.
 */
export function operations(services: Pick<Services, 'config' | 'storage' | 'engine' | 'logger'>, metrics: Metrics, platforms: readonly string[]): Operations {
  const states = new Map<string, () => boolean>(platforms.map((platform) => [platform, () => false]));
  metrics.observe({ engineUsage: () => services.engine.usage?.(), outbox: services.storage.outbox, platforms });
  const route = opsRoute({
    logger: services.logger,
    metrics: () => metrics.render(),
    readiness: () =>
      checkReadiness({ store: services.storage, outbox: services.storage.outbox, platforms: states, maxOutboxLagMs: services.config.readyMaxOutboxLagMs }),
  });
  return {
    route,
    platformState(platform, connected) {
      states.set(platform, connected);
    },
  };
}

/** This process's metrics, with Node's own (memory, event loop, CPU) beside akhbar's. */
async function openMetrics(): Promise<Metrics> {
  // Loaded by the bot only: a CLI command has nothing to be scraped.
  const { createMetrics } = await import('./ops/metrics.js');
  return createMetrics({ defaultMetrics: true });
}

/** The health and metrics server on HEALTH_PORT, when one is configured. */
async function startHealthServer(config: Config, ops: Operations, logger: Logger): Promise<OpsServer | undefined> {
  if (!config.health) return undefined;
  return startOpsServer({ host: config.health.host, port: config.health.port, route: ops.route, logger });
}

/** Runs the bot: the chat adapters that have tokens, or the local console when none do. */
export async function runBot(config: Config): Promise<void> {
  const { telegram, discord } = config;
  if (!telegram && !discord) return runConsoleBot(config);
  const logger = createLogger(config.logLevel);
  const senders = new Map<string, Sender>();
  // A platform's library is loaded only when that platform is switched on: discord.js and grammY
  // take tenths of a second to load, which a CLI command should not spend.
  if (telegram) {
    const { telegramSender } = await import('./adapters/telegram/index.js');
    senders.set(
      'telegram',
      telegramSender({ token: telegram.token, defaultLanguage: config.defaultLanguage, timeoutMs: telegram.timeoutMs, ...(telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {}) }),
    );
  }
  if (discord) {
    const { discordSender } = await import('./adapters/discord/index.js');
    senders.set('discord', discordSender({ token: discord.token, defaultLanguage: config.defaultLanguage, ...(discord.restApi ? { restApi: discord.restApi } : {}) }));
  }
  const metrics = await openMetrics();
  const services = await openServices(config, logger, senders, { retention: true, telemetry: metrics.telemetry });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', errorFields(reason)));
  const ops = operations(services, metrics, [...senders.keys()]);
  // Before the platforms connect: /healthz answers during start-up, and /readyz says what it waits for.
  const healthServer = await startHealthServer(config, ops, logger).catch(async (error: unknown) => {
    await services.close();
    throw error;
  });
  const closeAll = async () => {
    await healthServer?.close();
    await services.close();
  };
  const common = {
    desk: services.desk,
    subscriptions: services.subscriptions,
    follows: services.follows,
    delivery: services.delivery,
    sources: services.sources,
    defaultLanguage: config.defaultLanguage,
    timeZone: config.deliveryTimeZone,
    maxArticleChars: config.maxArticleChars,
    streamAnswers: config.streamAnswers,
    lastAnswers: createLastAnswers(services.storage.lastAnswers, logger),
    logger,
  };
  // A signal during start-up gives up waiting for a platform that does not answer; after it, stops the bot.
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      // A second signal forces exit.
      process.once(signal, () => process.exit(1));
      stopping.abort(new Error(`stopped by ${signal}`));
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  const startup = { signal: stopping.signal };
  // Started side by side: a platform that cannot be reached does not hold the other one back. The
  // adapters are imported here, not at the top: discord.js and grammY take tenths of a second to load.
  const starts = await Promise.allSettled([
    ...(telegram
      ? [
          import('./adapters/telegram/index.js').then(async ({ startTelegram }) => {
            const adapter = await startTelegram({
              ...common,
              token: telegram.token,
              timeoutMs: telegram.timeoutMs,
              inlineWaitMs: telegram.inlineWaitMs,
              ...(telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {}),
              // Webhook mode serves any number of instances; long polling only one, held by a lease.
              // The webhook's port serves /healthz, /readyz and /metrics too: it is the one a load balancer probes.
              ...(telegram.webhook ? { webhook: telegram.webhook, ops: ops.route } : { poller: { leases: services.storage.leases, owner: services.owner } }),
              startup,
            });
            ops.platformState('telegram', () => adapter.connected());
            return adapter;
          }),
        ]
      : []),
    ...(discord
      ? [
          import('./adapters/discord/index.js').then(async ({ startDiscord }) => {
            const adapter = await startDiscord({
              ...common,
              token: discord.token,
              ...(discord.restApi ? { restApi: discord.restApi } : {}),
              // One gateway connection among the instances; every one of them sends over REST.
              gateway: { leases: services.storage.leases, owner: services.owner },
              startup,
            });
            ops.platformState('discord', () => adapter.connected());
            return adapter;
          }),
        ]
      : []),
  ]);
  const adapters = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const failed = starts.find((start): start is PromiseRejectedResult => start.status === 'rejected');
  if (failed || stopping.signal.aborted) {
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    await closeAll();
    if (failed && !stopping.signal.aborted) throw failed.reason;
    return;
  }
  // Stop taking updates, let sends in flight finish, save the search index, close the database.
  await stopped;
  await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
  await closeAll();
}

async function runConsoleBot(config: Config): Promise<void> {
  // In the console, routine log lines would interleave with the conversation.
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  // Deliveries print on the console's screen, above its prompt, which comes back under them.
  const screen = createConsoleScreen();
  const consoleSender = createConsoleSender(config.defaultLanguage, screen);
  const metrics = await openMetrics();
  const services = await openServices(config, logger, new Map([['console', consoleSender]]), { retention: true, telemetry: metrics.telemetry });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', errorFields(reason)));
  const ops = operations(services, metrics, ['console']);
  // The console is there as long as the process is.
  ops.platformState('console', () => true);
  let healthServer: OpsServer | undefined;
  try {
    healthServer = await startHealthServer(config, ops, logger);
    await runConsole({
      desk: services.desk,
      language: config.defaultLanguage,
      logger,
      screen,
      maxArticleChars: config.maxArticleChars,
      delivery: { subscriptions: services.subscriptions, delivery: services.delivery, timeZone: config.deliveryTimeZone },
      sources: services.sources,
      lastAnswers: createLastAnswers(services.storage.lastAnswers, logger),
    });
  } finally {
    await healthServer?.close();
    await services.close();
  }
}
