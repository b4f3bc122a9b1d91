/**
 * The news desk: the one entry point adapters call. Posting, listing, summarising and answering,
 * over the database (through the storage ports), the search index and an engine. Knows nothing of
 * chat platforms. Lists and look-ups read the database, so they show what any process stored; the
 * search index follows the database's changes (see articleIndex.ts).
 */
import Keyv from 'keyv';
import { actorId, prepareArticle } from './articles.js';
import { answerCacheKey, createAnswerCache, evidenceFingerprint, type CachedAnswer } from './answerCache.js';
import { openArticleIndex } from './articleIndex.js';
import { openArticleVectors } from './articleVectors.js';
import type { Embedder, Engine, EngineUsage } from './engine.js';
import { AkhbarError } from './errors.js';
import { errorFields, type Logger } from './logger.js';
import type { Storage } from './ports.js';
import { noTelemetry, type AnswerOutcome, type Telemetry } from './telemetry.js';
import {
  answerConfidence,
  declineReason,
  isAnswerable,
  mergeEvidence,
  retrieveEvidence,
  RETRIEVAL_POLICY,
  splitArticle,
  unknownWords,
  type Evidence,
  type SplitArticle,
} from './retrieval/index.js';
import { createQueryRewriter } from './queryRewrite.js';
import { openStoryIndex } from './stories/recentStories.js';
import { withStorySources } from './stories/storySources.js';
import { detectLanguage } from './text/index.js';
import type { Actor, Answer, AnswerEvidence, Article, ArticleInput, ArticleListing, Language, Summary } from './types.js';
import { normalizeUrl } from './urls.js';

export type { ArticleListing } from './types.js';

/** The settings the news desk needs from config. */
export interface NewsDeskSettings {
  readonly adminIds: ReadonlySet<string>;
  readonly minArticleChars: number;
  readonly maxArticleChars: number;
  readonly maxQuestionChars: number;
  readonly summaryMinSentences: number;
  readonly summaryMaxSentences: number;
  readonly answerMaxSentences: number;
  readonly answerCacheTtlSeconds: number;
  readonly defaultLanguage: 'ar' | 'en';
  /** A new article joins a story stored at most this many hours before it; 0: every article is its own story. */
  readonly storyWindowHours: number;
}

/** What the news desk is built from. */
export interface NewsDeskDeps {
  readonly storage: Pick<Storage, 'articles' | 'summaries' | 'changes' | 'indexSnapshots' | 'vectors'>;
  /** Where answers are cached (memory or Redis, see storage/cache.ts); a private in-memory one by default. */
  readonly answerCache?: Keyv<CachedAnswer>;
  readonly engine: Engine;
  readonly logger: Logger;
  readonly settings: NewsDeskSettings;
  readonly now?: () => Date;
  /** How often other processes' changes are read (CHANGE_POLL_MS); 0 only on `catchUp`. Default 1000. */
  readonly changePollMs?: number;
  /** A search index snapshot is saved after this many applied changes (and at close); 0 only at close. Default 500. */
  readonly snapshotEvery?: number;
  /** …but not sooner than this after the previous one. Default 60 s. */
  readonly snapshotMinIntervalMs?: number;
  /** At close, a snapshot is saved when at least this many changes are not in the stored one. Default 50. */
  readonly snapshotAtCloseAfter?: number;
  /**
   * Whether a new article is queued for its subscribers in the same write (the default). Off only
   * where nothing will ever deliver (benchmarks that store articles by the thousand).
   */
  readonly queueFanOut?: boolean;
  /** Where posts and answers are counted for monitoring; nowhere by default. */
  readonly telemetry?: Telemetry;
  /** With an embedding model, retrieval is hybrid: BM25 and the articles' vectors, fused by rank. */
  readonly embeddings?: {
    readonly embedder: Embedder;
    /** An article nearer the question than this (cosine) is evidence even when it shares no term with it. */
    readonly minSimilarity: number;
    /** After a failed embeddings request, articles without vectors wait this long. Default 60 s. */
    readonly retryMs?: number;
  };
}

/** The outcome of posting: the stored article, and whether it was already there. */
export interface PostResult {
  readonly article: Article;
  readonly duplicate: boolean;
}

/** One story of the article list: its first article, and the articles that joined it, oldest first. */
export interface StoryListing extends ArticleListing {
  readonly joined: readonly ArticleListing[];
}

/** A page of the article list, newest first, one entry per story. */
export interface ArticlePage {
  /** Stories, not articles. */
  readonly total: number;
  readonly offset: number;
  readonly items: readonly StoryListing[];
}

/**
 * An id as a user typed or pasted it, made comparable: invisible format characters (a bidi mark
 * copied from an Arabic message, a zero-width space) are dropped, Arabic-Indic digits read as
 * ASCII ones, and a leading `#` and the case do not matter.
 */
export function articleRef(ref: string): string {
  return ref
    .replace(/\p{Cf}/gu, '')
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/gu, (digit) => String((digit.charCodeAt(0) - 0x0660) % 0x90))
    .trim()
    .toLowerCase()
    .replace(/^#/u, '');
}

/** The core's operations, as the adapters see them. */
export interface NewsDesk {
  readonly engineName: string;
  /** Requests and tokens the engine has used, when it counts them (the LLM engine). */
  engineUsage(): EngineUsage | undefined;
  /** Stores an article (admins only); posting the same text or the same URL again returns the stored one. */
  postArticle(input: ArticleInput, actor: Actor): Promise<PostResult>;
  /**
   * Deletes an article (admins only), found like `getArticle`: with its summaries, messages and
   * pending deliveries, out of this process's index at once (other processes follow the change
   * feed), so no answer cites it again. Resolves to the article as it was.
   */
  deleteArticle(ref: string, actor: Actor): Promise<Article>;
  /** The stored article at this URL (compared in normalised form), if any. */
  findByUrl(url: string): Promise<ArticleListing | undefined>;
  /** Finds an article by its id or a unique prefix of at least 4 characters. */
  getArticle(ref: string): Promise<Article>;
  /** The most recently posted article. */
  latestArticle(): Promise<Article>;
  /** Stories newest first, each once with the articles that joined it. */
  listArticles(page?: { offset?: number; limit?: number }): Promise<ArticlePage>;
  /** The summary of an article (the latest when `ref` is omitted), made once and then kept. */
  summarize(ref?: string, options?: { language?: Language }): Promise<Summary>;
  /**
   * The summary of a text that is not stored (anyone: a message, a page someone links to), checked
   * as a post would be (too short, too long, not text) and neither stored nor kept.
   */
  summarizeText(input: ArticleInput, actor: Actor): Promise<Summary>;
  /** Answers a question from the stored articles, citing them, or says it is not in them. */
  ask(question: string, actor?: Actor, options?: { onPartial?: (textSoFar: string) => void }): Promise<Answer>;
  /** Whether this actor may post articles. */
  isAdmin(actor: Actor): boolean;
  /** Calls `listener` after each new (not duplicate) article this desk stores; returns an unsubscribe function. */
  onArticlePosted(listener: (article: Article) => void): () => void;
  /** Articles the desk answers from: every stored one, as of the last change it read. */
  readonly articleCount: number;
  /** Reads the changes other processes made now, instead of at the next poll. */
  catchUp(): Promise<void>;
  /** Stops following changes and saves the search index for the next start (when it moved on enough). The storage stays open. */
  close(): Promise<void>;
}

const MIN_ID_PREFIX = 4;
const SPLIT_CACHE_SIZE = 256;

/** Opens the news desk: brings the search index up to date with the database, then follows it. */
export async function openNewsDesk(deps: NewsDeskDeps): Promise<NewsDesk> {
  const { storage, engine, settings } = deps;
  const { articles, summaries } = storage;
  const logger = deps.logger.child({ component: 'news-desk' });
  const now = deps.now ?? (() => new Date());
  // Posting times are strictly increasing within a process, so "the latest article" is the one
  // posted last even when two posts (a feed's burst, a script) fall in the same millisecond.
  let lastPostedMs = 0;
  const postingTime = (): Date => {
    lastPostedMs = Math.max(now().getTime(), lastPostedMs + 1);
    return new Date(lastPostedMs);
  };
  const answers = createAnswerCache(deps.answerCache ?? new Keyv<CachedAnswer>(), settings.answerCacheTtlSeconds);
  const queueFanOut = deps.queueFanOut ?? true;
  const telemetry = deps.telemetry ?? noTelemetry;
  const splitCache = new Map<string, SplitArticle>();
  const postListeners = new Set<(article: Article) => void>();
  // Articles of other processes are adopted from the change feed once the index is open.
  let vectors: ReturnType<typeof openArticleVectors> | undefined;
  const storedLanguages = new Set<Language>(await articles.languages());
  const rewriter = createQueryRewriter(engine, deps.logger);
  const stories = await openStoryIndex({ articles, windowHours: settings.storyWindowHours, now, logger: deps.logger });
  const index = await openArticleIndex({
    storage,
    logger: deps.logger,
    pollMs: deps.changePollMs ?? 1_000,
    snapshotEvery: deps.snapshotEvery ?? 500,
    snapshotMinIntervalMs: deps.snapshotMinIntervalMs ?? 60_000,
    snapshotAtCloseAfter: deps.snapshotAtCloseAfter ?? 50,
    onAdded: (article) => {
      stories.added(article);
      storedLanguages.add(article.language);
      vectors?.adopted(article.id);
    },
    onRemoved: (id) => {
      splitCache.delete(id);
      stories.removed(id);
      vectors?.removed(id);
    },
    onReload: () => splitCache.clear(),
  });

  if (deps.embeddings) {
    const { embedder, retryMs } = deps.embeddings;
    vectors = openArticleVectors({ embedder, storage, logger: deps.logger, isIndexed: (id) => index.has(id), ...(retryMs !== undefined ? { retryMs } : {}) });
  }
  const minSimilarity = deps.embeddings?.minSimilarity ?? Infinity;
  // Without terms in common, an article is evidence only by being near enough in meaning.
  const relevantEvidence = (evidence: Evidence): boolean => isAnswerable(evidence) || (evidence.passages.length > 0 && evidence.similarity >= minSimilarity);

  // A feed posts on behalf of the admin who added it.
  const isAdmin = (actor: Actor): boolean =>
    actor.kind !== 'user' || settings.adminIds.has(`${actor.platform}:${actor.userId}`);

  async function loadSplit(id: string): Promise<SplitArticle | undefined> {
    const cached = splitCache.get(id);
    if (cached) {
      // Re-insert to keep the Map in least-recently-used order.
      splitCache.delete(id);
      splitCache.set(id, cached);
      return cached;
    }
    const article = await articles.get(id);
    // Deleted by another process since this one last read the changes: not evidence any more.
    if (!article || !index.has(id)) return undefined;
    const split = splitArticle(article);
    splitCache.set(id, split);
    if (splitCache.size > SPLIT_CACHE_SIZE) splitCache.delete(splitCache.keys().next().value!);
    return split;
  }

  async function getArticle(ref: string): Promise<Article> {
    const wanted = articleRef(ref);
    if (/^[0-9a-f]+$/.test(wanted)) {
      const exact = await articles.get(wanted);
      if (exact) return exact;
      if (wanted.length >= MIN_ID_PREFIX) {
        const matches = await articles.findIdsByPrefix(wanted, 6);
        if (matches.length > 1) throw new AkhbarError({ code: 'AMBIGUOUS_ARTICLE_ID', id: ref, matches: matches.slice(0, 5) });
        const found = matches.length === 1 ? await articles.get(matches[0]!) : undefined;
        if (found) return found;
      }
    }
    if ((await articles.count()) === 0) throw new AkhbarError({ code: 'NO_ARTICLES' });
    throw new AkhbarError({ code: 'ARTICLE_NOT_FOUND', id: wanted.slice(0, 64) });
  }

  async function latestArticle(): Promise<Article> {
    const [latest] = await articles.list({ limit: 1 });
    if (!latest) throw new AkhbarError({ code: 'NO_ARTICLES' });
    return getArticle(latest.id);
  }

  async function answerQuestion(rawQuestion: string, actor: Actor | undefined, options: { onPartial?: (textSoFar: string) => void }): Promise<Answer> {
    const question = rawQuestion.trim();
    if (question === '') throw new AkhbarError({ code: 'EMPTY_QUESTION' });
    if (question.length > settings.maxQuestionChars) {
      throw new AkhbarError({ code: 'QUESTION_TOO_LONG', maxChars: settings.maxQuestionChars, actualChars: question.length });
    }
    if (index.size === 0) throw new AkhbarError({ code: 'NO_ARTICLES' });
    const detected = detectLanguage(question);
    const language: Language =
      detected !== 'other' ? detected : actor?.kind === 'user' && actor.language ? actor.language : settings.defaultLanguage;

    const postedAt: Record<string, string> = {};
    const load = async (id: string) => {
      const split = await loadSplit(id);
      if (split) postedAt[id] = split.article.postedAt;
      return split;
    };
    // The question as readers of the other stored languages would ask it: an English question
    // then finds an Arabic article by its own words.
    const others = [...storedLanguages].filter((stored) => stored !== language && stored !== 'other');
    const queries = [question, ...(await rewriter(question, others))];
    const similar = vectors ? await vectors.similar(question, 8) : [];
    const found: Evidence[] = [];
    for (const query of queries) {
      found.push(await retrieveEvidence(query, index.terms, load, { candidateArticles: 8, passages: 3, contextSentences: 1, similar }));
    }
    const evidence = mergeEvidence(found, relevantEvidence, 3);
    // A question of two or more terms needs two of them in one article: a single shared name
    // ("Japan" in an article about a book fair) is not evidence of an answer.
    const relevant = relevantEvidence(evidence);
    // What /why says the answer was declined for; evidence close enough by vector is not declined.
    const declined = relevant ? undefined : declineReason(evidence);
    const passages = relevant ? evidence.passages : [];
    const key = answerCacheKey({ question, language, engineName: engine.name, engineVersion: engine.version, passages, postedAt });
    const explained = explanation(question, evidence, evidenceFingerprint({ passages, postedAt }), declined);
    const hit = await answers.get(key).catch((error: unknown) => {
      logger.warn('answer cache not read', errorFields(error));
      return undefined;
    });
    // The key already names only articles in the index; this also covers a cache another
    // instance filled from an index that had not yet lost a deleted article.
    if (hit && hit.citations.every((citation) => index.has(citation.articleId))) return { ...withoutCreatedAt(hit), cached: true, evidence: explained };

    let answer: Omit<Answer, 'cached'>;
    if (!relevant) {
      // No text: saying so is the adapters' job, in the asker's words (see i18n).
      answer = { found: false, text: '', language, citations: [], engine: engine.name };
    } else {
      const made = await engine.answer({
        question,
        language,
        passages,
        maxSentences: settings.answerMaxSentences,
        ...(options.onPartial ? { onPartial: options.onPartial } : {}),
      });
      const by = made.fallbackEngine ?? engine.name;
      answer = made.found && made.citations.length > 0
        ? { found: true, text: made.text, language, citations: made.citations, engine: by }
        : { found: false, text: '', language, citations: [], engine: by };
      // A fallback answer is not cached under the engine's key: the engine answers once it is back.
      if (made.fallbackEngine) return { ...answer, cached: false, evidence: explained };
    }
    logger.debug('question answered', {
      found: answer.found,
      articleCoverage: round(evidence.articleCoverage),
      sentenceCoverage: round(evidence.sentenceCoverage),
      specificCoverage: round(evidence.specificCoverage),
      kindFound: evidence.kindFound,
      terms: evidence.questionTerms,
      matchedTerms: evidence.matchedTerms,
      queries: queries.length,
      similarity: round(evidence.similarity),
    });
    await answers
      .set(key, { ...answer, createdAt: now().toISOString() })
      .catch((error: unknown) => logger.warn('answer not cached', errorFields(error)));
    return { ...answer, cached: false, evidence: explained };
  }

  /** What an answer rests on, in the reader's terms: the passages, the confidence, and what no article holds. */
  function explanation(question: string, evidence: Evidence, fingerprint: string, declined: AnswerEvidence['declined']): AnswerEvidence {
    return {
      fingerprint,
      unknownWords: unknownWords(question, index.terms),
      passages: evidence.passages.map((p) => ({ articleId: p.articleId, title: p.title, score: round(p.score), sentences: p.sentences.map((s) => s.text) })),
      confidence: evidence.passages.length > 0 ? round(answerConfidence(evidence)) : 0,
      threshold: RETRIEVAL_POLICY.minAnswerConfidence,
      ...(declined ? { declined } : {}),
    };
  }

  // A fallback's answer carries the fallback's name; the engine's own answers carry the engine's.
  const outcomeOf = (answer: Answer): AnswerOutcome =>
    answer.cached ? 'cached' : answer.engine !== engine.name ? 'fallback' : answer.found ? 'answered' : 'declined';

  return {
    engineName: engine.name,
    engineUsage: () => engine.usage?.(),
    get articleCount() {
      return index.size;
    },
    isAdmin,
    onArticlePosted(listener) {
      postListeners.add(listener);
      return () => postListeners.delete(listener);
    },
    catchUp: () => index.catchUp(),
    async close() {
      await vectors?.settled();
      await index.close();
    },

    async postArticle(input, actor) {
      if (!isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
      const prepared = prepareArticle(
        input,
        { minChars: settings.minArticleChars, maxChars: settings.maxArticleChars },
        actor,
        postingTime(),
      );
      // Decided in this process, from the articles it knows: two processes storing one story at
      // the same moment may each start it (both are still stored; nothing is lost).
      const check = stories.check(prepared);
      const story = check.match;
      const article: Article = story ? { ...prepared, storyId: story.storyId } : prepared;
      // The database decides, in one transaction, whether the text or the URL is already stored:
      // two posts at once (here or in another process) store one article.
      const stored = await articles.insert(article, { queueFanOut });
      if (!stored.inserted) return { article: stored.article, duplicate: true };
      index.added(article);
      stories.added(article, check.signature);
      storedLanguages.add(article.language);
      vectors?.added(article);
      telemetry.articleIngested(article.language, article.source ?? 'paste');
      logger.info('article posted', {
        id: article.id,
        language: article.language,
        chars: article.text.length,
        by: article.postedBy,
        ...(story ? { story: story.storyId, jaccard: round(story.jaccard), containment: round(story.containment) } : {}),
      });
      for (const listener of postListeners) {
        // A failing listener (delivery) must not turn a stored article into a failed post.
        try {
          listener(article);
        } catch (error) {
          logger.error('article listener failed', { id: article.id, ...errorFields(error) });
        }
      }
      return { article, duplicate: false };
    },

    async deleteArticle(ref, actor) {
      if (!isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor), action: 'delete' });
      const article = await getArticle(ref);
      // Another process may have deleted it since it was found; that is still "no such article" here.
      if (!(await articles.delete(article.id))) throw new AkhbarError({ code: 'ARTICLE_NOT_FOUND', id: ref.slice(0, 64) });
      // Its change comes round at the next poll; until then this process must not answer from it.
      index.removed(article.id);
      stories.removed(article.id);
      logger.info('article deleted', { id: article.id, by: actorId(actor) });
      return article;
    },

    async findByUrl(url) {
      const normalized = normalizeUrl(url);
      const article = normalized === undefined ? undefined : await articles.findByUrl(normalized);
      return article ? listing(article) : undefined;
    },

    getArticle,
    latestArticle,

    async listArticles(page = {}) {
      const offset = Math.max(0, page.offset ?? 0);
      const limit = Math.min(100, Math.max(1, page.limit ?? 10));
      const [heads, total] = await Promise.all([articles.list({ offset, limit, storiesOnly: true }), articles.count({ storiesOnly: true })]);
      const joined = await articles.storyArticles(heads.map((head) => head.id));
      const items = heads.map((head) => ({ ...head, joined: joined.filter((article) => article.storyId === head.id) }));
      return { total, offset, items };
    },

    async summarize(ref, options = {}) {
      const article = ref === undefined || ref.trim() === '' ? await latestArticle() : await getArticle(ref);
      const language = options.language ?? article.language;
      const key = [article.id, engine.name, engine.version, language, settings.summaryMinSentences, settings.summaryMaxSentences].join('|');
      const cached = await summaries.get(key);
      if (cached) return cached;
      const made = await engine.summarize({
        article,
        language,
        minSentences: settings.summaryMinSentences,
        maxSentences: settings.summaryMaxSentences,
      });
      const summary: Summary = {
        articleId: article.id,
        title: article.title,
        language: made.language,
        sentences: made.sentences,
        text: made.sentences.join(' '),
        engine: made.fallbackEngine ?? engine.name,
      };
      // A fallback summary is not kept: the engine should make the real one once it is back. A
      // summary that could not be kept is still the right answer, and is made again next time.
      if (!made.fallbackEngine) {
        await summaries.put(key, summary).catch((error: unknown) => logger.warn('summary not kept', errorFields(error)));
      }
      return summary;
    },

    async summarizeText(input, actor) {
      const article = prepareArticle(input, { minChars: settings.minArticleChars, maxChars: settings.maxArticleChars }, actor, postingTime());
      const made = await engine.summarize({
        article,
        language: article.language,
        minSentences: settings.summaryMinSentences,
        maxSentences: settings.summaryMaxSentences,
      });
      return {
        articleId: article.id,
        title: article.title,
        language: made.language,
        sentences: made.sentences,
        text: made.sentences.join(' '),
        engine: made.fallbackEngine ?? engine.name,
      };
    },

    async ask(rawQuestion, actor, options = {}) {
      const started = performance.now();
      const answer = await answerQuestion(rawQuestion, actor, options);
      telemetry.answered(outcomeOf(answer), (performance.now() - started) / 1000);
      if (answer.citations.length === 0) return answer;
      // Looked up on every answer, cached or not: an outlet's report that joined the story since still shows.
      const citations = await withStorySources(answer.citations, articles).catch((error: unknown) => {
        logger.warn('story sources not read; the answer cites its own articles only', errorFields(error));
        return answer.citations;
      });
      return { ...answer, citations };
    },
  };
}

function listing(article: Article): ArticleListing {
  return {
    id: article.id,
    title: article.title,
    language: article.language,
    postedAt: article.postedAt,
    ...(article.url === undefined ? {} : { url: article.url }),
    postedBy: article.postedBy,
    ...(article.storyId === undefined ? {} : { storyId: article.storyId }),
  };
}

function withoutCreatedAt(entry: CachedAnswer): Omit<Answer, 'cached'> {
  const { createdAt: _createdAt, ...answer } = entry;
  return answer;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
