/**
 * The story index of one process, filled from the database: the articles stored within the story
 * window when the desk opens, then every article this process stores and every one another
 * process stores (through the change feed, as the search index follows it).
 */
import type { Logger } from '../logger.js';
import type { ArticleRepo } from '../ports.js';
import type { Article } from '../types.js';
import { storySignature, type StorySignature } from './signature.js';
import { createStoryIndex, type StoryMatch } from './storyIndex.js';

/** What a new article's story check found: its signature (to index it once stored) and the story it joins, if any. */
export interface StoryCheck {
  readonly signature: StorySignature;
  readonly match?: StoryMatch;
}

/** The recent stories a desk checks new articles against. */
export interface RecentStories {
  /** The story a prepared (not yet stored) article tells, among those of the window before it. */
  check(article: Article): StoryCheck;
  /** Indexes a stored article (with the signature its check made, when there was one). */
  added(article: Article, signature?: StorySignature): void;
  removed(articleId: string): void;
}

// The most articles read back at start: 100k is where the story check was measured (`npm run
// bench -- stories`); a window holding more starts with its newest 100k.
const MAX_LOADED = 100_000;
const HOUR_MS = 3_600_000;

/** Opens the story index over the articles stored in the last `windowHours`. */
export async function openStoryIndex(options: {
  readonly articles: Pick<ArticleRepo, 'postedBetween' | 'get'>;
  readonly windowHours: number;
  readonly now: () => Date;
  readonly logger: Logger;
}): Promise<RecentStories> {
  const windowMs = options.windowHours * HOUR_MS;
  const index = createStoryIndex(windowMs);
  const add = (article: Article, signature = storySignature(article)) =>
    index.add({ articleId: article.id, storyId: article.storyId ?? article.id, at: Date.parse(article.postedAt), signature });

  if (windowMs > 0) {
    const started = Date.now();
    const since = new Date(options.now().getTime() - windowMs).toISOString();
    // Posting times are never in the future by more than a clock's skew; a year covers any.
    const until = new Date(options.now().getTime() + 365 * 24 * HOUR_MS).toISOString();
    const recent = await options.articles.postedBetween(since, until, MAX_LOADED);
    // Oldest first, as they were posted, so the window moves forward as it would have.
    for (const listing of recent.reverse()) {
      const article = await options.articles.get(listing.id);
      if (article) add(article);
    }
    options.logger.child({ component: 'stories' }).info('story index ready', { articles: index.size, windowHours: options.windowHours, ms: Date.now() - started });
  }

  return {
    check(article) {
      const signature = storySignature(article);
      if (windowMs === 0) return { signature };
      const match = index.match(signature, Date.parse(article.postedAt));
      // The same text is the same article, which the store refuses as a duplicate: not a story to join.
      return match && match.articleId !== article.id ? { signature, match } : { signature };
    },
    added(article, signature) {
      if (windowMs > 0) add(article, signature);
    },
    removed: (articleId) => void index.remove(articleId),
  };
}
