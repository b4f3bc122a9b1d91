/**
 * An answer cites a story, not one outlet's copy of it: each cited article brings the other articles
 * of its story with it, so a reader sees every outlet that reported what the answer rests on.
 */
import type { ArticleRepo } from '../ports.js';
import type { ArticleListing, Citation, StorySource } from '../types.js';
import { outletOf } from './outlet.js';

/** The citations, each with the other stored articles of its article's story (none cited on their own), oldest first. */
export async function withStorySources(citations: readonly Citation[], articles: Pick<ArticleRepo, 'get' | 'storyArticles'>): Promise<Citation[]> {
  if (citations.length === 0) return [];
  const cited = new Set(citations.map((citation) => citation.articleId));
  const storyOf = (await Promise.all(citations.map((citation) => articles.get(citation.articleId)))).map((article) =>
    article === undefined ? undefined : (article.storyId ?? article.id),
  );
  const storyIds = [...new Set(storyOf.filter((story): story is string => story !== undefined))];
  const [joined, firsts] = await Promise.all([articles.storyArticles(storyIds), Promise.all(storyIds.map((id) => articles.get(id)))]);
  return citations.map((citation, i) => {
    const story = storyOf[i];
    const first = firsts[storyIds.indexOf(story ?? '')];
    const members: Pick<ArticleListing, 'id' | 'title' | 'url' | 'postedBy'>[] = [
      ...(first ? [first] : []),
      ...joined.filter((article) => article.storyId === story),
    ].filter((article) => !cited.has(article.id));
    return members.length === 0 ? citation : { ...citation, alsoIn: members.map(source) };
  });
}

function source(article: Pick<ArticleListing, 'id' | 'title' | 'url' | 'postedBy'>): StorySource {
  const outlet = outletOf(article);
  return {
    articleId: article.id,
    title: article.title,
    ...(article.url === undefined ? {} : { url: article.url }),
    ...(outlet === undefined ? {} : { outlet }),
  };
}
