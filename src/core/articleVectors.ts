/**
 * The articles' embedding vectors, for hybrid retrieval: each article's vector is made once (when
 * it is posted, or later for articles stored before, or while the endpoint was failing), kept with
 * the article in the database, and held here in memory to rank articles by cosine to a question.
 * Nothing here ever blocks a post or an answer: vectors are made in the background, and a question
 * whose vector cannot be made is searched by BM25 alone.
 */
import type { Embedder } from './engine.js';
import { errorFields, type Logger } from './logger.js';
import type { Storage } from './ports.js';
import type { SimilarArticle } from './retrieval/index.js';
import type { Article } from './types.js';

/** What the vectors are built from. */
export interface ArticleVectorsOptions {
  readonly embedder: Embedder;
  readonly storage: Pick<Storage, 'articles' | 'vectors'>;
  readonly logger: Logger;
  /** Whether the article is still in the search index (not deleted meanwhile). */
  readonly isIndexed: (articleId: string) => boolean;
  /** After a failed request, articles without vectors wait this long for the next try. Default 60 s. */
  readonly retryMs?: number;
}

/** The vectors of the stored articles, kept up to date in the background. */
export interface ArticleVectors {
  /** Articles that have a vector here. */
  readonly size: number;
  /** An article this process stored: its vector is made and kept. */
  added(article: Article): void;
  /** An article another process stored: its vector is read from the database, or made when it has none yet. */
  adopted(articleId: string): void;
  removed(articleId: string): void;
  /** The articles nearest the question, best first; none when the question's vector cannot be made. */
  similar(question: string, limit: number): Promise<SimilarArticle[]>;
  /** Resolves once the background work queued so far is done. */
  settled(): Promise<void>;
}

// The headline and the lead say what a news story is about; 2,000 characters is about 500 tokens,
// well inside every embedding model's input limit (8,191 tokens for OpenAI's).
const EMBED_CHARS = 2_000;
// Articles per embeddings request when catching up: one request instead of dozens, and small
// enough that one failing request loses little.
const BATCH = 16;
// A catch-up makes at most this many vectors, so a start over a large archive spreads its cost
// over several runs (one after each pause below) rather than one long burst of requests.
const CATCH_UP_LIMIT = 2_000;
const QUESTION_CACHE = 256;

/** The text an article's vector is made from. */
export function embeddingText(article: Pick<Article, 'title' | 'text'>): string {
  return `${article.title}\n${article.text.slice(0, EMBED_CHARS)}`;
}

/** Starts keeping the vectors: those stored are read, and missing ones are made, in the background. */
export function openArticleVectors(options: ArticleVectorsOptions): ArticleVectors {
  const { embedder, storage } = options;
  const model = embedder.model;
  const logger = options.logger.child({ component: 'article-vectors', model });
  const vectors = new Map<string, Float32Array>();
  const questions = new Map<string, Float32Array>();
  let work: Promise<void> = Promise.resolve();
  // Reads of stored vectors, which a question waits for (database reads, never the endpoint).
  let reading: Promise<void> = Promise.resolve();
  let retryAt = 0;
  let catchingUp = false;
  let behind = true;

  function queue(task: () => Promise<void>): void {
    work = work.then(task).catch((error: unknown) => logger.warn('article vectors not updated', errorFields(error)));
  }

  function read(task: () => Promise<void>): void {
    reading = reading.then(task).catch((error: unknown) => logger.warn('stored article vectors not read', errorFields(error)));
    // Vectors are made only after the stored ones are read, so none is made twice.
    const done = reading;
    queue(() => done);
  }

  const failed = (error: unknown, what: string): void => {
    behind = true;
    // A minute: an endpoint that failed is rarely back sooner, and questions keep coming meanwhile.
    retryAt = Date.now() + (options.retryMs ?? 60_000);
    logger.warn(`${what}; trying again later`, errorFields(error));
  };

  async function make(batch: readonly Article[]): Promise<void> {
    const made = await embedder.embed(batch.map(embeddingText));
    for (const [i, article] of batch.entries()) {
      const vector = made[i]!;
      await storage.vectors.put(article.id, model, vector);
      if (options.isIndexed(article.id)) vectors.set(article.id, normalized(vector));
    }
  }

  async function catchUp(): Promise<void> {
    behind = false;
    let done = 0;
    const skipped = new Set<string>();
    while (done < CATCH_UP_LIMIT) {
      // Articles gone since they were listed come back on every read; they are passed over.
      const ids = (await storage.vectors.missing(model, skipped.size + BATCH)).filter((id) => !skipped.has(id) && !vectors.has(id));
      if (ids.length === 0) return;
      const batch: Article[] = [];
      for (const id of ids.slice(0, BATCH)) {
        const article = await storage.articles.get(id);
        if (article) batch.push(article);
        else skipped.add(id);
      }
      try {
        await make(batch);
      } catch (error) {
        failed(error, 'article vectors not made');
        return;
      }
      for (const article of batch) skipped.add(article.id);
      done += batch.length;
    }
    behind = true;
  }

  function catchUpWhenDue(): void {
    if (!behind || catchingUp || Date.now() < retryAt) return;
    catchingUp = true;
    queue(() => catchUp().finally(() => (catchingUp = false)));
  }

  read(async () => {
    for (const [id, vector] of await storage.vectors.load(model)) if (options.isIndexed(id)) vectors.set(id, normalized(vector));
    logger.info('article vectors read', { articles: vectors.size });
  });
  catchUpWhenDue();

  return {
    get size() {
      return vectors.size;
    },
    added(article) {
      queue(async () => {
        if (vectors.has(article.id)) return;
        await make([article]).catch((error: unknown) => failed(error, 'article vector not made'));
      });
    },
    adopted(articleId) {
      read(async () => {
        const stored = (await storage.vectors.load(model, [articleId])).get(articleId);
        if (stored) vectors.set(articleId, normalized(stored));
        else behind = true;
      });
      catchUpWhenDue();
    },
    removed(articleId) {
      vectors.delete(articleId);
    },
    async similar(question, limit) {
      catchUpWhenDue();
      await reading;
      if (vectors.size === 0) return [];
      let vector = questions.get(question);
      if (!vector) {
        try {
          const [made] = await embedder.embed([question]);
          if (!made) return [];
          vector = normalized(made);
        } catch (error) {
          logger.warn('question vector not made; searching by terms alone', errorFields(error));
          return [];
        }
        questions.set(question, vector);
        if (questions.size > QUESTION_CACHE) questions.delete(questions.keys().next().value!);
      }
      const nearest: SimilarArticle[] = [];
      for (const [articleId, articleVector] of vectors) {
        if (articleVector.length !== vector.length || !options.isIndexed(articleId)) continue;
        nearest.push({ articleId, similarity: dot(vector, articleVector) });
      }
      return nearest.sort((x, y) => y.similarity - x.similarity).slice(0, limit);
    },
    settled: async () => {
      // Work queued while waiting is waited for too.
      for (let seen: Promise<void> | undefined; seen !== work; ) {
        seen = work;
        await Promise.all([work, reading]);
      }
    },
  };
}

function normalized(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(vector, vector));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
