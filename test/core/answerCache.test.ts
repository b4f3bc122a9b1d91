import { describe, expect, it } from 'vitest';
import { answerCacheKey, evidenceFingerprint } from '../../src/core/answerCache.js';
import type { Passage } from '../../src/core/engine.js';

function passage(articleId: string, indexes: number[]): Passage {
  return {
    id: 'P1',
    articleId,
    title: 't',
    language: 'en',
    score: 1,
    sentences: indexes.map((index) => ({ index, text: `sentence ${index}`, role: 'context' as const })),
  };
}

const base = { question: 'Who opened the barrier?', engineName: 'embedded', engineVersion: 'extractive-1', passages: [passage('a1', [2, 3])] };

describe('answerCacheKey', () => {
  it('is the same for the same question typed differently', () => {
    expect(answerCacheKey({ ...base, question: '  who opened the BARRIER ' })).toBe(answerCacheKey(base));
    expect(answerCacheKey({ ...base, question: 'مَن افتتحَ المحطة؟' })).toBe(answerCacheKey({ ...base, question: 'من افتتح المحطه' }));
  });

  it('differs when the question word differs, even though both are stop words', () => {
    expect(answerCacheKey({ ...base, question: 'When opened the barrier?' })).not.toBe(answerCacheKey(base));
  });

  it('differs when the evidence, the engine or its version differs', () => {
    const key = answerCacheKey(base);
    expect(answerCacheKey({ ...base, passages: [passage('a1', [2, 3]), passage('b7', [0])] })).not.toBe(key);
    expect(answerCacheKey({ ...base, passages: [passage('a1', [4])] })).not.toBe(key);
    expect(answerCacheKey({ ...base, engineVersion: 'extractive-2' })).not.toBe(key);
    expect(answerCacheKey({ ...base, engineName: 'openai:gpt-4o-mini' })).not.toBe(key);
  });

  it('differs when the answer is to be in another language', () => {
    expect(answerCacheKey({ ...base, language: 'ar' })).not.toBe(answerCacheKey({ ...base, language: 'en' }));
    expect(answerCacheKey({ ...base, language: 'en' })).toBe(answerCacheKey({ ...base, language: 'en' }));
  });

  it('differs when the evidence article was deleted and posted again', () => {
    const first = answerCacheKey({ ...base, postedAt: { a1: '2026-03-01T08:00:00.000Z' } });
    expect(answerCacheKey({ ...base, postedAt: { a1: '2026-03-01T08:00:00.000Z' } })).toBe(first);
    expect(answerCacheKey({ ...base, postedAt: { a1: '2026-03-02T09:00:00.000Z' } })).not.toBe(first);
  });
});

describe('evidenceFingerprint', () => {
  it('changes exactly when the evidence does: other sentences, another article, a new posting of one', () => {
    const fingerprint = evidenceFingerprint({ passages: [passage('a1', [2, 3])] });
    expect(evidenceFingerprint({ passages: [passage('a1', [2, 3])] })).toBe(fingerprint);
    expect(evidenceFingerprint({ passages: [passage('a1', [2, 3]), passage('b7', [0])] })).not.toBe(fingerprint);
    expect(evidenceFingerprint({ passages: [passage('a1', [4])] })).not.toBe(fingerprint);
    expect(evidenceFingerprint({ passages: [passage('a1', [2, 3])], postedAt: { a1: '2026-03-02T00:00:00.000Z' } })).not.toBe(fingerprint);
    // A refusal rests on no evidence, and two refusals on the same.
    expect(evidenceFingerprint({ passages: [] })).toBe(evidenceFingerprint({ passages: [] }));
  });
});
