/**
 * The news desk: the one entry point adapters call. Posting, listing, summarising and answering,
 * over the store, the search index and an engine. Knows nothing of chat platforms.
 */
import type Keyv from 'keyv';
import { actorId, prepareArticle } from './articles.js';
import { answerCacheKey, createAnswerCache, type CachedAnswer } from './answerCache.js';
import type { Engine, EngineUsage } from './engine.js';
import { AkhbarError } from './errors.js';
import { errorFields, type Logger } from './logger.js';
import { articleTerms, isAnswerable, retrieveEvidence, splitArticle, type SplitArticle } from './retrieval/index.js';
import type { Store } from './store.js';
import { createTermIndex } from './termIndex.js';
import { detectLanguage } from './text/index.js';
import type { Actor, Answer, Article, ArticleInput, ArticleListing, Language, Summary } from './types.js';
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
}

/** What the news desk is built from. */
export interface NewsDeskDeps {
  readonly store: Store;
  readonly engine: Engine;
  readonly logger: Logger;
  readonly settings: NewsDeskSettings;
  readonly now?: () => Date;
}

/** The outcome of posting: the stored article, and whether it was already there. */
export interface PostResult {
  readonly article: Article;
  readonly duplicate: boolean;
}

/** A page of the article list, newest first. */
export interface ArticlePage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly ArticleListing[];
}

/** The core's operations, as the adapters see them. */
export interface NewsDesk {
  readonly engineName: string;
  /** Requests and tokens the engine has used, when it counts them (the LLM engine). */
  engineUsage(): EngineUsage | undefined;
  /** Stores an article (admins only); posting the same text or the same URL again returns the stored one. */
  postArticle(input: ArticleInput, actor: Actor): Promise<PostResult>;
  /** The stored article at this URL (compared in normalised form), if any. */
  findByUrl(url: string): ArticleListing | undefined;
  /** Finds an article by its id or a unique prefix of at least 4 characters. */
  getArticle(ref: string): Promise<Article>;
  /** The most recently posted article. */
  latestArticle(): Promise<Article>;
  /** Articles newest first. */
  listArticles(page?: { offset?: number; limit?: number }): ArticlePage;
  /** The summary of an article (the latest when `ref` is omitted), made once and then kept. */
  summarize(ref?: string, options?: { language?: Language }): Promise<Summary>;
  /** Answers a question from the stored articles, citing them, or says it is not in them. */
  ask(question: string, actor?: Actor, options?: { onPartial?: (textSoFar: string) => void }): Promise<Answer>;
  /** Whether this actor may post articles. */
  isAdmin(actor: Actor): boolean;
  /** Articles posted after `after` and at or before `until` (ISO times), newest first. */
  postedBetween(after: string, until: string): ArticleListing[];
  /** Calls `listener` after each new (not duplicate) article is stored; returns an unsubscribe function. */
  onArticlePosted(listener: (article: Article) => void): () => void;
  readonly articleCount: number;
}

const MIN_ID_PREFIX = 4;
const SPLIT_CACHE_SIZE = 256;

const NOT_FOUND: Record<Language, string> = {
  ar: 'لم أجد إجابة لهذا السؤال في المقالات المخزنة.',
  en: 'That is not in the stored articles.',
  other: 'That is not in the stored articles.',
};

/** Opens the news desk: loads the stored articles into the search index. */
export async function openNewsDesk(deps: NewsDeskDeps): Promise<NewsDesk> {
  const { store, engine, settings } = deps;
  const logger = deps.logger.child({ component: 'news-desk' });
  const now = deps.now ?? (() => new Date());
  const articles = store.namespace<Article>('articles');
  const summaries = store.namespace<Summary>('summaries');
  const answers = createAnswerCache(store.namespace('answers') as Keyv<CachedAnswer>, settings.answerCacheTtlSeconds);
  const index = createTermIndex();
  // Newest first; the full text stays in the store and is loaded on demand.
  const catalog: ArticleListing[] = [];
  const splitCache = new Map<string, SplitArticle>();
  const posting = new Map<string, Promise<PostResult>>();
  // Normalised URL → article id: the same page posted twice (by link, by feed, pasted with its URL) is one article.
  const byUrl = new Map<string, string>();
  const postListeners = new Set<(article: Article) => void>();

  const started = Date.now();
  for await (const [, article] of store.entries<Article>('articles')) {
    catalog.push(listing(article));
    index.add(article.id, articleTerms(article));
    if (article.url !== undefined) byUrl.set(article.url, article.id);
  }
  catalog.sort(newestFirst);
  logger.info('articles loaded', { articles: catalog.length, ms: Date.now() - started, store: store.kind });

  // A feed posts on behalf of the admin who added it.
  const isAdmin = (actor: Actor): boolean =>
    actor.kind !== 'user' || settings.adminIds.has(`${actor.platform}:${actor.userId}`);

  async function loadArticle(id: string): Promise<Article | undefined> {
    try {
      return await articles.get(id);
    } catch (error) {
      throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: String(error) }, { cause: error });
    }
  }

  async function loadSplit(id: string): Promise<SplitArticle | undefined> {
    const cached = splitCache.get(id);
    if (cached) {
      // Re-insert to keep the Map in least-recently-used order.
      splitCache.delete(id);
      splitCache.set(id, cached);
      return cached;
    }
    const article = await loadArticle(id);
    if (!article) return undefined;
    const split = splitArticle(article);
    splitCache.set(id, split);
    if (splitCache.size > SPLIT_CACHE_SIZE) splitCache.delete(splitCache.keys().next().value!);
    return split;
  }

  function resolveId(ref: string): string {
    const wanted = ref.trim().toLowerCase().replace(/^#/, '');
    if (catalog.length === 0) throw new AkhbarError({ code: 'NO_ARTICLES' });
    if (index.has(wanted)) return wanted;
    if (wanted.length < MIN_ID_PREFIX || !/^[0-9a-f]+$/.test(wanted)) {
      throw new AkhbarError({ code: 'ARTICLE_NOT_FOUND', id: ref.slice(0, 64) });
    }
    const matches = catalog.filter((entry) => entry.id.startsWith(wanted)).map((entry) => entry.id);
    if (matches.length === 0) throw new AkhbarError({ code: 'ARTICLE_NOT_FOUND', id: ref.slice(0, 64) });
    if (matches.length > 1) throw new AkhbarError({ code: 'AMBIGUOUS_ARTICLE_ID', id: ref, matches: matches.slice(0, 5) });
    return matches[0]!;
  }

  async function storeNew(article: Article): Promise<PostResult> {
    const existing = await loadArticle(article.id);
    if (existing) return { article: existing, duplicate: true };
    try {
      await articles.set(article.id, article);
    } catch (error) {
      throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: String(error) }, { cause: error });
    }
    index.add(article.id, articleTerms(article));
    catalog.unshift(listing(article));
    if (article.url !== undefined) byUrl.set(article.url, article.id);
    logger.info('article posted', { id: article.id, language: article.language, chars: article.text.length, by: article.postedBy });
    for (const listener of postListeners) {
      // A failing listener (delivery) must not turn a stored article into a failed post.
      try {
        listener(article);
      } catch (error) {
        logger.error('article listener failed', { id: article.id, ...errorFields(error) });
      }
    }
    return { article, duplicate: false };
  }

  async function getArticle(ref: string): Promise<Article> {
    const id = resolveId(ref);
    const article = await loadArticle(id);
    if (!article) throw new AkhbarError({ code: 'ARTICLE_NOT_FOUND', id: ref.slice(0, 64) });
    return article;
  }

  async function latestArticle(): Promise<Article> {
    const latest = catalog[0];
    if (!latest) throw new AkhbarError({ code: 'NO_ARTICLES' });
    return getArticle(latest.id);
  }

  return {
    engineName: engine.name,
    engineUsage: () => engine.usage?.(),
    get articleCount() {
      return catalog.length;
    },
    isAdmin,
    postedBetween(after, until) {
      return catalog.filter((entry) => entry.postedAt > after && entry.postedAt <= until);
    },
    onArticlePosted(listener) {
      postListeners.add(listener);
      return () => postListeners.delete(listener);
    },

    async postArticle(input, actor) {
      if (!isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
      const article = prepareArticle(
        input,
        { minChars: settings.minArticleChars, maxChars: settings.maxArticleChars },
        actor,
        now(),
      );
      const storedId = article.url === undefined ? undefined : byUrl.get(article.url);
      const stored = storedId === undefined ? undefined : await loadArticle(storedId);
      if (stored) return { article: stored, duplicate: true };
      // Two posts of the same text, or of the same URL, at once must not both claim to be new.
      const keys = article.url === undefined ? [article.id] : [article.id, `url:${article.url}`];
      const inFlight = keys.map((key) => posting.get(key)).find((promise) => promise !== undefined);
      if (inFlight) return { article: (await inFlight).article, duplicate: true };
      const result = storeNew(article);
      for (const key of keys) posting.set(key, result);
      try {
        return await result;
      } finally {
        for (const key of keys) posting.delete(key);
      }
    },

    findByUrl(url) {
      const normalized = normalizeUrl(url);
      const id = normalized === undefined ? undefined : byUrl.get(normalized);
      return id === undefined ? undefined : catalog.find((entry) => entry.id === id);
    },

    getArticle,
    latestArticle,

    listArticles(page = {}) {
      const offset = Math.max(0, page.offset ?? 0);
      const limit = Math.min(100, Math.max(1, page.limit ?? 10));
      return { total: catalog.length, offset, items: catalog.slice(offset, offset + limit) };
    },

    async summarize(ref, options = {}) {
      const article = ref === undefined || ref.trim() === '' ? await latestArticle() : await getArticle(ref);
      const language = options.language ?? article.language;
      const key = [article.id, engine.name, engine.version, language, settings.summaryMinSentences, settings.summaryMaxSentences].join('|');
      const cached = await summaries.get(key).catch(() => undefined);
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
      // A fallback summary is not kept: the engine should make the real one once it is back.
      if (!made.fallbackEngine) {
        await summaries.set(key, summary).catch((error: unknown) => logger.warn('summary not cached', errorFields(error)));
      }
      return summary;
    },

    async ask(rawQuestion, actor, options = {}) {
      const question = rawQuestion.trim();
      if (question === '') throw new AkhbarError({ code: 'EMPTY_QUESTION' });
      if (question.length > settings.maxQuestionChars) {
        throw new AkhbarError({ code: 'QUESTION_TOO_LONG', maxChars: settings.maxQuestionChars, actualChars: question.length });
      }
      if (catalog.length === 0) throw new AkhbarError({ code: 'NO_ARTICLES' });
      const detected = detectLanguage(question);
      const language: Language =
        detected !== 'other' ? detected : actor?.kind === 'user' && actor.language ? actor.language : settings.defaultLanguage;

      const evidence = await retrieveEvidence(question, index, loadSplit, {
        candidateArticles: 8,
        passages: 3,
        contextSentences: 1,
      });
      // A question of two or more terms needs two of them in one article: a single shared name
      // ("Japan" in an article about a book fair) is not evidence of an answer.
      const relevant = isAnswerable(evidence);
      const passages = relevant ? evidence.passages : [];
      const key = answerCacheKey({ question, engineName: engine.name, engineVersion: engine.version, passages });
      const hit = await answers.get(key).catch(() => undefined);
      if (hit) return { ...withoutCreatedAt(hit), cached: true };

      let answer: Omit<Answer, 'cached'>;
      if (!relevant) {
        answer = { found: false, text: NOT_FOUND[language], language, citations: [], engine: engine.name };
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
          : { found: false, text: NOT_FOUND[language], language, citations: [], engine: by };
        // A fallback answer is not cached under the engine's key: the engine answers once it is back.
        if (made.fallbackEngine) return { ...answer, cached: false };
      }
      logger.debug('question answered', {
        found: answer.found,
        articleCoverage: round(evidence.articleCoverage),
        sentenceCoverage: round(evidence.sentenceCoverage),
        specificCoverage: round(evidence.specificCoverage),
        kindFound: evidence.kindFound,
        terms: evidence.questionTerms,
        matchedTerms: evidence.matchedTerms,
      });
      await answers
        .set(key, { ...answer, createdAt: now().toISOString() })
        .catch((error: unknown) => logger.warn('answer not cached', errorFields(error)));
      return { ...answer, cached: false };
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
  };
}

function newestFirst(a: ArticleListing, b: ArticleListing): number {
  return a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : a.id.localeCompare(b.id);
}

function withoutCreatedAt(entry: CachedAnswer): Omit<Answer, 'cached'> {
  const { createdAt: _createdAt, ...answer } = entry;
  return answer;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
