/**
 * How fast the bot may write, per platform and per chat. The defaults sit just under the platforms'
 * published limits, so replies to users still fit beside a broadcast.
 */
import type { ChatKind } from '../subscriptions.js';

/** One platform's limits: a steady overall rate and a minimum gap between messages into one chat. */
export interface RateLimits {
  readonly perSecond: number;
  readonly chatIntervalMs: Readonly<Record<ChatKind, number>>;
}

/** Telegram: about 30 messages/s overall, 20/min into one group or channel, 1/s into a private chat. */
export const TELEGRAM_LIMITS: RateLimits = {
  perSecond: 29,
  chatIntervalMs: { private: 1_050, group: 3_100, channel: 3_100 },
};

/** Discord: 50 requests/s overall; a channel's message bucket is 5 per 5 s. */
export const DISCORD_LIMITS: RateLimits = {
  perSecond: 45,
  chatIntervalMs: { private: 1_050, group: 1_050, channel: 1_050 },
};

/** The same limits `factor` times faster (benchmarks run a scaled-up fake platform). */
export function scaleLimits(limits: RateLimits, factor: number): RateLimits {
  return {
    perSecond: limits.perSecond * factor,
    chatIntervalMs: {
      private: limits.chatIntervalMs.private / factor,
      group: limits.chatIntervalMs.group / factor,
      channel: limits.chatIntervalMs.channel / factor,
    },
  };
}

/**
 * An even-spacing pacer (GCRA): each send takes the next slot `1/perSecond` after the previous one,
 * so no window of one second ever holds more than the rate, and idle time is not saved up as a burst.
 */
export interface Pacer {
  /** Milliseconds to wait before the next send may start (0 = now). */
  wait(now: number): number;
  /** Takes the next slot. */
  take(now: number): void;
  /** Nothing may be sent before `until` (a platform-wide 429). */
  pauseUntil(until: number): void;
  /** From the next slot on, `perSecond` sends per second (this process's share changed). */
  setRate(perSecond: number): void;
}

// Timers fire a millisecond or more late; letting the schedule lag this far behind the clock
// lets the pacer catch up on that lateness (a burst of at most this much time's worth of sends).
const CATCH_UP_MS = 25;

/** A pacer for `perSecond` sends per second. */
export function createPacer(perSecond: number): Pacer {
  let interval = 1000 / perSecond;
  let next = 0;
  return {
    wait: (now) => Math.max(0, next - now),
    take(now) {
      next = Math.max(next, now - CATCH_UP_MS) + interval;
    },
    pauseUntil(until) {
      next = Math.max(next, until);
    },
    setRate(rate) {
      interval = 1000 / rate;
    },
  };
}
