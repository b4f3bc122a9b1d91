/**
 * The answer cache. Its key holds the question, the language the answer is written in, the engine
 * and its version, and the evidence the answer was built from (which sentences of which postings of which articles). A new article that
 * becomes evidence for a question changes the key, so a stale answer is never served; an unrelated
 * article changes nothing, so the cache survives it. A deleted article is out of the search index,
 * so it is never evidence again and no key that names it is ever asked for again.
 */
import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import type { Passage } from './engine.js';
import { foldForMatching } from './text/index.js';
import type { Answer, Language } from './types.js';

/** What is stored per cached answer (the `cached` flag is set on the way out). */
export type CachedAnswer = Omit<Answer, 'cached'> & { readonly createdAt: string };

/** The parts an answer depends on. */
export interface AnswerKeyParts {
  readonly question: string;
  /**
   * The language the answer is written in. It follows the question, or the asker when the question
   * has no language of its own (digits, another script), so two askers of one question may differ.
   */
  readonly language?: Language;
  readonly engineName: string;
  readonly engineVersion: string;
  readonly passages: readonly Passage[];
  /**
   * When each evidence article was posted. An article deleted and posted again (the same text has
   * the same id) is a new posting, so answers cached from the deleted one never come back.
   */
  readonly postedAt?: Readonly<Record<string, string>>;
}

/** The cache key of an answer: equal exactly when question wording, answer language, engine and evidence are equal. */
export function answerCacheKey(parts: AnswerKeyParts): string {
  // Folding makes "Who met Tebboune?" and "who met tebboune" one question; the wording's
  // question words stay in, so "who" and "when" questions never share an answer.
  const question = foldForMatching(parts.question)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const material = JSON.stringify([question, parts.language ?? '', parts.engineName, parts.engineVersion, evidenceOf(parts)]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * The evidence alone, as a short fingerprint: equal exactly when two answers rest on the same
 * sentences of the same postings of the same articles. A followed question's answer changed when
 * this did (see follows.ts); the cache key above changes with it.
 */
export function evidenceFingerprint(parts: Pick<AnswerKeyParts, 'passages' | 'postedAt'>): string {
  return createHash('sha256').update(JSON.stringify(evidenceOf(parts))).digest('hex').slice(0, 32);
}

function evidenceOf(parts: Pick<AnswerKeyParts, 'passages' | 'postedAt'>): string[] {
  return parts.passages.map((p) => `${p.articleId}@${parts.postedAt?.[p.articleId] ?? ''}:${p.sentences.map((s) => s.index).join(',')}`);
}

/** Reads and writes cached answers in a keyv namespace. */
export interface AnswerCache {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer): Promise<void>;
}

/** An answer cache over `keyv`; `ttlSeconds` 0 keeps entries until their evidence changes. */
export function createAnswerCache(keyv: Keyv<CachedAnswer>, ttlSeconds: number): AnswerCache {
  return {
    get: (key) => keyv.get(key),
    async set(key, answer) {
      await keyv.set(key, answer, ttlSeconds > 0 ? ttlSeconds * 1000 : undefined);
    },
  };
}
