import { describe, it, expect } from 'vitest';
import { foldArabic } from '../../../src/core/text/normalize.js';
import { stemArabic, stemEnglish, stemToken } from '../../../src/core/text/stem.js';

const stemOf = (word: string): string => stemArabic(foldArabic(word));

function expectSameStem(words: string[]): void {
  const stems = words.map(stemOf);
  expect(new Set(stems).size, `${words.join(' / ')} → ${stems.join(' / ')}`).toBe(1);
}

describe('stemArabic', () => {
  it('gives Algeria one stem with any article, preposition or conjunction, and its adjective the same', () => {
    // Chosen on purpose: the nisba adjective (الجزائرية، الجزائري، الجزائريين) shares the country's stem,
    // so a question about "الجيش الجزائري" finds an article about "الجزائر".
    expectSameStem(['الجزائر', 'والجزائر', 'بالجزائر', 'للجزائر', 'وللجزائر', 'الجزائرية', 'الجزائري', 'الجزائريين']);
  });

  it('gives the army one stem', () => {
    expectSameStem(['الجيش', 'والجيش', 'للجيش', 'جيش']);
  });

  it('joins singular and sound plurals of an official', () => {
    expectSameStem(['مسؤول', 'مسؤولين', 'المسؤولين', 'مسؤولون']);
  });

  it('joins adjectives with and without the article once folded', () => {
    expectSameStem(['الأمريكية', 'أمريكية', 'الأمريكي']);
    expectSameStem(['الأميركية', 'أميركية', 'الأميركي']);
  });

  it('joins the states, a state and a relation with its plurals', () => {
    expectSameStem(['الولايات', 'ولايات', 'ولاية']);
    expectSameStem(['علاقة', 'علاقات', 'العلاقات', 'العلاقة']);
  });

  it('may overstem a word that starts with waw, but every form of it agrees', () => {
    expectSameStem(['وزير', 'الوزير', 'والوزير', 'للوزير']);
  });

  it('leaves short words alone', () => {
    expect(stemArabic('جيش')).toBe('جيش');
    expect(stemArabic('دين')).toBe('دين');
    expect(stemArabic('علي')).toBe('علي');
  });
});

describe('stemEnglish', () => {
  it('joins inflections with the Porter stemmer', () => {
    expect(stemEnglish('attacks')).toBe(stemEnglish('attack'));
    expect(stemEnglish('killed')).toBe(stemEnglish('kill'));
    expect(stemEnglish('commander')).toBe(stemEnglish('commanders'));
  });

  it('leaves numbers, codes and very short tokens unchanged', () => {
    expect(stemEnglish('2015')).toBe('2015');
    expect(stemEnglish('covid19s')).toBe('covid19s');
    expect(stemEnglish('us')).toBe('us');
  });
});

describe('stemToken', () => {
  it('picks the stemmer by script', () => {
    expect(stemToken('والجيش')).toBe('جيش');
    expect(stemToken('officials')).toBe(stemEnglish('officials'));
    expect(stemToken('правительство')).toBe('правительство');
    expect(stemToken('2015')).toBe('2015');
  });
});
