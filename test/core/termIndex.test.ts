import { describe, expect, it } from 'vitest';
import { createTermIndex } from '../../src/core/termIndex.js';
import { terms } from '../../src/core/text/index.js';

describe('BM25 term index', () => {
  const index = createTermIndex();
  index.add('solar', terms('افتتح وزير الطاقة محطة للطاقة الشمسية في الواحات'));
  index.add('books', terms('معرض الكتاب الدولي يستقبل نصف مليون زائر واليابان ضيفة شرف'));
  index.add('rail', terms('Rail workers call off the strike after a pay deal'));
  index.add('barrier', terms('The city opened its flood barrier; the gates close in 25 minutes'));

  it('ranks the article that contains the question’s words first, and says which words it contains', () => {
    const query = terms('من افتتح محطة الطاقة الشمسية؟');
    const [best] = index.search(query, 3);
    expect(best!.key).toBe('solar');
    expect(best!.matchedMask).toBe((1 << query.length) - 1);
  });

  it('finds English and Arabic articles side by side', () => {
    expect(index.search(terms('When do the flood gates close?'), 1)[0]!.key).toBe('barrier');
    expect(index.search(terms('Why did the rail strike end?'), 1)[0]!.key).toBe('rail');
  });

  it('returns nothing for words no article contains', () => {
    expect(index.search(terms('football world cup'), 5)).toEqual([]);
  });

  it('weighs a word no article contains above any word that one does', () => {
    expect(index.weight('xylophon')).toBeGreaterThan(index.weight(terms('الشمسية')[0]!));
  });

  it('adds an article once however often it is added', () => {
    index.add('rail', terms('Rail workers call off the strike after a pay deal'));
    expect(index.size).toBe(4);
    expect(index.documentFrequency(terms('strike')[0]!)).toBe(1);
  });
});

describe('spelling variants in the index', () => {
  const index = createTermIndex();
  index.add('ecowas', terms('انزعاج الجزائر من تعاظم دور منظمة الأيكوس في مالي'));
  index.add('us', terms('قائد القيادة العسكرية الأميركية في أفريقيا'));

  it('offers the indexed spelling one letter away from a word no article contains', () => {
    expect(index.similarTerms(terms('الايكواس')[0]!, 2)).toEqual(terms('الأيكوس'));
    expect(index.similarTerms(terms('الأمريكية')[0]!, 2)).toEqual(terms('الأميركية'));
  });

  it('guesses nothing for short words, known words, or words that differ in their first letter', () => {
    expect(index.similarTerms(terms('مالي')[0]!, 2)).toEqual([]);
    expect(index.similarTerms(terms('الأيكوس')[0]!, 2)).toEqual([]);
    expect(index.similarTerms('زيكوس', 2)).toEqual([]);
  });
});
