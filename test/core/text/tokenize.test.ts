import { describe, it, expect } from 'vitest';
import { terms, termSet, tokenize } from '../../../src/core/text/tokenize.js';
import { REPORTING_CLASS } from '../../../src/core/text/wordClasses.js';
import { isStopWord, ARABIC_STOP_WORDS, ENGLISH_STOP_WORDS } from '../../../src/core/text/stopwords.js';

const SECOND =
  'وفي بيان أصدرته السفارة الأميركية في الجزائر، ذكر قائد القيادة العسكرية الأميركية في أفريقيا الجنرال ستيفن تاونسند، بأنه “لدينا الكثير لنتعلمه ونتشاركه مع بعضنا البعض، وإن تعزيز هذه العلاقة مهمّ جدا بالنسبة لنا”، في إشارة إلى خبرة الجيش الجزائري في الحرب على الإرهاب.';

function expectSubset(question: string, answer: string): void {
  const q = termSet(question);
  const a = termSet(answer);
  expect(q.size).toBeGreaterThan(0);
  expect([...q].filter((t) => !a.has(t))).toEqual([]);
}

describe('tokenize', () => {
  it('folds and splits Arabic and Latin words of one text', () => {
    expect(tokenize('مُهِمّ: Bitcoin في الأمـــن')).toEqual(['مهم', 'bitcoin', 'في', 'الامن']);
  });

  it("drops the possessive 's and other single letters but keeps numbers", () => {
    expect(tokenize("Algeria's army spent 5 billion in 2015")).toEqual(['algeria', 'army', 'spent', '5', 'billion', 'in', '2015']);
  });

  it('keeps U.S. and U.N. as words instead of losing them as single letters', () => {
    expect(tokenize('The U.S. and the U.N. agreed')).toEqual(['the', 'us', 'and', 'the', 'un', 'agreed']);
  });

  it('reads Arabic-Indic digits as the same number', () => {
    expect(tokenize('عام ٢٠١٥')).toEqual(tokenize('عام 2015'));
  });
});

describe('stop words', () => {
  it('are stored folded, so hamza and alef maqsura spellings match', () => {
    expect(isStopWord('الي')).toBe(true); // إلى
    expect(isStopWord('انه')).toBe(true); // أنه
    expect(isStopWord('الذي')).toBe(true);
    expect(ARABIC_STOP_WORDS.has('إلى')).toBe(false);
  });

  it('leave content verbs such as "said" in, because users ask who said what', () => {
    expect(isStopWord('قال')).toBe(false);
    expect(isStopWord('وقال')).toBe(false);
    expect(isStopWord('said')).toBe(false);
  });

  it('are solid lists', () => {
    expect(ARABIC_STOP_WORDS.size).toBeGreaterThan(250);
    expect(ENGLISH_STOP_WORDS.size).toBeGreaterThan(170);
  });
});

describe('terms', () => {
  it('removes Arabic stop words and question words', () => {
    expect(terms('من هو الجنرال؟ ماذا قال؟ متى وأين ولماذا وكيف؟')).toEqual(['جنرال', REPORTING_CLASS]);
  });

  it('removes dialect question words as well', () => {
    expect(terms('وين سافر الوزير؟ شحال كلفت؟ امتى؟ شكون؟ ليش؟ ايش صار؟')).toEqual(['سافر', 'زير', 'كلفت']);
  });

  it('makes every reporting verb one term, so "what did he say" meets "صرّح", "أوضح" and "told"', () => {
    const said = terms('قال ذكرت صرّح وأوضح أكدت يضيف أعلن');
    expect(new Set(said)).toEqual(new Set([REPORTING_CLASS]));
    expect(new Set(terms('said told announced stated added'))).toEqual(new Set([REPORTING_CLASS]));
  });

  it('removes English stop words and question words', () => {
    expect(terms('Who is the general? What did he say, and when, where, why and how?')).toEqual(['gener', REPORTING_CLASS]);
  });

  it('keeps order and duplicates so callers can count term frequency', () => {
    expect(terms('الجزائر والجزائر بالجزائر')).toEqual(['جزاير', 'جزاير', 'جزاير']);
  });

  it('ignores spelling variants: tashkeel, tatweel, hamza', () => {
    expect(terms('العلاقة مُهِمّة مع إيران والأمـــن')).toEqual(terms('العلاقه مهمه مع ايران والامن'));
  });

  it('finds the sentence that answers an Arabic question', () => {
    expectSubset('من هو قائد القيادة العسكرية الأميركية في أفريقيا؟', SECOND);
  });

  it('matches an Arabic question to an answer written with other inflections', () => {
    expectSubset('ما هي العلاقات بين الجيش الجزائري والقيادة العسكرية الأميركية؟', SECOND);
  });

  it('finds the sentence that answers an English question', () => {
    expectSubset(
      'How many people were killed in the attacks on the U.S. embassy?',
      'Five people were killed on Monday when gunmen attacked the U.S. Embassy in Tripoli, officials said.',
    );
  });

  it('reads a word with an invisible joiner, tatweel or presentation forms inside as the plain word', () => {
    expect(terms('الحكو\u200cمة')).toEqual(terms('الحكومة'));
    expect(terms('الحكـــومة')).toEqual(terms('الحكومة'));
    expect(terms('\ufefbعب')).toEqual(terms('لاعب'));
  });

  it('gives the same terms as tokenizing the whole folded text at once', () => {
    const text = `${SECOND} The U.S. Embassy (في طرابلس) said 5 people—Dr. Smith & co.—were hurt; e.g. ٢٠١٥ visitors.`;
    const reference = tokenize(text)
      .filter((token) => !isStopWord(token))
      .map((token) => terms(token)[0] ?? '')
      .filter((term) => term !== '');
    expect(terms(text)).toEqual(reference);
  });
});
