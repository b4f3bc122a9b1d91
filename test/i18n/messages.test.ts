import { describe, expect, it } from 'vitest';
import { ar } from '../../src/i18n/ar.js';
import { en } from '../../src/i18n/en.js';
import { messages, uiLanguage, type Messages } from '../../src/i18n/messages.js';

describe('the message tables', () => {
  it('say everything in both languages', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const table of [ar, en]) {
      for (const [key, value] of Object.entries(table)) {
        if (typeof value === 'string') expect(value, key).not.toBe('');
      }
    }
  });

  it('cannot lose a key without failing the type check', () => {
    const { notInArticles: _dropped, ...incomplete } = en;
    // @ts-expect-error a table without `notInArticles` is not a Messages table
    const table: Messages = incomplete;
    expect('notInArticles' in table).toBe(false);
  });

  it('pick the language from a locale, and fall back for any other', () => {
    expect(uiLanguage('ar-EG', 'en')).toBe('ar');
    expect(uiLanguage('en-US', 'ar')).toBe('en');
    expect(uiLanguage('fr', 'ar')).toBe('ar');
    expect(uiLanguage(undefined, 'en')).toBe('en');
    expect(messages('ar').notInArticles).toBe(ar.notInArticles);
  });
});
