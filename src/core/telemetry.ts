/**
 * The events the core reports for monitoring. The core only calls this port; what counts them
 * (Prometheus, see ops/metrics.ts) lives outside it, so the core loads no metrics library and a
 * CLI command pays for none.
 */
import type { ArticleSource, Language } from './types.js';

/** How a question ended: answered by the engine, declined (not in the articles), from the cache, or by the fallback engine. */
export type AnswerOutcome = 'answered' | 'declined' | 'cached' | 'fallback';

/**
 * What one send did to a delivery: sent; put back to be retried; given up (`failed`: tries used up
 * or the platform refused the message); `dropped` because the chat is gone; `migrated` to a new chat id.
 */
export type DeliveryResult = 'sent' | 'retried' | 'failed' | 'dropped' | 'migrated';

/** What the core tells monitoring; every method is cheap and never throws. */
export interface Telemetry {
  /** A new article was stored (a duplicate is not). */
  articleIngested(language: Language, source: ArticleSource): void;
  /** A question was answered (or declined) after `seconds`. */
  answered(outcome: AnswerOutcome, seconds: number): void;
  /** One send of a delivery through `platform` ended so. */
  delivered(platform: string, result: DeliveryResult): void;
  /** `platform` answered a send with 429: the chat (or the platform) waits `seconds`. */
  rateLimited(platform: string, seconds: number): void;
  /** One check of a followed feed ended with `status` (checked, not-modified, failed, removed). */
  feedFetched(status: string): void;
  /** The engine named failed at a `task` and the fallback engine did it instead. */
  engineFailed(engine: string, task: 'summary' | 'answer'): void;
}

/** Telemetry that records nothing: the default wherever none is given. */
export const noTelemetry: Telemetry = {
  articleIngested: () => undefined,
  answered: () => undefined,
  delivered: () => undefined,
  rateLimited: () => undefined,
  feedFetched: () => undefined,
  engineFailed: () => undefined,
};
