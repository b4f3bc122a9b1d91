/**
 * Two kinds of normalisation, kept apart on purpose:
 * - `cleanText` makes untrusted text safe to store and display but keeps every letter as written;
 * - `foldArabic` / `foldForMatching` erase spelling variation so queries and documents meet,
 *   and their output is only ever used for matching, never shown to a user.
 */

// Invisible characters that can reorder or hide text (bidi controls are a spoofing vector),
// plus stray C0/C1 controls that have no business in a news article.
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
const LINE_BREAK = /\r\n?|[\u0085\u2028\u2029]/g;
const HORIZONTAL_SPACE = /[ \t\v\f\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
const MANY_NEWLINES = /\n{3,}/g;

/** Make untrusted text safe to store and show: NFC, no invisible/bidi controls, tidy whitespace, letters untouched. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(LINE_BREAK, '\n')
    .replace(INVISIBLE, '')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(SPACE_AROUND_NEWLINE, '\n')
    .replace(MANY_NEWLINES, '\n\n')
    .trim();
}

/** Arabic folding table: character → replacement ('' deletes). Built once so folding is one regex pass. */
const ARABIC_FOLD = new Map<string, string>();

function addRange(from: number, to: number, replacement: string): void {
  for (let c = from; c <= to; c++) ARABIC_FOLD.set(String.fromCharCode(c), replacement);
}

// Tashkeel and Quranic annotation marks: writers add them inconsistently, so they carry no signal for matching.
addRange(0x064b, 0x065f, '');
addRange(0x0670, 0x0670, '');
addRange(0x06d6, 0x06ed, '');
addRange(0x0640, 0x0640, ''); // tatweel is typographic stretching only
// Hamza seats and wasla: news text spells the same word with and without hamza (إيران / ايران).
for (const c of '\u0622\u0623\u0625\u0671\u0672\u0673\u0675') ARABIC_FOLD.set(c, '\u0627');
ARABIC_FOLD.set('\u0649', '\u064a'); // ى → ي: alef maqsura is routinely typed as ya and vice versa
ARABIC_FOLD.set('\u0629', '\u0647'); // ة → ه: ta marbuta is routinely typed as ha
ARABIC_FOLD.set('\u0624', '\u0648'); // ؤ → و
ARABIC_FOLD.set('\u0626', '\u064a'); // ئ → ي
// Persian/Urdu keyboards produce look-alike letters with different code points.
ARABIC_FOLD.set('\u06a9', '\u0643'); // ک → ك
ARABIC_FOLD.set('\u06aa', '\u0643'); // ڪ → ك
ARABIC_FOLD.set('\u06cc', '\u064a'); // ی → ي
ARABIC_FOLD.set('\u06d0', '\u064a'); // ې → ي
ARABIC_FOLD.set('\u06c0', '\u0647'); // ۀ → ه
ARABIC_FOLD.set('\u06c1', '\u0647'); // ہ → ه
ARABIC_FOLD.set('\u06c3', '\u0647'); // ۃ → ه
ARABIC_FOLD.set('\u06be', '\u0647'); // ھ → ه
ARABIC_FOLD.set('\u06d5', '\u0647'); // ە → ه (what ۀ becomes once its hamza is removed)
// Arabic-Indic and Persian digits, so "٢٠١٥" finds "2015".
for (let d = 0; d <= 9; d++) {
  ARABIC_FOLD.set(String.fromCharCode(0x0660 + d), String(d));
  ARABIC_FOLD.set(String.fromCharCode(0x06f0 + d), String(d));
}

const ARABIC_FOLD_RE =
  /[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u0622\u0623\u0625\u0671-\u0673\u0675\u0649\u0629\u0624\u0626\u06a9\u06aa\u06cc\u06d0\u06c0\u06c1\u06c3\u06be\u06d5\u0660-\u0669\u06f0-\u06f9]/g;

function foldArabicChar(c: string): string {
  return ARABIC_FOLD.get(c) ?? c;
}

/** Fold Arabic spelling variants (tashkeel, tatweel, hamza seats, ى/ة, Persian letters, digits) for matching only. */
export function foldArabic(text: string): string {
  return text.replace(ARABIC_FOLD_RE, foldArabicChar);
}

/** Matching table: the Arabic table plus Latin accents and invisible format characters. */
const MATCH_FOLD = new Map<string, string>(ARABIC_FOLD);

// Letters with no decomposition that a reader still sees as a plain Latin letter.
const LATIN_SPECIAL: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', ħ: 'h', ı: 'i', þ: 'th', ŀ: 'l',
};
const COMBINING_LATIN = /[\u0300-\u036f]/g;
for (const [from, to] of [[0x00c0, 0x024f], [0x1e00, 0x1eff]] as const) {
  for (let c = from; c <= to; c++) {
    const ch = String.fromCharCode(c);
    const base = LATIN_SPECIAL[ch] ?? ch.normalize('NFD').replace(COMBINING_LATIN, '');
    if (base !== ch && base.length > 0) MATCH_FOLD.set(ch, base);
  }
}
for (let c = 0x0300; c <= 0x036f; c++) MATCH_FOLD.set(String.fromCharCode(c), '');
// Format characters inside a word would otherwise split it into two tokens.
for (const c of '\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff') {
  MATCH_FOLD.set(c, '');
}

const MATCH_FOLD_RE = new RegExp(
  // The class takes combining marks (U+0300–U+036F) one by one, on purpose: that is what no-misleading-character-class warns of.
  // eslint-disable-next-line no-misleading-character-class
  `${ARABIC_FOLD_RE.source.slice(0, -1)}\\u00c0-\\u024f\\u1e00-\\u1eff\\u0300-\\u036f\\u00ad\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff]`,
  'g',
);

function foldMatchChar(c: string): string {
  return MATCH_FOLD.get(c) ?? c;
}

/** Fold text so a query and a document that differ only in case, accents, Arabic spelling or presentation forms compare equal. */
export function foldForMatching(text: string): string {
  // NFKC first: it turns Arabic presentation forms (ﻻ, ﷲ) and full-width characters into plain letters.
  return text.normalize('NFKC').toLowerCase().replace(MATCH_FOLD_RE, foldMatchChar);
}
