/**
 * Sentence splitting for summaries and citations. Works on cleaned, un-folded text and returns the
 * sentences exactly as written, because they are shown to users and quoted as evidence.
 * A single linear char loop: articles are split at ingestion and must not cost more than folding.
 */

// Titles and abbreviations that are practically never the last word of a sentence.
const NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'lt', 'col', 'sgt', 'rep', 'sen', 'gov', 'vs', 'v',
  'capt', 'cmdr', 'adm', 'maj', 'brig', 'cpl', 'pvt', 'hon', 'rev', 'pres', 'supt', 'insp', 'messrs',
  'mt', 'ft', 'fig', 'figs', 'vol', 'pp', 'approx', 'dept', 'univ', 'ave', 'blvd', 'e.g', 'i.e', 'cf', 'al',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

// Abbreviations that often sit at the end of a sentence too ("…in the U.S. The move…");
// they end one only when the next word looks like the start of a new sentence.
const MAYBE_FINAL = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'llc', 'plc', 'jr', 'sr', 'bros', 'esq', 'ph.d']);

// Capitalised words that typically open an English sentence, used to decide after "U.S." or "etc.".
const SENTENCE_OPENERS = new Set([
  'The', 'A', 'An', 'He', 'She', 'It', 'They', 'We', 'I', 'You', 'This', 'That', 'These', 'Those',
  'There', 'Here', 'But', 'And', 'Or', 'So', 'Yet', 'In', 'On', 'At', 'As', 'By', 'For', 'From', 'With',
  'If', 'When', 'While', 'After', 'Before', 'Since', 'Although', 'Though', 'However', 'Meanwhile',
  'His', 'Her', 'Its', 'Their', 'Our', 'My', 'Your', 'What', 'Who', 'Why', 'How', 'Where', 'Which',
  'Some', 'Many', 'Most', 'All', 'No', 'Not', 'One', 'Two', 'Still', 'Also', 'Now', 'Then', 'Later',
  'Earlier', 'Officials', 'According',
]);

const DOTTED_ACRONYM = /^(?:\p{L}\.)+\p{L}$/u;
const HAS_LETTER = /\p{L}/u;

function isEndMark(c: number): boolean {
  return (
    c === 0x2e || // .
    c === 0x21 || // !
    c === 0x3f || // ?
    c === 0x061f || // ؟
    c === 0x2026 || // …
    c === 0x06d4 || // ۔
    c === 0x3002 || // 。
    c === 0x203c || // ‼
    c === 0x2047 || // ⁇
    c === 0x2048 || // ⁈
    c === 0x2049 // ⁉
  );
}

function isStrongMark(c: number): boolean {
  return c === 0x21 || c === 0x3f || c === 0x061f || c === 0x06d4 || c === 0x3002 || (c >= 0x203c && c <= 0x2049);
}

// Closing quotes and brackets that belong to the sentence they follow: .” .» ." ?) ؟”
function isCloser(c: number): boolean {
  return (
    c === 0x22 || c === 0x27 || c === 0x29 || c === 0x5d || c === 0x7d ||
    c === 0xbb || c === 0x2019 || c === 0x201d || c === 0x203a
  );
}

function isOpener(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x28 || c === 0x5b || c === 0x7b || c === 0xab || c === 0x2018 || c === 0x201c || c === 0x2039;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0x85;
}

function isLowerLatin(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isUpperLatin(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetterish(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x620 && c <= 0x6ff);
}

function pushSentence(out: string[], text: string, from: number, to: number): void {
  const sentence = text.slice(from, to).trim();
  if (sentence.length > 0 && HAS_LETTER.test(sentence)) out.push(sentence);
}

/** The word after position `at`, skipping spaces and opening quotes; '' at end of text. */
function nextWord(text: string, at: number): string {
  let k = at;
  const n = text.length;
  while (k < n && (isSpace(text.charCodeAt(k)) || isOpener(text.charCodeAt(k)))) k++;
  let e = k;
  while (e < n && isLetterish(text.charCodeAt(e))) e++;
  return e > k ? text.slice(k, e) : text.slice(k, Math.min(k + 1, n));
}

/**
 * Decide whether the end mark(s) at [markStart, markEnd) followed by closers up to `after` end a sentence.
 * Only called when `after` is whitespace or the end of the text.
 */
function endsSentence(text: string, sentenceStart: number, markStart: number, markEnd: number, after: number): boolean {
  const n = text.length;
  let k = after;
  while (k < n && isSpace(text.charCodeAt(k))) k++;
  if (k >= n) return true;
  const closed = after > markEnd;
  let nextCode = text.charCodeAt(k);
  if (isOpener(nextCode) && k + 1 < n) nextCode = text.charCodeAt(k + 1);
  const nextIsLower = isLowerLatin(nextCode);

  let strong = false;
  for (let m = markStart; m < markEnd; m++) if (isStrongMark(text.charCodeAt(m))) strong = true;
  // “Why?” he asked. — a lower-case word after a closing quote continues the sentence.
  if (strong) return !(closed && nextIsLower);
  // A lower-case continuation after "." or "…" means an abbreviation we do not know or a trailing-off ellipsis.
  if (nextIsLower) return false;
  if (closed || markEnd - markStart > 1 || text.charCodeAt(markStart) !== 0x2e) return true;

  // A single "." right after a word: look at that word.
  let ws = markStart;
  while (ws > sentenceStart && !isSpace(text.charCodeAt(ws - 1))) ws--;
  while (ws < markStart && isOpener(text.charCodeAt(ws))) ws++;
  if (ws === markStart) return true;
  const word = text.slice(ws, markStart);

  // "1. First point": a list number opening its line, not a sentence of its own.
  let allDigits = true;
  for (let m = ws; m < markStart; m++) if (!isDigit(text.charCodeAt(m))) allDigits = false;
  if (allDigits) return text.slice(sentenceStart, ws).trim().length > 0;

  // Initials: "J. K. Rowling", "د. أحمد".
  if (word.length === 1 && (isUpperLatin(word.charCodeAt(0)) || (word.charCodeAt(0) >= 0x620 && word.charCodeAt(0) <= 0x6ff))) {
    return false;
  }
  const lower = word.toLowerCase();
  if (NEVER_FINAL.has(lower)) return false;
  // "No. 5" is a number; "the answer was no." is a sentence end.
  if (word === 'No' || word === 'Nos') return !isDigit(nextCode);
  if (MAYBE_FINAL.has(lower) || DOTTED_ACRONYM.test(word)) {
    const next = nextWord(text, after);
    const c = next.charCodeAt(0);
    return SENTENCE_OPENERS.has(next) || (c >= 0x620 && c <= 0x6ff) || isOpener(text.charCodeAt(k));
  }
  return true;
}

/** Split cleaned text into its sentences, as written; each line break also ends a sentence. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      pushSentence(out, text, start, i);
      start = i + 1;
      i++;
      continue;
    }
    if (!isEndMark(c)) {
      i++;
      continue;
    }
    let markEnd = i + 1;
    while (markEnd < n && isEndMark(text.charCodeAt(markEnd))) markEnd++;
    let after = markEnd;
    while (after < n && isCloser(text.charCodeAt(after))) after++;
    // "example.com", "3.5", "1.000", "U.S.-led": no space after the mark, no sentence end.
    if (after < n && !isSpace(text.charCodeAt(after))) {
      i = markEnd;
      continue;
    }
    if (endsSentence(text, start, i, markEnd, after)) {
      pushSentence(out, text, start, after);
      start = after;
    }
    i = after;
  }
  pushSentence(out, text, start, n);
  return out;
}
