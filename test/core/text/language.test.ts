import { describe, it, expect } from 'vitest';
import { detectLanguage } from '../../../src/core/text/language.js';

describe('detectLanguage', () => {
  it('recognises an Arabic news sentence', () => {
    expect(
      detectLanguage(
        'الجزائر – تواصل الجزائر والولايات المتحدة الأميركية مشاوراتهما حول التعاون الأمني والعسكري في المنطقة.',
      ),
    ).toBe('ar');
  });

  it('recognises an English news sentence', () => {
    expect(detectLanguage('The U.S. Africa Command said it would deepen security cooperation with Algeria.')).toBe('en');
  });

  it('answers an Arabic question that names an English term in Arabic', () => {
    expect(detectLanguage('ما هو Bitcoin؟')).toBe('ar');
  });

  it('keeps an English sentence English when it names an Algerian or quotes one Arabic word', () => {
    expect(detectLanguage('President Tebboune received the American delegation in Algiers')).toBe('en');
    expect(detectLanguage('Protesters chanted ارحل outside the presidential palace on Friday.')).toBe('en');
  });

  it('takes a short Latin query without function words for English', () => {
    expect(detectLanguage('Bitcoin price')).toBe('en');
    expect(detectLanguage('Tebboune')).toBe('en');
  });

  it('takes a long headline without function words for English', () => {
    expect(detectLanguage('Algeria Signs Major Gas Deal With Italy')).toBe('en');
    expect(detectLanguage('Algeria, Italy Sign Gas Deal Worth $4 Billion Monday')).toBe('en');
  });

  it('does not mistake French or German news for English', () => {
    expect(detectLanguage("Le président a annoncé une nouvelle loi sur l'énergie dans le pays")).toBe('other');
    expect(detectLanguage('Die Regierung hat heute ein neues Gesetz beschlossen und veröffentlicht')).toBe('other');
  });

  it('says other for empty text, bare numbers and other scripts', () => {
    expect(detectLanguage('')).toBe('other');
    expect(detectLanguage('2024 — 3.5% !!!')).toBe('other');
    expect(detectLanguage('Правительство объявило о новых мерах')).toBe('other');
  });
});
