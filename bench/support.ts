/**
 * Helpers shared by the QA benchmarks (`bench -- engine`, `bench -- articles`): where the shared data
 * lives, its record shapes, reading it, the news desk as the benchmarks open it, and the one answer
 * normalisation every system's answers and the gold answers go through.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { openNewsDesk, type NewsDesk } from '../src/core/newsDesk.js';
import { openStorage } from '../src/storage/index.js';
import { foldForMatching } from '../src/core/text/index.js';
import type { Actor } from '../src/core/types.js';
import { readJsonl } from '../src/eval/jsonl.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';

/** The shared data folder, next to the repository (a directory path ending in a separator). */
export const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** The local operator: an admin, so it may post. */
export const operator: Actor = { kind: 'operator' };

/** One question of a QA data set (xquad-ar, xquad-en, arcd-train). */
export interface QaRecord {
  id: string;
  title?: string;
  context: string;
  question: string;
  answers: string[];
}

/** One article of a news corpus (saudinewsnet). */
export interface NewsRecord {
  id: string;
  title?: string;
  text: string;
}

/** The first `limit` records of a .jsonl file. */
export async function readAll<T>(path: string, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const record of readJsonl<T>(path)) {
    if (out.length >= limit) break;
    out.push(record);
  }
  return out;
}

/** The same normalisation for every system's answers and the gold answers. */
export function normalizeAnswer(text: string): string {
  return foldForMatching(text)
    .replace(/\p{P}+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether the answer contains one of the gold answers, both normalised. */
export function answerHit(answer: string, gold: readonly string[]): boolean {
  const normalized = normalizeAnswer(answer);
  return gold.some((g) => {
    const n = normalizeAnswer(g);
    return n !== '' && normalized.includes(n);
  });
}

/** Words as a reader counts them: runs between white space. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/u).length;
}

/** A fresh news desk over a private in-memory database with the extractive engine and default settings. */
export async function openDesk(): Promise<NewsDesk> {
  const storage = await openStorage('memory://');
  return openNewsDesk({
    storage,
    // Nothing else writes this database and nothing delivers from it.
    changePollMs: 0,
    snapshotEvery: 0,
    queueFanOut: false,
    engine: createExtractiveEngine(),
    logger: silentLogger,
    // Benchmark documents are long and every question must be answered afresh, not from the cache.
    settings: { ...loadConfig({}), maxArticleChars: 1_000_000, answerCacheTtlSeconds: 0 },
  });
}
