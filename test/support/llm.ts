/**
 * The LLM engine wired to a fake OpenAI-compatible server, optionally behind the embedded fallback.
 */
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Embedder, Engine } from '../../src/core/engine.js';
import { createLogger, silentLogger, type Logger } from '../../src/core/logger.js';
import type { Telemetry } from '../../src/core/telemetry.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { withFallback } from '../../src/engines/fallback.js';
import { createOpenAIEmbedder } from '../../src/engines/openai/embeddings.js';
import { createOpenAIEngine } from '../../src/engines/openai/index.js';
import { loadPrompts, type Prompts } from '../../src/engines/openai/prompts.js';
import type { FakeOpenAI } from './fakeOpenAI.js';

/** The project's own prompt files. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** What a test may set on the fake-backed engine; deadlines default to the client timeout, so only tests about them need to set them. */
export interface FakeLlmOptions {
  timeout?: number;
  firstTokenMs?: number;
  deadlineMs?: number;
  fallback?: boolean;
  /** Where the fallback engine counts the LLM's failures. */
  telemetry?: Telemetry;
  prompts?: Prompts;
  logger?: Logger;
}

/** An `openai:test-model` engine talking to `server`; with `fallback`, the embedded engine steps in on failure. */
export function fakeLlmEngine(server: FakeOpenAI, options: FakeLlmOptions = {}): Engine {
  const timeout = options.timeout ?? 2_000;
  const logger = options.logger ?? silentLogger;
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', timeout, maxRetries: 0 });
  const llm = createOpenAIEngine({
    client,
    model: 'test-model',
    prompts: options.prompts ?? loadPrompts(PROMPTS_DIR),
    maxInputChars: 24_000,
    maxOutputTokens: 300,
    firstTokenMs: options.firstTokenMs ?? timeout,
    deadlineMs: options.deadlineMs ?? timeout,
    logger,
  });
  return options.fallback ? withFallback(llm, createExtractiveEngine(), logger, options.telemetry) : llm;
}

/** A `test-embedding` embedder talking to `server` through the real client, cancelled after `timeout` ms. */
export function fakeEmbedder(server: FakeOpenAI, options: { timeout?: number; logger?: Logger } = {}): Embedder {
  const timeout = options.timeout ?? 2_000;
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', timeout, maxRetries: 0 });
  return createOpenAIEmbedder({ client, model: 'test-embedding', deadlineMs: timeout, logger: options.logger ?? silentLogger });
}

/** A logger that keeps every line it is given (as parsed JSON), for specs about what an operator sees. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
}
