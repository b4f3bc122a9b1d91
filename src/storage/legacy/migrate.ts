/**
 * Moving a store written by akhbar before the storage ports (keyv namespaces in SQLite, Redis or
 * memory) into a storage backend, so that nothing stored by an older version is lost on upgrade.
 * It only reads the old store, and it can be run again: articles, feeds and deliveries already
 * moved are recognised by their ids and not written twice.
 */
import { messageLanguage, type DeliveredSummary, type DeliveryMessage, type DeliveryStatus, type DeliveryTarget } from '../../core/delivery/types.js';
import type { NewDelivery, OutboxItem, Storage } from '../../core/ports.js';
import type { Store } from './keyvStore.js';
import type { Subscription } from '../../core/subscriptions.js';
import type { Article, FeedRecord, Summary } from '../../core/types.js';

/** How many records of each kind were read from the old store and how many were new in the storage. */
export interface MigrationReport {
  readonly articles: { read: number; added: number };
  readonly summaries: { read: number };
  readonly subscriptions: { read: number };
  readonly feeds: { read: number; added: number };
  /** Pending deliveries queued again; sent and failed ones are history the new outbox does not keep. */
  readonly deliveries: { read: number; pending: number; queued: number };
  /** Fan-outs a crash had interrupted, requested again so the subscribers still get those articles. */
  readonly fanOuts: { resumed: number };
}

/** A delivery as the keyv outbox stored it under `d:<id>`: a full copy of its message in every row. */
export interface LegacyDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly target: DeliveryTarget;
  /** The old store knew only articles and digests. */
  readonly message: Exclude<DeliveryMessage, { kind: 'follow-update' }>;
  readonly articleIds: readonly string[];
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly notBefore: number;
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly lastError?: string;
}

/** A fan-out's progress as the keyv outbox stored it under `f:<article id>`. */
export interface LegacyFanOut {
  readonly articleId: string;
  readonly state: 'started' | 'done';
  readonly at: string;
}

const DELIVERY = 'd:';
const FAN_OUT = 'f:';

/**
 * Copies every article, summary, subscription, feed, pending delivery and unfinished fan-out of
 * the old store into `storage`. Articles are stored without a fan-out: their subscribers were
 * already sent them (or have them pending, which is copied as it was).
 */
export async function migrateLegacyStore(legacy: Store, storage: Storage): Promise<MigrationReport> {
  const articles = { read: 0, added: 0 };
  for await (const [, article] of legacy.entries<Article>('articles')) {
    articles.read++;
    if ((await storage.articles.insert(article)).inserted) articles.added++;
  }

  const summaries = { read: 0 };
  for await (const [key, summary] of legacy.entries<Summary>('summaries')) {
    // A summary of an article the old store no longer has would belong to nothing.
    if (!(await storage.articles.get(summary.articleId))) continue;
    await storage.summaries.put(key, summary);
    summaries.read++;
  }

  const subscriptions = { read: 0 };
  for await (const [, subscription] of legacy.entries<Subscription>('subscriptions')) {
    await storage.subscriptions.put(subscription);
    subscriptions.read++;
  }

  const feeds = { read: 0, added: 0 };
  for await (const [, feed] of legacy.entries<FeedRecord>('feeds')) {
    feeds.read++;
    if (await storage.feeds.insert(feed)) feeds.added++;
  }

  const deliveries = { read: 0, pending: 0, queued: 0 };
  const fanOuts = { resumed: 0 };
  for await (const [key, value] of legacy.entries<LegacyDelivery | LegacyFanOut>('deliveries')) {
    if (key.startsWith(FAN_OUT)) {
      const record = value as LegacyFanOut;
      if (record.state === 'started' && (await storage.articles.get(record.articleId))) {
        await storage.outbox.requestFanOut(record.articleId);
        fanOuts.resumed++;
      }
      continue;
    }
    if (!key.startsWith(DELIVERY)) continue;
    const delivery = value as LegacyDelivery;
    deliveries.read++;
    if (delivery.status !== 'pending') continue;
    deliveries.pending++;
    const carried = delivery.message.kind === 'digest' ? delivery.message.summaries : [delivery.message.summary];
    // The new outbox stores each message once per article and language; the old one kept a copy per delivery.
    for (const summary of carried) {
      if (!(await storage.outbox.getMessage(summary.articleId, summary.language))) await storage.outbox.putMessage(summary);
    }
    deliveries.queued += await storage.outbox.enqueue([newDelivery(delivery, carried)]);
  }

  return { articles, summaries, subscriptions, feeds, deliveries, fanOuts };
}

function newDelivery(delivery: LegacyDelivery, carried: readonly DeliveredSummary[]): NewDelivery {
  const items: OutboxItem[] = carried.map((summary) => ({ articleId: summary.articleId, language: summary.language }));
  return {
    id: delivery.id,
    target: delivery.target,
    kind: delivery.message.kind,
    language: messageLanguage(delivery.message),
    items,
    createdAt: delivery.createdAt,
    notBefore: delivery.notBefore,
  };
}
