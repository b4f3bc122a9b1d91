/**
 * The core services an adapter runs on, over a memory database, for end-to-end adapter tests.
 */
import { loadConfig } from '../../src/config.js';
import { startDelivery, type DeliveryOptions, type DeliveryService, type Sender } from '../../src/core/delivery/index.js';
import { noticeSender } from '../../src/core/delivery/notices.js';
import type { RateLimits } from '../../src/core/delivery/pacing.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { openNewsDesk, type NewsDesk } from '../../src/core/newsDesk.js';
import type { Storage } from '../../src/core/ports.js';
import { createFollows, type Follows } from '../../src/core/follows.js';
import { createLastAnswers, type LastAnswers } from '../../src/core/lastAnswers.js';
import { createSubscriptions, type Subscriptions } from '../../src/core/subscriptions.js';
import { openStorage } from '../../src/storage/index.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { fetcherFromSettings, openSources, type Sources } from '../../src/sources/index.js';

/**
 * Desk, subscriptions and delivery with one admin and one platform sender. Silent unless given a
 * logger; over a memory database unless given a URL or an open handle (a fault case breaks its file).
 */
export async function startCore(options: {
  adminId: string;
  sender: Sender;
  limits: RateLimits;
  engine?: Engine;
  storeUrl?: string;
  storage?: Storage;
  owner?: string;
  logger?: Logger;
  worker?: DeliveryOptions['worker'];
  /** FEED_MAX_FAILURES. */
  feedMaxFailures?: number;
  /** How often the feed poller looks for due feeds; never by itself when absent (specs poll by hand). */
  feedCheckEveryMs?: number;
  /** More configuration, as environment variables (STORY_WINDOW_HOURS …). */
  env?: Readonly<Record<string, string>>;
}): Promise<{
  desk: NewsDesk;
  subscriptions: Subscriptions;
  follows: Follows;
  delivery: DeliveryService;
  storage: Storage;
  sources: Sources;
  maxArticleChars: number;
  lastAnswers: LastAnswers;
}> {
  const config = loadConfig({ ...options.env, ADMIN_IDS: options.adminId, ...(options.feedMaxFailures === undefined ? {} : { FEED_MAX_FAILURES: String(options.feedMaxFailures) }) });
  const logger = options.logger ?? silentLogger;
  const storage = options.storage ?? (await openStorage(options.storeUrl ?? 'memory://'));
  const desk = await openNewsDesk({ storage, engine: options.engine ?? createExtractiveEngine(), logger, settings: config });
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  const follows = createFollows({ repo: storage.follows, desk, logger });
  const delivery = await startDelivery({
    storage,
    desk,
    subscriptions,
    follows,
    senders: new Map([[options.sender.platform, options.sender]]),
    limits: new Map([[options.sender.platform, options.limits]]),
    logger,
    owner: options.owner ?? 'e2e',
    digestCheckMs: 0,
    ...(options.worker ? { worker: options.worker } : {}),
  });
  // Fixture pages are served on 127.0.0.1, which the SSRF guard refuses unless allow-listed.
  const sources = openSources({
    desk,
    storage,
    logger,
    fetch: fetcherFromSettings({ ...config, fetchAllowHosts: ['127.0.0.1'], fetchTimeoutMs: 5_000 }),
    settings: config,
    owner: 'e2e',
    checkEveryMs: options.feedCheckEveryMs ?? 0,
    // A paused feed's notice goes through the same platform sender as deliveries.
    notify: noticeSender(new Map([[options.sender.platform, options.sender]])),
    adminIds: config.adminIds,
  });
  return { desk, subscriptions, follows, delivery, storage, sources, maxArticleChars: config.maxArticleChars, lastAnswers: createLastAnswers(storage.lastAnswers, logger) };
}
