/**
 * The embedded engine: extractive summaries and answers, no keys, no network.
 */
import type { Engine } from '../../core/engine.js';
import { answerFromPassages } from './answer.js';
import { summarizeArticle } from './summarize.js';

/** Bumped whenever summaries or answers for the same input could change, so caches do not serve old ones. */
export const EXTRACTIVE_ENGINE_VERSION = 'extractive-3';

/** Creates the embedded extractive engine. */
export function createExtractiveEngine(): Engine {
  return {
    name: 'embedded',
    version: EXTRACTIVE_ENGINE_VERSION,
    summarize: async (request) => summarizeArticle(request),
    answer: async (request) => answerFromPassages(request),
  };
}
