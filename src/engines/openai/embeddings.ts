/**
 * Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint, under the same total deadline
 * as the engine's chat requests (OPENAI_DEADLINE_MS), so a stalled endpoint never holds a question.
 */
import type OpenAI from 'openai';
import { deadlineSignal } from '../../core/deadline.js';
import type { Embedder } from '../../core/engine.js';
import { errorFields, type Logger } from '../../core/logger.js';
import { LlmDeadlineError } from './index.js';

/** What the embedder is built from. */
export interface OpenAIEmbedderOptions {
  readonly client: OpenAI;
  readonly model: string;
  readonly deadlineMs: number;
  readonly logger: Logger;
}

/** Creates an embedder for `model`. */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { client, model } = options;
  const logger = options.logger.child({ embeddings: model });
  return {
    model,
    async embed(texts) {
      const started = Date.now();
      const deadline = deadlineSignal(options.deadlineMs);
      try {
        const reply = await client.embeddings.create({ model, input: [...texts], encoding_format: 'float' }, { signal: deadline.signal });
        const vectors = [...reply.data].sort((a, b) => a.index - b.index).map((item) => Float32Array.from(item.embedding));
        if (vectors.length !== texts.length) throw new Error(`the endpoint returned ${vectors.length} vectors for ${texts.length} texts`);
        logger.debug('embeddings request', { texts: texts.length, ms: Date.now() - started, promptTokens: reply.usage?.prompt_tokens });
        return vectors;
      } catch (error) {
        const reason = deadline.signal.aborted ? new LlmDeadlineError('total', options.deadlineMs) : error;
        logger.warn('embeddings request failed', { texts: texts.length, ms: Date.now() - started, ...errorFields(reason) });
        throw reason;
      } finally {
        deadline.done();
      }
    },
  };
}
