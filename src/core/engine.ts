/**
 * The interface both engines implement: the embedded extractive engine and the LLM engine.
 * Retrieval is the core's; an engine only sees the passages it is given.
 */
import type { Article, Citation, Language } from './types.js';

/**
 * One sentence of a passage, with its position in the article and its part in the evidence:
 * the sentence that answers, one next to it holding question words the answer lacks, or context.
 */
export interface PassageSentence {
  readonly index: number;
  readonly text: string;
  readonly role: 'answer' | 'complement' | 'context';
  /** For a long answer sentence, the part of it that holds the answer (with an ellipsis where cut), quoted instead of the whole. */
  readonly quote?: string;
}

/** A window of sentences from one article, handed to an engine as evidence. */
export interface Passage {
  /** Unique within one request, e.g. `P1`; the LLM cites passages by it. */
  readonly id: string;
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  readonly language: Language;
  readonly sentences: readonly PassageSentence[];
  /** Retrieval score used to rank passages, higher is better. */
  readonly score: number;
}

/** What the core asks an engine to summarise. */
export interface SummaryRequest {
  readonly article: Article;
  /** The language wanted; an engine that cannot translate answers in the article's language. */
  readonly language: Language;
  readonly minSentences: number;
  readonly maxSentences: number;
}

/** An engine's summary: sentences in reading order, and the language they are in. */
export interface EngineSummary {
  readonly sentences: readonly string[];
  readonly language: Language;
  /** Set when the engine failed and this came from its fallback: shown to users, never cached. */
  readonly fallbackEngine?: string;
}

/** What the core asks an engine to answer. */
export interface AnswerRequest {
  readonly question: string;
  readonly language: Language;
  /** Best first; never empty (the core declines by itself when nothing is relevant). */
  readonly passages: readonly Passage[];
  readonly maxSentences: number;
  /** Called with the answer text so far while an engine that streams is still writing it. */
  readonly onPartial?: (textSoFar: string) => void;
}

/** An engine's answer; `found: false` means the passages do not contain it. */
export interface EngineAnswer {
  readonly found: boolean;
  readonly text: string;
  readonly citations: readonly Citation[];
  /** Set when the engine failed and this came from its fallback: shown to users, never cached. */
  readonly fallbackEngine?: string;
}

/** A summariser and question answerer. */
export interface Engine {
  /** Shown to users and stored with results, e.g. `embedded` or `openai:gpt-4o-mini`. */
  readonly name: string;
  /** Changes whenever the same input could give a different output (algorithm or prompt edits); part of cache keys. */
  readonly version: string;
  summarize(request: SummaryRequest): Promise<EngineSummary>;
  answer(request: AnswerRequest): Promise<EngineAnswer>;
  /**
   * The question as readers of each of `languages` would ask it, one query per language in that
   * order (fewer when some could not be written), for finding articles written in them. Only
   * engines that can translate have it; the core searches with the original question as well.
   */
  rewriteQuery?(question: string, languages: readonly Language[]): Promise<string[]>;
  /** Requests and tokens used so far, for engines that count them. */
  usage?(): EngineUsage;
}

/** What an engine has used since start. */
export interface EngineUsage {
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Turns texts into vectors whose cosine says how alike their meaning is, across languages. */
export interface Embedder {
  /** Stored with each vector: vectors of different models are never compared. */
  readonly model: string;
  /** One vector per text, in order; rejects when the endpoint fails or misses its deadline. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
