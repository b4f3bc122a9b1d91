/**
 * An engine that falls back to another when it fails (timeout, quota, bad reply), so the user
 * always gets an answer, marked as coming from the fallback.
 */
import type { Engine } from '../core/engine.js';
import { errorFields, type Logger } from '../core/logger.js';

/** `primary`, with `fallback` answering whenever `primary` throws. */
export function withFallback(primary: Engine, fallback: Engine, logger: Logger): Engine {
  return {
    name: primary.name,
    version: primary.version,
    ...(primary.usage ? { usage: primary.usage.bind(primary) } : {}),
    async summarize(request) {
      try {
        return await primary.summarize(request);
      } catch (error) {
        logger.warn('engine failed; summary from the fallback engine', { engine: primary.name, ...errorFields(error) });
        return { ...(await fallback.summarize(request)), fallbackEngine: fallback.name };
      }
    },
    async answer(request) {
      try {
        return await primary.answer(request);
      } catch (error) {
        logger.warn('engine failed; answer from the fallback engine', { engine: primary.name, ...errorFields(error) });
        return { ...(await fallback.answer(request)), fallbackEngine: fallback.name };
      }
    },
  };
}
