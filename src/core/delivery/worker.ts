/**
 * The delivery worker: sends pending deliveries through the platforms' senders at the platforms'
 * pace. One message at a time per chat (in order), many chats at once, an even overall rate per
 * platform; 429s pause the chat (or the platform), errors back off, dead chats stop.
 */
import { errorFields, type Logger } from '../logger.js';
import type { Store } from '../store.js';
import type { Outbox } from './outbox.js';
import { createPacer, type Pacer, type RateLimits } from './pacing.js';
import type { Delivery, DeliveryTarget, SendOutcome, Sender } from './types.js';

/** What the worker reports back so subscriptions can follow a chat's fate. */
export interface ChatEvents {
  chatGone(subscriptionId: string, reason: string): Promise<void>;
  /** Returns the new subscription id. */
  chatMigrated(subscriptionId: string, newChatId: string): Promise<string | undefined>;
}

/** Worker settings. */
export interface WorkerOptions {
  readonly store: Store;
  readonly outbox: Outbox;
  readonly senders: ReadonlyMap<string, Sender>;
  readonly limits: ReadonlyMap<string, RateLimits>;
  readonly events: ChatEvents;
  readonly logger: Logger;
  /** Unique per process; leases carry it. */
  readonly owner: string;
  /** Sends in flight at once, over all platforms. */
  readonly concurrency?: number;
  /** Tries for errors other than 429 before a delivery is given up. */
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly leaseMs?: number;
  readonly clock?: () => number;
}

/** Counters since the worker started. */
export interface WorkerStats {
  sent: number;
  rateLimited: number;
  retried: number;
  failed: number;
  dead: number;
  migrated: number;
  skipped: number;
}

/** The running worker. */
export interface DeliveryWorker {
  /** Queues pending deliveries (already written to the outbox). */
  add(deliveries: readonly Delivery[]): void;
  readonly queued: number;
  readonly inFlight: number;
  readonly stats: Readonly<WorkerStats>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Stops starting sends; resolves when those in flight have finished. */
  stop(): Promise<void>;
}

interface ChatQueue {
  readonly key: string;
  readonly platform: string;
  readonly items: Delivery[];
  /** Earliest time the next message may go into this chat. */
  readyAt: number;
  busy: boolean;
  scheduled: boolean;
}

interface Lane {
  readonly pacer: Pacer;
  readonly limits: RateLimits;
  /** Chats with something to send, earliest first. */
  readonly heap: ChatQueue[];
}

/** Starts a worker; it sends whatever is added until stopped. */
export function startDeliveryWorker(options: WorkerOptions): DeliveryWorker {
  const clock = options.clock ?? Date.now;
  const concurrency = options.concurrency ?? 64;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffBase = options.backoffBaseMs ?? 2_000;
  const backoffCap = options.backoffCapMs ?? 5 * 60_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const logger = options.logger.child({ component: 'delivery' });
  const chats = new Map<string, ChatQueue>();
  const lanes = new Map<string, Lane>();
  const known = new Set<string>();
  const stats: WorkerStats = { sent: 0, rateLimited: 0, retried: 0, failed: 0, dead: 0, migrated: 0, skipped: 0 };
  let queued = 0;
  let inFlight = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let idleWaiters: (() => void)[] = [];
  const warnedPlatforms = new Set<string>();

  function lane(platform: string): Lane | undefined {
    let found = lanes.get(platform);
    if (found) return found;
    const limits = options.limits.get(platform);
    if (!limits || !options.senders.has(platform)) return undefined;
    found = { pacer: createPacer(limits.perSecond), limits, heap: [] };
    lanes.set(platform, found);
    return found;
  }

  function chatKey(target: DeliveryTarget): string {
    return `${target.platform}:${target.chatId}`;
  }

  function schedule(chat: ChatQueue): void {
    if (chat.busy || chat.scheduled || chat.items.length === 0) return;
    const l = lane(chat.platform);
    if (!l) return;
    chat.readyAt = Math.max(chat.readyAt, chat.items[0]!.notBefore);
    chat.scheduled = true;
    heapPush(l.heap, chat);
  }

  function enqueue(delivery: Delivery, front = false): void {
    const key = chatKey(delivery.target);
    let chat = chats.get(key);
    if (!chat) {
      chat = { key, platform: delivery.target.platform, items: [], readyAt: 0, busy: false, scheduled: false };
      chats.set(key, chat);
    }
    if (front) chat.items.unshift(delivery);
    else chat.items.push(delivery);
    queued++;
    if (!lane(delivery.target.platform) && !warnedPlatforms.has(delivery.target.platform)) {
      warnedPlatforms.add(delivery.target.platform);
      logger.warn('no sender for platform; its deliveries wait in the outbox', { platform: delivery.target.platform });
    }
    schedule(chat);
  }

  function wake(at: number): void {
    if (stopped || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      pump();
    }, Math.max(0, at - clock()));
  }

  function pump(): void {
    if (stopped) return;
    const now = clock();
    let nextWake = Infinity;
    for (const l of lanes.values()) {
      while (inFlight < concurrency && l.heap.length > 0) {
        const top = l.heap[0]!;
        if (top.readyAt > now) {
          nextWake = Math.min(nextWake, top.readyAt);
          break;
        }
        const wait = l.pacer.wait(now);
        if (wait > 0) {
          nextWake = Math.min(nextWake, now + wait);
          break;
        }
        heapPop(l.heap);
        top.scheduled = false;
        const delivery = top.items.shift()!;
        queued--;
        l.pacer.take(now);
        top.busy = true;
        inFlight++;
        void attempt(top, l, delivery).finally(() => {
          inFlight--;
          top.busy = false;
          schedule(top);
          if (queued === 0 && inFlight === 0) {
            const waiters = idleWaiters;
            idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
          // A burst of completions needs one pump, not one each.
          wake(clock());
        });
      }
    }
    if (nextWake < Infinity) wake(nextWake);
  }

  async function attempt(chat: ChatQueue, l: Lane, delivery: Delivery): Promise<void> {
    const leaseKey = `delivery:${delivery.id}`;
    try {
      if (!(await options.store.lease(leaseKey, options.owner, leaseMs))) {
        // Another process is sending it; look again once its lease could have run out.
        stats.skipped++;
        enqueue({ ...delivery, notBefore: clock() + leaseMs }, true);
        return;
      }
      try {
        // In a shared store another process may have sent it since it was queued here; a store only
        // this process writes (SQLite, memory) cannot have changed under it.
        const current = options.store.kind === 'redis' ? await options.outbox.get(delivery.id) : delivery;
        if (!current || current.status !== 'pending') {
          stats.skipped++;
          known.delete(delivery.id);
          return;
        }
        const outcome = await send(current);
        await settle(chat, l, current, outcome);
      } finally {
        await options.store.release(leaseKey, options.owner).catch(() => undefined);
      }
    } catch (error) {
      // The store failed (not the platform): keep the delivery and try again later.
      logger.error('delivery bookkeeping failed', { delivery: delivery.id, ...errorFields(error) });
      enqueue({ ...delivery, notBefore: clock() + backoffBase }, true);
    }
  }

  async function send(delivery: Delivery): Promise<SendOutcome> {
    const sender = options.senders.get(delivery.target.platform)!;
    try {
      return await sender.send(delivery.target, delivery.message);
    } catch (error) {
      return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function settle(chat: ChatQueue, l: Lane, delivery: Delivery, outcome: SendOutcome): Promise<void> {
    const now = clock();
    switch (outcome.kind) {
      case 'sent':
        stats.sent++;
        known.delete(delivery.id);
        chat.readyAt = now + l.limits.chatIntervalMs[delivery.target.kind];
        await options.outbox.put({ ...delivery, status: 'sent', attempts: delivery.attempts + 1, sentAt: new Date(now).toISOString() });
        return;
      case 'rate-limited': {
        stats.rateLimited++;
        const until = now + Math.max(outcome.retryAfterMs, 1);
        chat.readyAt = until;
        if (outcome.scope === 'global') l.pacer.pauseUntil(until);
        enqueue(delivery, true);
        return;
      }
      case 'transient': {
        const attempts = delivery.attempts + 1;
        if (attempts >= maxAttempts) {
          stats.failed++;
          known.delete(delivery.id);
          logger.warn('delivery given up', { delivery: delivery.id, attempts, error: outcome.error });
          await options.outbox.put({ ...delivery, status: 'failed', attempts, lastError: outcome.error });
          return;
        }
        stats.retried++;
        const delay = Math.min(backoffCap, backoffBase * 2 ** (attempts - 1)) * (0.75 + Math.random() * 0.5);
        const retry: Delivery = { ...delivery, attempts, notBefore: now + delay, lastError: outcome.error };
        await options.outbox.put(retry);
        enqueue(retry, true);
        return;
      }
      case 'rejected':
        stats.failed++;
        known.delete(delivery.id);
        logger.warn('delivery rejected by the platform', { delivery: delivery.id, error: outcome.error });
        await options.outbox.put({ ...delivery, status: 'failed', attempts: delivery.attempts + 1, lastError: outcome.error });
        return;
      case 'chat-gone': {
        logger.info('chat is gone; subscription deactivated', { subscription: delivery.subscriptionId, reason: outcome.reason });
        await options.events.chatGone(delivery.subscriptionId, outcome.reason);
        // Everything else queued for this chat is dead too.
        const doomed = [delivery, ...chat.items.splice(0)];
        queued -= doomed.length - 1;
        for (const d of doomed) {
          stats.dead++;
          known.delete(d.id);
          await options.outbox.put({ ...d, status: 'dead', lastError: outcome.reason });
        }
        return;
      }
      case 'migrated': {
        stats.migrated++;
        const subscriptionId = (await options.events.chatMigrated(delivery.subscriptionId, outcome.newChatId)) ?? delivery.subscriptionId;
        const moved = [delivery, ...chat.items.splice(0)];
        queued -= moved.length - 1;
        for (const d of moved) {
          const next: Delivery = { ...d, subscriptionId, target: { ...d.target, chatId: outcome.newChatId } };
          await options.outbox.put(next);
          enqueue(next);
        }
        return;
      }
    }
  }

  return {
    add(deliveries) {
      for (const delivery of deliveries) {
        if (delivery.status !== 'pending' || known.has(delivery.id)) continue;
        known.add(delivery.id);
        enqueue(delivery);
      }
      wake(clock());
    },
    get queued() {
      return queued;
    },
    get inFlight() {
      return inFlight;
    },
    stats,
    idle() {
      if (queued === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}

// A binary min-heap of chats by readyAt; the broadcast to 10k chats stays O(log n) per send.
function heapPush(heap: ChatQueue[], chat: ChatQueue): void {
  heap.push(chat);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.readyAt <= chat.readyAt) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = chat;
}

function heapPop(heap: ChatQueue[]): ChatQueue | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || !last) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]!.readyAt < heap[left]!.readyAt ? right : left;
    if (heap[child]!.readyAt >= last.readyAt) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
  return top;
}
