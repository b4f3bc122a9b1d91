/**
 * Answers cite a story, not one outlet's copy: a question about a story two outlets reported is
 * answered once, from one of the reports, citing the other with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { viewHtml } from '../../../src/adapters/telegram/render.js';
import { answerView } from '../../../src/commands/views.js';
import type { AnswerRequest, Engine } from '../../../src/core/engine.js';
import type { NewsDesk } from '../../../src/core/newsDesk.js';
import type { Actor } from '../../../src/core/types.js';
import { createExtractiveEngine } from '../../../src/engines/extractive/index.js';
import { messages } from '../../../src/i18n/messages.js';
import { openTestDesk } from '../../support/desk.js';
import { sampleArticle } from '../../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const seed = sampleArticle('ar-solar-plant.txt');
const QUESTION = 'كم تبلغ قدرة محطة الطاقة الشمسية في الواحات الجديدة؟';

const closes: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closes.splice(0)) await close();
});

/** A desk whose engine records the evidence it is handed. */
async function desk(storyWindowHours?: number): Promise<{ desk: NewsDesk; evidence: AnswerRequest['passages'][] }> {
  const evidence: AnswerRequest['passages'][] = [];
  const extractive = createExtractiveEngine();
  const engine: Engine = {
    ...extractive,
    answer: (request) => {
      evidence.push(request.passages);
      return extractive.answer(request);
    },
  };
  const opened = await openTestDesk({ engine, ...(storyWindowHours === undefined ? {} : { settings: { storyWindowHours } }) });
  closes.push(async () => {
    await opened.desk.close();
    await opened.storage.close();
  });
  return { desk: opened.desk, evidence };
}

/** The solar plant story from two outlets (the second reflowed onto one line), and another story. */
async function twoOutlets(d: NewsDesk) {
  const first = (await d.postArticle({ text: seed, url: 'https://www.desert-news.example/solar' }, operator)).article;
  const second = (await d.postArticle({ text: seed.replace(/\s*\n\s*/gu, ' '), url: 'https://oasis-times.example/2026/solar-plant' }, operator)).article;
  await d.postArticle({ text: sampleArticle('ar-book-fair.txt') }, operator);
  const outlet = new Map([
    [first.id, 'desert-news.example'],
    [second.id, 'oasis-times.example'],
  ]);
  return { first, second, outlet };
}

describe('answers about a story several outlets reported', () => {
  it('answer once from one report, citing the other report with it, and never hand both to the engine as evidence', async () => {
    const { desk: d, evidence } = await desk();
    const { first, second, outlet } = await twoOutlets(d);
    expect(second.storyId).toBe(first.id);

    const answer = await d.ask(QUESTION, operator);
    expect(answer.found).toBe(true);
    expect(answer.text).toContain('200 ميغاواط');
    expect(answer.citations).toHaveLength(1);
    const [citation] = answer.citations;
    const other = citation!.articleId === first.id ? second : first;
    expect(citation!.alsoIn).toEqual([{ articleId: other.id, title: other.title, url: other.url, outlet: outlet.get(other.id) }]);
    const handed = evidence[0]!.map((passage) => passage.articleId);
    expect(handed.filter((id) => id === first.id || id === second.id)).toHaveLength(1);

    // The sources line names both outlets, each linked to its report.
    const html = viewHtml(answerView(answer, messages('en')));
    expect(html).toContain(`<a href="${citation!.url!}">`);
    expect(html).toContain(`also: <a href="${other.url!}">${outlet.get(other.id)!}</a>`);
  });

  it('cites the other report on a cached answer too, and one that joined after the answer was cached', async () => {
    const { desk: d } = await desk();
    const { outlet } = await twoOutlets(d);
    const cited = (await d.ask(QUESTION, operator)).citations[0]!;
    expect(cited.alsoIn).toHaveLength(1);
    await d.postArticle({ text: `${seed}\n\nتحديث.`, url: 'https://gulf-wire.example/solar' }, operator);
    const again = await d.ask(QUESTION, operator);
    expect(again.cached).toBe(true);
    expect(again.citations[0]!.articleId).toBe(cited.articleId);
    const others = ['desert-news.example', 'gulf-wire.example', 'oasis-times.example'].filter((name) => name !== outlet.get(cited.articleId));
    expect(again.citations[0]!.alsoIn?.map((source) => source.outlet).sort()).toEqual(others);
  });

  it('hands both versions to the engine as competing evidence when stories are off (the contrast)', async () => {
    const { desk: d, evidence } = await desk(0);
    const { first, second } = await twoOutlets(d);
    const answer = await d.ask(QUESTION, operator);
    expect(answer.citations.every((citation) => citation.alsoIn === undefined)).toBe(true);
    expect(evidence[0]!.map((passage) => passage.articleId)).toEqual(expect.arrayContaining([first.id, second.id]));
  });
});

