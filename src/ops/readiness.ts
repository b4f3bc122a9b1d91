/**
 * Whether this process can do its work now: the database answers, each chat platform it serves is
 * connected, and sending is not falling behind. What /readyz reports; each check is named so an
 * operator (or a load balancer's log) sees which one failed.
 */
import type { OutboxRepo, Storage } from '../core/ports.js';

/** One check's result. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed, or what it saw. */
  readonly detail?: string;
}

/** Every check, and whether they all passed. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: readonly CheckResult[];
}

/** What readiness looks at. */
export interface ReadinessSources {
  readonly store: Pick<Storage, 'ping'>;
  readonly outbox: Pick<OutboxRepo, 'oldestPendingAt'>;
  /** The platforms this process serves, each with whether it is connected now. */
  readonly platforms: ReadonlyMap<string, () => boolean>;
  /** The oldest pending delivery to any of those platforms may be at most this old (READY_MAX_OUTBOX_LAG_MS). */
  readonly maxOutboxLagMs: number;
  /** Epoch ms; Date.now by default. */
  readonly clock?: () => number;
  /** A database query slower than this fails its check; default 2 s. */
  readonly timeoutMs?: number;
}

// A load balancer probes every few seconds and gives up after a few more: a check that has not
// answered within 2 s is as good as failed, and /readyz must answer before the probe times out.
const DEFAULT_TIMEOUT_MS = 2_000;

/** Runs every check at once and reports each. */
export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  const clock = sources.clock ?? Date.now;
  const timeoutMs = sources.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const platforms = [...sources.platforms];
  const store = within(timeoutMs, sources.store.ping()).then(
    (): CheckResult => ({ name: 'store', ok: true }),
    (error: unknown): CheckResult => ({ name: 'store', ok: false, detail: reason(error) }),
  );
  const outbox = within(
    timeoutMs,
    Promise.all(platforms.map(([platform]) => sources.outbox.oldestPendingAt(platform))),
  ).then(
    (oldest): CheckResult => {
      const at = Math.min(...oldest.map((value) => value ?? Infinity));
      const lagMs = Number.isFinite(at) ? Math.max(0, clock() - at) : 0;
      const detail = `oldest pending delivery ${Math.round(lagMs / 1000)} s old (bound ${Math.round(sources.maxOutboxLagMs / 1000)} s)`;
      return { name: 'outbox', ok: lagMs <= sources.maxOutboxLagMs, detail };
    },
    (error: unknown): CheckResult => ({ name: 'outbox', ok: false, detail: reason(error) }),
  );
  const connections = platforms.map(([platform, connected]): CheckResult => {
    const ok = safely(connected);
    return { name: platform, ok, ...(ok ? {} : { detail: 'not connected' }) };
  });
  const checks = [await store, ...connections, await outbox];
  return { ready: checks.every((check) => check.ok), checks };
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function safely(connected: () => boolean): boolean {
  try {
    return connected();
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
