/**
 * Start-up diagnostics shared by the chat adapters: "connecting" and "ready" in the log, a clear
 * error when the platform has not answered within the start-up timeout (30 s), and retries with
 * backoff in the meantime, so an unreachable platform is never a silent start that lasts minutes.
 */
import { deadlineSignal } from '../core/deadline.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorFields, type Logger } from '../core/logger.js';

/** How an adapter waits for its platform at start. */
export interface StartupOptions {
  /** Each attempt, and the time after which the log says the platform cannot be reached. Default 30 s. */
  readonly timeoutMs?: number;
  /** The first wait between attempts, doubled after each failure. Default 1 s. */
  readonly retryBaseMs?: number;
  /** The longest wait between attempts. Default 30 s. */
  readonly retryMaxMs?: number;
  /** Gives up waiting (the process is stopping): the start rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The start-up of one adapter, as the log tells it. */
export interface StartupWatch {
  /** One attempt failed; another follows in `retryInMs` (when known). */
  attemptFailed(error: unknown, retryInMs?: number): void;
  /** Connected: says so, and stops the timeout. */
  ready(fields?: Record<string, unknown>): void;
  /** Stops the timeout without saying anything (the start was given up). */
  stop(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_BASE_MS = 1_000;
const DEFAULT_RETRY_MAX_MS = 30_000;

/** The start-up timeout in effect. */
export function startupTimeout(options: StartupOptions = {}): number {
  return options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

/**
 * Logs that `platform` is connecting to `where`, and an error naming it if it is not ready within
 * the start-up timeout; the attempts go on after that.
 */
export function watchStartup(platform: string, where: string, logger: Logger, options: StartupOptions = {}): StartupWatch {
  const timeoutMs = startupTimeout(options);
  const started = Date.now();
  let attempts = 0;
  let lastError: string | undefined;
  logger.info(`${platform} connecting`, { to: where });
  const timer = setTimeout(() => {
    logger.error(
      `${platform} cannot reach ${where}: not connected after ${Math.round(timeoutMs / 100) / 10} s; still trying, with longer waits between attempts. ` +
        'Check the network, any proxy or firewall, and the API address setting',
      { attempts, ...(lastError ? { lastError } : {}) },
    );
  }, timeoutMs);
  timer.unref();
  return {
    attemptFailed(error, retryInMs) {
      attempts++;
      lastError = error instanceof Error ? error.message : String(error);
      logger.warn(`${platform} not reachable yet`, { attempt: attempts, ...(retryInMs !== undefined ? { retryInMs } : {}), ...errorFields(error) });
    },
    ready(fields = {}) {
      clearTimeout(timer);
      logger.info(`${platform} ready`, { ms: Date.now() - started, ...fields });
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/** A signal that aborts after `timeoutMs` or with `outer`; `done()` lets go of both (see core/deadline.ts). */
export const attemptSignal = deadlineSignal;

/**
 * Runs `attempt` until it succeeds: each try is aborted after the start-up timeout, a failure is
 * logged and tried again after a wait that doubles up to a limit. An error `fatal` accepts (a
 * refused token) ends it at once, as does the options' signal.
 */
export async function connectWithRetry(
  attempt: (signal: AbortSignal) => Promise<void>,
  watch: StartupWatch,
  options: StartupOptions & { readonly fatal?: (error: unknown) => boolean } = {},
): Promise<void> {
  const timeoutMs = startupTimeout(options);
  const base = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const max = options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
  for (let failures = 0; ; failures++) {
    options.signal?.throwIfAborted();
    const attemptTimeout = attemptSignal(timeoutMs, options.signal);
    try {
      await attempt(attemptTimeout.signal);
      return;
    } catch (error) {
      options.signal?.throwIfAborted();
      if (options.fatal?.(error)) throw error;
      const wait = Math.min(max, base * 2 ** failures);
      watch.attemptFailed(error, wait);
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    } finally {
      attemptTimeout.done();
    }
  }
}
