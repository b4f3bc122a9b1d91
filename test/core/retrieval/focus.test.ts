import { describe, expect, it } from 'vitest';
import { countWords, focusSentence, type FocusQuery } from '../../../src/core/retrieval/focus.js';
import { analyzeQuestion } from '../../../src/core/retrieval/question.js';

/** The focus query of a question, every term weighing the same. */
function queryOf(question: string): FocusQuery {
  const analysis = analyzeQuestion(question);
  return {
    spellings: analysis.terms.map((term) => [term]),
    weights: analysis.terms.map(() => 1),
    kind: analysis.kind === 'other' || analysis.kind === 'yesno' ? undefined : analysis.kind,
    questionTokens: analysis.tokens,
    kindBonus: 0.3,
  };
}

const LONG_ARABIC =
  'وشهدت العاصمة خلال الأسبوع الماضي سلسلة من الاجتماعات بين الوفود الأفريقية والأوروبية حول ملفات الهجرة والطاقة والأمن الغذائي، ' +
  'وتناولت الاجتماعات أيضا مشاريع الربط الكهربائي بين ضفتي المتوسط وتمويل محطات جديدة في الجنوب، ' +
  'وبلغت تكلفة محطة الطاقة الشمسية في ورقلة 240 مليون دولار بحسب وزارة الطاقة، ' +
  'فيما ينتظر أن تبدأ المرحلة الثانية من المشروع مطلع العام المقبل بعد استكمال الدراسات الفنية والبيئية اللازمة لها.';

const LONG_ENGLISH =
  'The council met on Tuesday evening to discuss the budget for the coming year, the state of the roads in the north of the town, ' +
  'and the long delayed plan for a new library beside the station, which residents have asked for since 2015; ' +
  'the flood barrier on the river, the mayor said, will cost 14 million pounds and open in the spring, ' +
  'while the harbour works will wait until the government confirms its share of the money next year.';

describe('quoting the part of a long sentence that answers', () => {
  it('quotes a sentence that fits the budget whole', () => {
    const sentence = 'The flood barrier will cost 14 million pounds.';
    expect(focusSentence(sentence, queryOf('How much will the flood barrier cost?'), 40)).toBe(sentence);
  });

  it('cuts a long Arabic sentence to the clause that holds the amount asked for', () => {
    const quote = focusSentence(LONG_ARABIC, queryOf('كم كلفت محطة الطاقة الشمسية؟'), 20);
    expect(countWords(LONG_ARABIC)).toBeGreaterThan(40);
    expect(quote).toContain('240 مليون دولار');
    expect(countWords(quote)).toBeLessThanOrEqual(20);
    expect(quote.startsWith('…')).toBe(true);
  });

  it('cuts a long English sentence to the clause about the barrier, not the library', () => {
    const quote = focusSentence(LONG_ENGLISH, queryOf('How much will the flood barrier cost?'), 24);
    expect(quote).toContain('14 million pounds');
    expect(quote).not.toContain('library');
    expect(countWords(quote)).toBeLessThanOrEqual(24);
  });

  it('never makes up words: the quote, without its ellipses, is a run of the sentence', () => {
    const quote = focusSentence(LONG_ENGLISH, queryOf('When will the barrier open?'), 20);
    const run = quote.replace(/^… /u, '').replace(/ …$/u, '');
    expect(LONG_ENGLISH.replace(/\s+/gu, ' ')).toContain(run);
  });

  it('keeps the whole sentence when no part of it holds the question', () => {
    expect(focusSentence(LONG_ENGLISH, queryOf('Who won the football final?'), 20)).toBe(LONG_ENGLISH);
  });
});
