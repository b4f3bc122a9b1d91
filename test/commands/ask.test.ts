/**
 * /ask: an answer from the stored articles with its sources, in the question's language, or an
 * honest "not in the stored articles" in that language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../support/fixtures.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function withSamples() {
  const s = await commandServices();
  stops.push(() => s.stop());
  for (const name of ['en-flood-barrier.txt', 'ar-solar-plant.txt'] as const) await s.desk.postArticle({ text: sampleArticle(name) }, { kind: 'operator' });
  return s;
}

describe('/ask', () => {
  it('answers with the sentence that holds the answer and cites its article', async () => {
    const s = await withSamples();
    const view = await run(s, asker(), 'ask', 'How quickly can the gates be closed?');
    const block = view.blocks[0]!;
    expect(block).toMatchObject({ kind: 'answer', sourcesLabel: 'Sources', notes: [] });
    expect(shown(view)).toContain('25 minutes');
    expect(shown(view)).toMatch(/Sources: Marlow Bay opens its new flood barrier after six years of work \[[0-9a-f]{12}\]/);
    // The quote is the answer itself, so it is not shown twice.
    expect(block.kind === 'answer' && block.citations[0]!.quote).toBeUndefined();
    expect((await run(s, asker(), 'ask', 'how quickly can the gates be closed')).blocks[0]).toMatchObject({ notes: ['from cache'] });
  });

  it('answers an Arabic question in Arabic to an English reader', async () => {
    const s = await withSamples();
    const view = await run(s, asker({ language: 'en' }), 'ask', 'من هو مدير المشروع؟');
    expect(shown(view)).toContain('كريم بن صالح');
    expect(view.blocks[0]).toMatchObject({ sourcesLabel: 'المصادر' });
  });

  it('says an answer is not in the stored articles, in the language of the question', async () => {
    const s = await withSamples();
    expect(shown(await run(s, asker({ language: 'ar' }), 'ask', 'What is the population of Tokyo?'))).toBe('That is not in the stored articles.');
    expect(shown(await run(s, asker(), 'ask', 'ما هي عاصمة اليابان؟'))).toBe('لم أجد إجابة لهذا السؤال في المقالات المخزنة.');
    // A question with no language of its own is answered in the asker's.
    expect(shown(await run(s, asker({ language: 'ar' }), 'ask', '2026?'))).toBe('لم أجد إجابة لهذا السؤال في المقالات المخزنة.');
    expect(shown(await run(s, asker({ language: 'en' }), 'ask', '2026?'))).toBe('That is not in the stored articles.');
  });

  it('explains an empty question and one asked before any article, in the question’s language', async () => {
    const empty = await commandServices();
    stops.push(() => empty.stop());
    expect(shown(await run(empty, asker(), 'ask', 'من افتتح المحطة؟'))).toBe('لا توجد مقالات مخزنة بعد. يمكن للمشرف إضافة مقال بالأمر ‎/post‎.');
    const s = await withSamples();
    const view = await run(s, asker(), 'ask', '   ');
    expect(shown(view)).toBe('Ask a question after /ask, for example: /ask who met the president?');
    expect(view.outcome).toBe('refused');
  });
});
