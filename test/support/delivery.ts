/**
 * Delivery as most specs and fault cases run it: one fake Telegram sender beside a test desk, so a
 * spec says what it delivers and not the dozen options every such rig repeats.
 */
import { startDelivery, type DeliveryService } from '../../src/core/delivery/index.js';
import { scaleLimits, TELEGRAM_LIMITS } from '../../src/core/delivery/pacing.js';
import { silentLogger } from '../../src/core/logger.js';
import type { NewsDesk } from '../../src/core/newsDesk.js';
import type { Storage } from '../../src/core/ports.js';
import { createSubscriptions, type Subscriptions } from '../../src/core/subscriptions.js';
import { fakeSender, type FakeSender } from './fakeSender.js';

/** What may differ between the specs that use it. */
export interface TelegramDeliveryOptions {
  /** The delivery process's owner name (unique per process). */
  readonly owner?: string;
  /** The clock of the database and the desk, when a spec fakes time. */
  readonly clock?: () => number;
  /** How often the worker looks for due deliveries; 20 ms unless set. */
  readonly pollMs?: number;
}

/** A running delivery with its subscriptions and the fake Telegram sender that receives it. */
export interface TelegramDelivery {
  readonly subscriptions: Subscriptions;
  readonly sender: FakeSender;
  readonly delivery: DeliveryService;
}

/**
 * Starts delivery to a fake Telegram sender: Telegram's rate limits scaled 20× faster, no digest
 * timer, fan-outs nobody holds swept only at start.
 */
export async function startTelegramDelivery(storage: Storage, desk: NewsDesk, options: TelegramDeliveryOptions = {}): Promise<TelegramDelivery> {
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  const sender = fakeSender('telegram');
  const delivery = await startDelivery({
    storage,
    desk,
    subscriptions,
    senders: new Map([['telegram', sender]]),
    limits: new Map([['telegram', scaleLimits(TELEGRAM_LIMITS, 20)]]),
    logger: silentLogger,
    owner: options.owner ?? 'test',
    ...(options.clock ? { clock: options.clock } : {}),
    digestCheckMs: 0,
    fanOutSweepMs: 0,
    worker: { pollMs: options.pollMs ?? 20 },
  });
  return { subscriptions, sender, delivery };
}
