import { describe, expect, it } from 'vitest';
import { createAnswerFieldReader } from '../../../src/engines/openai/answerField.js';

describe('reading the answer out of a streaming JSON reply', () => {
  it('shows the answer as it grows, decoding escapes split across chunks, and stops at its end', () => {
    const read = createAnswerFieldReader();
    const chunks = ['{"found": tr', 'ue, "ans', 'wer": "Qudra', 'tuha \\', '"200\\', 'u0020MW\\" ', 'today.", "citations": ["P1"]}'];
    const seen = chunks.map((chunk) => read(chunk));
    expect(seen[0]).toBe('');
    expect(seen[2]).toBe('Qudra');
    expect(seen[3]).toBe('Qudratuha ');
    expect(seen[seen.length - 1]).toBe('Qudratuha "200 MW" today.');
  });

  it('streams Arabic text unchanged', () => {
    const read = createAnswerFieldReader();
    read('{"answer": "قدرتها ');
    expect(read('200 ميغاواط."}')).toBe('قدرتها 200 ميغاواط.');
  });
});
