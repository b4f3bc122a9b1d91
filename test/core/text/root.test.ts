import { describe, expect, it } from 'vitest';
import { arabicRoot, foldForMatching } from '../../../src/core/text/index.js';

const rootOf = (word: string) => arabicRoot(foldForMatching(word));

describe('Arabic roots', () => {
  it('brings the verb, the verbal noun and the noun of one root together', () => {
    for (const word of ['كلفت', 'تكلفة', 'كلفة', 'بتكلفة']) expect(rootOf(word)).toBe('كلف');
    for (const word of ['تفتح', 'تفتتح', 'افتتاح']) expect(rootOf(word)).toBe('فتح');
    for (const word of ['قرروا', 'قرار', 'المقرر']) expect(rootOf(word)).toBe('قرر');
    for (const word of ['مستخدم', 'استخدام']) expect(rootOf(word)).toBe('خدم');
  });

  it('keeps words of different roots apart', () => {
    expect(rootOf('تكلفة')).not.toBe(rootOf('تفتتح'));
    expect(rootOf('مكتب')).not.toBe(rootOf('ملعب'));
  });

  it('leaves words in other scripts and digits as they are', () => {
    expect(arabicRoot('bridge')).toBe('bridge');
    expect(arabicRoot('2026')).toBe('2026');
  });
});
