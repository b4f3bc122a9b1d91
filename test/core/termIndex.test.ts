import { describe, expect, it } from 'vitest';
import { createTermIndex, restoreTermIndex } from '../../src/core/termIndex.js';
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

describe('removing an article from the index', () => {
  const docs = {
    solar: 'افتتح وزير الطاقة محطة للطاقة الشمسية في الواحات',
    water: 'محطة تحلية مياه البحر في رأس الريح تكلف 420 مليون دولار',
    rail: 'Rail workers call off the strike after a pay deal',
  };
  const build = () => {
    const index = createTermIndex();
    for (const [key, text] of Object.entries(docs)) index.add(key, terms(text));
    return index;
  };

  it('is never found again, and the others score as if it had never been added', () => {
    const index = build();
    expect(index.remove('solar', terms(docs.solar))).toBe(true);
    const fresh = createTermIndex();
    fresh.add('water', terms(docs.water));
    fresh.add('rail', terms(docs.rail));
    const query = terms('محطة الطاقة الشمسية');
    expect(index.search(query, 5)).toEqual(fresh.search(query, 5));
    expect(index.size).toBe(2);
    expect(index.has('solar')).toBe(false);
    expect(index.documentFrequency(terms('الشمسية')[0]!)).toBe(0);
  });

  it('comes out as cleanly when its terms are no longer known (its text already deleted)', () => {
    const index = build();
    const known = build();
    expect(index.remove('water')).toBe(true);
    known.remove('water', terms(docs.water));
    for (const query of ['محطة تحلية مياه البحر', 'محطة الطاقة الشمسية', 'rail strike']) {
      expect(index.search(terms(query), 5)).toEqual(known.search(terms(query), 5));
    }
    expect(index.documentFrequency(terms('محطة')[0]!)).toBe(1);
    expect(index.documentFrequency(terms('تحلية')[0]!)).toBe(0);
    expect([...index.snapshot()]).toEqual([...known.snapshot()]);
    expect(index.remove('water')).toBe(false);
  });

  it('finds each article among many when removing without its terms', () => {
    const index = createTermIndex();
    for (let i = 0; i < 300; i++) index.add(`d${i}`, [`common`, `t${i % 7}`, `u${i}`]);
    for (let i = 0; i < 300; i += 3) index.remove(`d${i}`);
    expect(index.size).toBe(200);
    expect(index.documentFrequency('common')).toBe(200);
    // Multiples of 7 below 300 (43) less those of 21 (15), which were removed.
    expect(index.documentFrequency('t0')).toBe(28);
    expect(index.search(['t0'], 300)).toHaveLength(28);
    expect(index.search(['u3'], 5)).toEqual([]);
    expect(index.search(['u4'], 5).map((h) => h.key)).toEqual(['d4']);
  });

  it('says so when the article was not in', () => {
    expect(build().remove('nowhere', terms('anything'))).toBe(false);
  });

  it('no longer offers its words as spellings of an unknown word', () => {
    const index = createTermIndex();
    index.add('ecowas', terms('منظمة الأيكوس تجتمع'));
    expect(index.similarTerms(terms('الايكواس')[0]!, 2)).not.toEqual([]);
    index.remove('ecowas', terms('منظمة الأيكوس تجتمع'));
    expect(index.similarTerms(terms('الايكواس')[0]!, 2)).toEqual([]);
  });
});

describe('a snapshot of the index', () => {
  const texts = [
    'افتتح وزير الطاقة محطة للطاقة الشمسية في الواحات',
    'محطة تحلية مياه البحر في رأس الريح تكلف 420 مليون دولار',
    'Rail workers call off the strike after a pay deal',
    'The city opened its flood barrier; the gates close in 25 minutes',
  ];
  const queries = ['محطة الطاقة', 'مياه البحر 420', 'strike pay', 'flood gates close', 'الايكواس'].map((q) => terms(q));

  it('restores an index that answers every search exactly as the original', () => {
    const index = createTermIndex();
    texts.forEach((text, i) => index.add(`a${i}`, terms(text)));
    const restored = restoreTermIndex(index.snapshot());
    expect(restored.size).toBe(index.size);
    for (const q of queries) expect(restored.search(q, 5)).toEqual(index.search(q, 5));
    expect(restored.weight(terms('محطة')[0]!)).toBe(index.weight(terms('محطة')[0]!));
  });

  it('leaves removed articles out, and the restored index still takes new ones', () => {
    const index = createTermIndex();
    texts.forEach((text, i) => index.add(`a${i}`, terms(text)));
    index.remove('a1', terms(texts[1]!));
    const restored = restoreTermIndex(index.snapshot());
    expect(restored.has('a1')).toBe(false);
    expect(restored.size).toBe(3);
    for (const q of queries) expect(restored.search(q, 5)).toEqual(index.search(q, 5));
    restored.add('a9', terms('محطة جديدة للطاقة'));
    expect(restored.search(terms('محطة جديدة'), 1)[0]!.key).toBe('a9');
  });

  it('refuses bytes that are not a snapshot', () => {
    expect(() => restoreTermIndex(new Uint8Array(64))).toThrow(/snapshot/);
  });
});
