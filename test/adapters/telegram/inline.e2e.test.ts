/**
 * Inline mode through the real grammY bot against the fake Bot API: `@bot question` in any chat is
 * answered from the stored articles as one result citing them, in the question's language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/core/engine.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startFakeTelegram } from '../../support/fakeTelegram.js';
import { startTelegramBot } from '../../support/telegramBot.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot(options: { webhook?: boolean; engine?: Engine; inlineWaitMs?: number } = {}) {
  const fake = await startFakeTelegram();
  cleanup.push(() => fake.close());
  const bot = await startTelegramBot(
    fake,
    {
      ...(options.webhook ? { webhook: { url: 'https://bot.example/telegram', secret: 'inline-secret', port: 0 } } : {}),
      ...(options.inlineWaitMs !== undefined ? { inlineWaitMs: options.inlineWaitMs } : {}),
    },
    options.engine ? { engine: options.engine } : {},
  );
  cleanup.push(() => bot.stop());
  for (const name of ['en-flood-barrier.txt', 'ar-solar-plant.txt'] as const) await bot.desk.postArticle({ text: sampleArticle(name) }, { kind: 'operator' });
  return { fake };
}

type Result = { type: string; id: string; title: string; description?: string; input_message_content: { message_text: string; parse_mode?: string } };

describe('Telegram inline mode', () => {
  it('asks Telegram for inline queries, polling and by webhook', async () => {
    const polling = await startBot();
    await expect.poll(() => polling.fake.calls.some((c) => c.method === 'getUpdates')).toBe(true);
    // The fake, like Telegram, drops update types the last getUpdates did not list.
    const id = polling.fake.pushInlineQuery({ query: 'How quickly can the gates be closed?' });
    await polling.fake.waitForInlineAnswer(id);
    const hooked = await startBot({ webhook: true });
    const setWebhook = hooked.fake.calls.find((c) => c.method === 'setWebhook')!;
    expect(setWebhook.payload.allowed_updates).toContain('inline_query');
  });

  it('answers a question about a stored article with one result citing it', async () => {
    const { fake } = await startBot();
    const id = fake.pushInlineQuery({ query: '  How quickly can the gates be closed?  ' });
    const answer = await fake.waitForInlineAnswer(id);
    const results = answer.results as Result[];
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result!.type).toBe('article');
    expect(result!.title).toMatch(/25 minutes/);
    expect(result!.description).toBe('Marlow Bay opens its new flood barrier after six years of work');
    expect(result!.input_message_content.parse_mode).toBe('HTML');
    expect(result!.input_message_content.message_text).toMatch(/25 minutes[^]*<b>Sources:<\/b>\n• Marlow Bay opens its new flood barrier after six years of work <code>[0-9a-f]{12}<\/code>/);
    expect(answer.payload).toMatchObject({ cache_time: 60, is_personal: false });
  });

  it('answers only the last of the queries a reader types in a row when told to wait for typing to stop (the LLM engine’s setting)', async () => {
    const { fake } = await startBot({ inlineWaitMs: 300 });
    const typed = ['How quick', 'How quickly can the', 'How quickly can the gates be closed?'].map((query) => fake.pushInlineQuery({ query, fromId: 77 }));
    // Another reader typing at the same time is answered too.
    const other = fake.pushInlineQuery({ query: 'How quickly can the gates be closed?', fromId: 78 });
    await fake.waitForInlineAnswer(typed[2]!);
    await fake.waitForInlineAnswer(other);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.inlineAnswers.map((a) => a.inlineQueryId).sort()).toEqual([typed[2], other].sort());
  });

  it('answers every query at once when there is no wait (the embedded engine’s setting)', async () => {
    const { fake } = await startBot();
    const typed = ['How quick', 'How quickly can the gates be closed?'].map((query) => fake.pushInlineQuery({ query, fromId: 77 }));
    for (const id of typed) await fake.waitForInlineAnswer(id);
    expect(fake.inlineAnswers).toHaveLength(2);
  });

  it('says when the stored articles do not hold the answer', async () => {
    const { fake } = await startBot();
    const id = fake.pushInlineQuery({ query: 'What is the population of Tokyo?' });
    const results = (await fake.waitForInlineAnswer(id)).results as Result[];
    expect(results.map((r) => [r.title, r.input_message_content.message_text, r.description])).toEqual([
      ['That is not in the stored articles.', 'That is not in the stored articles.', undefined],
    ]);
  });

  it('answers an Arabic reader in Arabic', async () => {
    const { fake } = await startBot();
    const asked = fake.pushInlineQuery({ query: 'من هو مدير المشروع؟', languageCode: 'ar' });
    const answer = (await fake.waitForInlineAnswer(asked)).results[0] as Result;
    expect(answer.title).toContain('كريم بن صالح');
    expect(answer.input_message_content.message_text).toContain('<b>المصادر:</b>');
    // A question with no language of its own is answered in the reader's.
    const unknown = fake.pushInlineQuery({ query: '2026?', languageCode: 'ar' });
    expect(((await fake.waitForInlineAnswer(unknown)).results[0] as Result).title).toBe('لم أجد إجابة لهذا السؤال في المقالات المخزنة.');
  });

  it('offers a hint, not an answer, while nothing is typed', async () => {
    const { fake } = await startBot();
    const id = fake.pushInlineQuery({ query: '   ', languageCode: 'ar' });
    const answer = await fake.waitForInlineAnswer(id);
    expect(answer.results).toEqual([]);
    expect(answer.payload.button).toMatchObject({ text: 'اكتب سؤالاً عن الأخبار' });
  });

  it('apologises in a result when answering fails, and keeps answering', async () => {
    let broken = true;
    const engine: Engine = {
      name: 'flaky',
      version: '1',
      summarize: async ({ article }) => ({ sentences: [article.text.slice(0, 50)], language: article.language }),
      answer: async ({ passages }) => {
        if (broken) throw new Error('engine down');
        return { found: true, text: 'Within 25 minutes.', citations: [{ articleId: passages[0]!.articleId, title: passages[0]!.title, quote: 'q' }] };
      },
    };
    const { fake } = await startBot({ engine });
    const failed = fake.pushInlineQuery({ query: 'How quickly can the gates be closed?' });
    expect(((await fake.waitForInlineAnswer(failed)).results[0] as Result).title).toMatch(/^Something went wrong on our side/);
    broken = false;
    const next = fake.pushInlineQuery({ query: 'How many residents will the gates protect?' });
    expect(((await fake.waitForInlineAnswer(next)).results[0] as Result).title).toBe('Within 25 minutes.');
  });
});
