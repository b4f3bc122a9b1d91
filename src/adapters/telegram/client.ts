/**
 * A bounded time for every Bot API request, for the bot's replies and the delivery sender alike.
 * grammY's own limit (`client.timeoutSeconds`, 500 s) applies to every call as it is, getUpdates
 * included, so lowering it would also cut each long poll short; this transformer gives each call
 * its own deadline instead: the request timeout, and for getUpdates its long-poll `timeout` on top.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, type Transformer } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { deadlineSignal } from '../../core/deadline.js';

/**
 * TELEGRAM_TIMEOUT_MS's default. The Bot API answers a sendMessage in well under a second, and
 * within a few seconds when it is slow; 15 s is several times that, and is all a request that
 * will never be answered holds a chat and a delivery slot (grammY alone waits 500 s).
 */
export const DEFAULT_TELEGRAM_TIMEOUT_MS = 15_000;

/** The deadline of one call: `timeoutMs`, plus the seconds a long poll is asked to wait for updates. */
export function requestDeadlineMs(method: string, payload: unknown, timeoutMs: number): number {
  if (method !== 'getUpdates') return timeoutMs;
  const poll = (payload as { timeout?: unknown } | undefined)?.timeout;
  return timeoutMs + (typeof poll === 'number' && poll > 0 ? poll * 1000 : 0);
}

/**
 * Gives each Bot API call `timeoutMs` to be answered (see `requestDeadlineMs`); a call given up
 * throws grammY's HttpError, as a network failure does, so it is retried as one: by auto-retry for
 * a reply, by the delivery engine (transient) for a delivery.
 */
export function requestTimeout(timeoutMs: number): Transformer {
  return async (prev, method, payload, signal) => {
    const ms = requestDeadlineMs(method, payload, timeoutMs);
    // grammY types its signal with an AbortSignal shim of its own; Node's is the one it gets at run time.
    const deadline = deadlineSignal(ms, signal as AbortSignal | undefined);
    try {
      return await prev(method, payload, deadline.signal as Parameters<typeof prev>[2]);
    } catch (error) {
      if (deadline.signal.aborted && !signal?.aborted) throw new HttpError(`Telegram did not answer ${method} within ${ms} ms`, error);
      throw error;
    } finally {
      deadline.done();
    }
  };
}

// A request that failed on the network (or was given up by `requestTimeout`) is sent again twice,
// 3 s and then 6 s later: auto-retry alone would go on for as long as Telegram is away, its waits
// doubling up to an hour, and hold that chat's replies all that time.
const NETWORK_RETRIES = 2;
const NETWORK_RETRY_MS = 3_000;

/**
 * Retries for the bot's own calls (replies, the command menu): a 429 of up to 30 s is waited out
 * and a server error retried three times (auto-retry), a network failure twice (above). getUpdates
 * is left alone: the runner polls again at a steady pace of its own (`pollRetryMs`), which keeps a
 * long outage from growing into an hour of deafness once Telegram is back.
 */
export function replyRetries(options: { readonly networkRetryMs?: number } = {}): Transformer {
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true });
  const waitMs = options.networkRetryMs ?? NETWORK_RETRY_MS;
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    for (let attempt = 0; ; attempt++) {
      try {
        return await retry(prev, method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || attempt >= NETWORK_RETRIES || signal?.aborted) throw error;
        await sleep(waitMs * 2 ** attempt, undefined, signal ? { signal: signal as AbortSignal } : {});
      }
    }
  };
}
