/**
 * The evaluation commands: run the real news desk over a data set in a fresh in-memory store and
 * write what it answered, for scoring outside. Nothing here knows which data set it is given.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { isAkhbarError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { openNewsDesk, type NewsDesk } from '../core/newsDesk.js';
import { openStorage } from '../storage/index.js';
import type { Engine } from '../core/engine.js';
import type { Actor } from '../core/types.js';
import { percentile, readJsonl, writeJsonl } from './jsonl.js';

const operator: Actor = { kind: 'operator' };

interface QaRecord {
  id: string;
  context: string;
  question: string;
}

interface CorpusRecord {
  title?: string;
  text: string;
}

interface SummaryRecord {
  id: string;
  title?: string;
  article: string;
}

/** Options of `akhbar eval qa`. */
export interface QaEvalOptions {
  readonly data: string;
  readonly out: string;
  readonly distractors?: string;
  readonly limit?: number;
}

/** Totals printed when an evaluation finishes. */
export type EvalReport = Record<string, number | string>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function freshDesk(config: Config, engine: Engine): Promise<NewsDesk> {
  const storage = await openStorage('memory://');
  // Evaluation data holds long documents; the chat limit on paste size does not apply here.
  const settings = { ...config, maxArticleChars: Math.max(config.maxArticleChars, 1_000_000), answerCacheTtlSeconds: 0 };
  // A private database nobody else writes and nothing delivers from: no changes to follow, no fan-outs.
  return openNewsDesk({ storage, engine, logger: silentLogger, settings, changePollMs: 0, snapshotEvery: 0, queueFanOut: false });
}

/** Posts every distinct context (and distractors), asks every question, writes one line per question. */
export async function evaluateQa(config: Config, engine: Engine, options: QaEvalOptions): Promise<EvalReport> {
  const desk = await freshDesk(config, engine);
  const originalHash = new Map<string, string>();
  const records: QaRecord[] = [];
  const seen = new Set<string>();
  const ingestStart = performance.now();
  let skipped = 0;

  const post = async (text: string, title?: string) => {
    try {
      const { article } = await desk.postArticle({ text, ...(title ? { title } : {}) }, operator);
      if (!originalHash.has(article.id)) originalHash.set(article.id, sha256(text));
    } catch (error) {
      if (!isAkhbarError(error)) throw error;
      skipped++;
    }
  };

  for await (const record of readJsonl<QaRecord>(options.data)) {
    records.push(record);
    if (seen.has(record.context)) continue;
    seen.add(record.context);
    await post(record.context);
  }
  if (options.distractors) {
    let count = 0;
    for await (const record of readJsonl<CorpusRecord>(options.distractors)) {
      if (options.limit !== undefined && count >= options.limit) break;
      count++;
      await post(record.text, record.title);
    }
  }
  const ingestMs = performance.now() - ingestStart;

  const out = writeJsonl(options.out);
  const times: number[] = [];
  let found = 0;
  for (const record of records) {
    const started = performance.now();
    const answer = await desk.ask(record.question, operator);
    const ms = performance.now() - started;
    times.push(ms);
    if (answer.found) found++;
    await out.write({
      id: record.id,
      found: answer.found,
      answer: answer.found ? answer.text : '',
      citations: answer.citations.map((c) => originalHash.get(c.articleId) ?? ''),
      ms: Math.round(ms * 100) / 100,
    });
  }
  await out.close();
  return {
    questions: records.length,
    articles: desk.articleCount,
    skipped_articles: skipped,
    found,
    ingest_ms: Math.round(ingestMs),
    p50_ms: round2(percentile(times, 50)),
    p95_ms: round2(percentile(times, 95)),
    engine: engine.name,
  };
}

/** Summarises every article of a summary data set, one line per record. */
export async function evaluateSummaries(config: Config, engine: Engine, options: { data: string; out: string }): Promise<EvalReport> {
  const desk = await freshDesk(config, engine);
  const out = writeJsonl(options.out);
  const times: number[] = [];
  let failed = 0;
  for await (const record of readJsonl<SummaryRecord>(options.data)) {
    const started = performance.now();
    let summary = '';
    try {
      const { article } = await desk.postArticle({ text: record.article, ...(record.title ? { title: record.title } : {}) }, operator);
      summary = (await desk.summarize(article.id)).text;
    } catch (error) {
      if (!isAkhbarError(error)) throw error;
      failed++;
    }
    const ms = performance.now() - started;
    times.push(ms);
    await out.write({ id: record.id, summary, ms: Math.round(ms * 100) / 100 });
  }
  await out.close();
  return { records: times.length, failed, p50_ms: round2(percentile(times, 50)), p95_ms: round2(percentile(times, 95)), engine: engine.name };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
