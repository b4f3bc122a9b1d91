/**
 * Choosing the engine from config: the embedded one, or the LLM engine with the embedded one as
 * its fallback.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Embedder, Engine } from '../core/engine.js';
import type { Logger } from '../core/logger.js';
import type { Telemetry } from '../core/telemetry.js';
import { createExtractiveEngine } from './extractive/index.js';
import { withFallback } from './fallback.js';
import { createOpenAIEngine } from './openai/index.js';
import { createOpenAIEmbedder } from './openai/embeddings.js';
import { loadPrompts } from './openai/prompts.js';

const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** The engine `config` asks for; the OpenAI client is loaded only when the LLM engine is. LLM failures are counted in `telemetry`. */
export async function createEngine(config: Config, logger: Logger, telemetry?: Telemetry): Promise<Engine> {
  const embedded = createExtractiveEngine();
  if (!config.openai) return embedded;
  const { default: OpenAI } = await import('openai');
  const { apiKey, baseURL, model, timeoutMs, maxRetries, maxInputChars, maxOutputTokens, firstTokenMs, deadlineMs } = config.openai;
  const client = new OpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), timeout: timeoutMs, maxRetries });
  const llm = createOpenAIEngine({ client, model, prompts: loadPrompts(PROMPTS_DIR), maxInputChars, maxOutputTokens, firstTokenMs, deadlineMs, logger });
  return withFallback(llm, embedded, logger, telemetry);
}

/** The embedder `config` names (OPENAI_EMBEDDING_MODEL) with its similarity bar; undefined without one. */
export async function createEmbeddings(config: Config, logger: Logger): Promise<{ embedder: Embedder; minSimilarity: number } | undefined> {
  if (!config.openai?.embedding) return undefined;
  const { default: OpenAI } = await import('openai');
  const { apiKey, baseURL, timeoutMs, maxRetries, deadlineMs, embedding } = config.openai;
  const client = new OpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), timeout: timeoutMs, maxRetries });
  return { embedder: createOpenAIEmbedder({ client, model: embedding.model, deadlineMs, logger }), minSimilarity: embedding.minSimilarity };
}
