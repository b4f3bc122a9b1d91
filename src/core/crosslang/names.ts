/**
 * Names that are the same thing in English and Arabic (territories, languages, currencies, cities,
 * months), from Unicode CLDR via the table scripts/cldr-names.mjs generates. A name is looked up by
 * its folded tokens, so الجزائر, الجزائر and ALGERIA written any way all reach the same entry.
 */
import { tokenize } from '../text/index.js';
import table from './names.json' with { type: 'json' };

/** The script a name is written in: Arabic or Latin. */
export type Script = 'a' | 'l';

/** Longest name, in tokens, looked up in running text ("Central African Republic" is 3). */
export const MAX_NAME_TOKENS = 4;

const byScript: Record<Script, Map<string, string[]>> = { a: new Map(), l: new Map() };
// The first token of every name, so running text is only looked up where a name can start.
const firstTokens: Record<Script, Set<string>> = { a: new Set(), l: new Set() };

function add(script: Script, name: string, code: string): void {
  const key = tokenize(name).join(' ');
  if (key === '' || key.split(' ').length > MAX_NAME_TOKENS) return;
  firstTokens[script].add(key.split(' ', 1)[0]!);
  const codes = byScript[script].get(key);
  if (codes === undefined) byScript[script].set(key, [code]);
  else if (!codes.includes(code)) codes.push(code);
}

for (const [code, english, arabic] of table.names as [string, string[], string[]][]) {
  for (const name of english) add('l', name, code);
  for (const name of arabic) add('a', name, code);
}

/** Whether some name in `script` starts with this folded token. */
export function startsName(script: Script, foldedToken: string): boolean {
  return firstTokens[script].has(foldedToken);
}

/** The CLDR codes (TDZ, ZAfrica/Algiers, M5 …) a run of folded tokens names in one script; empty when none. */
export function namedCodes(script: Script, foldedTokens: readonly string[]): readonly string[] {
  return byScript[script].get(foldedTokens.join(' ')) ?? [];
}
