/**
 * An outbox as the schema before the smaller delivery rows stored it (SQLite version 2, PostgreSQL
 * version 3), for the backends' upgrade specs: the rows are written with each backend's old SQL,
 * and what a user of the upgraded store must find is checked here through the port, the same for both.
 */
import { expect } from 'vitest';
import type { DeliveredSummary } from '../../src/core/delivery/types.js';
import type { SubscriptionFilters } from '../../src/core/filters.js';
import type { Storage } from '../../src/core/ports.js';
import type { FeedRecord } from '../../src/core/types.js';
import type { Subscription } from '../../src/core/subscriptions.js';

/** The store's clock in the upgrade specs. */
export const UPGRADE_NOW = Date.parse('2026-03-01T09:00:00.000Z');

/** One row of the old `deliveries` table. */
export interface OldDelivery {
  readonly id: string;
  readonly subscription_id: string;
  readonly platform: string;
  readonly chat_id: string;
  readonly chat_kind: string;
  readonly kind: string;
  readonly language: string;
  readonly article_id: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly not_before: number;
  readonly claimed_by: string | null;
  readonly claimed_until: number;
  readonly created_at: number;
  readonly finished_at: number | null;
  readonly last_error: string | null;
}

const queuedAt = UPGRADE_NOW - 3_600_000;
const base = { platform: 'telegram', language: 'en', attempts: 0, not_before: 0, claimed_by: null, claimed_until: 0, created_at: queuedAt, finished_at: null, last_error: null };

/** Two articles' messages, as stored once per article and language. */
export const OLD_MESSAGES: readonly DeliveredSummary[] = [
  { articleId: 'art1', title: 'Rail strike', language: 'en', sentences: ['Trains stopped.'] },
  { articleId: 'art2', title: 'Port reopens', language: 'en', sentences: ['Ships sail again.'] },
];

/** Pending, retried, claimed, finished and digest deliveries. */
export const OLD_DELIVERIES: readonly OldDelivery[] = [
  { ...base, id: 'a:art1:telegram:1', subscription_id: 'telegram:1', chat_id: '1', chat_kind: 'private', kind: 'article', article_id: 'art1', status: 'pending' },
  {
    ...base,
    id: 'a:art1:telegram:-100',
    subscription_id: 'telegram:-100',
    chat_id: '-100',
    chat_kind: 'group',
    kind: 'article',
    article_id: 'art1',
    status: 'pending',
    attempts: 2,
    not_before: UPGRADE_NOW - 1_000,
    last_error: '502 Bad Gateway',
  },
  // Held by a process that was running the old version: nobody else takes it before the claim runs out.
  {
    ...base,
    id: 'a:art1:telegram:-1001',
    subscription_id: 'telegram:-1001',
    chat_id: '-1001',
    chat_kind: 'channel',
    kind: 'article',
    article_id: 'art1',
    status: 'pending',
    claimed_by: 'old-process',
    claimed_until: UPGRADE_NOW + 60_000,
  },
  { ...base, id: 'a:art1:telegram:2', subscription_id: 'telegram:2', chat_id: '2', chat_kind: 'private', kind: 'article', article_id: 'art1', status: 'sent', attempts: 1, finished_at: queuedAt + 1_000 },
  {
    ...base,
    id: 'd:telegram:3:2026-03-01T08:00:00.000Z',
    subscription_id: 'telegram:3',
    chat_id: '3',
    chat_kind: 'private',
    kind: 'digest',
    article_id: null,
    status: 'pending',
  },
];

/** The digest's articles, in order. */
export const OLD_DIGEST_ITEMS = [
  { delivery: 'd:telegram:3:2026-03-01T08:00:00.000Z', position: 0, article_id: 'art1', language: 'en' },
  { delivery: 'd:telegram:3:2026-03-01T08:00:00.000Z', position: 1, article_id: 'art2', language: 'en' },
] as const;

/** The counters the old version kept for those rows ('' is the totals). */
export const OLD_COUNTS = [
  { article_id: '', pending: 4, sent: 1, failed: 0, dead: 0 },
  { article_id: 'art1', pending: 4, sent: 1, failed: 0, dead: 0 },
  { article_id: 'art2', pending: 1, sent: 0, failed: 0, dead: 0 },
] as const;

/** What a user of the upgraded store finds: every delivery as it was, the pending ones still sent, each once. */
export async function expectUpgradedOutbox(s: Storage): Promise<void> {
  expect(await s.outbox.get('a:art1:telegram:-100')).toMatchObject({
    target: { platform: 'telegram', chatId: '-100', kind: 'group' },
    kind: 'article',
    message: { kind: 'article', summary: OLD_MESSAGES[0] },
    status: 'pending',
    attempts: 2,
    notBefore: UPGRADE_NOW - 1_000,
    lastError: '502 Bad Gateway',
    createdAt: new Date(queuedAt).toISOString(),
  });
  expect(await s.outbox.get('a:art1:telegram:2')).toMatchObject({ status: 'sent', sentAt: new Date(queuedAt + 1_000).toISOString() });
  expect(await s.outbox.get('d:telegram:3:2026-03-01T08:00:00.000Z')).toMatchObject({
    kind: 'digest',
    articleIds: ['art1', 'art2'],
    message: { kind: 'digest', language: 'en', summaries: OLD_MESSAGES },
  });
  const counts = await s.outbox.counts();
  expect(counts).toMatchObject({ pending: 4, sent: 1, failed: 0, dead: 0 });
  expect(await s.outbox.recount()).toEqual({ ...counts, byArticle: [...counts.byArticle] });

  // Queuing them again (a fan-out run twice) queues nothing; a new one goes in beside them.
  const again = OLD_DELIVERIES.filter((d) => d.kind === 'article').map((d) => ({
    id: d.id,
    target: { platform: d.platform, chatId: d.chat_id, kind: 'private' as const },
    kind: 'article' as const,
    language: 'en' as const,
    items: [{ articleId: 'art1', language: 'en' as const }],
    createdAt: new Date(UPGRADE_NOW).toISOString(),
  }));
  expect(await s.outbox.enqueue([...again, { ...again[0]!, id: 'a:art2:telegram:1', items: [{ articleId: 'art2', language: 'en' }] }])).toBe(1);

  // The pending ones are claimed in their old order, the new one after them; the old process's claim holds.
  const claimed = await s.outbox.claim({ owner: 'new-process', leaseMs: 60_000, limit: 10, platforms: ['telegram'] });
  expect(claimed.map((d) => d.id)).toEqual(['a:art1:telegram:1', 'a:art1:telegram:-100', 'd:telegram:3:2026-03-01T08:00:00.000Z', 'a:art2:telegram:1']);
  for (const d of claimed) expect(await s.outbox.settle(d.id, 'new-process', { kind: 'sent' })).toBe(true);
  expect(await s.outbox.settle('a:art1:telegram:-1001', 'old-process', { kind: 'sent' })).toBe(true);
  expect(await s.outbox.counts()).toMatchObject({ pending: 0, sent: 6 });
  const after = await s.outbox.counts();
  expect(await s.outbox.recount()).toEqual({ ...after, byArticle: [...after.byArticle] });
}

/** A feed as every schema before paused feeds stored it: the record as JSON beside its key columns. */
export const OLD_FEED: FeedRecord = {
  id: 'f0000001',
  url: 'https://news.example/feed.xml',
  addedBy: 'telegram:1',
  addedAt: '2026-02-01T09:00:00.000Z',
  nextCheckAt: '2026-03-01T08:00:00.000Z',
  failures: 3,
  seen: ['item-1'],
};

/** After the upgrade the old feed is still followed and due, and pausing it takes it out of the due list. */
export async function expectUpgradedFeeds(s: Storage): Promise<void> {
  const now = new Date(UPGRADE_NOW).toISOString();
  expect(await s.feeds.get(OLD_FEED.id)).toEqual(OLD_FEED);
  expect((await s.feeds.due(now)).map((f) => f.id)).toEqual([OLD_FEED.id]);
  await s.feeds.update({ ...OLD_FEED, paused: { at: now, failures: 10 } });
  expect(await s.feeds.due(now)).toEqual([]);
}

/** A subscriptions row as the schema before subscription options wrote it (SQLite before 6, PostgreSQL before 7). */
export const OLD_SUBSCRIPTION = {
  id: 'telegram:-100',
  platform: 'telegram',
  chat_id: '-100',
  chat_kind: 'group',
  name: 'Desk',
  mode: 'digest',
  digest_time: '08:00',
  time_zone: 'Africa/Algiers',
  language: 'ar',
  created_at: '2026-02-01T08:00:00.000Z',
  updated_at: '2026-02-02T08:00:00.000Z',
  digest_covered_until: '2026-02-28T07:00:00.000Z',
} as const;

/** The old subscription reads as it was (no topic, no filters, the default style), and takes filters and a style now. */
export async function expectUpgradedSubscription(s: Storage): Promise<void> {
  const before: Subscription = {
    id: 'telegram:-100',
    platform: 'telegram',
    chatId: '-100',
    kind: 'group',
    name: 'Desk',
    mode: 'digest',
    digestTime: '08:00',
    timeZone: 'Africa/Algiers',
    language: 'ar',
    active: true,
    createdAt: '2026-02-01T08:00:00.000Z',
    updatedAt: '2026-02-02T08:00:00.000Z',
    digestCoveredUntil: '2026-02-28T07:00:00.000Z',
  };
  expect(await s.subscriptions.get('telegram:-100')).toEqual(before);
  const filters: SubscriptionFilters = { include: ['نفط'], exclude: [], feeds: [], languages: [] };
  expect(await s.subscriptions.update('telegram:-100', { filters })).toEqual({ ...before, filters });
  await s.subscriptions.put({ ...before, filters, format: 'headline', previews: true });
  expect(await s.subscriptions.get('telegram:-100')).toEqual({ ...before, filters, format: 'headline', previews: true });
}

/** An article stored before article vectors (SQLite before version 8, PostgreSQL before version 9). */
export const OLD_ARTICLE = {
  id: 'art-before-vectors',
  url: null,
  title: 'Port reopens',
  language: 'en',
  posted_at: '2026-02-28T09:00:00.000Z',
  posted_by: 'operator',
  source: null,
  byline: null,
  published_at: null,
  body: 'Ships sail again after the strike ended.',
  story_id: null,
} as const;

/** What a user of an upgraded store finds: the old article is waiting for its vector, and keeps one once made. */
export async function expectUpgradedVectors(s: Storage): Promise<void> {
  expect(await s.vectors.missing('m1', 10)).toEqual([OLD_ARTICLE.id]);
  await s.vectors.put(OLD_ARTICLE.id, 'm1', Float32Array.from([0.5, -1]));
  expect([...(await s.vectors.load('m1')).get(OLD_ARTICLE.id)!]).toEqual([0.5, -1]);
  expect(await s.vectors.missing('m1', 10)).toEqual([]);
  expect((await s.articles.get(OLD_ARTICLE.id))?.text).toBe(OLD_ARTICLE.body);
}

/** A pending article delivery as the schema before followed questions held it (SQLite 3–8, PostgreSQL 4–9). */
export const PRE_FOLLOW_DELIVERY = { id: 'kept:art1:telegram:9', platform: 'telegram', chat_id: '9', chat_kind: 0, language: 'en', article_id: 'art1', created_at: UPGRADE_NOW - 1_000 };

/** After the upgrade: the old delivery is still an article delivery with its message, and a chat can follow a question. */
export async function expectFollowsAfterUpgrade(s: Storage): Promise<void> {
  expect(await s.outbox.get(PRE_FOLLOW_DELIVERY.id)).toMatchObject({ kind: 'article', status: 'pending', message: { kind: 'article', summary: OLD_MESSAGES[0] } });
  const follow = {
    id: 'f1',
    platform: 'telegram',
    chatId: '9',
    chatKind: 'private' as const,
    question: 'Why did the trains stop?',
    terms: ['train', 'stop'],
    language: 'en' as const,
    fingerprint: 'fp',
    createdAt: new Date(UPGRADE_NOW).toISOString(),
    updatedAt: new Date(UPGRADE_NOW).toISOString(),
  };
  expect(await s.follows.add(follow, 20)).toBe('added');
  expect(await s.follows.matching(['train'])).toEqual([follow]);
}
