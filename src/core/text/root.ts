/**
 * Arabic roots, for matching a question's word with the article's when the two are different
 * forms of one root: كلفت / تكلفة / كلفة, تفتح / تفتتح / افتتاح, قرروا / قرار / المقرر. Light
 * stemming (stem.ts) keeps those apart, because merging them in the index would also merge words
 * that only look alike; retrieval uses a root match only as partial evidence inside one article.
 *
 * The algorithm is the ISRI root stemmer (Taghva, Elkhoury and Coombs, "Arabic stemming without a
 * root dictionary", ITCC 2005), as NLTK implements it, on text already folded by normalize.ts (so ة
 * is ه, ى is ي, ئ is ي and hamza seats are ا). Without a dictionary it gets weak and doubled roots
 * wrong now and then; a wrong root costs little because it only ever adds partial weight.
 */

const PREFIXES_3 = ['كال', 'بال', 'ولل', 'وال'];
const PREFIXES_2 = ['ال', 'لل'];
const PREFIXES_1 = ['ل', 'ب', 'ف', 'س', 'و', 'ي', 'ت', 'ن', 'ا'];
const SUFFIXES_3 = ['تمل', 'همل', 'تان', 'تين', 'كمل'];
const SUFFIXES_2 = ['ون', 'ات', 'ان', 'ين', 'تن', 'كم', 'هن', 'نا', 'يا', 'ها', 'تم', 'كن', 'ني', 'وا', 'ما', 'هم'];
// ة is already ه after folding, so the one ending stands for both.
const SUFFIXES_1 = ['ه', 'ي', 'ك', 'ت', 'ا', 'ن'];
const TA_MARBUTA = 'ه';

const ARABIC_LETTERS = /^[\u0621-\u064a]+$/u;
const ROOT_CACHE = new Map<string, string>();
const ROOT_CACHE_LIMIT = 100_000;

/** The ISRI root of a folded Arabic word or stem; a word that is not Arabic letters comes back as it is. */
export function arabicRoot(folded: string): string {
  const cached = ROOT_CACHE.get(folded);
  if (cached !== undefined) return cached;
  const root = ARABIC_LETTERS.test(folded) ? rootOf(folded) : folded;
  if (ROOT_CACHE.size >= ROOT_CACHE_LIMIT) ROOT_CACHE.clear();
  ROOT_CACHE.set(folded, root);
  return root;
}

function rootOf(word: string): string {
  let w = withoutLongPrefix(word);
  w = withoutLongSuffix(w);
  if (w.length >= 4 && w.startsWith('وو')) w = w.slice(1);
  switch (w.length) {
    case 4:
      return pattern4(w);
    case 5:
      return after5(pattern53(w));
    case 6:
      return after6(pattern6(w));
    case 7: {
      w = withoutSuffix1(w);
      if (w.length === 7) w = withoutPrefix1(w);
      return w.length === 6 ? after6(pattern6(w)) : w;
    }
    default:
      return w;
  }
}

function withoutLongPrefix(w: string): string {
  if (w.length >= 6) for (const p of PREFIXES_3) if (w.startsWith(p)) return w.slice(3);
  if (w.length >= 5) for (const p of PREFIXES_2) if (w.startsWith(p)) return w.slice(2);
  return w;
}

function withoutLongSuffix(w: string): string {
  if (w.length >= 6) for (const s of SUFFIXES_3) if (w.endsWith(s)) return w.slice(0, -3);
  if (w.length >= 5) for (const s of SUFFIXES_2) if (w.endsWith(s)) return w.slice(0, -2);
  return w;
}

function withoutSuffix1(w: string): string {
  for (const s of SUFFIXES_1) if (w.endsWith(s)) return w.slice(0, -1);
  return w;
}

function withoutPrefix1(w: string): string {
  for (const p of PREFIXES_1) if (w.startsWith(p)) return w.slice(1);
  return w;
}

/** Four letters: مفعل, فاعل, فعال / فعول / فعيل, فعلة. */
function pattern4(w: string): string {
  if (w[0] === 'م') return w.slice(1);
  if (w[1] === 'ا') return w[0]! + w.slice(2);
  if ('اوي'.includes(w[2]!)) return w.slice(0, 2) + w[3]!;
  if (w[3] === TA_MARBUTA) return w.slice(0, 3);
  const bare = withoutSuffix1(w);
  return bare.length === 4 ? withoutPrefix1(bare) : bare;
}

/** Five letters with a three-letter root: افتعل, مفعول, مفعلة, يفتعل, تفاعل, فعولة, انفعل, افعال, فعلان, تفعيل … */
function pattern53(w: string): string {
  const [c0, c1, c2, c3, c4] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!];
  if ('ات'.includes(c2) && c0 === 'ا') return c1 + w.slice(3);
  if ('ايو'.includes(c3) && c0 === 'م') return w.slice(1, 3) + c4;
  if ('اتم'.includes(c0) && c4 === TA_MARBUTA) return w.slice(1, 4);
  if ('ميت'.includes(c0) && c2 === 'ت') return c1 + w.slice(3);
  if ('مت'.includes(c0) && c2 === 'ا') return c1 + w.slice(3);
  if ('او'.includes(c2) && c4 === TA_MARBUTA) return w.slice(0, 2) + c3;
  if ('ام'.includes(c0) && c1 === 'ن') return w.slice(2);
  if (c3 === 'ا' && c0 === 'ا') return w.slice(1, 3) + c4;
  if (c4 === 'ن' && c3 === 'ا') return w.slice(0, 3);
  if (c3 === 'ي' && c0 === 'ت') return w.slice(1, 3) + c4;
  if (c3 === 'و' && c1 === 'ا') return c0 + c2 + c4;
  if (c2 === 'ا' && c1 === 'و') return c0 + w.slice(3);
  if (c3 === 'ي' && c2 === 'ا') return w.slice(0, 2) + c4;
  if (c4 === TA_MARBUTA && c1 === 'ا') return c0 + w.slice(2, 4);
  if (c4 === 'ي' && c2 === 'ا') return w.slice(0, 2) + c3;
  const bare = withoutSuffix1(w);
  return bare.length === 5 ? withoutPrefix1(bare) : bare;
}

/** Five letters with a four-letter root: تفعلل / افعلل / مفعلل, فعللة, فعالل. */
function pattern54(w: string): string {
  if ('اتم'.includes(w[0]!)) return w.slice(1);
  if (w[4] === TA_MARBUTA) return w.slice(0, 4);
  if (w[2] === 'ا') return w.slice(0, 2) + w.slice(3);
  return w;
}

function after5(w: string): string {
  if (w.length === 4) return pattern4(w);
  if (w.length === 5) return pattern54(w);
  return w;
}

/** Six letters: استفعل / مستفعل, مفعالة, افتعال, افعوعل, تفاعيل. */
function pattern6(w: string): string {
  if (w.startsWith('است') || w.startsWith('مست')) return w.slice(3);
  if (w[0] === 'م' && w[3] === 'ا' && w[5] === TA_MARBUTA) return w.slice(1, 3) + w[4]!;
  if (w[0] === 'ا' && w[2] === 'ت' && w[4] === 'ا') return w[1]! + w[3]! + w[5]!;
  if (w[0] === 'ا' && w[3] === 'و' && w[2] === w[4]) return w[1]! + w.slice(4);
  if (w[0] === 'ت' && w[2] === 'ا' && w[4] === 'ي') return w[1]! + w[3]! + w[5]!;
  const bare = withoutSuffix1(w);
  return bare.length === 6 ? withoutPrefix1(bare) : bare;
}

/** Six letters with a four-letter root: افعلال, متفعلل. */
function pattern64(w: string): string {
  if (w[0] === 'ا' && w[4] === 'ا') return w.slice(1, 4) + w[5]!;
  if (w.startsWith('مت')) return w.slice(2);
  return w;
}

function after6(w: string): string {
  if (w.length === 5) return after5(pattern53(w));
  if (w.length === 6) return pattern64(w);
  return w;
}
