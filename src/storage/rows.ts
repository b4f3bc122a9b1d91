/**
 * Rows shared by the SQL backends (SQLite and PostgreSQL): how an article and a delivery counter
 * map to columns, written once so the two cannot drift apart.
 */
import type { DeliveryStatus } from '../core/delivery/types.js';
import type { Article, ArticleListing, ArticleSource, Language } from '../core/types.js';

/** Status deltas or totals, one number per delivery status. */
export type Delta = Record<DeliveryStatus, number>;

/** An article as both SQL backends store it: one column per field, the text in `body`. */
export interface ArticleRow {
  id: string;
  url: string | null;
  title: string;
  language: string;
  posted_at: string;
  posted_by: string;
  source: string | null;
  byline: string | null;
  published_at: string | null;
  body: string;
}

/** The columns an article list reads. */
export interface ListingRow {
  id: string;
  title: string;
  language: string;
  posted_at: string;
  url: string | null;
}

/** One row of the delivery counters. */
export interface CountRow {
  article_id: string;
  pending: number;
  sent: number;
  failed: number;
  dead: number;
}

/** The four status counts of a counter row. */
export function countsOf(row: CountRow): Delta {
  return { pending: row.pending, sent: row.sent, failed: row.failed, dead: row.dead };
}

/** The row an article is stored as. */
export function fromArticle(a: Article): ArticleRow {
  return {
    id: a.id,
    url: a.url ?? null,
    title: a.title,
    language: a.language,
    posted_at: a.postedAt,
    posted_by: a.postedBy,
    source: a.source ?? null,
    byline: a.byline ?? null,
    published_at: a.publishedAt ?? null,
    body: a.text,
  };
}

/** The article a row holds, optional fields left out when null. */
export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    title: row.title,
    text: row.body,
    language: row.language as Language,
    ...(row.url !== null ? { url: row.url } : {}),
    postedAt: row.posted_at,
    postedBy: row.posted_by,
    ...(row.byline !== null ? { byline: row.byline } : {}),
    ...(row.published_at !== null ? { publishedAt: row.published_at } : {}),
    ...(row.source !== null ? { source: row.source as ArticleSource } : {}),
  };
}

/** The list entry a listing row holds. */
export function toListing(row: ListingRow): ArticleListing {
  return {
    id: row.id,
    title: row.title,
    language: row.language as Language,
    postedAt: row.posted_at,
    ...(row.url !== null ? { url: row.url } : {}),
  };
}
