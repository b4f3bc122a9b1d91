/**
 * The LLM engine wired to a fake OpenAI-compatible server, optionally behind the embedded fallback.
 */
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Telemetry } from '../../src/core/telemetry.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { withFallback } from '../../src/engines/fallback.js';
import { createOpenAIEngine } from '../../src/engines/openai/index.js';
import { loadPrompts, type Prompts } from '../../src/engines/openai/prompts.js';
import type { FakeOpenAI } from './fakeOpenAI.js';

/** The project's own prompt files. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** An `openai:test-model` engine talking to `server`; with `fallback`, the embedded engine steps in on failure (counted in `telemetry`). */
export function fakeLlmEngine(server: FakeOpenAI, options: { timeout?: number; fallback?: boolean; prompts?: Prompts; telemetry?: Telemetry } = {}): Engine {
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', timeout: options.timeout ?? 2_000, maxRetries: 0 });
  const llm = createOpenAIEngine({
    client,
    model: 'test-model',
    prompts: options.prompts ?? loadPrompts(PROMPTS_DIR),
    maxInputChars: 24_000,
    maxOutputTokens: 300,
    logger: silentLogger,
  });
  return options.fallback ? withFallback(llm, createExtractiveEngine(), silentLogger, options.telemetry) : llm;
}
