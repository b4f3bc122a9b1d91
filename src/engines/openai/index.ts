/**
 * The LLM engine: summaries and answers from any OpenAI-compatible chat-completions endpoint.
 * Retrieval stays the core's: the model sees only the passages it is given, as JSON data, and its
 * citations are checked against them.
 */
import type OpenAI from 'openai';
import { deadlineSignal } from '../../core/deadline.js';
import { groundSummary } from '../../core/grounding.js';
import type { AnswerRequest, Engine, EngineAnswer, EngineSummary, Passage, SummaryRequest } from '../../core/engine.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Citation, Language } from '../../core/types.js';
import { createAnswerFieldReader } from './answerField.js';
import { fill, type Prompts } from './prompts.js';

/** Token counts since start, for an admin's /status. */
export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** What the LLM engine is built from. */
export interface OpenAIEngineOptions {
  readonly client: OpenAI;
  readonly model: string;
  readonly prompts: Prompts;
  /** Article text beyond this is cut before it is sent. */
  readonly maxInputChars: number;
  readonly maxOutputTokens: number;
  /** The request is cancelled when no answer text has arrived this long after it was sent. */
  readonly firstTokenMs: number;
  /** The request is cancelled when the whole answer has not arrived this long after it was sent. */
  readonly deadlineMs: number;
  readonly logger: Logger;
}

/** The model's summary says something its article does not; the reasons name each bullet that failed. */
export class UngroundedSummaryError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`the summary is not supported by the article: ${reasons.join('; ')}`);
    this.name = 'UngroundedSummaryError';
  }
}

/** The LLM missed one of its deadlines; its request was cancelled. */
export class LlmDeadlineError extends Error {
  constructor(readonly deadline: 'first token' | 'total', readonly ms: number) {
    super(deadline === 'first token' ? `the LLM sent no first token within ${ms} ms` : `the LLM answer was not complete within ${ms} ms`);
    this.name = 'LlmDeadlineError';
  }
}

const LANGUAGE_NAMES: Record<Language, string> = { ar: 'Arabic', en: 'English', other: 'the language of the question' };

/** Parses the first JSON object in a model's reply (some servers wrap it in prose or code fences). */
export function parseModelJson(content: string): Record<string, unknown> {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the model did not reply with a JSON object');
  const parsed: unknown = JSON.parse(content.slice(start, end + 1));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the model replied with JSON that is not an object');
  return parsed as Record<string, unknown>;
}

function bestSentence(passage: Passage): string {
  return passage.sentences.find((sentence) => sentence.role === 'answer')?.text ?? passage.sentences[0]?.text ?? '';
}

/** Creates the LLM engine; `usage` is updated after every request. */
export function createOpenAIEngine(options: OpenAIEngineOptions): Engine {
  const { client, model, prompts } = options;
  const logger = options.logger.child({ engine: 'openai', model });
  const usage: UsageTotals = { requests: 0, promptTokens: 0, completionTokens: 0 };

  /**
   * One chat completion, always streamed: only a stream shows when the first token arrives, and a
   * server that sends its headers and then stalls (or trickles) is caught by a deadline, where the
   * client's own timeout stops counting once the headers are in.
   */
  async function complete(system: string, user: unknown, purpose: string, onPartial?: (textSoFar: string) => void): Promise<Record<string, unknown>> {
    const started = Date.now();
    const body = {
      model,
      temperature: 0,
      max_tokens: options.maxOutputTokens,
      response_format: { type: 'json_object' as const },
      messages: [
        { role: 'system' as const, content: system },
        // JSON keeps article text inside string values: it cannot close a delimiter or pose as instructions.
        { role: 'user' as const, content: JSON.stringify(user) },
      ],
      stream: true as const,
      stream_options: { include_usage: true },
    };
    // The first-token guard is let go of once text arrives; the total deadline runs on. Both abort
    // the one signal the request carries, so the HTTP request itself is cancelled.
    const firstToken = deadlineSignal(options.firstTokenMs);
    const deadline = deadlineSignal(options.deadlineMs, firstToken.signal);
    const missed = () => (firstToken.signal.aborted ? new LlmDeadlineError('first token', options.firstTokenMs) : new LlmDeadlineError('total', options.deadlineMs));
    let content = '';
    let tokens: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    try {
      const read = createAnswerFieldReader();
      let shown = '';
      const stream = await client.chat.completions.create(body, { signal: deadline.signal });
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) tokens = chunk.usage;
        if (delta === '') continue;
        if (content === '') firstToken.done();
        content += delta;
        if (!onPartial) continue;
        const soFar = read(delta);
        if (soFar !== shown) {
          shown = soFar;
          onPartial(soFar);
        }
      }
      // The client ends an aborted stream quietly, as though the answer were complete.
      if (deadline.signal.aborted) throw missed();
    } catch (error) {
      const reason = deadline.signal.aborted && !(error instanceof LlmDeadlineError) ? missed() : error;
      logger.warn('llm request failed', { purpose, streamed: Boolean(onPartial), ms: Date.now() - started, ...errorFields(reason) });
      throw reason;
    } finally {
      deadline.done();
      firstToken.done();
    }
    usage.requests++;
    usage.promptTokens += tokens?.prompt_tokens ?? 0;
    usage.completionTokens += tokens?.completion_tokens ?? 0;
    logger.info('llm request', {
      purpose,
      streamed: Boolean(onPartial),
      ms: Date.now() - started,
      promptTokens: tokens?.prompt_tokens,
      completionTokens: tokens?.completion_tokens,
      totalPromptTokens: usage.promptTokens,
      totalCompletionTokens: usage.completionTokens,
    });
    return parseModelJson(content);
  }

  return {
    name: `openai:${model}`,
    version: `prompts-${prompts.version}`,
    usage: () => ({ ...usage }),

    async summarize(request: SummaryRequest): Promise<EngineSummary> {
      const { article } = request;
      const system = fill(prompts.summary, { language: LANGUAGE_NAMES[request.language], min: request.minSentences, max: request.maxSentences });
      const text = article.text.slice(0, options.maxInputChars);
      const reply = await complete(system, { title: article.title, text }, 'summary');
      const bullets = Array.isArray(reply.bullets) ? reply.bullets.filter((b): b is string => typeof b === 'string' && b.trim() !== '') : [];
      if (bullets.length === 0) throw new Error('the model returned no bullets');
      // One unsupported bullet discredits the rest: a model that passed on a planted line may have
      // bent the others too, so the whole summary goes to the extractive engine.
      const grounded = groundSummary({ title: article.title, text, language: article.language, ...(article.url ? { url: article.url } : {}) }, bullets.slice(0, request.maxSentences).map((b) => b.trim()), request.language);
      if (grounded.rejected.length > 0 || grounded.bullets.length === 0) {
        logger.warn('llm summary not supported by its article', { article: article.id, rejected: grounded.rejected });
        throw new UngroundedSummaryError(grounded.rejected.map((r) => `"${r.bullet.slice(0, 80)}": ${r.reason}`));
      }
      return { sentences: grounded.bullets, language: request.language };
    },

    async rewriteQuery(question: string, languages: readonly Language[]): Promise<string[]> {
      const names = languages.map((language) => LANGUAGE_NAMES[language]);
      const reply = await complete(prompts.rewrite, { question, languages: names }, 'rewrite');
      const queries = Array.isArray(reply.queries) ? reply.queries : [];
      // A rewrite many times longer than its question is not a translation of it.
      const limit = Math.max(200, question.length * 4);
      return queries
        .filter((query): query is string => typeof query === 'string' && query.trim() !== '')
        .map((query) => query.trim().slice(0, limit))
        .slice(0, languages.length);
    },

    async answer(request: AnswerRequest): Promise<EngineAnswer> {
      const system = fill(prompts.answer, { language: LANGUAGE_NAMES[request.language] });
      const passages = request.passages.map((p) => ({ id: p.id, title: p.title, text: p.sentences.map((s) => s.text).join(' ') }));
      const reply = await complete(system, { question: request.question, passages }, 'answer', request.onPartial);
      const text = typeof reply.answer === 'string' ? reply.answer.trim() : '';
      const cited = Array.isArray(reply.citations) ? reply.citations.filter((c): c is string => typeof c === 'string') : [];
      // Only ids that were given count; an answer left with none is not grounded.
      const byId = new Map(request.passages.map((p) => [p.id, p]));
      const citations: Citation[] = [];
      for (const id of new Set(cited)) {
        const passage = byId.get(id);
        if (!passage || citations.some((c) => c.articleId === passage.articleId)) continue;
        citations.push({ articleId: passage.articleId, title: passage.title, quote: bestSentence(passage), ...(passage.url ? { url: passage.url } : {}), language: passage.language });
      }
      if (reply.found !== true || text === '' || citations.length === 0) {
        if (cited.length > 0 && citations.length === 0) logger.warn('llm cited passages it was not given', { cited });
        return { found: false, text: '', citations: [] };
      }
      return { found: true, text, citations };
    },
  };
}
