/**
 * Hybrid retrieval with OPENAI_EMBEDDING_MODEL, against the fake server's /v1/embeddings through
 * the real client: each article's vector is made once and stored with it, questions are matched by
 * BM25 and by vector (fused by reciprocal rank), and a failing embeddings endpoint blocks neither a
 * post nor an answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/ports.js';
import { openStorage } from '../../../src/storage/index.js';
import { openTestDesk } from '../../support/desk.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startFakeOpenAI, type FakeOpenAI, type Reply } from '../../support/fakeOpenAI.js';
import { fakeEmbedder, fakeLlmEngine } from '../../support/llm.js';

let fake: FakeOpenAI | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await fake?.close();
  fake = undefined;
});

const FLOOD_TITLE = 'Marlow Bay opens its new flood barrier after six years of work';
const RAIL_TITLE = 'Rail workers in Northvale call off strike after pay deal';

async function hybridDesk(server: FakeOpenAI, storage: Storage, options: { timeout?: number; embeddings?: boolean } = {}) {
  const timeout = options.timeout ?? 2_000;
  const { desk } = await openTestDesk({
    storage,
    engine: fakeLlmEngine(server, { fallback: true, timeout }),
    ...(options.embeddings === false ? {} : { embeddings: { embedder: fakeEmbedder(server, { timeout }), minSimilarity: 0.8, retryMs: 0 } }),
  });
  return desk;
}

/** Embeddings requests that carried an article (its headline), not a question. */
const articleEmbeddings = (server: FakeOpenAI, title: string) => server.embeddingRequests.flatMap((request) => request.inputs).filter((input) => input.startsWith(title)).length;

const json = (value: unknown): Reply => ({ kind: 'json', content: JSON.stringify(value) });

describe('hybrid retrieval with an embedding model', () => {
  it('makes each article’s vector once: posting it again or reopening the desk makes none', async () => {
    fake = await startFakeOpenAI();
    const storage = await openStorage('memory://');
    const first = await hybridDesk(fake, storage);
    await first.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    await first.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    expect((await first.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' })).duplicate).toBe(true);
    await first.close();
    expect([articleEmbeddings(fake, FLOOD_TITLE), articleEmbeddings(fake, RAIL_TITLE)]).toEqual([1, 1]);
    expect((await storage.vectors.load('test-embedding')).size).toBe(2);

    const second = await hybridDesk(fake, storage);
    fake.fallback = () => json({ found: true, answer: 'In 25 minutes.', citations: ['P1'] });
    expect(await second.ask('How quickly can the gates be closed?')).toMatchObject({ found: true });
    await second.close();
    expect([articleEmbeddings(fake, FLOOD_TITLE), articleEmbeddings(fake, RAIL_TITLE)]).toEqual([1, 1]);
    // The question's own vector was asked for.
    expect(fake.embeddingRequests.at(-1)!.inputs).toEqual(['How quickly can the gates be closed?']);
  });

  it('finds an article that shares no word with the question but is near it in meaning, and the LLM answers citing it', async () => {
    fake = await startFakeOpenAI();
    // Scripted vectors by topic: the question's words are in no article, its topic is the barrier's.
    fake.embed = (text) => (/flood|barrier|seaside|shielded|defences/i.test(text) ? [1, 0, 0.1] : /rail|strike/i.test(text) ? [0, 1, 0.1] : [0, 0, 1]);
    fake.fallback = (request) => {
      const user = JSON.parse(String(request.body.messages[1].content)) as { passages: { id: string; title: string }[] };
      const cited = user.passages.filter((passage) => passage.title === FLOOD_TITLE).map((passage) => passage.id);
      return json({ found: true, answer: 'A new flood barrier shields the town.', citations: cited });
    };
    const question = 'Seaside defences shielded?';
    const storage = await openStorage('memory://');
    const plain = await hybridDesk(fake, storage, { embeddings: false });
    closers.push(() => plain.close());
    const floodId = (await plain.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' })).article.id;
    await plain.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    // By BM25 alone the question finds nothing to answer from.
    expect(await plain.ask(question)).toMatchObject({ found: false });
    expect(fake.requests).toHaveLength(0);

    const hybrid = await hybridDesk(fake, storage);
    closers.push(() => hybrid.close());
    await hybrid.ask('warm-up'); // the stored articles' vectors are made in the background
    await hybrid.close();
    const reopened = await hybridDesk(fake, storage);
    closers.push(() => reopened.close());
    const answer = await reopened.ask(question);
    expect(answer).toMatchObject({ found: true, engine: 'openai:test-model', text: 'A new flood barrier shields the town.' });
    expect(answer.citations.map((citation) => citation.articleId)).toEqual([floodId]);
  });

  it('posts and answers while the embeddings endpoint fails, and makes the missing vector once it is back', async () => {
    fake = await startFakeOpenAI();
    fake.fallback = () => json({ found: true, answer: 'In 25 minutes.', citations: ['P1'] });
    const storage = await openStorage('memory://');
    const desk = await hybridDesk(fake, storage, { timeout: 300 });
    fake.enqueueEmbeddings({ kind: 'status', status: 500 });
    const posted = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    expect(posted.duplicate).toBe(false);
    expect(await desk.ask('How quickly can the gates be closed?')).toMatchObject({ found: true, engine: 'openai:test-model' });
    await desk.close();
    // The endpoint is back: the article's vector is made and kept, once more after the failed try.
    expect((await storage.vectors.load('test-embedding')).has(posted.article.id)).toBe(true);
    expect(articleEmbeddings(fake, FLOOD_TITLE)).toBe(2);

    // The question's vector stalls past the deadline: BM25 alone answers.
    const reopened = await hybridDesk(fake, storage, { timeout: 300 });
    closers.push(() => reopened.close());
    fake.enqueueEmbeddings({ kind: 'stall' });
    expect(await reopened.ask('How fast do the gates close?')).toMatchObject({ found: true, engine: 'openai:test-model' });
    expect(fake.embeddingRequests.at(-1)!.inputs).toEqual(['How fast do the gates close?']);
  });

  it('takes the vector of an article another process posted from the database instead of making it again', async () => {
    fake = await startFakeOpenAI();
    fake.embed = (text) => (/flood|barrier|seaside|shielded|defences/i.test(text) ? [1, 0, 0.1] : [0, 1, 0.1]);
    fake.fallback = () => json({ found: true, answer: 'A new flood barrier shields the town.', citations: ['P1'] });
    const storage = await openStorage('memory://');
    const reader = await hybridDesk(fake, storage);
    closers.push(() => reader.close());
    const poster = await hybridDesk(fake, storage);
    const floodId = (await poster.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' })).article.id;
    await poster.close();
    expect(articleEmbeddings(fake, FLOOD_TITLE)).toBe(1);

    await reader.catchUp();
    const answer = await reader.ask('Seaside defences shielded?');
    expect(answer.citations.map((citation) => citation.articleId)).toEqual([floodId]);
    await reader.close();
    expect(articleEmbeddings(fake, FLOOD_TITLE)).toBe(1);
  });
});
