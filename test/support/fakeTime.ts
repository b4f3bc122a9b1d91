/**
 * Virtual time for the delivery worker: a clock and timers that move only when a test drives them.
 * Backoff and pacing then take no real time, and each timestamp is exactly what the worker chose.
 * Real asynchronous work (storage calls, promise chains) still runs for real between two timers.
 */
import type { TimerHandle, WorkerTimers } from '../../src/core/delivery/worker.js';

interface Timer extends TimerHandle {
  at: number;
  readonly seq: number;
  readonly every: number | undefined;
  readonly callback: () => void;
}

/** A clock, the timers that follow it, and the ways a test moves it. */
export interface FakeTime {
  readonly now: () => number;
  readonly timers: WorkerTimers;
  /** Timers not yet fired or cleared. */
  pending(): number;
  /**
   * Fires timers in the order they fall due, moving the clock to each, and lets real work run in
   * between, until `promise` settles; resolves (or rejects) as it does. Fails instead of spinning
   * when the promise is still open with nothing scheduled, or after `maxMs` of virtual time.
   */
  runUntil<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
  /** Fires every timer due within `ms` from now, in order, and leaves the clock at now + `ms`. */
  advance(ms: number): Promise<void>;
}

// Enough turns of the event loop for a storage call's promise chain, and what it sets off, to end.
const SETTLE_TURNS = 5;

async function letRealWorkRun(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Virtual time starting at `start` (ms since the epoch). */
export function fakeTime(start = Date.parse('2026-01-05T09:00:00Z')): FakeTime {
  let now = start;
  let seq = 0;
  const timers: Timer[] = [];

  function add(callback: () => void, ms: number, every: number | undefined): Timer {
    const timer: Timer = { at: now + Math.max(0, ms), seq: seq++, every, callback, unref: () => timer };
    timers.push(timer);
    return timer;
  }

  function cancel(handle: TimerHandle | undefined): void {
    const timer = handle as Timer | undefined;
    if (!timer) return;
    const at = timers.indexOf(timer);
    if (at !== -1) timers.splice(at, 1);
  }

  function next(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of timers) if (!first || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq)) first = timer;
    return first;
  }

  function fire(timer: Timer): void {
    now = Math.max(now, timer.at);
    cancel(timer);
    if (timer.every !== undefined) {
      timer.at = now + Math.max(1, timer.every);
      timers.push(timer);
    }
    timer.callback();
  }

  return {
    now: () => now,
    timers: {
      setTimeout: (callback, ms) => add(callback, ms, undefined),
      clearTimeout: cancel,
      setInterval: (callback, ms) => add(callback, ms, ms),
      clearInterval: cancel,
    },
    pending: () => timers.length,
    async runUntil(promise, maxMs = 10 * 60_000) {
      let settled = false;
      promise.then(
        () => (settled = true),
        () => (settled = true),
      );
      const deadline = now + maxMs;
      for (;;) {
        await letRealWorkRun();
        if (settled) return promise;
        const timer = next();
        if (!timer) throw new Error('fake time: waiting on a promise with no timer left to fire');
        if (timer.at > deadline) throw new Error(`fake time: still waiting after ${maxMs} ms of virtual time`);
        fire(timer);
      }
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await letRealWorkRun();
        const timer = next();
        if (!timer || timer.at > until) break;
        fire(timer);
      }
      now = until;
      await letRealWorkRun();
    },
  };
}
