/**
 * `npm run bench -- follows`: what a new article costs when 10,000 follows are stored. The follows
 * are the questions of xquad-en, xquad-ar and arcd-train (3,073), cycled over 10,000 chats; the
 * store (SQLite, a temporary file) holds the xquad-en paragraphs of the first half of its titles
 * (by a hash of the title) when they are followed. Then POSTS paragraphs of the other half are
 * posted one by one, and each goes through what delivery's fan-out does for follows: the term
 * prefilter (the follows sharing a term with the article, by the follow_terms index), asking those
 * again, and keeping the updates that cite the new article.
 *
 * The peer, measured in the same run: asking every follow again for one post (no prefilter), timed
 * on a sample of SAMPLE follows and scaled to all of them (asking all 10,000 per post takes long
 * enough that the sample says the same). Printed: follows asked per post, ms per post, the ratio,
 * and the updates found. Repeated questions in other chats are answered from the answer cache,
 * as they would be in the bot.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createFollows } from '../src/core/follows.js';
import { silentLogger } from '../src/core/logger.js';
import { openNewsDesk } from '../src/core/newsDesk.js';
import { articleTerms } from '../src/core/retrieval/index.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';
import { openStorage } from '../src/storage/index.js';
import { DATA, operator, readAll, type QaRecord } from './support.js';

const FOLLOWS = 10_000;
const POSTS = 30;
const SAMPLE = 1_000;

const half = (title: string) => createHash('sha256').update(title).digest()[0]! % 2;

/** Runs the benchmark and prints its figures. */
export async function runFollowsBenchmark(): Promise<void> {
  const en = await readAll<QaRecord>(join(DATA, 'xquad-en/xquad.en.jsonl'));
  const questions = [...en, ...(await readAll<QaRecord>(join(DATA, 'xquad-ar/xquad.ar.jsonl'))), ...(await readAll<QaRecord>(join(DATA, 'arcd-train/arcd.train.jsonl')))].map((r) => r.question);
  const paragraphs = [...new Map(en.map((r) => [r.context, r])).values()];
  const stored = paragraphs.filter((r) => half(r.title ?? '') === 0);
  const later = paragraphs.filter((r) => half(r.title ?? '') === 1).slice(0, POSTS);

  const dir = mkdtempSync(join(tmpdir(), 'akhbar-bench-follows-'));
  const storage = await openStorage(`sqlite://${join(dir, 'akhbar.db')}`);
  try {
    const desk = await openNewsDesk({
      storage,
      changePollMs: 0,
      snapshotEvery: 0,
      queueFanOut: false,
      engine: createExtractiveEngine(),
      logger: silentLogger,
      settings: { ...loadConfig({}), maxArticleChars: 1_000_000 },
    });
    const post = (r: QaRecord) => desk.postArticle({ text: `${(r.title ?? '').replace(/_/g, ' ')}\n\n${r.context}` }, operator);
    for (const r of stored) await post(r);
    const follows = createFollows({ repo: storage.follows, desk, logger: silentLogger, maxPerChat: 1 });
    const reader = { kind: 'user', platform: 'telegram', userId: 'bench', language: 'en' } as const;
    let followed = 0;
    for (let i = 0; i < FOLLOWS; i++) {
      const result = await follows.follow({ platform: 'telegram', chatId: String(i), kind: 'private' }, questions[i % questions.length]!, reader).catch(() => undefined);
      if (result?.outcome === 'added') followed++;
    }

    let candidates = 0;
    let updates = 0;
    const started = performance.now();
    for (const r of later) {
      const { article } = await post(r);
      candidates += (await storage.follows.matching([...new Set(articleTerms(article))])).length;
      const found = await follows.updatesFor(article);
      updates += found.length;
      await follows.recorded(found);
    }
    // The candidates were counted inside the timed loop too; that query is part of the prefilter's cost either way.
    const prefilteredMs = (performance.now() - started) / later.length;

    const sample = questions.slice(0, SAMPLE);
    const naiveStarted = performance.now();
    for (const question of sample) await desk.ask(question, reader).catch(() => undefined);
    const naiveMs = ((performance.now() - naiveStarted) / sample.length) * followed;

    console.log(`follows stored: ${followed} (of ${FOLLOWS} tried; questions of xquad-en, xquad-ar and arcd-train)`);
    console.log(`articles stored first: ${stored.length}; posted after: ${later.length}`);
    console.log(`prefilter: ${(candidates / later.length).toFixed(0)} follows asked again per post, ${prefilteredMs.toFixed(0)} ms per post`);
    console.log(`peer, every follow asked again: ${followed} per post, ${naiveMs.toFixed(0)} ms per post (timed on ${sample.length}, scaled)`);
    console.log(`ratio: the prefilter takes ${(prefilteredMs / naiveMs).toFixed(3)} of the time of asking every follow`);
    console.log(`updates found (answer changed and cites the new article): ${updates} over ${later.length} posts`);
    await desk.close();
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
