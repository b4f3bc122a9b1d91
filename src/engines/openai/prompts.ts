/**
 * The LLM engine's prompts, read once from `prompts/`. Their hash is the engine's version, so an
 * edited prompt never serves an answer or summary made with the old one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The prompt templates and their combined version. */
export interface Prompts {
  readonly answer: string;
  readonly summary: string;
  /** Rewriting a question into the languages of the stored articles, before retrieval. */
  readonly rewrite: string;
  readonly version: string;
}

/** Reads `answer.md`, `summary.md` and `rewrite.md` from `dir`. */
export function loadPrompts(dir: string): Prompts {
  const answer = readFileSync(join(dir, 'answer.md'), 'utf8');
  const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
  const rewrite = readFileSync(join(dir, 'rewrite.md'), 'utf8');
  const version = createHash('sha256').update(answer).update('\0').update(summary).update('\0').update(rewrite).digest('hex').slice(0, 12);
  return { answer, summary, rewrite, version };
}

/** Fills `{{name}}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
