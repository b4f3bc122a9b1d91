/**
 * `/post <url>`: the page at a link, fetched under the SSRF guard and read into an article input
 * the news desk can store. The desk then deduplicates on the canonical URL.
 */
import type { ArticleInput } from '../../core/types.js';
import { normalizeUrl } from '../../core/urls.js';
import { extractArticle } from './extractArticle.js';
import type { Fetcher } from './fetchResource.js';

/** What reading a link needs. */
export interface PostLinkDeps {
  readonly fetch: Fetcher;
  readonly signal?: AbortSignal;
}

/**
 * The article at `url`, as input for `desk.postArticle`, with the page's canonical URL (else the
 * URL the redirects ended at); throws the LINK_* (or INVALID_URL) error that says why not.
 */
export async function fetchArticleFromLink(url: string, deps: PostLinkDeps): Promise<ArticleInput> {
  const page = await deps.fetch(url, { kind: 'html', ...(deps.signal ? { signal: deps.signal } : {}) });
  const article = extractArticle(page.text, page.url);
  return {
    text: article.text,
    title: article.title,
    url: article.canonicalUrl ?? normalizeUrl(page.url) ?? page.url,
    ...(article.byline ? { byline: article.byline } : {}),
    ...(article.publishedAt ? { publishedAt: article.publishedAt } : {}),
    source: 'link',
  };
}
