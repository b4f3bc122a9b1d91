/**
 * /why: the evidence behind the last answer in this chat: the sentences quoted and their articles,
 * how sure retrieval was, and for a refusal what was missing.
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
  const ids: string[] = [];
  for (const name of ['en-flood-barrier.txt', 'ar-solar-plant.txt'] as const) ids.push((await s.desk.postArticle({ text: sampleArticle(name) }, { kind: 'operator' })).article.id);
  return { s, flood: ids[0]!, solar: ids[1]! };
}

describe('/why', () => {
  it('shows the sentence an answer quotes, the article it came from and how sure retrieval was', async () => {
    const { s, flood } = await withSamples();
    await run(s, asker(), 'ask', 'How quickly can the gates be closed?');
    const view = await run(s, asker(), 'why');
    const text = shown(view);
    expect(text).toContain('Question: "How quickly can the gates be closed?"');
    expect(text).toContain('The answer quotes:');
    expect(text).toMatch(new RegExp(`${flood} «[^»]*25 minutes[^»]*» — Marlow Bay opens its new flood barrier`));
    expect(text).toMatch(/Confidence that the best passage holds the answer: \d+% \(answered from 31% up\)\./);
    expect(text).toMatch(new RegExp(`${flood} Marlow Bay opens its new flood barrier after six years of work \\[${flood}\\], match score [\\d.]+`));
  });

  it('names the question’s words no stored article mentions when it declined', async () => {
    const { s } = await withSamples();
    await run(s, asker(), 'ask', 'What is the population of Tokyo?');
    const text = shown(await run(s, asker(), 'why'));
    expect(text).toContain('No stored article mentions "Tokyo".');
    expect(text).not.toContain('The answer quotes:');
  });

  it('says why the best candidate was not enough, and shows it, when an article shares a word of the question', async () => {
    const { s, flood } = await withSamples();
    const view = await run(s, asker(), 'ask', 'Who is the mayor of Tokyo?');
    expect(shown(view)).toBe('That is not in the stored articles.');
    const text = shown(await run(s, asker(), 'why'));
    expect(text).toContain('No stored article mentions "Tokyo".');
    expect(text).toContain('The best article shares only one word with the question, which is not evidence of an answer.');
    expect(text).toContain('The passages found, best first:');
    expect(text).toContain(`${flood} Marlow Bay opens its new flood barrier`);
  });

  it('explains in the reader’s language, and only the answer given in this chat', async () => {
    const { s } = await withSamples();
    await run(s, asker({ chatId: '1' }), 'ask', 'What is the population of Tokyo?');
    expect(shown(await run(s, asker({ chatId: '1', language: 'ar' }), 'why'))).toContain('لا يذكر أي مقال محفوظ «Tokyo».');
    expect(shown(await run(s, asker({ chatId: '2' }), 'why'))).toBe('No question has been answered in this chat yet (since the bot last started).');
  });
});
