/**
 * Finding the evidence for a question across all stored articles: BM25 over articles, then, inside
 * the best articles, the sentence that holds the answer. A sentence is scored by BM25 among the
 * sentences of its own article (so the story's topic words, which every sentence repeats, count for
 * little and the words that tell sentences apart count for much), by the question words it lacks but
 * the sentence before it holds (a "he" after a name), and by whether it holds the kind of answer the
 * question asks for (a number for "how many", a time for "when" …).
 */
import type { Passage, PassageSentence } from '../engine.js';
import { crossExpansions, crossTerms, isNameCode, skeletonLength } from '../crosslang/index.js';
import type { TermIndex } from '../termIndex.js';
import { arabicRoot, detectLanguage, splitSentences, terms, tokenize } from '../text/index.js';
import type { Article, Language } from '../types.js';
import { kindMarks, offersKind, type KindMarks } from './answerKinds.js';
import { fuseRanks } from './fusion.js';
import { countWords, focusSentence, type FocusQuery } from './focus.js';
import { RETRIEVAL_POLICY as POLICY } from './policy.js';
import { analyzeQuestion, type QuestionAnalysis } from './question.js';

/** Tuning of the retrieval step. */
export interface RetrievalOptions {
  /** Articles searched sentence by sentence after the BM25 step. */
  readonly candidateArticles: number;
  /** Passages handed to the engine. */
  readonly passages: number;
  /** Sentences of context on each side of a passage's best sentence. */
  readonly contextSentences: number;
  /**
   * Articles whose vectors are nearest the question's, best first (hybrid retrieval): they join the
   * BM25 candidates, and articles are then ranked by reciprocal rank fusion of the two rankings.
   */
  readonly similar?: readonly SimilarArticle[];
}

/** An article near the question by its embedding vector. */
export interface SimilarArticle {
  readonly articleId: string;
  /** Cosine similarity of the article's vector and the question's, -1..1. */
  readonly similarity: number;
}

/** Evidence for one question, best first, and how strong the best of it is. */
export interface Evidence {
  readonly passages: Passage[];
  /** Share of the question's term weight found in the best passage's article, 0..1. */
  readonly articleCoverage: number;
  /** Share of the question's term weight found in the best sentence and the one before it, 0..1. */
  readonly sentenceCoverage: number;
  /** Distinct content terms of the question; zero means it had nothing to search for. */
  readonly questionTerms: number;
  /**
   * How many of them the best passage's article could hold: all, unless it is in the other
   * language, where a word with no counterpart there (no name, skeleton or digits) cannot be found.
   */
  readonly askedTerms: number;
  /** Whether the best passage's article is in another language than the question. */
  readonly crossLanguage: boolean;
  /** How many of them the best passage's article contains. */
  readonly matchedTerms: number;
  /**
   * In an article of the other language: how many question terms it holds as a name (a CLDR name
   * or a name skeleton of `minCrossLanguageName` consonants or more), not as digits or a short skeleton.
   */
  readonly sharedNames: number;
  /** Whether the best sentence holds the kind of answer the question asks for (true when it asks for no kind). */
  readonly kindFound: boolean;
  /**
   * Share of the question's in-article weight in the best sentence and the one before it: words the
   * whole article repeats (the story's topic) count little, words that single out one fact count much.
   */
  readonly specificCoverage: number;
  /** Whether the question names a number (a year, an amount) that the best article does not contain. */
  readonly numberAbsent: boolean;
  /**
   * BM25 of the best article from another story, relative to the best article's (0..1): near 1
   * when no article stands out, which is how a question about something no article covers looks.
   */
  readonly runnerUp: number;
  /** Cosine similarity of the best passage's article to the question; 0 without vectors. */
  readonly similarity: number;
}

/** An article's sentences with their terms, cached because the same articles answer many questions. */
export interface SplitArticle {
  readonly article: Article;
  readonly sentences: readonly string[];
  readonly sentenceTerms: readonly (readonly string[])[];
  /**
   * Sentence `j`'s cross-language terms (names, months, name skeletons), apart so they do not
   * lengthen it; found on first use, since only a question in the other language can match them.
   */
  crossOf(j: number): readonly string[];
  /** The candidate answers of each kind in sentence `j`; found on first use, since most sentences never score. */
  marksOf(j: number): KindMarks;
  /** The Arabic root of each sentence term ('' for terms in other scripts), for partial matches. */
  readonly sentenceRoots: readonly (readonly string[])[];
  /** Terms of the headline: the story's topic, which a sentence repeating them does not single out. */
  readonly titleTerms: ReadonlySet<string>;
  /** The article's distinct terms, to tell another outlet's version of the same story from another story. */
  readonly termSet: ReadonlySet<string>;
}

// One to four words, none ending a sentence, then a spaced dash: "LONDON (Reuters) -", "الجزائر –".
const DATELINE = /^(?:[^\s.!?؟—–-]+\s+){0,3}[^\s.!?؟—–-]+\s+[—–-]\s+/u;

/** Splits an article into sentences, their terms and their candidate answers (the title is not a sentence of the body). */
export function splitArticle(article: Article): SplitArticle {
  const sentences = splitSentences(article.text);
  // A dateline ("PORT ELLERY —", "رأس الريح –") names where the story was filed, not a fact of the
  // first sentence: left in, it makes the lead the answer to every question naming the place.
  const sentenceTerms = sentences.map((sentence, i) => terms(i === 0 ? sentence.replace(DATELINE, '') : sentence));
  const marks = new Array<KindMarks | undefined>(sentences.length);
  const cross = new Array<readonly string[] | undefined>(sentences.length);
  const sentenceRoots = sentenceTerms.map((list) => list.map(rootOfTerm));
  return {
    article,
    sentences,
    sentenceTerms,
    crossOf: (j) => (cross[j] ??= crossTerms(sentences[j]!, article.language)),
    marksOf: (j) => (marks[j] ??= kindMarks(sentences[j]!, sentenceTerms[j]!)),
    sentenceRoots,
    titleTerms: new Set(terms(article.title)),
    termSet: new Set(sentenceTerms.flat()),
  };
}

/**
 * The terms an article is indexed under: title terms count twice, since headlines name the story;
 * its cross-language terms follow, for questions asked in the other language.
 */
export function articleTerms(article: Article): string[] {
  const titleTerms = [...terms(article.title), ...crossTerms(article.title, article.language)];
  return [...titleTerms, ...titleTerms, ...terms(article.text), ...crossTerms(article.text, article.language)];
}

const HAS_DIGIT = /\d/;

// Pronouns that open a sentence about someone or something the sentence before names.
const OPENING_PRONOUNS = new Set(tokenize('he she it they his her its their هو هي هم هما وهو وهي وهم وهما فهو فهي'));

function opensWithPronoun(sentence: string): boolean {
  const first = tokenize(sentence.slice(0, 24))[0];
  return first !== undefined && OPENING_PRONOUNS.has(first);
}

const ARABIC_TERM = /^[\u0621-\u064a]{3,}$/u;

/** The root a term may match other forms of the same root by; '' when it has none (other scripts, short words). */
function rootOfTerm(term: string): string {
  let root = TERM_ROOTS.get(term);
  if (root === undefined) {
    root = ARABIC_TERM.test(term) ? arabicRoot(term) : '';
    if (root.length < 3) root = '';
    if (TERM_ROOTS.size >= 100_000) TERM_ROOTS.clear();
    TERM_ROOTS.set(term, root);
  }
  return root;
}
// Articles are split when first asked about; the vocabulary is bounded, so roots are memoised.
const TERM_ROOTS = new Map<string, string>();

/** One question term and the spellings of it that the articles use. */
interface QueryTerm {
  readonly spellings: readonly string[];
  /** Where in `spellings` the other language's terms begin (CLDR names, name skeletons). */
  readonly crossFrom: number;
  /** Its Arabic root, '' when it has none: another form of the root counts as a partial match. */
  readonly root: string;
  /** Collection idf: how rare the term is among all articles. */
  readonly weight: number;
}

/** The best sentence of one article for a question. */
interface ArticleAnswer {
  readonly split: SplitArticle;
  readonly best: number;
  readonly complement: number | undefined;
  readonly complementAdds: number;
  readonly kindFound: boolean;
  readonly coverage: number;
  readonly articleCoverage: number;
  readonly matchedTerms: number;
  readonly specificCoverage: number;
  readonly numberAbsent: boolean;
  readonly bm25: number;
  /** Each question term's weight inside this article (in-article idf). */
  readonly localWeights: readonly number[];
  readonly askedTerms: number;
  readonly crossLanguage: boolean;
  readonly sharedNames: number;
}

/** Gathers the passages that best answer `question`, loading candidate articles through `load`. */
export async function retrieveEvidence(
  question: string,
  index: TermIndex,
  load: (articleId: string) => Promise<SplitArticle | undefined>,
  options: RetrievalOptions,
): Promise<Evidence> {
  const analysis = analyzeQuestion(question);
  const questionLanguage = detectLanguage(question);
  const query = queryTerms(analysis, index, question, questionLanguage);
  // The question's own words, without the names added from the other language.
  const ownTerms = query.filter((term) => term.crossFrom > 0).length;
  const empty: Evidence = {
    passages: [],
    articleCoverage: 0,
    sentenceCoverage: 0,
    questionTerms: ownTerms,
    askedTerms: ownTerms,
    crossLanguage: false,
    matchedTerms: 0,
    sharedNames: 0,
    kindFound: false,
    specificCoverage: 0,
    numberAbsent: false,
    runnerUp: 0,
    similarity: 0,
  };
  if (ownTerms === 0 || index.size === 0) return empty;

  // Each spelling is searched as a term of its own; the hit's mask is folded back onto question terms.
  // The question's own words first, so the other language's guesses never crowd one of them out.
  // A spelling is searched once, for every question term it spells ("United" and "States" are one name).
  const searched: string[] = [];
  const owners: number[][] = [];
  const weights: number[] = [];
  for (const cross of [false, true]) {
    query.forEach((term, i) => {
      term.spellings.forEach((spelling, k) => {
        if ((k >= term.crossFrom) !== cross) return;
        const at = searched.indexOf(spelling);
        if (at >= 0) owners[at]!.push(i);
        else if (searched.length < 31) {
          searched.push(spelling);
          owners.push([i]);
          weights.push(cross ? POLICY.crossTermShare : 1);
        }
      });
    });
  }
  const hits = index.search(searched, options.candidateArticles, weights);
  const similar = (options.similar ?? []).slice(0, options.candidateArticles);
  // Articles the vectors found and BM25 did not: no question term is in their index entry.
  const bm25Ids = new Set(hits.map((hit) => hit.key));
  const candidates = [...hits, ...similar.filter((near) => !bm25Ids.has(near.articleId)).map((near) => ({ key: near.articleId, score: 0, matchedMask: 0 }))];
  if (candidates.length === 0) return empty;
  const topScore = hits[0]?.score ?? 1;

  const answers: ArticleAnswer[] = [];
  for (const hit of candidates) {
    const split = await load(hit.key);
    if (!split || split.sentences.length === 0) continue;
    let mask = 0;
    for (let bit = 0; bit < searched.length; bit++) if (hit.matchedMask & (1 << bit)) for (const i of owners[bit]!) mask |= 1 << i;
    answers.push(answerInArticle(split, query, analysis, mask, hit.score / topScore, otherLanguage(questionLanguage, split.article.language)));
  }
  if (answers.length === 0) return empty;
  // The article is chosen by its BM25 rank: mixing in how well its best sentence answers did not
  // choose better on the dev halves of the whole-article benchmark.
  answers.sort((x, y) => y.bm25 - x.bm25);
  const similarity = new Map(similar.map((near) => [near.articleId, near.similarity]));
  if (similar.length > 0) {
    const lexical = answers.filter((answer) => answer.bm25 > 0).map((answer) => answer.split.article.id);
    const fused = fuseRanks([lexical, similar.map((near) => near.articleId)]);
    // Stable: articles fused alike keep their BM25 order.
    answers.sort((x, y) => (fused.get(y.split.article.id) ?? 0) - (fused.get(x.split.article.id) ?? 0));
  }
  const ranked = onePerStory(answers);

  const focus = (answer: ArticleAnswer): FocusQuery => ({
    spellings: query.map((term) => term.spellings),
    weights: answer.localWeights,
    kind: analysis.kind !== 'other' && analysis.kind !== 'yesno' ? analysis.kind : undefined,
    questionTokens: analysis.tokens,
    kindBonus: POLICY.kindBonus,
  });
  const passages = ranked.slice(0, options.passages).map((answer, i) => passageOf(answer, i, options.contextSentences, focus(answer)));
  const top = ranked[0]!;
  return {
    passages,
    articleCoverage: top.articleCoverage,
    sentenceCoverage: top.coverage,
    questionTerms: ownTerms,
    askedTerms: top.askedTerms,
    crossLanguage: top.crossLanguage,
    sharedNames: top.sharedNames,
    matchedTerms: top.matchedTerms,
    kindFound: top.kindFound,
    specificCoverage: top.specificCoverage,
    numberAbsent: top.numberAbsent,
    runnerUp: runnerUp(ranked),
    similarity: similarity.get(top.split.article.id) ?? 0,
  };
}

/** Whether a question and an article are in the two different languages cross terms join. */
function otherLanguage(question: Language, article: Language): boolean {
  return question !== 'other' && article !== 'other' && question !== article;
}

function queryTerms(analysis: QuestionAnalysis, index: TermIndex, question: string, language: Language): QueryTerm[] {
  const crossOf = new Map<string, string[]>();
  const unattached = new Map<string, string[]>();
  for (const expansion of crossExpansions(question, language)) {
    // Every Arabic word has a skeleton; one that stored Arabic articles use is a dictionary word,
    // not a name, and its skeleton would only meet English names by chance. Not tuned: a word one
    // article holds may still be a name that article transliterated.
    const dictionaryWord = language === 'ar' && index.documentFrequency(expansion.term) >= 2;
    const spellings = expansion.spellings
      .filter((spelling) => !(dictionaryWord && skeletonLength(spelling) > 0))
      // Only an English name (capitalised) is matched one letter off: an Arabic word is not known to
      // be a name, and on the dev halves its near misses found more wrong articles than right ones.
      .flatMap((spelling) => [spelling, ...(language === 'en' ? similarSkeletons(spelling, index) : [])]);
    if (spellings.length === 0) continue;
    if (analysis.terms.includes(expansion.term)) crossOf.set(expansion.term, [...new Set([...(crossOf.get(expansion.term) ?? []), ...spellings])]);
    // A name the question writes as stop words only ("US", "May" folded away) is a term of its own.
    else unattached.set(spellings.join(' '), spellings);
  }
  const own = analysis.terms.slice(0, 24).map((term) => {
    const similar = index.documentFrequency(term) === 0 ? index.similarTerms(term, 2) : [];
    const spellings = [term, ...similar];
    return { spellings: [...spellings, ...(crossOf.get(term) ?? [])], crossFrom: spellings.length, root: rootOfTerm(term), weight: index.weight(term) };
  });
  const names = [...unattached.values()].map((spellings) => ({ spellings, crossFrom: 0, root: '', weight: index.weight(spellings[0]!) }));
  return [...own, ...names].slice(0, 24);
}

/**
 * Stored skeletons one edit from a name skeleton no article holds: the same name transliterated
 * with a letter more or less (تشارلز / Charles). Short skeletons have too many neighbours.
 */
function similarSkeletons(spelling: string, index: TermIndex): string[] {
  if (skeletonLength(spelling) < POLICY.minFuzzySkeleton || index.documentFrequency(spelling) > 0) return [];
  // The tag and the first consonant must agree: writers agree on how a name starts.
  return index.similarTerms(spelling, 2).filter((term) => term.slice(0, 4) === spelling.slice(0, 4));
}

/** Scores every sentence of one article for the question and keeps the best. */
function answerInArticle(
  split: SplitArticle,
  query: readonly QueryTerm[],
  analysis: QuestionAnalysis,
  indexMask: number,
  bm25: number,
  otherLanguage: boolean,
): ArticleAnswer {
  let articleMask = indexMask;
  const n = split.sentences.length;
  // Which question term a sentence term is, by spelling or by root: one lookup per sentence term.
  const bySpelling = new Map<string, number>();
  const byRoot = new Map<string, number[]>();
  query.forEach((term, i) => {
    for (const spelling of term.spellings) if (!bySpelling.has(spelling)) bySpelling.set(spelling, i);
    if (term.root !== '') byRoot.set(term.root, [...(byRoot.get(term.root) ?? []), i]);
  });
  // Question terms the article holds as a name of the other language (see `isSharedName`).
  let nameMask = 0;
  const masks = new Int32Array(n);
  // Question terms a sentence holds only as another form of their root (تكلفة for كلفت).
  const rootMasks = new Int32Array(n);
  const frequencies: Int32Array[] = [];
  const df = new Int32Array(query.length);
  let totalLength = 0;
  for (let j = 0; j < n; j++) {
    const sentenceTerms = split.sentenceTerms[j]!;
    const sentenceRoots = split.sentenceRoots[j]!;
    totalLength += sentenceTerms.length;
    const tf = new Int32Array(query.length);
    const rootTf = new Int32Array(query.length);
    for (let k = 0; k < sentenceTerms.length; k++) {
      const exact = bySpelling.get(sentenceTerms[k]!);
      if (exact !== undefined) {
        tf[exact]! += 1;
        continue;
      }
      const root = sentenceRoots[k]!;
      const owners = root === '' ? undefined : byRoot.get(root);
      if (owners !== undefined) for (const i of owners) rootTf[i]! += 1;
    }
    // Cross terms carry the article's language: a question in that language has none to meet.
    if (otherLanguage) {
      for (const term of split.crossOf(j)) {
        const cross = bySpelling.get(term);
        if (cross !== undefined) {
          tf[cross]! += 1;
          if (isSharedName(term)) nameMask |= 1 << cross;
        }
      }
    }
    for (let i = 0; i < query.length; i++) {
      if (tf[i]! > 0) {
        masks[j]! |= 1 << i;
        df[i]! += 1;
      } else if (rootTf[i]! > 0) {
        rootMasks[j]! |= 1 << i;
        tf[i] = -rootTf[i]!;
        df[i]! += 1;
      }
    }
    frequencies.push(tf);
  }
  // A question term the article holds only in another form of its root still counts as held.
  for (let j = 0; j < n; j++) articleMask |= rootMasks[j]!;
  for (let j = 0; j < n; j++) masks[j]! |= rootMasks[j]!;
  const averageLength = totalLength / n || 1;
  // In an article of the other language, a question word with no counterpart there (no name, no
  // skeleton, no digits) could not have been found whatever the article says: it is not counted
  // as missing. In the question's own language every word counts, as before.
  let askedMask = 0;
  query.forEach((term, i) => {
    // A name added from the other language only (crossFrom 0) is not asked of an article in the question's own.
    const asked = otherLanguage
      ? term.crossFrom < term.spellings.length || (term.crossFrom > 0 && HAS_DIGIT.test(term.spellings[0]!)) || (articleMask & (1 << i)) !== 0
      : term.crossFrom > 0;
    if (asked) askedMask |= 1 << i;
  });
  let askedTerms = 0;
  for (let m = askedMask; m !== 0; m &= m - 1) askedTerms++;
  const totalWeight = query.reduce((sum, term, i) => sum + (askedMask & (1 << i) ? term.weight : 0), 0);
  const localIdf = Array.from(df, (d) => (d === 0 ? 0 : Math.log(1 + (n - d + 0.5) / (d + 0.5))));
  const topical = query.map((term) => term.spellings.some((spelling) => split.titleTerms.has(spelling)));
  const rootShare = POLICY.rootMatchShare;
  // Headline words name the story every sentence is about; they do not single out the one that answers.
  const weightOf = (i: number): number => localIdf[i]! * Math.pow(query[i]!.weight, POLICY.globalIdfExponent) * (topical[i] ? POLICY.titleTermShare : 1);
  const { k1, b, delta } = POLICY.sentenceBm25;
  const asksKind = analysis.kind !== 'other' && analysis.kind !== 'yesno';

  let best = 0;
  let bestScore = -1;

  for (let j = 0; j < n; j++) {
    const length = split.sentenceTerms[j]!.length;
    let score = 0;
    for (let i = 0; i < query.length; i++) {
      const signed = frequencies[j]![i]!;
      if (signed === 0) continue;
      // A negative frequency counts matches by root only, which earn a share of the weight.
      const tf = Math.abs(signed);
      const share = signed < 0 ? rootShare : 1;
      score += share * weightOf(i) * (delta + (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength)));
    }
    // Question words the previous sentence holds: "Peyton Manning … He is also the oldest …".
    if (j > 0) {
      const carried = masks[j - 1]! & ~masks[j]!;
      for (let i = 0; i < query.length; i++) if (carried & (1 << i)) score += POLICY.previousSentenceShare * weightOf(i);
    }
    if (score > 0 && asksKind && offersKind(split.marksOf(j), analysis.kind, analysis.tokens)) score *= 1 + POLICY.kindBonus;
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }

  const share = (mask: number): number => {
    let sum = 0;
    for (let i = 0; i < query.length; i++) if (mask & askedMask & (1 << i)) sum += query[i]!.weight;
    return totalWeight > 0 ? sum / totalWeight : 0;
  };
  const window = masks[best]! | (best > 0 ? masks[best - 1]! : 0);
  // A second sentence next to the best one, when it holds question words the best one lacks.
  let complement: number | undefined;
  let complementAdds = 0;
  const shortEnough = (j: number): boolean =>
    split.sentenceTerms[j]!.length + split.sentenceTerms[best]!.length <= POLICY.complementMaxLength * averageLength;
  for (const j of [best - 1, best + 1]) {
    if (j < 0 || j >= n || !shortEnough(j)) continue;
    const adds = share(masks[j]! & ~masks[best]!);
    if (adds > complementAdds) {
      complementAdds = adds;
      complement = j;
    }
  }
  // "He is also the oldest quarterback …" says nothing without the sentence that names him.
  if (best > 0 && opensWithPronoun(split.sentences[best]!) && shortEnough(best - 1)) {
    complement = best - 1;
    complementAdds = Math.max(complementAdds, POLICY.complementMinShare);
  }

  let matchedTerms = 0;
  for (let m = articleMask; m !== 0; m &= m - 1) matchedTerms++;
  let sharedNames = 0;
  for (let m = nameMask; m !== 0; m &= m - 1) sharedNames++;
  return {
    split,
    best,
    complement,
    complementAdds,
    kindFound: !asksKind || offersKind(split.marksOf(best), analysis.kind, analysis.tokens),
    coverage: share(window),
    articleCoverage: share(articleMask),
    matchedTerms,
    specificCoverage: specificShare(window, localIdf, n, askedMask),
    numberAbsent: query.some((term, i) => (articleMask & (1 << i)) === 0 && term.crossFrom > 0 && HAS_DIGIT.test(term.spellings[0]!)),
    bm25,
    localWeights: query.map((_, i) => weightOf(i)),
    askedTerms,
    crossLanguage: otherLanguage,
    sharedNames,
  };
}

/** Whether a cross term is evidence of one name: a CLDR name, or a skeleton long enough not to meet other words by chance. */
function isSharedName(term: string): boolean {
  return isNameCode(term) || skeletonLength(term) >= POLICY.minCrossLanguageName;
}

/**
 * The terms of the other language's articles a question's names are written as there (#a:TDZ,
 * ~a:tnsnd): an article in the other language answers it only when it holds one of them.
 */
export function sharedNameTerms(question: string): string[] {
  const spellings = crossExpansions(question, detectLanguage(question)).flatMap((expansion) => expansion.spellings);
  return [...new Set(spellings.filter(isSharedName))];
}

/**
 * The best-ranked article of each story, in rank order. A story told by several outlets is one piece
 * of evidence, spoken for by its best article (the desk cites the others with it): two versions of
 * it are not two stories competing for the question.
 */
function onePerStory(ranked: readonly ArticleAnswer[]): ArticleAnswer[] {
  const stories = new Set<string>();
  return ranked.filter((answer) => {
    const story = answer.split.article.storyId ?? answer.split.article.id;
    if (stories.has(story)) return false;
    stories.add(story);
    return true;
  });
}

/** The relative BM25 of the best candidate that tells another story than the best one, 0 when there is none. */
function runnerUp(answers: readonly ArticleAnswer[]): number {
  const top = answers[0]!.split.termSet;
  for (const answer of answers.slice(1)) {
    if (jaccard(top, answer.split.termSet) < POLICY.sameStoryOverlap) return answer.bm25;
  }
  return 0;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Share of the in-article idf of the question's terms held by `mask`; a term the article lacks weighs as much as the rarest. */
function specificShare(mask: number, localIdf: readonly number[], n: number, asked: number): number {
  const absent = Math.log(1 + (n + 0.5) / 0.5);
  let held = 0;
  let total = 0;
  localIdf.forEach((idf, i) => {
    if ((asked & (1 << i)) === 0) return;
    const weight = idf === 0 ? absent : idf;
    total += weight;
    if (mask & (1 << i)) held += weight;
  });
  return total > 0 ? held / total : 0;
}

function passageOf(answer: ArticleAnswer, position: number, context: number, focus: FocusQuery): Passage {
  const { split, best, complement } = answer;
  const from = Math.max(0, best - context);
  const to = Math.min(split.sentences.length - 1, best + context);
  const budget = POLICY.maxAnswerWords;
  const quote = focusSentence(split.sentences[best]!, focus, budget);
  // The neighbour joins only when it adds enough of the question and the two still fit the budget.
  const joins = (i: number): boolean =>
    i === complement && answer.complementAdds >= POLICY.complementMinShare && countWords(quote) + countWords(split.sentences[i]!) <= budget;
  const sentences: PassageSentence[] = [];
  for (let i = from; i <= to; i++) {
    const text = split.sentences[i]!;
    if (i === best) sentences.push({ index: i, text, role: 'answer', ...(quote === text ? {} : { quote }) });
    else sentences.push({ index: i, text, role: joins(i) ? 'complement' : 'context' });
  }
  const { article } = split;
  return {
    id: `P${position + 1}`,
    articleId: article.id,
    title: article.title,
    ...(article.url === undefined ? {} : { url: article.url }),
    language: article.language,
    sentences,
    score: answer.bm25,
  };
}
