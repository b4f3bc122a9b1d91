/**
 * Rows shared by the SQL backends (SQLite and PostgreSQL): how an article, a delivery and a
 * delivery counter map to columns, written once so the two cannot drift apart.
 */
import { createHash } from 'node:crypto';
import { isStoryUpdateId, type DeliveredAnswer, type DeliveredSummary, type DeliveryStatus } from '../core/delivery/types.js';
import type { Follow } from '../core/follows.js';
import type { NewDelivery, OutboxDelivery, OutboxItem } from '../core/ports.js';
import type { SubscriptionFilters } from '../core/filters.js';
import { DEFAULT_STYLE, type ChatKind, type DeliveryFormat, type DeliveryStyle, type Subscription, type SubscriptionMode } from '../core/subscriptions.js';
import type { Article, ArticleListing, ArticleSource, Language } from '../core/types.js';
import { assembleMessage } from './common.js';

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
  /** SQLite migration 4, PostgreSQL migration 5; null when the article started its story. */
  story_id: string | null;
}

/** The columns an article list reads. */
export interface ListingRow {
  id: string;
  title: string;
  language: string;
  posted_at: string;
  url: string | null;
  posted_by: string;
  story_id: string | null;
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
    story_id: a.storyId ?? null,
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
    ...(row.story_id !== null ? { storyId: row.story_id } : {}),
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
    postedBy: row.posted_by,
    ...(row.story_id !== null ? { storyId: row.story_id } : {}),
  };
}

/** The columns of a listing row, for SELECT lists (`a.` prefixed: queries name the table `a`). */
export const LISTING_COLUMNS = 'a.id, a.title, a.language, a.posted_at, a.url, a.posted_by, a.story_id';

/**
 * The SQL condition that an article (table `a`) heads its story: it started it, or the story's
 * first article was deleted since, so the story would otherwise not be listed at all.
 */
export const HEADS_STORY = '(a.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM articles h WHERE h.id = a.story_id))';

/**
 * A delivery as both SQL backends store it (SQLite migration 3, PostgreSQL migration 4): one row
 * per message to one chat, kept small because a broadcast writes one per subscriber. The key, by
 * which it is found, is never read back (it is written and compared in SQL only).
 */
export interface DeliveryRow {
  seq: number;
  /** Null when the id is the article form this row spells out (see deliveryIdOf). */
  id: string | null;
  platform: string;
  chat_id: string;
  chat_kind: number;
  language: string;
  /** Null for a digest, whose articles are in delivery_items. */
  article_id: string | null;
  status: number;
  attempts: number;
  not_before: number;
  claimed_by: string | null;
  claimed_until: number;
  created_at: number;
  finished_at: number | null;
  last_error: string | null;
  /** JSON of what the delivery has beside its chat (see presentationOf); null for none, as most rows. */
  presentation: string | null;
  /** A follow update's answer as JSON (SQLite migration 9, PostgreSQL migration 10); null for the other kinds. */
  body: string | null;
}

/** The columns of DeliveryRow, for SELECT and RETURNING lists; prefixed with `alias.` when given. */
export function deliveryColumns(alias?: string): string {
  const names = ['seq', 'id', 'platform', 'chat_id', 'chat_kind', 'language', 'article_id', 'status', 'attempts', 'not_before', 'claimed_by', 'claimed_until', 'created_at', 'finished_at', 'last_error', 'presentation', 'body'];
  return names.map((name) => (alias ? `${alias}.${name}` : name)).join(', ');
}

/** Statuses as stored, a small number each (the schemas' partial indexes name 0, pending, literally). */
const STATUS_CODES: Readonly<Record<DeliveryStatus, number>> = { pending: 0, sent: 1, failed: 2, dead: 3 };
const STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed', 'dead'];
const CHAT_KIND_CODES: Readonly<Record<ChatKind, number>> = { private: 0, group: 1, channel: 2 };
const CHAT_KINDS: readonly ChatKind[] = ['private', 'group', 'channel'];

/** The stored number of a status. */
export function statusCode(status: DeliveryStatus): number {
  return STATUS_CODES[status];
}

/** The status a stored number stands for. */
export function statusOf(code: number): DeliveryStatus {
  const status = STATUSES[code];
  if (status === undefined) throw new Error(`unknown delivery status code ${code}`);
  return status;
}

/** The stored number of a chat kind. */
export function chatKindCode(kind: ChatKind): number {
  return CHAT_KIND_CODES[kind];
}

/** The chat kind a stored number stands for. */
export function chatKindOf(code: number): ChatKind {
  const kind = CHAT_KINDS[code];
  if (kind === undefined) throw new Error(`unknown chat kind code ${code}`);
  return kind;
}

/**
 * The id a delivery row stands for, in SQL: the stored one, else the article form spelled from the
 * row. `alias.` prefixes the columns when given. Deliveries are found by `key = <their key> AND
 * <this> = <their id>`, or, unkeyed, by `key IS NULL AND id = <their id>`.
 */
export function effectiveIdSql(alias?: string): string {
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  return `coalesce(${c('id')}, 'a:' || ${c('article_id')} || ':' || ${c('platform')} || ':' || ${c('chat_id')})`;
}

/** The id of an article delivery in its usual form, which its row spells out and need not store. */
function articleDeliveryId(articleId: string, platform: string, chatId: string): string {
  return `a:${articleId}:${platform}:${chatId}`;
}

/** What goes in the `id` column for a new delivery: nothing when the row spells the id out already. */
export function storedIdOf(d: NewDelivery): string | null {
  return d.kind === 'article' && d.id === articleDeliveryId(d.items[0]!.articleId, d.target.platform, d.target.chatId) ? null : d.id;
}

/** The id a stored delivery row stands for (the JavaScript twin of effectiveIdSql). */
export function deliveryIdOf(row: Pick<DeliveryRow, 'id' | 'article_id' | 'platform' | 'chat_id'>): string {
  return row.id ?? articleDeliveryId(row.article_id!, row.platform, row.chat_id);
}

/**
 * The 64-bit key a delivery id is found and deduplicated by: the first 8 bytes of its SHA-256, as a
 * signed integer. An index of these is a fraction of an index of the ids. Two ids with one key (odds
 * n²/2^65: about 3 in a million with ten million deliveries kept) are still told apart by the id,
 * and the later one is stored unkeyed.
 */
export function deliveryKey(id: string): bigint {
  return createHash('sha256').update(id).digest().readBigInt64BE(0);
}

/** The delivery a row holds, as the port returns it; `items` are a digest's (an article delivery's one is in the row). */
export function toOutboxDelivery(
  row: DeliveryRow,
  digestItems: readonly OutboxItem[],
  lookup: (articleId: string, language: Language) => DeliveredSummary | undefined,
): OutboxDelivery {
  const id = deliveryIdOf(row);
  // The kind is not stored: a follow update carries its answer, a digest has no article of its own,
  // an update's id says it is one.
  const kind = row.body !== null ? 'follow-update' : row.article_id === null ? 'digest' : isStoryUpdateId(id) ? 'update' : 'article';
  const language = row.language as Language;
  const items = kind === 'digest' ? [...digestItems] : [{ articleId: row.article_id!, language }];
  const status = statusOf(row.status);
  const presentation = row.presentation === null ? {} : (JSON.parse(row.presentation) as Presentation);
  return {
    id,
    target: {
      platform: row.platform,
      chatId: row.chat_id,
      kind: chatKindOf(row.chat_kind),
      ...(presentation.threadId !== undefined ? { threadId: presentation.threadId } : {}),
      ...(presentation.forum ? { forum: true } : {}),
    },
    kind,
    language,
    items,
    message: assembleMessage(kind, language, items, lookup, presentation.style, row.body === null ? undefined : (JSON.parse(row.body) as DeliveredAnswer)),
    articleIds: items.map((item) => item.articleId),
    status,
    attempts: row.attempts,
    notBefore: row.not_before,
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.claimed_by !== null ? { claimedBy: row.claimed_by } : {}),
    claimedUntil: row.claimed_until,
    ...(status === 'sent' && row.finished_at !== null ? { sentAt: new Date(row.finished_at).toISOString() } : {}),
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
  };
}

/** Where in its chat a delivery goes and how it reads: stored together, as JSON, only when set. */
interface Presentation {
  readonly threadId?: string;
  readonly forum?: boolean;
  readonly style?: DeliveryStyle;
}

/**
 * The `presentation` column of a new delivery: null when it goes to the chat itself in the default
 * style, which is what nearly every row of a broadcast is, so those rows pay nothing for it.
 */
export function presentationOf(d: NewDelivery): string | null {
  const presentation: Presentation = {
    ...(d.target.threadId !== undefined ? { threadId: d.target.threadId } : {}),
    ...(d.target.forum ? { forum: true } : {}),
    ...(d.style && (d.style.format !== DEFAULT_STYLE.format || d.style.previews !== DEFAULT_STYLE.previews) ? { style: d.style } : {}),
  };
  return Object.keys(presentation).length === 0 ? null : JSON.stringify(presentation);
}

/** What a subscription has beyond the columns every one fills: stored as JSON in `options`. */
interface SubscriptionOptions {
  readonly threadId?: string;
  readonly forum?: boolean;
  readonly format?: DeliveryFormat;
  readonly previews?: boolean;
  readonly filters?: SubscriptionFilters;
}

/** The `options` column of a subscription: null when it has none of them. */
export function subscriptionOptionsOf(s: Subscription): string | null {
  const options: SubscriptionOptions = {
    ...(s.threadId !== undefined ? { threadId: s.threadId } : {}),
    ...(s.forum ? { forum: true } : {}),
    ...(s.format !== undefined ? { format: s.format } : {}),
    ...(s.previews !== undefined ? { previews: s.previews } : {}),
    ...(s.filters !== undefined ? { filters: s.filters } : {}),
  };
  return Object.keys(options).length === 0 ? null : JSON.stringify(options);
}

/** A subscriptions row as both backends read it: SQLite stores `active` as 0/1, PostgreSQL as a boolean. */
export interface SubscriptionRow {
  id: string;
  platform: string;
  chat_id: string;
  chat_kind: string;
  name: string | null;
  mode: string;
  digest_time: string | null;
  time_zone: string | null;
  language: string | null;
  active: boolean | number;
  inactive_reason: string | null;
  created_at: string;
  updated_at: string;
  digest_covered_until: string | null;
  /** SQLite migration 7, PostgreSQL migration 8: "also reported by" notes wanted (0/1 in SQLite). */
  story_updates: boolean | number;
  /** JSON text; see subscriptionOptionsOf. */
  options: string | null;
}

/** The subscription a row holds, optional fields left out when null. */
export function toSubscription(row: SubscriptionRow): Subscription {
  const options = row.options === null ? {} : (JSON.parse(row.options) as SubscriptionOptions);
  return {
    id: row.id,
    platform: row.platform,
    chatId: row.chat_id,
    kind: row.chat_kind as ChatKind,
    ...(row.name !== null ? { name: row.name } : {}),
    mode: row.mode as SubscriptionMode,
    ...(row.digest_time !== null ? { digestTime: row.digest_time } : {}),
    ...(row.time_zone !== null ? { timeZone: row.time_zone } : {}),
    ...(row.language !== null ? { language: row.language as Language } : {}),
    ...(row.story_updates === true || row.story_updates === 1 ? { storyUpdates: true } : {}),
    active: row.active === true || row.active === 1,
    ...(row.inactive_reason !== null ? { inactiveReason: row.inactive_reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.digest_covered_until !== null ? { digestCoveredUntil: row.digest_covered_until } : {}),
    ...options,
  };
}

/** A followed question as both SQL backends store it (SQLite migration 9, PostgreSQL migration 10); `terms` is a JSON list. */
export interface FollowRow {
  id: string;
  platform: string;
  chat_id: string;
  chat_kind: string;
  thread_id: string | null;
  question: string;
  terms: string;
  language: string;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

/** The row a follow is stored as. */
export function fromFollow(f: Follow): FollowRow {
  return {
    id: f.id,
    platform: f.platform,
    chat_id: f.chatId,
    chat_kind: f.chatKind,
    thread_id: f.threadId ?? null,
    question: f.question,
    terms: JSON.stringify(f.terms),
    language: f.language,
    fingerprint: f.fingerprint,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

/** The follow a row holds. */
export function toFollow(row: FollowRow): Follow {
  return {
    id: row.id,
    platform: row.platform,
    chatId: row.chat_id,
    chatKind: row.chat_kind as ChatKind,
    ...(row.thread_id !== null ? { threadId: row.thread_id } : {}),
    question: row.question,
    terms: JSON.parse(row.terms) as string[],
    language: row.language as Language,
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
