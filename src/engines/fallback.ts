/**
 * An engine that falls back to another when it fails (timeout, quota, bad reply), so the user
 * always gets an answer, marked as coming from the fallback.
 */
import type { Engine } from '../core/engine.js';
import { errorFields, type Logger } from '../core/logger.js';
import { noTelemetry, type Telemetry } from '../core/telemetry.js';

/** `primary`, with `fallback` answering whenever `primary` throws; each failure is counted in `telemetry`. */
export function withFallback(primary: Engine, fallback: Engine, logger: Logger, telemetry: Telemetry = noTelemetry): Engine {
  async function attempt<T extends { fallbackEngine?: string }>(what: 'summary' | 'answer', run: (engine: Engine) => Promise<T>): Promise<T> {
    try {
      return await run(primary);
    } catch (error) {
      telemetry.engineFailed(primary.name, what);
      logger.warn(`engine failed; ${what} from the fallback engine`, { engine: primary.name, ...errorFields(error) });
      return { ...(await run(fallback)), fallbackEngine: fallback.name };
    }
  }
  return {
    name: primary.name,
    version: primary.version,
    ...(primary.usage ? { usage: primary.usage.bind(primary) } : {}),
    // No fallback for a rewrite: the core searches with the original question alone when it fails.
    ...(primary.rewriteQuery ? { rewriteQuery: primary.rewriteQuery.bind(primary) } : {}),
    summarize: (request) => attempt('summary', (engine) => engine.summarize(request)),
    answer: (request) => attempt('answer', (engine) => engine.answer(request)),
  };
}
