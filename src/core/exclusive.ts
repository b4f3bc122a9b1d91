/**
 * A role that one process at a time may play among all those sharing a database (the Discord
 * gateway connection, Telegram long polling), held through a renewed lease. The process that
 * holds the lease plays the role; the others try again every renewal interval, so when the holder
 * dies another takes over within the lease time (plus one interval). A holder that cannot renew
 * (the database is away) gives the role up before its lease can have run out, so two processes
 * never play it at once.
 */
import { errorFields, type Logger } from './logger.js';
import type { Leases } from './ports.js';

/** What holding the role takes. */
export interface ExclusiveRoleOptions {
  readonly leases: Pick<Leases, 'acquire' | 'renew' | 'release'>;
  readonly key: string;
  readonly owner: string;
  readonly logger: Logger;
  /** How long the lease outlives its last renewal: how soon another takes over from a dead holder. */
  readonly leaseMs?: number;
  /** Between renewals (and between tries while another holds it). */
  readonly renewMs?: number;
  /** Starts playing the role; a rejection gives the lease back to be tried again later. */
  start(): Promise<void>;
  /** Stops playing it (lease lost or this process stopping). */
  stop(): Promise<void>;
  /** Called each time the lease is found held by another process; `first` the first time in a row. */
  onRefused?(first: boolean): void;
  readonly clock?: () => number;
}

/** A role this process plays or stands by for. */
export interface ExclusiveRole {
  /** Whether this process holds the lease and plays the role now. */
  readonly holding: boolean;
  /** Resolves after the first try: the role started, or found held elsewhere (or the database away). */
  readonly ready: Promise<void>;
  /** Stops playing or waiting, and gives the lease back. */
  stop(): Promise<void>;
}

/** Plays the role whenever this process holds its lease. */
export function holdExclusiveRole(options: ExclusiveRoleOptions): ExclusiveRole {
  const { leases, key, owner } = options;
  const clock = options.clock ?? Date.now;
  const leaseMs = options.leaseMs ?? 15_000;
  const renewMs = options.renewMs ?? Math.max(10, Math.floor(leaseMs / 3));
  const logger = options.logger.child({ lease: key });
  let holding = false;
  let heldUntil = 0;
  let refusedInARow = 0;
  let stopped = false;
  let busy: Promise<void> | undefined;

  async function giveUp(reason: string): Promise<void> {
    holding = false;
    logger.warn(reason);
    await options.stop().catch((error: unknown) => logger.error('could not stop after losing the lease', errorFields(error)));
  }

  async function tick(): Promise<void> {
    const now = clock();
    if (holding) {
      let renewed: boolean;
      try {
        renewed = await leases.renew(key, owner, leaseMs);
      } catch (error) {
        // Another may take the lease once it runs out; stop a renewal early, before that can happen.
        if (clock() + renewMs >= heldUntil) await giveUp('lease not renewed in time (database unavailable); stopping');
        else logger.warn('lease not renewed; trying again', errorFields(error));
        return;
      }
      if (renewed) heldUntil = now + leaseMs;
      else await giveUp('lease lost to another process; stopping');
      return;
    }
    if (!(await leases.acquire(key, owner, leaseMs))) {
      options.onRefused?.(refusedInARow++ === 0);
      return;
    }
    refusedInARow = 0;
    heldUntil = now + leaseMs;
    holding = true;
    try {
      await options.start();
    } catch (error) {
      holding = false;
      logger.error('could not start; the lease goes back and is tried again', errorFields(error));
      await leases.release(key, owner).catch(() => undefined);
    }
  }

  function run(): Promise<void> {
    if (stopped || busy) return busy ?? Promise.resolve();
    busy = tick()
      .catch((error: unknown) => logger.warn('lease not taken (database unavailable); trying again', errorFields(error)))
      .finally(() => (busy = undefined));
    return busy;
  }

  const ready = run();
  const timer = setInterval(() => void run(), renewMs);
  timer.unref();

  return {
    get holding() {
      return holding;
    },
    ready,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (busy) await busy;
      if (!holding) return;
      holding = false;
      await options.stop();
      await leases.release(key, owner).catch((error: unknown) => logger.warn('lease not released', errorFields(error)));
    },
  };
}
