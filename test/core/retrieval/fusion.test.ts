import { describe, expect, it } from 'vitest';
import { fuseRanks, RRF_K } from '../../../src/core/retrieval/index.js';

describe('reciprocal rank fusion', () => {
  it('ranks an article near the top of both rankings above one first in a single ranking', () => {
    const fused = fuseRanks([
      ['bm25-only', 'both', 'other'],
      ['vector-only', 'both'],
    ]);
    const order = [...fused.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(order[0]).toBe('both');
    expect(fused.get('both')).toBeCloseTo(2 / (RRF_K + 2));
    expect(fused.get('bm25-only')).toBeCloseTo(1 / (RRF_K + 1));
    expect(fused.has('missing')).toBe(false);
  });
});
