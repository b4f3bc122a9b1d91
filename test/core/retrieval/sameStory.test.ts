/**
 * The same story from two outlets: answers still come, from either version. A question that two
 * articles match equally is usually about neither (the confidence model counts that against an
 * answer), but two versions of one story are not two stories competing for the question.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/types.js';
import { openTestDesk } from '../../support/desk.js';

const operator: Actor = { kind: 'operator' };
const original = readFileSync(new URL('../../../examples/articles/en-harbour-bridge.txt', import.meta.url), 'utf8');

/** Another outlet's version: its own headline and dateline, its last paragraphs cut. */
function otherOutletVersion(text: string): string {
  const paragraphs = text.split(/\n\s*\n/u).slice(3);
  const body = paragraphs.slice(0, Math.ceil(paragraphs.length * 0.8)).join('\n\n');
  return `Harbour Bridge open again after cable repairs | Coast Herald\n\n${body.replace('PORT ELLERY —', 'PORT ELLERY (Coast Herald) —')}`;
}

describe('one story told by two outlets', () => {
  it('is stored as two articles and still answered', async () => {
    const { desk } = await openTestDesk();
    await desk.postArticle({ text: original }, operator);
    await desk.postArticle({ text: otherOutletVersion(original) }, operator);
    expect(desk.articleCount).toBe(2);
    for (const question of ["who's the mayor of port ellery", 'How much did the bridge repairs cost?']) {
      const answer = await desk.ask(question, operator);
      expect({ question, found: answer.found, cites: answer.citations.length }).toEqual({ question, found: true, cites: 1 });
    }
    expect((await desk.ask("who's the mayor of port ellery", operator)).text).toContain('Rafael Quinn');
  });
});
