/**
 * Script-neutral terms, so an English question finds an Arabic article and an Arabic question an
 * English one without a model: CLDR names become their code (Algeria and الجزائر are both TDZ),
 * month names their number, and proper names their consonant skeleton (Townsend and تاونسند are
 * both tnsnd). Each term is tagged with the language of the text it was read from (an Arabic
 * article's Latin words too): a question looks only for the other language's tags, so an article
 * in the question's own language is scored exactly as before.
 * Digits need nothing here: folding already reads ٢٠١٥ as 2015.
 */
import { isStopWord, terms, tokenize } from '../text/index.js';
import type { Language } from '../types.js';
import { MAX_NAME_TOKENS, namedCodes, startsName, type Script } from './names.js';
import { arabicBases, arabicSkeleton, latinSkeleton } from './skeleton.js';

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const ARABIC_LETTER = /[\u0621-\u064a]/u;
const LATIN_LETTER = /^[a-z]/;
const CAPITAL = /^\p{Lu}/u;

/** One written word of a text, folded, with what the cross-language terms need to know of it. */
interface Word {
  readonly token: string;
  readonly script: Script | undefined;
  /** Latin words only: capitalised, which in English is how a proper name (or a month) looks. */
  readonly capital: boolean;
  /** Its name skeletons (none for stop words and lower-case English words). */
  readonly skeletons: readonly string[];
  /** The forms of it a CLDR name may start with (none when no name starts so). */
  readonly nameForms: readonly string[];
}

const NOTHING: readonly string[] = [];

// Folding, skeletons and name look-ups run once per distinct written word, as terms() does for
// stems: text repeats its vocabulary, and this is most of the time an article's cross terms take.
const WORDS = new Map<string, Word | null>();

function wordOf(written: string): Word | null {
  let word = WORDS.get(written);
  if (word === undefined) {
    word = readWord(written);
    if (WORDS.size >= 300_000) WORDS.clear();
    WORDS.set(written, word);
  }
  return word;
}

function readWord(written: string): Word | null {
  const token = tokenize(written)[0];
  if (token === undefined) return null;
  const script: Script | undefined = ARABIC_LETTER.test(token) ? 'a' : LATIN_LETTER.test(token) ? 'l' : undefined;
  const capital = script === 'l' && CAPITAL.test(written);
  // A lower-case English word is a dictionary word, not a name: it has no transliteration to find.
  if (script === undefined || (script === 'l' && !capital)) return { token, script, capital, skeletons: NOTHING, nameForms: NOTHING };
  const bases = script === 'a' ? arabicBases(token) : [token];
  const skeletons = isStopWord(token)
    ? NOTHING
    : [...new Set(bases.map((base) => (script === 'a' ? arabicSkeleton(base) : latinSkeleton(base))).filter((x) => x !== ''))];
  return { token, script, capital, skeletons, nameForms: bases.filter((form) => startsName(script, form)) };
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = wordOf(match[0]);
    if (word !== null) out.push(word);
  }
  return out;
}

const skeletonTag = (script: Script, skeleton: string) => `~${script}:${skeleton}`;
const nameTag = (script: Script, code: string) => `#${script}:${code}`;

// Tags are a mark, a language letter and a colon: word classes such as ~say are not cross terms.
const CROSS_TAG = /^[~#][al]:/;

/** Whether a term is a cross-language term (a tagged skeleton or name code), not a word of either language. */
export function isCrossTerm(term: string): boolean {
  return CROSS_TAG.test(term);
}

/** Whether a term is a tagged CLDR name code (#a:TDZ), not a skeleton or a word. */
export function isNameCode(term: string): boolean {
  return term.startsWith('#') && CROSS_TAG.test(term);
}

/** The skeleton length of a tagged skeleton term; 0 for other terms. */
export function skeletonLength(term: string): number {
  return term.startsWith('~') && CROSS_TAG.test(term) ? term.length - 3 : 0;
}

/** The CLDR codes named by the words starting at `i`, with how many words each name takes. */
function namesAt(words: readonly Word[], i: number): { code: string; length: number }[] {
  const first = words[i]!;
  const script = first.script;
  if (script === undefined || first.nameForms.length === 0) return [];
  const found: { code: string; length: number }[] = [];
  for (let length = Math.min(MAX_NAME_TOKENS, words.length - i); length >= 1; length--) {
    const rest = words.slice(i + 1, i + length);
    if (rest.some((word) => word.script !== script)) continue;
    for (const form of first.nameForms) {
      for (const code of namedCodes(script, [form, ...rest.map((word) => word.token)])) found.push({ code, length });
    }
    // The longest name wins: "United States" is not also "States".
    if (found.length > 0) break;
  }
  return found;
}

/** The tag of a language's cross terms; undefined for a language with none. */
function tagOf(language: Language): Script | undefined {
  return language === 'ar' ? 'a' : language === 'en' ? 'l' : undefined;
}

/** The cross-language terms a text in `language` is indexed under, tagged with that language. */
export function crossTerms(text: string, language: Language): string[] {
  const tag = tagOf(language);
  if (tag === undefined) return [];
  const words = wordsOf(text);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (const skeleton of words[i]!.skeletons) out.push(skeletonTag(tag, skeleton));
    for (const { code } of namesAt(words, i)) out.push(nameTag(tag, code));
  }
  return out;
}

/** One word of a question and the other script's terms it may be written as. */
export interface Expansion {
  /** The question's own term for the word ('' when it has none, a stop word such as "US"). */
  readonly term: string;
  readonly spellings: readonly string[];
}

/** A question's words expanded into the cross terms of articles in the other language, in question order. */
export function crossExpansions(question: string, language: Language): Expansion[] {
  const own = tagOf(language);
  if (own === undefined) return [];
  const tag: Script = own === 'a' ? 'l' : 'a';
  const words = wordsOf(question);
  const spellings: string[][] = words.map(() => []);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.script === undefined) continue;
    for (const skeleton of word.skeletons) spellings[i]!.push(skeletonTag(tag, skeleton));
    for (const { code, length } of namesAt(words, i)) {
      // Every word of a name is found when the name is: "United" and "States" both count as held.
      for (let k = i; k < i + length; k++) spellings[k]!.push(nameTag(tag, code));
    }
  }
  return words
    .map((word, i) => ({ term: terms(word.token)[0] ?? '', spellings: [...new Set(spellings[i])] }))
    .filter((expansion) => expansion.spellings.length > 0);
}
