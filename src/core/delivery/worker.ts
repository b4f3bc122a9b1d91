/**
 * The delivery worker: claims pending deliveries from the outbox in the database, sends them
 * through the platforms' senders at the platforms' pace, and settles each claim with its outcome.
 * One message at a time per chat (in order), many chats at once, an even overall rate per
 * platform; 429s pause the chat (or the platform), errors back off, dead chats stop.
 *
 * Claims are what keep several processes from sending the same delivery: a claim is taken in the
 * database, renewed while the delivery waits here, and runs out when its process dies, so another
 * process takes the delivery over. A process holds a bounded batch, so a broadcast to 100k chats
 * is spread over whoever is running rather than claimed whole by the first.
 */
import { errorFields, type Logger } from '../logger.js';
import type { DeliveryOutcome, OutboxDelivery, OutboxRepo } from '../ports.js';
import { subscriptionId } from '../subscriptions.js';
import { createPacer, type Pacer, type RateLimits } from './pacing.js';
import { startSenderRegistry, type SenderLeases, type SenderRegistry } from './senders.js';
import { noTelemetry, type Telemetry } from '../telemetry.js';
import type { DeliveryTarget, SendOutcome, Sender } from './types.js';

/** What the worker reports back so subscriptions can follow a chat's fate. */
export interface ChatEvents {
  chatGone(subscriptionId: string, reason: string): Promise<void>;
  chatMigrated(subscriptionId: string, newChatId: string): Promise<void>;
}

/** A timer as the worker holds it: the platform's, or a test's fake one. */
export interface TimerHandle {
  unref?(): unknown;
}

/** The timer functions the worker schedules with; a test passes fake ones to run backoff and pacing in virtual time. */
export interface WorkerTimers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** Worker settings. */
export interface WorkerOptions {
  readonly outbox: OutboxRepo;
  readonly senders: ReadonlyMap<string, Sender>;
  readonly limits: ReadonlyMap<string, RateLimits>;
  readonly events: ChatEvents;
  readonly logger: Logger;
  /** Unique per process; claims carry it. */
  readonly owner: string;
  /** Sends in flight at once, over all platforms. */
  readonly concurrency?: number;
  /** Tries for errors other than 429 before a delivery is given up. */
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** How long a claim lasts unless renewed: how soon another process takes over a dead one's work. */
  readonly leaseMs?: number;
  /** How often the outbox is looked at for work queued by other processes or left by dead ones. */
  readonly pollMs?: number;
  /** Most deliveries held (claimed and not yet settled) at once. */
  readonly maxHeld?: number;
  /**
   * The database's leases, when other processes may send with the same bot tokens: the platform's
   * rate is then shared among the live senders (see senders.ts). Without them this process paces
   * at the full rate.
   */
  readonly senderLeases?: SenderLeases;
  /** How long a sender lease outlives its last heartbeat. */
  readonly senderLeaseMs?: number;
  readonly senderHeartbeatMs?: number;
  readonly clock?: () => number;
  /** The platform's timers unless given; give them together with `clock`, which they must agree with. */
  readonly timers?: WorkerTimers;
  /** Where send outcomes and 429 waits are counted for monitoring; nowhere by default. */
  readonly telemetry?: Telemetry;
}

/** Counters since the worker started. */
export interface WorkerStats {
  sent: number;
  rateLimited: number;
  retried: number;
  failed: number;
  dead: number;
  migrated: number;
  /** Deliveries whose claim was lost to another process before they were settled here. */
  skipped: number;
}

/** The running worker. */
export interface DeliveryWorker {
  /** Looks for work at once (deliveries were just queued). */
  poke(): void;
  /** Deliveries claimed and waiting here for their turn. */
  readonly queued: number;
  readonly inFlight: number;
  readonly stats: Readonly<WorkerStats>;
  /**
   * Resolves once nothing this process could send is left: nothing held here, no retry it put
   * back still to come due, and a look at the outbox made after the call found nothing to claim.
   */
  idle(): Promise<void>;
  /** Stops claiming and sending; waits for sends in flight, then hands back the claims not yet sent. */
  stop(): Promise<void>;
}

interface ChatQueue {
  readonly key: string;
  readonly platform: string;
  readonly items: OutboxDelivery[];
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

// Every handle passed back was made by the function beside it, so it is the platform's own.
export const platformTimers: WorkerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout | undefined),
};

// Tries to record an outcome before giving the claim up to run out (and the delivery to be tried again).
const RECORD_TRIES = 5;

/** Starts a worker; it claims and sends until stopped. */
export function startDeliveryWorker(options: WorkerOptions): DeliveryWorker {
  const { outbox, owner } = options;
  const clock = options.clock ?? Date.now;
  const timers: WorkerTimers = options.timers ?? platformTimers;
  const concurrency = options.concurrency ?? 64;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffBase = options.backoffBaseMs ?? 2_000;
  const backoffCap = options.backoffCapMs ?? 5 * 60_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxHeld = options.maxHeld ?? Math.max(1_000, concurrency * 8);
  const logger = options.logger.child({ component: 'delivery' });
  const chats = new Map<string, ChatQueue>();
  const lanes = new Map<string, Lane>();
  // Everything claimed and not settled: what renewal keeps alive.
  const held = new Map<string, OutboxDelivery>();
  // Until when each held claim is known to last; past it another process may be sending it.
  const claimedUntil = new Map<string, number>();
  const stats: WorkerStats = { sent: 0, rateLimited: 0, retried: 0, failed: 0, dead: 0, migrated: 0, skipped: 0 };
  const telemetry = options.telemetry ?? noTelemetry;
  const platforms = [...options.senders.keys()].filter((platform) => options.limits.has(platform));
  let queued = 0;
  let inFlight = 0;
  let stopped = false;
  let sendTimer: TimerHandle | undefined;
  let sendTimerAt = Infinity;
  let claimTimer: TimerHandle | undefined;
  let claimTimerAt = Infinity;
  let claiming = false;
  let claimAgain = false;
  let claimFailures = 0;
  // When the claimer may next ask the database, after a failed claim (0: now).
  let claimBackoffUntil = 0;
  let lastClaimFull = false;
  // Claim passes are numbered, so idle() can wait for one that started after it was called.
  let passes = 0;
  // Retries this worker put back: it expects to claim them again once due.
  let retriesDueBy = 0;
  let renewing = false;
  // Held deliveries whose outcome is being written.
  const settling = new Set<string>();
  let idleWaiters: { after: number; resolve: () => void }[] = [];

  // Held deliveries per platform: a process with none there gives its share of the rate back.
  const heldOn = new Map<string, number>();

  function hold(delivery: OutboxDelivery): void {
    held.set(delivery.id, delivery);
    claimedUntil.set(delivery.id, delivery.claimedUntil);
    heldOn.set(delivery.target.platform, (heldOn.get(delivery.target.platform) ?? 0) + 1);
  }

  function forget(id: string): void {
    const delivery = held.get(id);
    if (delivery) heldOn.set(delivery.target.platform, (heldOn.get(delivery.target.platform) ?? 1) - 1);
    held.delete(id);
    claimedUntil.delete(id);
  }

  for (const platform of platforms) {
    lanes.set(platform, { pacer: createPacer(options.limits.get(platform)!.perSecond), limits: options.limits.get(platform)!, heap: [] });
  }
  const registry: SenderRegistry | undefined =
    options.senderLeases && platforms.length > 0
      ? startSenderRegistry({
          leases: options.senderLeases,
          owner,
          platforms,
          logger,
          clock,
          ...(options.senderLeaseMs !== undefined ? { leaseMs: options.senderLeaseMs } : {}),
          ...(options.senderHeartbeatMs !== undefined ? { heartbeatMs: options.senderHeartbeatMs } : {}),
          busy: (platform) => (heldOn.get(platform) ?? 0) > 0,
          onChange(platform, senders, notBefore) {
            const lane = lanes.get(platform);
            if (!lane) return;
            lane.pacer.setRate(lane.limits.perSecond / senders);
            if (notBefore > 0) lane.pacer.pauseUntil(notBefore);
            wakeSender(clock());
          },
        })
      : undefined;

  function chatKey(target: DeliveryTarget): string {
    return `${target.platform}:${target.chatId}`;
  }

  function schedule(chat: ChatQueue): void {
    if (chat.busy || chat.scheduled || chat.items.length === 0) return;
    const l = lanes.get(chat.platform);
    if (!l) return;
    chat.readyAt = Math.max(chat.readyAt, chat.items[0]!.notBefore);
    chat.scheduled = true;
    heapPush(l.heap, chat);
  }

  function chatOf(delivery: OutboxDelivery): ChatQueue {
    const key = chatKey(delivery.target);
    let chat = chats.get(key);
    if (!chat) {
      chat = { key, platform: delivery.target.platform, items: [], readyAt: 0, busy: false, scheduled: false };
      chats.set(key, chat);
    }
    return chat;
  }

  function enqueue(delivery: OutboxDelivery, front = false): void {
    const chat = chatOf(delivery);
    if (front) chat.items.unshift(delivery);
    else chat.items.push(delivery);
    queued++;
    schedule(chat);
  }

  function wakeSender(at: number): void {
    if (stopped || at >= sendTimerAt) return;
    if (sendTimer) timers.clearTimeout(sendTimer);
    sendTimerAt = at;
    sendTimer = timers.setTimeout(() => {
      sendTimer = undefined;
      sendTimerAt = Infinity;
      pump();
    }, Math.max(0, at - clock()));
  }

  function pump(): void {
    if (stopped) return;
    const now = clock();
    let nextWake = Infinity;
    for (const [platform, l] of lanes) {
      // Not registered and counted as a sender yet: at the full rate it could overrun the others' shares.
      if (registry && l.heap.length > 0 && !registry.ready(platform)) continue;
      while (inFlight < concurrency && l.heap.length > 0) {
        const top = l.heap[0]!;
        if (top.items.length === 0) {
          // Its deliveries were dropped (claims lost) while it waited for its turn.
          heapPop(l.heap);
          top.scheduled = false;
          continue;
        }
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
        if ((claimedUntil.get(delivery.id) ?? 0) <= now) {
          // Its claim ran out unrenewed (the database was unreachable): it may be another process's
          // now, so it is not sent from here; it is claimed again if it is still free.
          forget(delivery.id);
          stats.skipped++;
          schedule(top);
          wakeClaimer(now);
          continue;
        }
        l.pacer.take(now);
        top.busy = true;
        inFlight++;
        void attempt(top, l, delivery).finally(() => {
          inFlight--;
          top.busy = false;
          schedule(top);
          // Refill before the batch runs dry, so sending never waits for a claim.
          if (lastClaimFull && held.size <= maxHeld / 2) wakeClaimer(clock());
          if (queued === 0 && inFlight === 0) wakeClaimer(clock());
          // A burst of completions needs one pump, not one each.
          wakeSender(clock());
        });
      }
    }
    if (nextWake < Infinity) wakeSender(nextWake);
  }

  function wakeClaimer(at: number): void {
    if (stopped) return;
    // While the database fails, the poll, new posts and settles wait for the back-off like the retry does.
    at = Math.max(at, claimBackoffUntil);
    if (claiming) {
      claimAgain = true;
      return;
    }
    if (at >= claimTimerAt) return;
    if (claimTimer) timers.clearTimeout(claimTimer);
    claimTimerAt = at;
    claimTimer = timers.setTimeout(() => {
      claimTimer = undefined;
      claimTimerAt = Infinity;
      void claimPass();
      // Not unref'd: work this process knows is coming (a retry falling due) keeps it alive, as a queued send does.
    }, Math.max(0, at - clock()));
  }

  async function claimPass(): Promise<void> {
    if (stopped || claiming) return;
    claiming = true;
    const pass = ++passes;
    let found = 0;
    try {
      const room = maxHeld - held.size;
      if (room > 0 && platforms.length > 0) {
        const claimed = await outbox.claim({ owner, leaseMs, limit: room, platforms });
        for (const delivery of claimed) {
          // Already here: our own claim had run out and was taken again; it is queued once.
          if (held.has(delivery.id)) continue;
          hold(delivery);
          enqueue(delivery);
          found++;
        }
        lastClaimFull = claimed.length >= room;
      }
      claimFailures = 0;
      claimBackoffUntil = 0;
    } catch (error) {
      claimFailures++;
      const retryMs = Math.min(backoffCap, backoffBase * 2 ** (claimFailures - 1));
      logger.error('deliveries not claimed; trying again', { retryMs, ...errorFields(error) });
      claiming = false;
      claimBackoffUntil = clock() + retryMs;
      wakeClaimer(clock() + retryMs);
      return;
    }
    claiming = false;
    if (found > 0) pump();
    if (claimAgain || lastClaimFull) {
      claimAgain = false;
      if (held.size < maxHeld) wakeClaimer(clock());
    }
    const now = clock();
    if (retriesDueBy > now) wakeClaimer(retriesDueBy);
    if (found === 0 && queued === 0 && inFlight === 0 && retriesDueBy <= now) {
      const ready = idleWaiters.filter((w) => w.after < pass);
      idleWaiters = idleWaiters.filter((w) => w.after >= pass);
      for (const waiter of ready) waiter.resolve();
    }
    if (idleWaiters.length > 0 && found === 0 && queued === 0 && inFlight === 0) wakeClaimer(Math.max(now, retriesDueBy));
  }

  async function renewClaims(): Promise<void> {
    // One at a time: on a busy database a renewal can take longer than the interval between them.
    if (held.size === 0 || renewing) return;
    renewing = true;
    try {
      const asked = [...held.values()];
      const until = clock() + leaseMs;
      const renewed = new Set(await outbox.renew(asked.map((d) => d.id), owner, leaseMs));
      for (const delivery of asked) {
        // Settled meanwhile, or dropped and claimed again under a new claim: nothing to do here.
        if (held.get(delivery.id) !== delivery) continue;
        if (renewed.has(delivery.id)) claimedUntil.set(delivery.id, until);
        // Its outcome was written first; record() lets it go.
        else if (settling.has(delivery.id)) continue;
        else {
          // Ran out before the renewal reached the database (a long stall, a queue of queries): it
          // may be another process's now, so it is not sent from here; it is claimed again if free.
          drop(delivery);
          stats.skipped++;
        }
      }
    } finally {
      renewing = false;
    }
  }

  /** Takes a delivery out of this process: out of the held set, and out of its chat's queue if waiting. */
  function drop(delivery: OutboxDelivery): void {
    forget(delivery.id);
    const chat = chats.get(chatKey(delivery.target));
    const at = chat ? chat.items.findIndex((d) => d.id === delivery.id) : -1;
    if (chat && at !== -1) {
      chat.items.splice(at, 1);
      queued--;
    }
  }

  /** Writes an outcome, trying again while the store is failing; false when the claim was lost or never recorded. */
  async function record(delivery: OutboxDelivery, outcome: DeliveryOutcome): Promise<boolean> {
    // Held (and renewed) until the outcome is written: a settle that waits in a busy database's
    // queue past the claim's end would let another process send the delivery again.
    settling.add(delivery.id);
    try {
      return await settleWithRetries(delivery, outcome);
    } finally {
      settling.delete(delivery.id);
      forget(delivery.id);
    }
  }

  async function settleWithRetries(delivery: OutboxDelivery, outcome: DeliveryOutcome): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const settled = await outbox.settle(delivery.id, owner, outcome);
        if (!settled) {
          stats.skipped++;
          logger.warn('delivery claim lost before its outcome was recorded', { delivery: delivery.id, outcome: outcome.kind });
        }
        return settled;
      } catch (error) {
        if (attempt >= RECORD_TRIES) {
          // The claim runs out and the delivery is tried again: a possible duplicate, never a loss.
          logger.error('delivery outcome not recorded; it will be tried again', { delivery: delivery.id, outcome: outcome.kind, ...errorFields(error) });
          return false;
        }
        await new Promise<void>((resolve) => timers.setTimeout(resolve, Math.min(backoffCap, backoffBase * 2 ** (attempt - 1))));
      }
    }
  }

  /** Hands back this chat's other waiting deliveries, so they go after `first` in order, from whoever claims them. */
  async function releaseChat(chat: ChatQueue, notBefore: number): Promise<void> {
    const rest = chat.items.splice(0);
    queued -= rest.length;
    // Not before the chat's own next turn (its gap, a 429), which whoever claims them next must keep too.
    const due = Math.max(notBefore, chat.readyAt);
    for (const delivery of rest) await record(delivery, { kind: 'retry', notBefore: due, countAttempt: false });
  }

  function expectRetry(notBefore: number): void {
    retriesDueBy = Math.max(retriesDueBy, notBefore);
    wakeClaimer(notBefore);
  }

  async function attempt(chat: ChatQueue, l: Lane, delivery: OutboxDelivery): Promise<void> {
    try {
      const outcome = await send(delivery);
      await settle(chat, l, delivery, outcome);
    } catch (error) {
      // Bookkeeping failed (the store, a chat event): the claim runs out and the delivery is tried again.
      logger.error('delivery bookkeeping failed', { delivery: delivery.id, ...errorFields(error) });
      forget(delivery.id);
    }
  }

  async function send(delivery: OutboxDelivery): Promise<SendOutcome> {
    const sender = options.senders.get(delivery.target.platform)!;
    try {
      return await sender.send(delivery.target, delivery.message);
    } catch (error) {
      return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function settle(chat: ChatQueue, l: Lane, delivery: OutboxDelivery, outcome: SendOutcome): Promise<void> {
    const now = clock();
    const { platform } = delivery.target;
    switch (outcome.kind) {
      case 'sent':
        stats.sent++;
        telemetry.delivered(platform, 'sent');
        chat.readyAt = now + l.limits.chatIntervalMs[delivery.target.kind];
        // The gap goes into the database too: the chat's next message may be claimed by another process.
        await record(delivery, { kind: 'sent', chatGapMs: l.limits.chatIntervalMs[delivery.target.kind] });
        return;
      case 'rate-limited': {
        // Says nothing about the message: it stays claimed here, first in its chat, and waits.
        stats.rateLimited++;
        telemetry.rateLimited(platform, outcome.retryAfterMs / 1000);
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
          telemetry.delivered(platform, 'failed');
          logger.warn('delivery given up', { delivery: delivery.id, attempts, error: outcome.error });
          await record(delivery, { kind: 'failed', error: outcome.error });
          return;
        }
        stats.retried++;
        telemetry.delivered(platform, 'retried');
        const delay = Math.min(backoffCap, backoffBase * 2 ** (attempts - 1)) * (0.75 + Math.random() * 0.5);
        // Whole milliseconds, as the outbox keeps it: a retry expected earlier than the outbox
        // releases it would be looked for too soon, not found, and idle() would resolve with it still due.
        const notBefore = Math.ceil(now + delay);
        // Back to the outbox with the attempt counted, so a restart does not reset it; the chat's
        // later messages go back too, since they must not overtake it.
        await record(delivery, { kind: 'retry', notBefore, countAttempt: true, error: outcome.error });
        await releaseChat(chat, 0);
        expectRetry(notBefore);
        return;
      }
      case 'rejected':
        stats.failed++;
        telemetry.delivered(platform, 'failed');
        logger.warn('delivery rejected by the platform', { delivery: delivery.id, error: outcome.error });
        await record(delivery, { kind: 'failed', error: outcome.error });
        return;
      case 'chat-gone': {
        const subscription = subscriptionId(delivery.target);
        logger.info('chat is gone; subscription deactivated', { subscription, reason: outcome.reason });
        await options.events.chatGone(subscription, outcome.reason);
        // Everything still pending for this chat is dead too, wherever it is claimed.
        const killed = await outbox.killChat(delivery.target, outcome.reason);
        stats.dead += killed;
        telemetry.delivered(platform, 'dropped');
        forget(delivery.id);
        for (const d of chat.items.splice(0)) {
          queued--;
          forget(d.id);
        }
        return;
      }
      case 'migrated': {
        stats.migrated++;
        telemetry.delivered(platform, 'migrated');
        await options.events.chatMigrated(subscriptionId(delivery.target), outcome.newChatId);
        await outbox.retarget(delivery.target, outcome.newChatId);
        // Claimed again with the new chat as their target, in their order.
        await record(delivery, { kind: 'retry', notBefore: 0, countAttempt: false });
        await releaseChat(chat, 0);
        wakeClaimer(clock());
        return;
      }
    }
  }

  const poll = timers.setInterval(() => wakeClaimer(clock()), pollMs);
  poll.unref?.();
  const renewal = timers.setInterval(() => {
    renewClaims().catch((error: unknown) => logger.warn('delivery claims not renewed', errorFields(error)));
  }, Math.max(10, Math.floor(leaseMs / 3)));
  renewal.unref?.();
  wakeClaimer(clock());

  return {
    poke: () => wakeClaimer(clock()),
    get queued() {
      return queued;
    },
    get inFlight() {
      return inFlight;
    },
    stats,
    idle() {
      if (stopped) return Promise.resolve();
      return new Promise((resolve) => {
        // A pass numbered above the latest started one begins after this call.
        idleWaiters.push({ after: passes, resolve });
        wakeClaimer(clock());
      });
    },
    async stop() {
      stopped = true;
      timers.clearInterval(poll);
      timers.clearInterval(renewal);
      if (sendTimer) timers.clearTimeout(sendTimer);
      if (claimTimer) timers.clearTimeout(claimTimer);
      for (const waiter of idleWaiters.splice(0)) waiter.resolve();
      while (inFlight > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, 5));
      // Handed back at once rather than left to run out, so another process sends them without waiting.
      for (const chat of chats.values()) await releaseChat(chat, 0).catch(() => undefined);
      // Only now: our share of the rate is free once nothing more goes out from here.
      await registry?.stop();
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
