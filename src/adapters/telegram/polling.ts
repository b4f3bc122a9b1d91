/**
 * What the Telegram adapter's connection is doing, for the log and for readiness, and long polling
 * that outlasts a 409 Conflict.
 *
 * Telegram has one long poller per bot token: a second one (another instance on another database,
 * an overlapping deploy, a developer's laptop) makes it answer getUpdates with 409. @grammyjs/runner
 * counts a 409 as unrecoverable: its fetcher throws, the runner's task rejects, and nothing polls
 * again while the process stays up, deaf. Here the 409 never reaches the runner: getUpdates is tried
 * again with backoff while the conflict lasts (the runner's offset, and so every update, is kept),
 * which is said once when the conflict starts and once when it is over.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transformer } from 'grammy';
import { errorFields, type Logger } from '../../core/logger.js';

/**
 * - `polling`: this process long-polls (and the last getUpdates was answered, or none has failed yet);
 * - `standby`: another instance on this database polls (the poller lease); this one only delivers;
 * - `conflict`: Telegram answers 409, someone else polls with this token; retried with backoff;
 * - `unreachable`: the last getUpdates failed (no answer, a network or server error); retried;
 * - `webhook`: Telegram posts updates to this process;
 * - `stopped`: stopped, or long polling ended on an error it cannot get past (a revoked token).
 */
export type TelegramState = 'polling' | 'standby' | 'conflict' | 'unreachable' | 'webhook' | 'stopped';

/** The adapter's connection as readiness sees it. */
export interface TelegramStatus {
  readonly state: TelegramState;
  /** Updates reach this process, or it stands by for a poller that has them: every state but conflict, unreachable and stopped. */
  readonly connected: boolean;
  /** When the state began (ms since the epoch). */
  readonly since: number;
}

/** The waits between getUpdates calls while Telegram answers 409. */
export interface ConflictRetryOptions {
  /** The first wait, doubled after each 409. Default 1 s. */
  readonly baseMs?: number;
  /** The longest wait. Default 30 s. */
  readonly maxMs?: number;
}

const DEFAULT_CONFLICT_BASE_MS = 1_000;
const DEFAULT_CONFLICT_MAX_MS = 30_000;

/** The state of one adapter, and the getUpdates transformer that keeps it. */
export interface TelegramConnection {
  readonly status: TelegramStatus;
  set(state: TelegramState): void;
  /**
   * For the bot's API, below auto-retry (so it sees each attempt): a 409 is waited out here, and
   * what each getUpdates came to sets the state.
   */
  readonly transformer: Transformer;
}

/** A connection in `state` to begin with. */
export function telegramConnection(logger: Logger, initial: TelegramState, options: ConflictRetryOptions = {}): TelegramConnection {
  const baseMs = options.baseMs ?? DEFAULT_CONFLICT_BASE_MS;
  const maxMs = options.maxMs ?? DEFAULT_CONFLICT_MAX_MS;
  let status: TelegramStatus = statusOf(initial);
  // The episode of trouble long polling is in, for one line when it starts and one when it ends.
  let trouble: { readonly state: 'conflict' | 'unreachable'; readonly since: number; failures: number } | undefined;

  const enter = (state: TelegramState) => {
    if (state !== status.state) status = statusOf(state);
  };

  const failed = (state: 'conflict' | 'unreachable', detail: Record<string, unknown>) => {
    if (trouble?.state !== state) {
      trouble = { state, since: Date.now(), failures: 0 };
      if (state === 'conflict') {
        logger.error(
          'another process is polling with this bot token: Telegram answered getUpdates with 409 Conflict; retrying with backoff until it stops. ' +
            'One bot token has one long poller: stop the other process, or run every instance in webhook mode (TELEGRAM_WEBHOOK_URL)',
          detail,
        );
      } else {
        logger.warn('cannot reach Telegram: getUpdates failed; long polling tries again until it answers', detail);
      }
    }
    trouble.failures++;
    enter(state);
  };

  const answered = () => {
    if (trouble) {
      const what = trouble.state === 'conflict' ? 'the other poller stopped' : 'the Bot API answers again';
      logger.info(`telegram long polling recovered: ${what}`, { after: trouble.state, failures: trouble.failures, ms: Date.now() - trouble.since });
      trouble = undefined;
    }
    enter('polling');
  };

  const transformer: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    const attempt = async () => {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!signal?.aborted) failed('unreachable', errorFields(error));
        throw error;
      }
    };
    for (let conflicts = 0; ; conflicts++) {
      const result = await attempt();
      if (result.ok) {
        answered();
        return result;
      }
      if (result.error_code !== 409) {
        failed('unreachable', { code: result.error_code, description: result.description });
        return result;
      }
      const retryInMs = Math.min(maxMs, baseMs * 2 ** conflicts);
      failed('conflict', { description: result.description, retryInMs });
      // Stopping the runner aborts the wait (the rejection tells the runner it was stopped).
      await sleep(retryInMs, undefined, signal ? { signal: signal as AbortSignal } : {});
    }
  };

  return {
    get status() {
      return status;
    },
    set(state) {
      // Polling stopped or handed over: whatever trouble it was in is over without a recovery.
      trouble = undefined;
      enter(state);
    },
    transformer,
  };
}

function statusOf(state: TelegramState): TelegramStatus {
  return { state, connected: state !== 'conflict' && state !== 'unreachable' && state !== 'stopped', since: Date.now() };
}
