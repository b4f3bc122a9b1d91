import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerView } from '../../src/commands/views.js';
import type { Actor } from '../../src/core/types.js';
import { messages } from '../../src/i18n/messages.js';
import { openTestDesk } from '../support/desk.js';
import { sampleArticle } from '../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const africom = readFileSync(new URL('../fixtures/crosslang/ar-africom.txt', import.meta.url), 'utf8');

/** A desk holding the Arabic AFRICOM story and the repo's sample articles in both languages. */
async function deskWithBothLanguages() {
  const { desk } = await openTestDesk();
  const { article } = await desk.postArticle({ text: africom }, operator);
  for (const name of ['ar-solar-plant.txt', 'ar-book-fair.txt', 'en-flood-barrier.txt', 'en-rail-strike.txt'] as const) {
    await desk.postArticle({ text: sampleArticle(name) }, operator);
  }
  return { desk, africomId: article.id };
}

/** The lines a reader sees under an answer (notes such as "quoted from …"). */
function notesOf(view: ReturnType<typeof answerView>): readonly string[] {
  const block = view.blocks[0];
  return block?.kind === 'answer' ? block.notes : [];
}

describe('asking in the other language', () => {
  it('answers an English question from the Arabic article that names the person and the place, and says the quote is Arabic', async () => {
    const { desk, africomId } = await deskWithBothLanguages();
    const answer = await desk.ask('Who did the AFRICOM commander Townsend meet in Algeria?', operator);
    expect(answer.found).toBe(true);
    expect(answer.citations[0]?.articleId).toBe(africomId);
    expect(answer.text).toContain('شنقريحة');
    expect(notesOf(answerView(answer, messages('en')))).toContain('quoted from an Arabic article');
  });

  it('reads Arabic-Indic digits and the Levantine month name as the English date', async () => {
    const { desk, africomId } = await deskWithBothLanguages();
    const answer = await desk.ask('Which general visited Algeria on 23 September 2020?', operator);
    expect(answer.found).toBe(true);
    expect(answer.citations[0]?.articleId).toBe(africomId);
  });

  it('says nothing about the language when the article is in the question’s own', async () => {
    const { desk } = await deskWithBothLanguages();
    const answer = await desk.ask('من التقى قائد أفريكوم في الجزائر؟', operator);
    expect(answer.found).toBe(true);
    expect(notesOf(answerView(answer, messages('ar')))).toEqual([]);
  });

  it('declines an English question that shares only a year with the Arabic article, and /why says no name was shared', async () => {
    const { desk } = await deskWithBothLanguages();
    const answer = await desk.ask('What welding process was demonstrated in 2020?', operator);
    expect(answer.found).toBe(false);
    expect(answer.evidence?.declined).toBe('no-shared-name');
  });

  it('does not tell the reader in /why that a name the Arabic article holds in Arabic script is missing', async () => {
    const { desk } = await deskWithBothLanguages();
    const answer = await desk.ask('Who did Townsend meet in Zanzibar?', operator);
    expect(answer.evidence?.unknownWords).toEqual(['meet', 'Zanzibar']);
  });

  it('still declines an English question about something no article covers', async () => {
    const { desk } = await deskWithBothLanguages();
    const answer = await desk.ask('Who won the football World Cup final in Qatar?', operator);
    expect(answer.found).toBe(false);
  });
});

describe('the note under an answer quoted across languages', () => {
  it('is worded in the reader’s language', () => {
    const answer = {
      found: true,
      text: 'quoted',
      language: 'ar' as const,
      citations: [{ articleId: 'a1', title: 'Flood barrier', quote: 'quoted', language: 'en' as const }],
      cached: false,
      engine: 'embedded',
    };
    expect(notesOf(answerView(answer, messages('ar')))).toEqual(['مقتبس من مقال بالإنجليزية']);
  });
});
