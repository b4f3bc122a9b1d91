/**
 * Language detection good enough to pick the reply language and the summary language. It only has
 * to tell Arabic from English from "something else"; a single pass over char codes keeps it cheap
 * enough to run on every article and every message.
 */
import type { Language } from '../types.js';
import { ENGLISH_STOP_WORDS } from './stopwords.js';

// Frequent function words of the Latin-script languages a news bot meets most (French, German,
// Spanish, Italian, Portuguese). Words that are also English stop words ("a", "in", "was") are removed
// below so they never count against English.
const FOREIGN_SOURCE = `
le la les des du une est et dans pour que qui sur pas avec au aux ce cette ces sont il elle ils nous
vous leur mais où par se sa ses été être ont aussi comme tout très sans entre depuis selon
der die das und ist nicht ein eine einen einem einer mit von zu den dem sich auf für im auch es sie er
wir ich nach bei aus wird werden wurde sind hat haben oder aber wie noch nur über zum zur
el los las y es por con para una del al lo como pero más su sus está fue ha sobre entre también
di che non della delle dei degli gli nel nella sono è anche alla dalla questo questa
um uma da dos das em na não com é ao pelo pela seu sua
`;
const FOREIGN_STOP_WORDS: ReadonlySet<string> = new Set(
  FOREIGN_SOURCE.split(/\s+/).filter((w) => w.length > 0 && !ENGLISH_STOP_WORDS.has(w)),
);

const NONE = 0;
const ARABIC = 1;
const LATIN = 2;
const OTHER = 3;
const MARK = 4; // combining marks, tashkeel, tatweel: part of the surrounding word, never a word of their own

// Up to this many Latin words are taken for English whatever they are ("Tebboune", "Bitcoin price").
const SHORT_LATIN_WORDS = 3;
// Stop-word lookups only need a sample; capping them keeps long Latin texts cheap.
const MAX_CHECKED_WORDS = 400;

function scriptOf(c: number): number {
  if (c < 0x41) return NONE;
  if (c <= 0x5a) return LATIN;
  if (c < 0x61) return NONE;
  if (c <= 0x7a) return LATIN;
  if (c < 0xc0) return NONE;
  if (c <= 0x24f) return c === 0xd7 || c === 0xf7 ? NONE : LATIN;
  if (c < 0x300) return NONE;
  if (c <= 0x36f) return MARK;
  if (c < 0x600) return OTHER; // Greek, Cyrillic, Armenian, Hebrew
  if (c <= 0x6ff) {
    if ((c >= 0x64b && c <= 0x65f) || c === 0x670 || c === 0x640 || (c >= 0x6d6 && c <= 0x6ed)) return MARK;
    if ((c >= 0x620 && c <= 0x64a) || (c >= 0x66e && c <= 0x6d3) || c === 0x6d5 || c >= 0x6ee) return ARABIC;
    return NONE; // Arabic punctuation and digits
  }
  if (c < 0x750) return OTHER; // Syriac
  if (c <= 0x77f) return ARABIC;
  if (c < 0x8a0) return OTHER; // Thaana, N'Ko, Samaritan…
  if (c <= 0x8ff) return ARABIC;
  if (c < 0x1e00) return OTHER; // Indic, Southeast Asian, Georgian, Hangul Jamo, Ethiopic…
  if (c <= 0x1eff) return LATIN;
  if (c < 0x3040) return NONE; // punctuation, symbols, spaces
  if (c <= 0xd7ff) return OTHER; // CJK, kana, Hangul
  if (c < 0xfb50) return NONE; // surrogates (emoji), private use
  if (c <= 0xfdff) return ARABIC;
  if (c < 0xfe70) return NONE;
  if (c <= 0xfefe) return ARABIC;
  return NONE;
}

/** Guess whether text is Arabic, English or something else, from script counts and English function words. */
export function detectLanguage(text: string): Language {
  let arabicWords = 0;
  let latinWords = 0;
  let otherWords = 0;
  let arabicLetters = 0;
  let latinLetters = 0;
  let accentedLetters = 0;
  let otherLetters = 0;
  let englishHits = 0;
  let foreignHits = 0;
  let checked = 0;
  let current = NONE;
  let latinStart = -1;

  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const script = i < n ? scriptOf(text.charCodeAt(i)) : NONE;
    if (script === MARK) {
      if (current === LATIN) accentedLetters++;
      continue;
    }
    if (script !== current) {
      if (current === LATIN && latinStart >= 0 && checked < MAX_CHECKED_WORDS) {
        checked++;
        const word = text.slice(latinStart, i).toLowerCase();
        if (ENGLISH_STOP_WORDS.has(word)) englishHits++;
        else if (FOREIGN_STOP_WORDS.has(word)) foreignHits++;
      }
      if (script === ARABIC) arabicWords++;
      else if (script === LATIN) {
        latinWords++;
        latinStart = i;
      } else if (script === OTHER) otherWords++;
      current = script;
    }
    if (script === ARABIC) arabicLetters++;
    else if (script === LATIN) {
      latinLetters++;
      if (text.charCodeAt(i) >= 0xc0) accentedLetters++;
    } else if (script === OTHER) otherLetters++;
  }

  if (arabicWords + latinWords === 0) return 'other';
  if (otherLetters > arabicLetters + latinLetters) return 'other';
  // Ties go to Arabic, the bot's first language: "ما هو Bitcoin؟" is an Arabic question.
  if (arabicWords >= latinWords && arabicWords >= otherWords) return 'ar';
  if (latinWords <= SHORT_LATIN_WORDS) return 'en';
  if (englishHits > foreignHits) return 'en';
  if (foreignHits > englishHits) return 'other';
  if (englishHits > 0) return 'en';
  // No function words either way (a headline, a list of names): English unless it is spelled with accents.
  return accentedLetters === 0 ? 'en' : 'other';
}
