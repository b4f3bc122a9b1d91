/**
 * Who published an article, as a reader names the outlet: the host of its link, or the feed's
 * host; a pasted article without a link has none.
 */

/** The outlet of an article (`example.com` for `https://www.example.com/a`), or undefined for a pasted text. */
export function outletOf(article: { readonly url?: string; readonly postedBy: string }): string | undefined {
  if (article.url !== undefined) {
    try {
      return new URL(article.url).hostname.replace(/^www\./u, '');
    } catch {
      // A stored URL is normalised and parses; an odd legacy one falls through to the poster.
    }
  }
  return article.postedBy.startsWith('feed:') ? article.postedBy.slice('feed:'.length).replace(/^www\./u, '') : undefined;
}

/** The distinct outlets of a story's articles, in the order they reported it. */
export function storyOutlets(articles: readonly { readonly url?: string; readonly postedBy: string }[]): string[] {
  return [...new Set(articles.map(outletOf).filter((outlet): outlet is string => outlet !== undefined))];
}
