/**
 * One rate budget per bot token across processes. A platform's overall limit is per token, not per
 * process, so every process with deliveries to send to a platform holds a heartbeat lease in the
 * database (`sender:<platform>:<owner>`) and paces at the limit divided by the live senders it
 * counts there. One with nothing to send gives its lease back, so its share goes to the busy ones.
 *
 * Membership changes are met on the side of the larger count, so the sum of the shares never goes
 * above the limit:
 * - a count is good for a bounded time from the moment it was asked for (COUNT_BEATS heartbeats);
 *   a process whose next count is late (a slow database, a stalled event loop) stops sending until
 *   it has one, rather than sending on under a count the others may have moved past;
 * - a process that finds others already sending waits until every count taken before its lease
 *   was written has run out, so each of them has counted it (and slowed down) by then, however
 *   late their heartbeats are;
 * - a dead process keeps its lease, and its share stays unspent, until the lease runs out; a live
 *   one's count runs out well before its lease, so one that could not renew has stopped sending
 *   before the others count it out;
 * - a process that stops, or runs out of work, has stopped sending before it gives its lease back,
 *   so the others speed up only once its share is free.
 */
import { errorFields, type Logger } from '../logger.js';
import type { Leases } from '../ports.js';

// Heartbeats idle before a sender gives its share back: more than the gap between two claimed
// batches, since every give-back and rejoin is a moment the others' counts lag behind.
const IDLE_BEATS = 5;
// How many heartbeats a count stays good for. Two, so one heartbeat may come late by up to a whole
// interval (a database query queued behind a broadcast's writes) before sending pauses; it must
// stay well under the lease (five heartbeats by default), which is what the others count us by.
const COUNT_BEATS = 2;

/** What the registry needs from the database. */
export type SenderLeases = Pick<Leases, 'acquire' | 'renew' | 'release' | 'holders'>;

/** Registry settings. */
export interface SenderRegistryOptions {
  readonly leases: SenderLeases;
  readonly owner: string;
  readonly platforms: readonly string[];
  readonly logger: Logger;
  /** How long a lease outlives its last renewal: how long a dead process's share stays unspent. */
  readonly leaseMs?: number;
  /** Between renewals and recounts; a count is good for COUNT_BEATS of them, which a newcomer waits out before it sends. */
  readonly heartbeatMs?: number;
  readonly clock?: () => number;
  /** Whether this process has anything to send to the platform; an idle one gives its share back. */
  busy(platform: string): boolean;
  /**
   * Called when this process becomes a sender, when the count changes, and when a count arrives
   * after the last one had run out (sending may go on), with the time before which it must not send.
   */
  onChange(platform: string, senders: number, notBefore: number): void;
}

/** The running registry. */
export interface SenderRegistry {
  /**
   * Whether this process may send to the platform now: registered, counted as a sender, and its
   * count still good. When not, it asks for a count at once (onChange says when it has one).
   */
  ready(platform: string): boolean;
  /** Live senders for the platform as last counted (this process included), at least 1. */
  senders(platform: string): number;
  /** Gives the leases back; call once this process has stopped sending. */
  stop(): Promise<void>;
}

interface PlatformState {
  registered: boolean;
  ready: boolean;
  senders: number;
  idleBeats: number;
  /** Until when the last count may be sent under. */
  goodUntil: number;
}

/** The lease key prefix of a platform's senders. */
export function senderPrefix(platform: string): string {
  return `sender:${platform}:`;
}

/**
 * Registers this process as a sender for each platform while it has deliveries to send there, and
 * keeps the counts current.
 */
export function startSenderRegistry(options: SenderRegistryOptions): SenderRegistry {
  const { leases, owner, logger } = options;
  const clock = options.clock ?? Date.now;
  const leaseMs = options.leaseMs ?? 15_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 5));
  // Never past half the lease: a process that cannot renew must have stopped before it is counted out.
  const countMs = Math.min(COUNT_BEATS * heartbeatMs, Math.floor(leaseMs / 2));
  const states = new Map<string, PlatformState>(
    options.platforms.map((p) => [p, { registered: false, ready: false, senders: 1, idleBeats: 0, goodUntil: 0 }]),
  );
  let stopped = false;
  let beating: Promise<void> | undefined;
  let beatAgain = false;

  async function beat(platform: string, st: PlatformState): Promise<void> {
    const key = senderPrefix(platform) + owner;
    if (!options.busy(platform)) {
      if (!st.registered) return;
      // Idle for a few heartbeats: the share goes back to the others. Marked first, so nothing is sent meanwhile.
      if (++st.idleBeats > IDLE_BEATS) {
        st.registered = false;
        st.ready = false;
        await leases.release(key, owner);
        return;
      }
    } else {
      st.idleBeats = 0;
    }
    // Taken before the lease is written and the holders read: whatever they show is at least this recent.
    const asked = clock();
    let joined = false;
    if (!st.registered || !(await leases.renew(key, owner, leaseMs))) {
      // New, or our lease ran out (a stall): the others may not be counting us.
      if (!(await leases.acquire(key, owner, leaseMs))) logger.warn('sender lease held under our owner id by another process', { platform });
      joined = true;
    }
    const holders = await leases.holders(senderPrefix(platform));
    const live = holders.length + (holders.some((h) => h.owner === owner) ? 0 : 1);
    const before = st.senders;
    const now = clock();
    const lapsed = st.goodUntil <= now;
    st.senders = live;
    st.registered = true;
    st.goodUntil = asked + countMs;
    // Joining beside others: a count one of them asked for before our lease was written is good for
    // up to countMs, so we keep off until every such count has run out, and a fifth of a heartbeat
    // more for the sends started under it to have reached the platform.
    const notBefore = joined && live > 1 ? now + countMs + Math.ceil(heartbeatMs / 5) : 0;
    if (live !== before) logger.info('senders sharing the platform rate', { platform, senders: live });
    logger.debug('sender count', { platform, senders: live, joined, tookMs: now - asked, goodForMs: st.goodUntil - now, notBefore });
    st.ready = true;
    if (live !== before || joined || lapsed) options.onChange(platform, live, notBefore);
  }

  function beatAll(): void {
    if (stopped) return;
    if (beating) {
      beatAgain = true;
      return;
    }
    beating = (async () => {
      do {
        beatAgain = false;
        for (const [platform, st] of states) {
          // A failed beat keeps the last count until it runs out; then sending pauses until the database is back.
          await beat(platform, st).catch((error: unknown) => logger.warn('sender heartbeat failed', { platform, ...errorFields(error) }));
        }
      } while (beatAgain && !stopped);
    })().finally(() => (beating = undefined));
  }

  beatAll();
  const timer = setInterval(beatAll, heartbeatMs);
  timer.unref();

  return {
    ready(platform) {
      const st = states.get(platform);
      if (!st) return true;
      if (st.ready && clock() < st.goodUntil) return true;
      // A count already on its way will do; asking again would only queue another behind it.
      if (!st.ready || !beating) beatAll();
      return false;
    },
    senders: (platform) => states.get(platform)?.senders ?? 1,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (beating) await beating;
      for (const [platform, st] of states) {
        if (!st.registered) continue;
        st.registered = false;
        st.ready = false;
        await leases.release(senderPrefix(platform) + owner, owner).catch((error: unknown) => logger.warn('sender lease not released', { platform, ...errorFields(error) }));
      }
    },
  };
}
