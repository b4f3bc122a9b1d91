/**
 * Which items of a polled feed become articles, and what each article is made of: the item's own
 * content when the feed carries the story, the linked page when it only carries a teaser.
 */
import type { ArticleInput } from '../../core/types.js';
import type { Fetcher } from '../web/fetchResource.js';
// The HTML reader (linkedom, Readability) is loaded at the first item read, not when a process starts.
const htmlText = () => import('../web/htmlText.js');
const postLink = () => import('../web/postLink.js');
import type { FeedItem } from './parseFeed.js';

/** How many items a poll may post. */
export interface SelectionLimits {
  /**
   * The first successful poll of a feed posts only its newest this-many items: following a feed
   * should bring what is new, not flood subscribers with the feed's whole back catalogue.
   */
  readonly firstPollItems: number;
  /** Later polls post at most this many; more at once means the feed changed its ids, not that news broke. */
  readonly maxItemsPerPoll: number;
}

/** The items to post (oldest first, so they are delivered in the order they were published) and how many new ones were passed over. */
export function selectNewItems(
  items: readonly FeedItem[],
  seen: ReadonlySet<string>,
  firstPoll: boolean,
  limits: SelectionLimits,
): { readonly post: FeedItem[]; readonly passedOver: number } {
  const fresh = new Map<string, FeedItem>();
  for (const item of items) if (!seen.has(item.id) && !fresh.has(item.id)) fresh.set(item.id, item);
  // Newest first by date; undated items keep the feed's order (usually newest first) after the dated ones.
  const newestFirst = [...fresh.values()].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
  const limit = firstPoll ? limits.firstPollItems : limits.maxItemsPerPoll;
  const post = newestFirst.slice(0, limit).reverse();
  return { post, passedOver: newestFirst.length - post.length };
}

/**
 * The article input for a feed item. When its text is shorter than `teaserChars` and it links to a
 * page, the page is fetched and read; if that fails, the teaser is all there is (the desk may then
 * refuse it as too short, which the poller logs) unless `teaserIfPageFails` is false, when the
 * page's error is thrown so the item can be tried again later.
 */
export async function itemToArticleInput(
  item: FeedItem,
  deps: {
    readonly fetch: Fetcher;
    readonly teaserChars: number;
    readonly signal?: AbortSignal;
    readonly onPageError?: (error: unknown) => void;
    readonly teaserIfPageFails?: boolean;
  },
): Promise<ArticleInput> {
  const text = (await htmlText()).htmlToText(item.content);
  const own: ArticleInput = {
    text,
    ...(item.title ? { title: item.title } : {}),
    ...(item.link ? { url: item.link } : {}),
    ...(item.author ? { byline: item.author } : {}),
    ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
    source: 'feed',
  };
  if (text.length >= deps.teaserChars || !item.link) return own;
  try {
    const page = await (await postLink()).fetchArticleFromLink(item.link, { fetch: deps.fetch, ...(deps.signal ? { signal: deps.signal } : {}) });
    // The feed's headline and date are the outlet's own; the page fills in what the feed left out.
    return {
      ...page,
      ...(item.title ? { title: item.title } : {}),
      ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
      ...(page.byline === undefined && item.author ? { byline: item.author } : {}),
      source: 'feed',
    };
  } catch (error) {
    if (deps.teaserIfPageFails === false) throw new PageNotRead(item.link, error);
    deps.onPageError?.(error);
    return own;
  }
}

/** The linked page of a teaser item could not be read; `cause` says why. */
export class PageNotRead extends Error {
  readonly link: string;
  constructor(link: string, cause: unknown) {
    super('feed item page not read', { cause });
    this.name = 'PageNotRead';
    this.link = link;
  }
}
