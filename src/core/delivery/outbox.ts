/**
 * The durable outbox: every delivery is written before it is sent and updated after, so a restart
 * resumes where the last process stopped.
 */
import type Keyv from 'keyv';
import type { Store } from '../store.js';
import type { Delivery, DeliveryStatus } from './types.js';

/** Delivery counts for one article. */
export interface ArticleDeliveryStatus {
  readonly articleId: string;
  readonly pending: number;
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
}

/** Totals and per-article counts, newest articles first is the caller's business. */
export interface DeliveryReport {
  readonly pending: number;
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
  readonly byArticle: readonly ArticleDeliveryStatus[];
}

/** Progress of one article's fan-out to its subscribers. */
export interface FanOutRecord {
  readonly articleId: string;
  readonly state: 'started' | 'done';
  readonly at: string;
}

/** Reads and writes deliveries and fan-out records. */
export interface Outbox {
  get(id: string): Promise<Delivery | undefined>;
  put(delivery: Delivery): Promise<void>;
  /** What a new process picks up: every delivery still pending, and fan-outs a crash interrupted. */
  resumable(): Promise<{ pending: Delivery[]; unfinishedFanOuts: FanOutRecord[] }>;
  fanOut(articleId: string): Promise<FanOutRecord | undefined>;
  setFanOut(record: FanOutRecord): Promise<void>;
  report(): Promise<DeliveryReport>;
}

const DELIVERY = 'd:';
const FAN_OUT = 'f:';

/** The outbox in the store's `deliveries` namespace. */
export function createOutbox(store: Store): Outbox {
  const keyv = store.namespace('deliveries') as Keyv<Delivery | FanOutRecord>;

  async function scan<T>(prefix: string): Promise<T[]> {
    const found: T[] = [];
    for await (const [key, value] of store.entries<T>('deliveries')) if (key.startsWith(prefix)) found.push(value);
    return found;
  }

  return {
    get: async (id) => (await keyv.get(DELIVERY + id)) as Delivery | undefined,
    async put(delivery) {
      await keyv.set(DELIVERY + delivery.id, delivery);
    },
    async resumable() {
      const pending: Delivery[] = [];
      const unfinishedFanOuts: FanOutRecord[] = [];
      for await (const [key, value] of store.entries<Delivery | FanOutRecord>('deliveries')) {
        if (key.startsWith(DELIVERY) && (value as Delivery).status === 'pending') pending.push(value as Delivery);
        else if (key.startsWith(FAN_OUT) && (value as FanOutRecord).state === 'started') unfinishedFanOuts.push(value as FanOutRecord);
      }
      return { pending, unfinishedFanOuts };
    },
    fanOut: async (articleId) => (await keyv.get(FAN_OUT + articleId)) as FanOutRecord | undefined,
    async setFanOut(record) {
      await keyv.set(FAN_OUT + record.articleId, record);
    },
    async report() {
      const totals: Record<DeliveryStatus, number> = { pending: 0, sent: 0, failed: 0, dead: 0 };
      const byArticle = new Map<string, Record<DeliveryStatus, number>>();
      for (const delivery of await scan<Delivery>(DELIVERY)) {
        totals[delivery.status]++;
        for (const articleId of delivery.articleIds) {
          const counts = byArticle.get(articleId) ?? { pending: 0, sent: 0, failed: 0, dead: 0 };
          counts[delivery.status]++;
          byArticle.set(articleId, counts);
        }
      }
      return { ...totals, byArticle: [...byArticle].map(([articleId, counts]) => ({ articleId, ...counts })) };
    },
  };
}
