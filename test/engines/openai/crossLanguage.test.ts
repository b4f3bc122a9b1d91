/**
 * Questions in one language about articles in another, with the LLM engine against the fake
 * OpenAI server through the real client: the question is rewritten into the stored articles'
 * languages before retrieval, the answer is in the asker's language and cites the original
 * articles, and an endpoint that fails leaves the embedded path to answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewsDesk } from '../../../src/core/newsDesk.js';
import { openTestDesk } from '../../support/desk.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI, type Reply } from '../../support/fakeOpenAI.js';
import { fakeLlmEngine, recordingLogger } from '../../support/llm.js';

let fake: FakeOpenAI | undefined;
let desk: NewsDesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  await fake?.close();
  fake = undefined;
});

const json = (value: unknown): Reply => ({ kind: 'json', content: JSON.stringify(value) });
const isRewrite = (request: ChatRequest) => String(request.body.messages[0].content).startsWith('You are the search desk');
const userMessage = (request: ChatRequest) => JSON.parse(String(request.body.messages[1].content)) as { question: string; languages?: string[]; passages?: { id: string; text: string }[] };

/** Rewrites go to `rewrite`; an answer cites the passages holding `quote`. */
function scriptModel(server: FakeOpenAI, rewrite: (question: string) => string[], quote: string, answer: string): void {
  server.fallback = (request) => {
    const user = userMessage(request);
    if (isRewrite(request)) return json({ queries: rewrite(user.question) });
    const cited = (user.passages ?? []).filter((passage) => passage.text.includes(quote)).map((passage) => passage.id);
    return json(cited.length > 0 ? { found: true, answer, citations: cited } : { found: false, answer: '', citations: [] });
  };
}

async function deskWith(server: FakeOpenAI, articles: Parameters<typeof sampleArticle>[0][], options: { timeout?: number; logger?: ReturnType<typeof recordingLogger>['logger'] } = {}) {
  const opened = await openTestDesk({ engine: fakeLlmEngine(server, { fallback: true, ...options }) });
  const ids: string[] = [];
  for (const name of articles) ids.push((await opened.desk.postArticle({ text: sampleArticle(name) }, { kind: 'operator' })).article.id);
  desk = opened.desk;
  return { desk: opened.desk, ids };
}

describe('cross-language questions with the LLM engine', () => {
  it('rewrites an English question into Arabic, finds the Arabic article by it, and answers in English citing that article', async () => {
    fake = await startFakeOpenAI();
    const { desk, ids } = await deskWith(fake, ['ar-solar-plant.txt', 'en-rail-strike.txt']);
    scriptModel(fake, () => ['كم لوح شمسي تضم المحطة الجديدة؟'], '360 ألف لوح', 'The plant has more than 360,000 solar panels.');

    const answer = await desk.ask('How many solar panels does the new plant have?');

    expect(answer).toMatchObject({ found: true, language: 'en', engine: 'openai:test-model', text: 'The plant has more than 360,000 solar panels.' });
    expect(answer.citations.map((citation) => citation.articleId)).toEqual([ids[0]]);
    expect(answer.citations[0]!.title).toBe('افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة');
    expect(answer.citations[0]!.quote).toContain('360 ألف لوح');
    const [rewrite, answered] = fake.requests;
    expect(userMessage(rewrite!)).toEqual({ question: 'How many solar panels does the new plant have?', languages: ['Arabic'] });
    // The model is asked for English and given the original question with the Arabic passage.
    expect(answered!.body.messages[0].content).toContain('in English');
    expect(userMessage(answered!).question).toBe('How many solar panels does the new plant have?');
    expect(fake.requests).toHaveLength(2);
  });

  it('rewrites an Arabic question into English and answers in Arabic, citing the English article', async () => {
    fake = await startFakeOpenAI();
    const { desk, ids } = await deskWith(fake, ['ar-solar-plant.txt', 'en-rail-strike.txt']);
    scriptModel(fake, () => ['What raise does the pay deal give drivers this year?'], '6 percent', 'يحصل السائقون على زيادة بنسبة 6 في المئة هذا العام.');

    const answer = await desk.ask('ما الزيادة التي يمنحها الاتفاق للسائقين هذا العام؟');

    expect(answer).toMatchObject({ found: true, language: 'ar', text: 'يحصل السائقون على زيادة بنسبة 6 في المئة هذا العام.' });
    expect(answer.citations.map((citation) => citation.articleId)).toEqual([ids[1]]);
    expect(userMessage(fake.requests[0]!).languages).toEqual(['English']);
    expect(fake.requests[1]!.body.messages[0].content).toContain('in Arabic');
  });

  it('rewrites a question once, however often it is asked, and not at all when every article is in its language', async () => {
    fake = await startFakeOpenAI();
    const { desk } = await deskWith(fake, ['ar-solar-plant.txt', 'en-rail-strike.txt']);
    scriptModel(fake, () => ['كم لوح شمسي تضم المحطة الجديدة؟'], '360 ألف لوح', 'More than 360,000.');
    await desk.ask('How many solar panels does the new plant have?');
    await desk.ask('How many solar panels does the new plant have?');
    expect(fake.requests.filter(isRewrite)).toHaveLength(1);

    const english = await startFakeOpenAI();
    try {
      const only = await deskWith(english, ['en-rail-strike.txt']);
      scriptModel(english, () => ['unused'], '6 percent', 'A 6 percent raise.');
      expect(await only.desk.ask('What raise do drivers get this year?')).toMatchObject({ found: true });
      expect(english.requests.filter(isRewrite)).toHaveLength(0);
      await only.desk.close();
    } finally {
      await english.close();
    }
  });

  const failures: [string, Reply][] = [
    ['a 500', { kind: 'status', status: 500 }],
    ['a stall', { kind: 'stall' }],
  ];
  it.each(failures)('searches with the question as asked when the rewrite fails (%s), and the embedded engine answers when the answer fails too', async (_, failure) => {
    fake = await startFakeOpenAI();
    const { logger, lines } = recordingLogger();
    const { desk, ids } = await deskWith(fake, ['en-flood-barrier.txt', 'ar-solar-plant.txt'], { timeout: 300, logger });
    fake.enqueue(failure, failure);

    const answer = await desk.ask('How quickly can the gates be closed?');

    expect(answer).toMatchObject({ found: true, engine: 'embedded', language: 'en' });
    expect(answer.text).toContain('25 minutes');
    expect(answer.citations.map((citation) => citation.articleId)).toEqual([ids[0]]);
    expect(fake.requests.filter(isRewrite)).toHaveLength(1);
    expect(lines.find((line) => line.msg === 'llm request failed' && line.purpose === 'rewrite')).toMatchObject({ level: 'warn' });
  });
});
