/**
 * Asking the engine to rewrite a question into the languages of the stored articles, before
 * retrieval. Optional at every step: an engine without the hook, or one that fails or is slow,
 * leaves the question to be searched as asked.
 */
import type { Engine } from './engine.js';
import { errorFields, type Logger } from './logger.js';
import type { Language } from './types.js';

// Questions are asked again (a follow-up, a second reader): each rewrite costs an LLM request.
const CACHE_SIZE = 256;

/** A function giving the rewrites of a question into `languages` (none when there are none to make, or they failed). */
export function createQueryRewriter(engine: Engine, logger: Logger): (question: string, languages: readonly Language[]) => Promise<string[]> {
  const cache = new Map<string, string[]>();
  const log = logger.child({ component: 'query-rewrite' });
  return async (question, languages) => {
    if (!engine.rewriteQuery || languages.length === 0) return [];
    const key = `${languages.join(',')}\u0000${question}`;
    const cached = cache.get(key);
    if (cached) return cached;
    try {
      const rewritten = (await engine.rewriteQuery(question, languages)).filter((query) => query !== question);
      cache.set(key, rewritten);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      log.debug('question rewritten', { languages, queries: rewritten.length });
      return rewritten;
    } catch (error) {
      // Not cached: the next time the question is asked the engine may be back.
      log.warn('question not rewritten; searching with it as asked', { languages, ...errorFields(error) });
      return [];
    }
  };
}
