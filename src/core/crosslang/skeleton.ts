/**
 * Consonant skeletons: one spelling space shared by Arabic and Latin script, so a proper name
 * written in either (تاونسند / Townsend, أفريكوم / AFRICOM) comes out the same. Each letter maps to
 * a class of sounds that transliterators render by one another (ق, ك, ج, غ and k, q, g, c, j all
 * become k: Google is غوغل or جوجل, Qatar is Katar); vowels, the letters Arabic writes vowels with
 * (ا و ي) and the weak h sounds (ه ح ع ء, English h w y) are dropped, because every writer spells
 * them differently. Repeats collapse (Allen / ألان).
 */

// Arabic letters after `foldArabic` (hamza seats, ة and ى are already folded).
const ARABIC_CLASS: Record<string, string> = {
  ب: 'b', پ: 'b', ف: 'f', ڤ: 'f', ت: 't', ث: 't', ط: 't', د: 'd', ذ: 'd', ض: 'd', ظ: 'd',
  س: 's', ص: 's', ز: 's', ش: 's', ج: 'k', ق: 'k', ك: 'k', غ: 'k', خ: 'k', گ: 'k',
  ل: 'l', ر: 'r', م: 'm', ن: 'n',
};

const LATIN_CLASS: Record<string, string> = {
  b: 'b', p: 'b', f: 'f', v: 'f', t: 't', d: 'd', s: 's', z: 's', k: 'k', q: 'k', g: 'k', j: 'k',
  c: 'k', l: 'l', r: 'r', m: 'm', n: 'n', x: 'ks',
};

// Two Latin letters written as one Arabic letter: Philip / فيليب, Shell / شل, Thomas / توماس.
const LATIN_DIGRAPHS: Record<string, string> = {
  ph: 'f', sh: 's', ch: 's', th: 't', kh: 'k', gh: 'k', ck: 'k', qu: 'k', dh: 'd', zh: 's',
};

const SOFT_C_BEFORE = new Set(['e', 'i', 'y']);

/** Fewer classes than this match too many unrelated words (kn, ms) to be evidence of one name. */
export const MIN_SKELETON = 3;

function collapse(classes: string): string {
  let out = '';
  for (const c of classes) if (out[out.length - 1] !== c) out += c;
  return out;
}

/** The skeleton of a folded Latin word ('' when it holds other letters or too few consonants). */
export function latinSkeleton(word: string): string {
  if (!/^[a-z]+$/.test(word)) return '';
  let classes = '';
  for (let i = 0; i < word.length; i++) {
    const pair = LATIN_DIGRAPHS[word.slice(i, i + 2)];
    if (pair !== undefined) {
      classes += pair;
      i++;
      continue;
    }
    const c = word[i]!;
    // Cyprus / قبرص but Cinema / سينما: c before e, i, y is an s.
    if (c === 'c' && SOFT_C_BEFORE.has(word[i + 1] ?? '')) classes += 's';
    else classes += LATIN_CLASS[c] ?? '';
  }
  const skeleton = collapse(classes);
  return skeleton.length >= MIN_SKELETON ? skeleton : '';
}

/** The skeleton of a folded Arabic word ('' when it holds other letters or too few consonants). */
export function arabicSkeleton(word: string): string {
  if (!/^[\u0621-\u064a\u067e\u06a4\u06af]+$/u.test(word)) return '';
  let classes = '';
  for (const c of word) classes += ARABIC_CLASS[c] ?? '';
  const skeleton = collapse(classes);
  return skeleton.length >= MIN_SKELETON ? skeleton : '';
}

// Letters Arabic writes onto the front of a word: and, so, with, for, like, and the article.
const PROCLITICS = /^(?:و|ف)?(?:ب|ل|ك)?(?:ال)?/u;

/**
 * The written forms an Arabic word may be a name in: as written, without the conjunction,
 * preposition and article written onto it (وتاونسند, بالجزائر, للولايات). Endings (ي, يون) are
 * left on: stripping them matched more unrelated words than names on the dev halves.
 */
export function arabicBases(word: string): string[] {
  const bases = [word];
  const stripped = word.replace(PROCLITICS, '');
  // لل is ل + ال with the alef dropped: للولايات is ل + الولايات.
  const lil = word.startsWith('لل') ? `ال${word.slice(2)}` : undefined;
  for (const base of [stripped, lil, stripped.length < word.length ? `ال${stripped}` : undefined]) {
    if (base !== undefined && base.length >= 2 && !bases.includes(base)) bases.push(base);
  }
  return bases;
}
