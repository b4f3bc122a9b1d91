/**
 * `npm run bench -- engine`: the embedded extractive engine, driven through the real news desk over
 * an in-memory store, side by side with the tool a developer would otherwise reach for: MiniSearch
 * (BM25) with default options. Both run in this process over the same data from ../shared/data.
 *
 * Sections:
 *   1. Question answering on xquad-ar, xquad-en and arcd-train: every distinct context is stored as
 *      an article and every question is asked. Article hit@1 (the first citation / top hit is the
 *      question's own context), answer hit (the answer contains a gold answer after normalisation),
 *      refusals (counted as misses in both hit rates), p50/p95 latency, mean answer length in words.
 *      The peer: MiniSearch over whole articles, then a second MiniSearch over the sentences (the
 *      project's own splitSentences) of its best article; its top sentence is the answer, no hit at
 *      all is a refusal.
 *   2. Unanswerable side: questions of one data set asked against another's articles
 *      (xquad-ar questions → arcd articles, arcd questions → xquad-ar articles); refusal rate.
 *   3. Scale: xquad-ar with the first 10,000 saudinewsnet articles added as distractors; index time.
 *   4. Summaries: ROUGE-1/2/L F1 on easc-dev (best over the references, per metric) and on
 *      bbc-news-summary, against Lead cut to the same token count as our summary, article by article.
 *
 * Nothing here is tuned per data set: the same settings and code path run for every one of them.
 * The figures are a report: the exit code is 0 whether or not a target is met.
 */
import { existsSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { isAkhbarError } from '../src/core/errors.js';
import { splitSentences, tokenize } from '../src/core/text/index.js';
import { percentile } from '../src/eval/jsonl.js';
import { answerHit, DATA, openDesk, operator, readAll, wordCount, type NewsRecord, type QaRecord } from './support.js';

const DISTRACTORS = 10_000;

interface SummaryRecord {
  id: string;
  title?: string;
  article: string;
  summary: string;
  summaries?: string[];
}

// ---------------------------------------------------------------------------------------------
// Helpers

function distinctContexts(records: readonly QaRecord[]): string[] {
  return [...new Set(records.map((r) => r.context))];
}

// ---------------------------------------------------------------------------------------------
// The two systems behind one interface

interface Reply {
  readonly refused: boolean;
  readonly text: string;
  /** Ours: article id of the first citation; peer: index of the top document. */
  readonly top: string | undefined;
}

interface QaSystem {
  /** Gold key of a context (ours: its article id; peer: its document index). */
  key(context: string): string | undefined;
  ask(question: string): Promise<Reply>;
}

interface Doc {
  readonly text: string;
  readonly title?: string;
}

/** Ours: every doc posted to a fresh desk. Contexts map to their article ids. */
async function buildOurs(docs: readonly Doc[]): Promise<{ system: QaSystem; indexMs: number; skipped: number }> {
  const desk = await openDesk();
  const ids = new Map<string, string>();
  let skipped = 0;
  const started = performance.now();
  for (const doc of docs) {
    try {
      const { article } = await desk.postArticle({ text: doc.text, ...(doc.title ? { title: doc.title } : {}) }, operator);
      ids.set(doc.text, article.id);
    } catch (error) {
      if (!isAkhbarError(error)) throw error;
      skipped++;
    }
  }
  const indexMs = performance.now() - started;
  const system: QaSystem = {
    key: (context) => ids.get(context),
    async ask(question) {
      try {
        const answer = await desk.ask(question, operator);
        return { refused: !answer.found, text: answer.found ? answer.text : '', top: answer.citations[0]?.articleId };
      } catch (error) {
        if (!isAkhbarError(error)) throw error;
        return { refused: true, text: '', top: undefined };
      }
    },
  };
  return { system, indexMs, skipped };
}

/** The peer: MiniSearch with default options over whole docs, then over the best doc's sentences. */
function buildPeer(docs: readonly Doc[]): { system: QaSystem; indexMs: number } {
  const texts = docs.map((d) => (d.title ? `${d.title}\n\n${d.text}` : d.text));
  const keys = new Map<string, string>();
  docs.forEach((d, i) => {
    if (!keys.has(d.text)) keys.set(d.text, String(i));
  });
  const started = performance.now();
  const articles = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
  articles.addAll(texts.map((text, id) => ({ id, text })));
  const indexMs = performance.now() - started;
  // The sentence index of an article is built once, on first use (its cost lands in that query).
  const sentenceIndexes = new Map<number, { index: MiniSearch<{ id: number; text: string }>; sentences: string[] }>();
  const system: QaSystem = {
    key: (context) => keys.get(context),
    async ask(question) {
      const best = articles.search(question)[0];
      if (!best) return { refused: true, text: '', top: undefined };
      const id = best.id as number;
      let entry = sentenceIndexes.get(id);
      if (!entry) {
        const sentences = splitSentences(texts[id]!);
        const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
        index.addAll(sentences.map((text, i) => ({ id: i, text })));
        entry = { index, sentences };
        sentenceIndexes.set(id, entry);
      }
      const sentenceHit = entry.index.search(question)[0];
      // No sentence hit although the article matched (a term split across sentences): its first sentence.
      const text = entry.sentences[sentenceHit ? (sentenceHit.id as number) : 0] ?? '';
      return { refused: false, text, top: String(id) };
    },
  };
  return { system, indexMs };
}

// ---------------------------------------------------------------------------------------------
// QA scoring

interface QaScore {
  readonly questions: number;
  readonly articleHit: number;
  readonly answerHit: number;
  readonly refusals: number;
  readonly p50: number;
  readonly p95: number;
  readonly meanWords: number;
}

/** Asks each distinct question string once (timed), scores every record with that reply. */
async function scoreQa(system: QaSystem, records: readonly QaRecord[], answerable: boolean): Promise<QaScore> {
  const replies = new Map<string, Reply>();
  const latencies: number[] = [];
  for (const record of records) {
    if (replies.has(record.question)) continue;
    const started = performance.now();
    const reply = await system.ask(record.question);
    latencies.push(performance.now() - started);
    replies.set(record.question, reply);
  }
  let articleHits = 0;
  let answerHits = 0;
  let refusals = 0;
  let words = 0;
  let answered = 0;
  for (const record of records) {
    const reply = replies.get(record.question)!;
    if (reply.refused) {
      refusals++;
      continue;
    }
    answered++;
    words += wordCount(reply.text);
    if (!answerable) continue;
    const gold = system.key(record.context);
    if (gold !== undefined && reply.top === gold) articleHits++;
    if (answerHit(reply.text, record.answers)) answerHits++;
  }
  const n = records.length;
  return {
    questions: n,
    articleHit: articleHits / n,
    answerHit: answerHits / n,
    refusals: refusals / n,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    meanWords: answered === 0 ? 0 : words / answered,
  };
}

// ---------------------------------------------------------------------------------------------
// ROUGE

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function f1(overlap: number, candidate: number, reference: number): number {
  if (overlap === 0 || candidate === 0 || reference === 0) return 0;
  const p = overlap / candidate;
  const r = overlap / reference;
  return (2 * p * r) / (p + r);
}

function rougeN(candidate: readonly string[], reference: readonly string[], n: number): number {
  const c = ngrams(candidate, n);
  const r = ngrams(reference, n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  return f1(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] = ai === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

function rougeL(candidate: readonly string[], reference: readonly string[]): number {
  return f1(lcsLength(candidate, reference), candidate.length, reference.length);
}

type Rouge = [number, number, number];

/** Best over the references, each metric on its own. */
function rouge(candidate: readonly string[], references: readonly (readonly string[])[]): Rouge {
  const best: Rouge = [0, 0, 0];
  for (const reference of references) {
    best[0] = Math.max(best[0], rougeN(candidate, reference, 1));
    best[1] = Math.max(best[1], rougeN(candidate, reference, 2));
    best[2] = Math.max(best[2], rougeL(candidate, reference));
  }
  return best;
}

interface SummaryScore {
  readonly articles: number;
  readonly skipped: number;
  readonly ours: Rouge;
  readonly lead: Rouge;
  readonly meanTokens: number;
  readonly ms: number;
}

async function scoreSummaries(records: readonly SummaryRecord[]): Promise<SummaryScore> {
  const desk = await openDesk();
  const ours: Rouge = [0, 0, 0];
  const lead: Rouge = [0, 0, 0];
  let scored = 0;
  let skipped = 0;
  let tokens = 0;
  const started = performance.now();
  for (const record of records) {
    let summaryText: string;
    try {
      const { article } = await desk.postArticle({ text: record.article }, operator);
      summaryText = (await desk.summarize(article.id)).text;
    } catch (error) {
      if (!isAkhbarError(error)) throw error;
      skipped++;
      continue;
    }
    const references = (record.summaries && record.summaries.length > 0 ? record.summaries : [record.summary]).map((s) => tokenize(s));
    const candidate = tokenize(summaryText);
    const baseline = tokenize(record.article).slice(0, candidate.length);
    const a = rouge(candidate, references);
    const b = rouge(baseline, references);
    for (let i = 0; i < 3; i++) {
      ours[i] = ours[i]! + a[i]!;
      lead[i] = lead[i]! + b[i]!;
    }
    tokens += candidate.length;
    scored++;
  }
  const mean = (r: Rouge): Rouge => r.map((x) => (scored === 0 ? 0 : x / scored)) as Rouge;
  return {
    articles: scored,
    skipped,
    ours: mean(ours),
    lead: mean(lead),
    meanTokens: scored === 0 ? 0 : tokens / scored,
    ms: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

interface Row {
  readonly metric: string;
  readonly ours: string;
  readonly peer: string;
  readonly compare: string;
  readonly target?: string;
}

function table(title: string, rows: readonly Row[], peerName = 'MiniSearch'): void {
  const header: Row = { metric: 'metric', ours: 'akhbar', peer: peerName, compare: 'ours vs peer', target: 'target' };
  const all = [header, ...rows];
  const width = (f: (r: Row) => string) => Math.max(...all.map((r) => f(r).length));
  const w = [width((r) => r.metric), width((r) => r.ours), width((r) => r.peer), width((r) => r.compare)];
  console.log(`\n${title}`);
  for (const [i, r] of all.entries()) {
    console.log(
      `  ${r.metric.padEnd(w[0]!)}  ${r.ours.padStart(w[1]!)}  ${r.peer.padStart(w[2]!)}  ${r.compare.padEnd(w[3]!)}  ${r.target ?? ''}`.trimEnd(),
    );
    if (i === 0) console.log(`  ${'-'.repeat(w.reduce((a, b) => a + b, 0) + 8 + width((x) => x.target ?? ''))}`);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const diff = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)} pt`;
const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `×${(a / b).toFixed(2)}`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

function qaRows(ours: QaScore, peer: QaScore, targets: { articleHit?: number; answerHit?: number; notBelowPeer?: boolean; p50Fraction?: number } = {}): Row[] {
  const hitTarget = (value: number, peerValue: number, min?: number): string | undefined => {
    const parts: string[] = [];
    if (min !== undefined) parts.push(`≥ ${pct(min)}: ${met(value >= min)}`);
    if (targets.notBelowPeer) parts.push(`≥ peer: ${met(value >= peerValue)}`);
    return parts.length > 0 ? parts.join('; ') : undefined;
  };
  const rows: Row[] = [
    { metric: 'article hit@1', ours: pct(ours.articleHit), peer: pct(peer.articleHit), compare: diff(ours.articleHit, peer.articleHit), ...opt(hitTarget(ours.articleHit, peer.articleHit, targets.articleHit)) },
    { metric: 'answer hit', ours: pct(ours.answerHit), peer: pct(peer.answerHit), compare: diff(ours.answerHit, peer.answerHit), ...opt(hitTarget(ours.answerHit, peer.answerHit, targets.answerHit)) },
    { metric: 'refusals', ours: pct(ours.refusals), peer: pct(peer.refusals), compare: diff(ours.refusals, peer.refusals) },
    {
      metric: 'latency p50',
      ours: ms(ours.p50),
      peer: ms(peer.p50),
      compare: ratio(ours.p50, peer.p50),
      ...(targets.p50Fraction !== undefined ? { target: `≤ ×${targets.p50Fraction.toFixed(2)}: ${met(ours.p50 <= peer.p50 * targets.p50Fraction)}` } : {}),
    },
    { metric: 'latency p95', ours: ms(ours.p95), peer: ms(peer.p95), compare: ratio(ours.p95, peer.p95) },
    { metric: 'answer words (mean)', ours: ours.meanWords.toFixed(1), peer: peer.meanWords.toFixed(1), compare: ratio(ours.meanWords, peer.meanWords) },
  ];
  return rows;
}

function opt(target: string | undefined): { target?: string } {
  return target === undefined ? {} : { target };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

const QA_SETS = [
  { name: 'xquad-ar', path: 'xquad-ar/xquad.ar.jsonl', targets: { answerHit: 0.7, articleHit: 0.88 } },
  { name: 'xquad-en', path: 'xquad-en/xquad.en.jsonl', targets: { notBelowPeer: true } },
  { name: 'arcd-train', path: 'arcd-train/arcd.train.jsonl', targets: {} },
] as const;

export async function runEngineBenchmark(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`engine benchmark skipped: no data at ${DATA} (it needs ../shared/data next to the repository).`);
    return;
  }
  const runStarted = performance.now();
  console.log(`engine benchmark: akhbar (extractive engine via the news desk) vs MiniSearch 7 (default options)`);
  console.log(`data: ${DATA}`);

  // 1. Question answering.
  const qa = new Map<string, QaRecord[]>();
  const systems = new Map<string, { ours: QaSystem; peer: QaSystem }>();
  for (const set of QA_SETS) {
    const records = await readAll<QaRecord>(`${DATA}${set.path}`);
    qa.set(set.name, records);
    const docs = distinctContexts(records).map((text) => ({ text }));
    const ours = await buildOurs(docs);
    const peer = buildPeer(docs);
    systems.set(set.name, { ours: ours.system, peer: peer.system });
    const a = await scoreQa(ours.system, records, true);
    const b = await scoreQa(peer.system, records, true);
    const distinct = new Set(records.map((r) => r.question)).size;
    table(
      `QA ${set.name}: ${docs.length} articles, ${records.length} questions (${distinct} distinct)${ours.skipped > 0 ? `, ${ours.skipped} contexts refused by the desk` : ''}`,
      qaRows(a, b, set.targets),
    );
  }

  // 2. Unanswerable side: questions of one set against another set's articles.
  const crossRows: Row[] = [];
  for (const [questionsFrom, articlesFrom] of [['xquad-ar', 'arcd-train'], ['arcd-train', 'xquad-ar']] as const) {
    const records = qa.get(questionsFrom)!;
    const target = systems.get(articlesFrom)!;
    const a = await scoreQa(target.ours, records, false);
    const b = await scoreQa(target.peer, records, false);
    crossRows.push({ metric: `${questionsFrom} Qs → ${articlesFrom} articles`, ours: pct(a.refusals), peer: pct(b.refusals), compare: diff(a.refusals, b.refusals) });
  }
  table('Unanswerable side: refusal rate (higher is better; contexts differ, some topics may overlap)', crossRows);

  // 3. Scale: xquad-ar plus 10,000 saudinewsnet distractors.
  {
    const records = qa.get('xquad-ar')!;
    const news = await readAll<NewsRecord>(`${DATA}saudinewsnet/saudinewsnet.part1.jsonl`, DISTRACTORS);
    const docs: Doc[] = [...distinctContexts(records).map((text) => ({ text })), ...news.map((n) => ({ text: n.text, ...(n.title ? { title: n.title } : {}) }))];
    const ours = await buildOurs(docs);
    const peer = buildPeer(docs);
    const a = await scoreQa(ours.system, records, true);
    const b = await scoreQa(peer.system, records, true);
    const rows = qaRows(a, b, { articleHit: 0.8, p50Fraction: 0.2 });
    rows.push({ metric: 'index time (all docs)', ours: `${(ours.indexMs / 1000).toFixed(2)} s`, peer: `${(peer.indexMs / 1000).toFixed(2)} s`, compare: ratio(ours.indexMs, peer.indexMs) });
    table(`QA xquad-ar + ${news.length} saudinewsnet distractors: ${docs.length} docs posted (${ours.skipped} refused by the desk)`, rows);
  }

  // 4. Summaries.
  for (const [name, path] of [['easc-dev', 'easc-dev/easc.dev.jsonl'], ['bbc-news-summary', 'bbc-news-summary/bbc_news_summary.jsonl']] as const) {
    const records = await readAll<SummaryRecord>(`${DATA}${path}`);
    const s = await scoreSummaries(records);
    const names = ['ROUGE-1 F1', 'ROUGE-2 F1', 'ROUGE-L F1'];
    const rows: Row[] = names.map((metric, i) => ({
      metric,
      ours: s.ours[i]!.toFixed(4),
      peer: s.lead[i]!.toFixed(4),
      compare: `${s.ours[i]! - s.lead[i]! >= 0 ? '+' : ''}${(s.ours[i]! - s.lead[i]!).toFixed(4)}`,
      target: `> Lead: ${met(s.ours[i]! > s.lead[i]!)}`,
    }));
    rows.push({ metric: 'summary tokens (mean)', ours: s.meanTokens.toFixed(1), peer: s.meanTokens.toFixed(1), compare: 'same by construction' });
    table(
      `Summaries ${name}: ${s.articles} articles${s.skipped > 0 ? ` (${s.skipped} refused by the desk)` : ''}${name === 'easc-dev' ? ', best over the references per metric' : ''}, ${(s.ms / 1000).toFixed(1)} s`,
      rows,
      'Lead',
    );
  }

  console.log(`\nengine benchmark done in ${((performance.now() - runStarted) / 1000).toFixed(1)} s`);
}
