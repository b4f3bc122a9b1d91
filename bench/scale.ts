/**
 * `npm run bench -- scale`: the news desk at 1k, 10k and 100k articles (the saudinewsnet corpus
 * repeated with a copy number appended, so every article has its own id), against MiniSearch with
 * default options on the same texts in the same run.
 *
 * Ours posts every article through the real desk into a SQLite store (the default production store),
 * so ingest time includes cleaning, hashing, language detection and the durable write; index memory
 * is the heap plus external memory (typed arrays) the desk holds after a full GC (catalog + index; article texts live in SQLite). The
 * peer's figures are MiniSearch.addAll over the same texts and its heap after GC. Query p50 is over
 * 200 headlines of the corpus asked as questions. Start-up is `openServices` over the stored file in
 * a fresh child process, as `npm start` would do, with its RSS. At 100k the store is also moved into
 * a fresh PostgreSQL database through `akhbar export` / `akhbar import` (the backup functions), and
 * started twice there: the first start builds the search index (an import carries no snapshot) and
 * saves one at close; the second restores it, as every later start does.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import MiniSearch from 'minisearch';
import { loadConfig } from '../src/config.js';
import { isAkhbarError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import { openNewsDesk } from '../src/core/newsDesk.js';
import { openStorage } from '../src/storage/index.js';
import { exportStorage, importStorage } from '../src/storage/backup.js';
import { createBenchDatabase } from './postgres.js';
import { percentile, readJsonl } from '../src/eval/jsonl.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';

const DATA = fileURLToPath(new URL('../../shared/data/saudinewsnet/saudinewsnet.part1.jsonl', import.meta.url));
const CHILD = fileURLToPath(new URL('./startupChild.ts', import.meta.url));
const CHECKPOINTS = [1_000, 10_000, 100_000] as const;
const STARTUP_AT = new Set([10_000, 100_000]);
const QUERIES = 200;
// Issue 13's start-up target, for SQLite and PostgreSQL alike.
const STARTUP_TARGET_MS = 3_000;
const STARTUP_TARGET_RSS = 600 * 1024 * 1024;
const run = promisify(execFile);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface NewsRecord {
  title?: string | null;
  text: string;
}

function heapAfterGc(): number {
  gc();
  gc();
  // Typed-array postings live outside the V8 heap; `external` counts them.
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ours: number, peer: number): string => `×${(ours / peer).toFixed(2)}`;

/** The i-th article of the repeated corpus; copies after the first carry their copy number. */
function docAt(corpus: readonly NewsRecord[], i: number): { text: string; title?: string } {
  const base = corpus[i % corpus.length]!;
  const copy = Math.floor(i / corpus.length);
  const text = copy === 0 ? base.text : `${base.text}\n\n(نسخة ${copy})`;
  return base.title ? { text, title: base.title } : { text };
}

const startupVerdict = (start: { ms: number; rss: number }): string =>
  `RSS ${mb(start.rss)}; target ≤ ${s(STARTUP_TARGET_MS)}, ≤ ${mb(STARTUP_TARGET_RSS)}: ${start.ms <= STARTUP_TARGET_MS && start.rss <= STARTUP_TARGET_RSS ? 'met' : 'NOT met'}`;

/** Moves the SQLite store into a fresh PostgreSQL database and times two starts there. */
async function postgresStartup(sqliteUrl: string): Promise<void> {
  const database = await createBenchDatabase('akhbar_bench_scale');
  if (typeof database === 'string') {
    console.log(`  PostgreSQL start-up skipped: ${database}`);
    return;
  }
  try {
    const from = await openStorage(sqliteUrl);
    const to = await openStorage(database.url);
    const moveStarted = performance.now();
    const report = await importStorage(to, exportStorage(from));
    const moveMs = performance.now() - moveStarted;
    await from.close();
    await to.close();
    console.log(`  ${'export → import into PostgreSQL'.padEnd(34)}${s(moveMs).padEnd(14)}${'—'.padEnd(14)}${JSON.stringify(report)}`);
    const first = await startup(database.url);
    console.log(`  ${'PostgreSQL first start (builds)'.padEnd(34)}${s(first.ms).padEnd(14)}${'—'.padEnd(14)}RSS ${mb(first.rss)}; once after an import or upgrade`);
    const again = await startup(database.url);
    console.log(`  ${'PostgreSQL start-up (snapshot)'.padEnd(34)}${s(again.ms).padEnd(14)}${'—'.padEnd(14)}${startupVerdict(again)}`);
  } finally {
    await database.drop();
  }
}

async function startup(storeUrl: string): Promise<{ ms: number; rss: number; articles: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, storeUrl], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; rss: number; articles: number };
}

/** Runs the scale benchmark and prints one table per checkpoint. */
export async function runScaleBenchmark(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`scale benchmark skipped: no data at ${DATA} (it needs ../shared/data next to the repository).`);
    return;
  }
  const corpus: NewsRecord[] = [];
  for await (const record of readJsonl<NewsRecord>(DATA)) corpus.push(record);
  const queries = corpus.slice(0, QUERIES).map((r) => r.title ?? r.text.slice(0, 80));
  console.log(`scale benchmark: ${corpus.length} saudinewsnet articles, repeated to ${CHECKPOINTS.at(-1)!.toLocaleString('en')}`);

  const dir = mkdtempSync(join(tmpdir(), 'akhbar-scale-'));
  const storeUrl = `sqlite://${join(dir, 'akhbar.sqlite')}`;
  try {
    const baseHeap = heapAfterGc();
    const storage = await openStorage(storeUrl);
    const desk = await openNewsDesk({
      storage,
      // No subscribers here: a fan-out request per article would only be work for the start-up child.
      queueFanOut: false,
      engine: createExtractiveEngine(),
      logger: silentLogger,
      settings: { ...loadConfig({}), maxArticleChars: 1_000_000, answerCacheTtlSeconds: 0 },
    });
    let posted = 0;
    let ingestMs = 0;
    for (const checkpoint of CHECKPOINTS) {
      const started = performance.now();
      for (; posted < checkpoint; posted++) {
        try {
          await desk.postArticle(docAt(corpus, posted), { kind: 'operator' });
        } catch (error) {
          if (!isAkhbarError(error)) throw error;
        }
      }
      ingestMs += performance.now() - started;
      const ourHeap = heapAfterGc() - baseHeap;
      const ourTimes: number[] = [];
      for (const q of queries) {
        const t = performance.now();
        await desk.ask(q);
        ourTimes.push(performance.now() - t);
      }

      // The peer over the same texts, built from scratch at this size.
      const peerBase = heapAfterGc();
      const peerStarted = performance.now();
      const peer = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
      for (let i = 0; i < checkpoint; i++) {
        const doc = docAt(corpus, i);
        peer.add({ id: i, text: doc.title ? `${doc.title}\n\n${doc.text}` : doc.text });
      }
      const peerMs = performance.now() - peerStarted;
      const peerHeap = heapAfterGc() - peerBase;
      const peerTimes: number[] = [];
      for (const q of queries) {
        const t = performance.now();
        peer.search(q);
        peerTimes.push(performance.now() - t);
      }

      console.log(`\n${checkpoint.toLocaleString('en')} articles (${desk.articleCount.toLocaleString('en')} stored)`);
      console.log(`  ${'metric'.padEnd(34)}${'akhbar'.padEnd(14)}${'MiniSearch'.padEnd(14)}ratio`);
      console.log(`  ${'ingest (cumulative)'.padEnd(34)}${s(ingestMs).padEnd(14)}${s(peerMs).padEnd(14)}${ratio(ingestMs, peerMs)}`);
      console.log(`  ${'index memory (heap+external, GC)'.padEnd(34)}${mb(ourHeap).padEnd(14)}${mb(peerHeap).padEnd(14)}${ratio(ourHeap, peerHeap)}`);
      const ourP50 = percentile(ourTimes, 50);
      const peerP50 = percentile(peerTimes, 50);
      console.log(`  ${'query p50 (full answer vs search)'.padEnd(34)}${`${ourP50.toFixed(2)} ms`.padEnd(14)}${`${peerP50.toFixed(2)} ms`.padEnd(14)}${ratio(ourP50, peerP50)}`);
      if (STARTUP_AT.has(checkpoint)) {
        const start = await startup(storeUrl);
        console.log(`  ${'SQLite start-up (child process)'.padEnd(34)}${s(start.ms).padEnd(14)}${'—'.padEnd(14)}${startupVerdict(start)}`);
      }
      if (checkpoint === CHECKPOINTS.at(-1)) await postgresStartup(storeUrl);
    }
    await desk.close();
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
