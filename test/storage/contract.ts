/**
 * The storage contract: one suite every backend runs, so the core can rely on the same behaviour
 * from memory, SQLite and any backend to come. A backend supplies a fresh database per test, a way
 * to open a second handle on it (another process, as far as the backend can tell), and a way to
 * make its writes fail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveredSummary } from '../../src/core/delivery/types.js';
import { isAkhbarError } from '../../src/core/errors.js';
import type { NewDelivery, Storage } from '../../src/core/ports.js';
import type { Follow } from '../../src/core/follows.js';
import type { Subscription } from '../../src/core/subscriptions.js';
import type { Article, FeedRecord, Language, Summary } from '../../src/core/types.js';

/** One database of a backend under test. */
export interface ContractDatabase {
  readonly storage: Storage;
  /** Another handle on the same database, with the same clock. */
  another(): Promise<Storage>;
  /** Makes every write fail until the returned function is called. */
  breakWrites(): Promise<() => Promise<void>>;
  /** Closes what was opened and removes any files. */
  cleanup(): Promise<void>;
}

/** How the contract opens a backend: a fresh database whose clock is `clock`. */
export type ContractBackend = (clock: () => number) => Promise<ContractDatabase>;

const T0 = Date.parse('2026-03-01T08:00:00.000Z');

/** An article whose id, URL and time follow from `n`. */
export function article(n: number, overrides: Partial<Article> = {}): Article {
  return {
    id: `a${String(n).padStart(11, '0')}`,
    title: `Headline ${n}`,
    text: `Body of article ${n}. It has two sentences.`,
    language: n % 2 === 0 ? 'en' : 'ar',
    url: `https://news.example/${n}`,
    postedAt: new Date(T0 + n * 60_000).toISOString(),
    postedBy: 'operator',
    source: 'paste',
    ...overrides,
  };
}

function subscription(chatId: string, overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: `telegram:${chatId}`,
    platform: 'telegram',
    chatId,
    kind: 'private',
    mode: 'each',
    active: true,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

function followOf(n: number, overrides: Partial<Follow> = {}): Follow {
  return {
    id: `f${String(n).padStart(5, '0')}`,
    platform: 'telegram',
    chatId: '1',
    chatKind: 'private',
    question: `Question ${n}?`,
    terms: [`term${n}`, 'shared'],
    language: 'en',
    fingerprint: `fp${n}`,
    createdAt: new Date(T0 + n * 1_000).toISOString(),
    updatedAt: new Date(T0 + n * 1_000).toISOString(),
    ...overrides,
  };
}

function message(articleId: string, language: Language = 'en'): DeliveredSummary {
  return { articleId, title: `Title of ${articleId}`, language, sentences: [`First sentence of ${articleId}.`, 'Second one.'] };
}

function articleDelivery(articleId: string, chatId: string, language: Language = 'en', platform = 'telegram'): NewDelivery {
  return {
    id: `a:${articleId}:${platform}:${chatId}`,
    target: { platform, chatId, kind: 'private' },
    kind: 'article',
    language,
    items: [{ articleId, language }],
    createdAt: new Date(T0).toISOString(),
  };
}

function digestDelivery(chatId: string, slot: string, articleIds: string[], language: Language = 'en'): NewDelivery {
  return {
    id: `d:telegram:${chatId}:${slot}`,
    target: { platform: 'telegram', chatId, kind: 'private' },
    kind: 'digest',
    language,
    items: articleIds.map((articleId) => ({ articleId, language })),
    createdAt: new Date(T0).toISOString(),
  };
}

function feed(n: number, overrides: Partial<FeedRecord> = {}): FeedRecord {
  return {
    id: `f000000${n}`,
    url: `https://news.example/feed-${n}.xml`,
    addedBy: 'operator',
    addedAt: new Date(T0 + n).toISOString(),
    nextCheckAt: new Date(T0 + n * 1_000).toISOString(),
    failures: 0,
    seen: [`item-${n}`],
    ...overrides,
  };
}

function summary(articleId: string, language: Language = 'en'): Summary {
  return { articleId, title: 'T', language, sentences: ['S.'], text: 'S.', engine: 'embedded' };
}

const claimAll = { owner: 'p1', leaseMs: 60_000, limit: 100, platforms: ['telegram'] } as const;

/** Registers the whole contract for one backend. */
export function storageContract(name: string, backend: ContractBackend): void {
  describe(`storage contract: ${name}`, () => {
    let now = T0;
    const clock = () => now;
    let db: ContractDatabase;
    let s: Storage;

    beforeEach(async () => {
      now = T0;
      db = await backend(clock);
      s = db.storage;
    });
    afterEach(async () => {
      await db.cleanup();
    });

    async function queued(articleIds: string[], chats: string[], language: Language = 'en'): Promise<number> {
      for (const id of articleIds) await s.outbox.putMessage(message(id, language));
      return s.outbox.enqueue(articleIds.flatMap((id) => chats.map((chat) => articleDelivery(id, chat, language))));
    }

    async function expectCountersMatchRows(storage: Storage = s): Promise<void> {
      const counted = await storage.outbox.recount();
      const kept = await storage.outbox.counts({ articles: 1_000 });
      expect({ ...kept, byArticle: [...kept.byArticle].sort((a, b) => (a.articleId < b.articleId ? -1 : 1)) }).toEqual(counted);
    }

    describe('articles', () => {
      it('stores an article once: the same text or the same URL again returns the stored one', async () => {
        const first = await s.articles.insert(article(1));
        expect(first).toEqual({ article: article(1), inserted: true });
        expect(await s.articles.insert({ ...article(1), title: 'Other title' })).toEqual({ article: article(1), inserted: false });
        const sameUrl = await s.articles.insert(article(2, { url: article(1).url! }));
        expect(sameUrl).toEqual({ article: article(1), inserted: false });
        expect(await s.articles.count()).toBe(1);
        expect(await s.articles.get(article(1).id)).toEqual(article(1));
        expect(await s.articles.findByUrl(article(1).url!)).toEqual(article(1));
        expect(await s.articles.get('missing')).toBeUndefined();
      });

      it('two handles posting the same article at once store it once', async () => {
        const other = await db.another();
        const results = await Promise.all([s.articles.insert(article(7)), other.articles.insert(article(7, { title: 'Second' }))]);
        expect(results.filter((r) => r.inserted)).toHaveLength(1);
        expect(results[0].article).toEqual(results[1].article);
        expect(await other.articles.count()).toBe(1);
      });

      it('keeps every field as given and leaves absent ones absent', async () => {
        const full = article(3, { byline: 'Sara Ali', publishedAt: '2026-02-28T10:00:00.000Z', source: 'link' });
        const bare: Article = { id: 'bare00000000', title: 'Bare', text: 'Body.', language: 'other', postedAt: new Date(T0).toISOString(), postedBy: 'telegram:1' };
        await s.articles.insert(full);
        await s.articles.insert(bare);
        expect(await s.articles.get(full.id)).toEqual(full);
        expect(await s.articles.get(bare.id)).toStrictEqual(bare);
      });

      it('lists newest first with paging, and finds ids by prefix', async () => {
        for (const n of [3, 1, 5, 2, 4]) await s.articles.insert(article(n));
        expect((await s.articles.list({ offset: 0, limit: 2 })).map((a) => a.id)).toEqual([article(5).id, article(4).id]);
        expect((await s.articles.list({ offset: 2, limit: 10 })).map((a) => a.id)).toEqual([article(3).id, article(2).id, article(1).id]);
        expect(await s.articles.list({ offset: 1, limit: 1 })).toEqual([
          { id: article(4).id, title: 'Headline 4', language: 'en', postedAt: article(4).postedAt, url: article(4).url, postedBy: 'operator' },
        ]);
        expect(await s.articles.count()).toBe(5);
        expect(await s.articles.findIdsByPrefix('a0000000000', 10)).toEqual([1, 2, 3, 4, 5].map((n) => article(n).id));
        expect(await s.articles.findIdsByPrefix('a00000000003', 10)).toEqual([article(3).id]);
        expect(await s.articles.findIdsByPrefix('b', 10)).toEqual([]);
        expect(await s.articles.findIdsByPrefix('a', 2)).toHaveLength(2);
      });

      it('keeps the story an article joined, and lists each story once by its first article', async () => {
        await s.articles.insert(article(1));
        await s.articles.insert(article(2, { storyId: article(1).id }));
        await s.articles.insert(article(3));
        await s.articles.insert(article(4, { storyId: article(1).id }));
        expect((await s.articles.get(article(2).id))?.storyId).toBe(article(1).id);
        expect(await s.articles.get(article(1).id)).not.toHaveProperty('storyId');
        expect((await s.articles.list({ storiesOnly: true })).map((a) => a.id)).toEqual([article(3).id, article(1).id]);
        expect(await s.articles.count({ storiesOnly: true })).toBe(2);
        expect(await s.articles.count()).toBe(4);
        expect((await s.articles.storyArticles([article(1).id, article(3).id])).map((a) => [a.id, a.storyId])).toEqual([
          [article(2).id, article(1).id],
          [article(4).id, article(1).id],
        ]);
        expect(await s.articles.storyArticles([])).toEqual([]);
        // The story's first article deleted: what joined it is listed, not lost.
        await s.articles.delete(article(1).id);
        expect((await s.articles.list({ storiesOnly: true })).map((a) => a.id)).toEqual([article(4).id, article(3).id, article(2).id]);
      });

      it('orders articles posted at the same time by id', async () => {
        const at = new Date(T0).toISOString();
        await s.articles.insert(article(2, { postedAt: at }));
        await s.articles.insert(article(1, { postedAt: at }));
        expect((await s.articles.list()).map((a) => a.id)).toEqual([article(1).id, article(2).id]);
      });

      it('returns the articles posted in a window, newest first', async () => {
        for (const n of [1, 2, 3, 4]) await s.articles.insert(article(n));
        const between = await s.articles.postedBetween(article(1).postedAt, article(3).postedAt, 10);
        expect(between.map((a) => a.id)).toEqual([article(3).id, article(2).id]);
        expect(await s.articles.postedBetween(article(1).postedAt, article(4).postedAt, 1)).toHaveLength(1);
      });

      it('scans every article in batches', async () => {
        for (let n = 1; n <= 23; n++) await s.articles.insert(article(n));
        const seen: string[] = [];
        for await (const a of s.articles.scan(5)) seen.push(a.id);
        expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => article(i + 1).id));
      });

      it('delete removes an article with its summaries, messages and pending deliveries, and keeps finished ones', async () => {
        const gone = article(1);
        const kept = article(2);
        await s.articles.insert(gone, { queueFanOut: true });
        await s.articles.insert(kept);
        await s.summaries.put('k1', summary(gone.id));
        await s.summaries.put('k2', summary(kept.id));
        await queued([gone.id, kept.id], ['10', '11', '12']);
        const [sent] = await s.outbox.claim({ ...claimAll, limit: 1 });
        expect(sent!.id).toBe(`a:${gone.id}:telegram:10`);
        await s.outbox.settle(sent!.id, 'p1', { kind: 'sent' });

        expect(await s.articles.delete(gone.id)).toBe(true);
        expect(await s.articles.delete(gone.id)).toBe(false);
        expect(await s.articles.get(gone.id)).toBeUndefined();
        expect(await s.articles.findByUrl(gone.url!)).toBeUndefined();
        expect(await s.summaries.get('k1')).toBeUndefined();
        expect(await s.summaries.get('k2')).toEqual(summary(kept.id));
        expect(await s.outbox.getMessage(gone.id, 'en')).toBeUndefined();
        expect(await s.outbox.get(`a:${gone.id}:telegram:11`)).toBeUndefined();
        expect((await s.outbox.get(`a:${gone.id}:telegram:10`))?.status).toBe('sent');
        expect(await s.outbox.fanOutState(gone.id)).toBe('none');
        const rest = await s.outbox.claim(claimAll);
        expect(rest.map((d) => d.articleIds[0])).toEqual([kept.id, kept.id, kept.id]);
        const counts = await s.outbox.counts();
        expect({ pending: counts.pending, sent: counts.sent }).toEqual({ pending: 3, sent: 1 });
        await expectCountersMatchRows();
        // The same text may be posted again after a deletion.
        expect((await s.articles.insert(gone)).inserted).toBe(true);
      });

      it('delete takes the article out of a pending digest, and drops a digest left with nothing', async () => {
        for (const n of [1, 2]) await s.articles.insert(article(n));
        await s.outbox.putMessage(message(article(1).id));
        await s.outbox.putMessage(message(article(2).id));
        await s.outbox.enqueue([
          digestDelivery('20', 'slot1', [article(1).id, article(2).id]),
          digestDelivery('21', 'slot1', [article(1).id]),
        ]);
        await s.articles.delete(article(1).id);
        const both = await s.outbox.get('d:telegram:20:slot1');
        expect(both?.articleIds).toEqual([article(2).id]);
        expect(both?.message).toEqual({ kind: 'digest', language: 'en', summaries: [message(article(2).id)] });
        expect(await s.outbox.get('d:telegram:21:slot1')).toBeUndefined();
        expect((await s.outbox.counts()).pending).toBe(1);
        await expectCountersMatchRows();
      });
    });

    describe('article vectors', () => {
      const vector = (...values: number[]) => Float32Array.from(values);

      it('tells the languages the stored articles are written in, each once', async () => {
        expect(await s.articles.languages()).toEqual([]);
        for (const n of [1, 2, 3]) await s.articles.insert(article(n));
        expect([...(await s.articles.languages())].sort()).toEqual(['ar', 'en']);
      });

      it('keeps one vector per article and model, exactly as given, and lists the articles still without one', async () => {
        for (const n of [1, 2, 3]) await s.articles.insert(article(n));
        expect(await s.vectors.missing('m1', 10)).toEqual([article(1).id, article(2).id, article(3).id]);
        await s.vectors.put(article(2).id, 'm1', vector(0.1, -2.5, 1e-7));
        await s.vectors.put(article(2).id, 'm1', vector(0.25, -0.5, 3));
        await s.vectors.put(article(3).id, 'm2', vector(1, 0, 0));
        expect(await s.vectors.missing('m1', 10)).toEqual([article(1).id, article(3).id]);
        expect(await s.vectors.missing('m1', 1)).toEqual([article(1).id]);
        const m1 = await s.vectors.load('m1');
        expect([...m1.keys()]).toEqual([article(2).id]);
        expect([...m1.get(article(2).id)!]).toEqual([0.25, -0.5, 3]);
        const other = await db.another();
        expect([...(await other.vectors.load('m2', [article(3).id, article(1).id])).keys()]).toEqual([article(3).id]);
        expect((await other.vectors.load('m2', [])).size).toBe(0);
      });

      it("a vector goes with its article, and one for an article that is gone is not kept", async () => {
        await s.articles.insert(article(1));
        await s.vectors.put(article(1).id, 'm1', vector(1, 2));
        await s.articles.delete(article(1).id);
        await s.vectors.put(article(4).id, 'm1', vector(1, 2));
        expect((await s.vectors.load('m1')).size).toBe(0);
        await s.articles.insert(article(1));
        expect(await s.vectors.missing('m1', 10)).toEqual([article(1).id]);
      });
    });

    describe('summaries', () => {
      it('keeps a summary under its key and replaces it', async () => {
        await s.summaries.put('key', summary('a1'));
        expect(await s.summaries.get('key')).toEqual(summary('a1'));
        await s.summaries.put('key', { ...summary('a1'), text: 'Newer.' });
        expect((await s.summaries.get('key'))?.text).toBe('Newer.');
        expect(await s.summaries.get('other')).toBeUndefined();
      });
    });

    describe('subscriptions', () => {
      it('creates, changes, lists with filters, and deletes', async () => {
        await s.subscriptions.put(subscription('1'));
        await s.subscriptions.put(subscription('2', { mode: 'digest', digestTime: '08:00', timeZone: 'Africa/Algiers', language: 'ar', createdAt: new Date(T0 + 1).toISOString() }));
        await s.subscriptions.put(subscription('3', { active: false, inactiveReason: 'blocked', createdAt: new Date(T0 + 2).toISOString() }));
        expect(await s.subscriptions.get('telegram:2')).toEqual(
          subscription('2', { mode: 'digest', digestTime: '08:00', timeZone: 'Africa/Algiers', language: 'ar', createdAt: new Date(T0 + 1).toISOString() }),
        );
        expect((await s.subscriptions.list()).map((x) => x.id)).toEqual(['telegram:1', 'telegram:2', 'telegram:3']);
        expect((await s.subscriptions.list({ active: true, mode: 'each' })).map((x) => x.id)).toEqual(['telegram:1']);
        expect((await s.subscriptions.list({ active: false })).map((x) => x.id)).toEqual(['telegram:3']);
        expect((await s.subscriptions.list({ mode: 'digest' })).map((x) => x.id)).toEqual(['telegram:2']);
        expect(await s.subscriptions.delete('telegram:1')).toBe(true);
        expect(await s.subscriptions.delete('telegram:1')).toBe(false);
        expect(await s.subscriptions.get('telegram:1')).toBeUndefined();
      });

      it('keeps whether a chat wants "also reported by" notes, and forgets it when put without', async () => {
        await s.subscriptions.put(subscription('1', { storyUpdates: true }));
        await s.subscriptions.put(subscription('2'));
        expect(await s.subscriptions.get('telegram:1')).toEqual(subscription('1', { storyUpdates: true }));
        expect(await s.subscriptions.get('telegram:2')).not.toHaveProperty('storyUpdates');
        await s.subscriptions.put(subscription('1'));
        expect(await s.subscriptions.get('telegram:1')).not.toHaveProperty('storyUpdates');
      });

      it('patches fields in place, and reactivating clears the reason', async () => {
        await s.subscriptions.put(subscription('1'));
        const off = await s.subscriptions.update('telegram:1', { active: false, inactiveReason: 'kicked', updatedAt: 'later' });
        expect(off).toMatchObject({ active: false, inactiveReason: 'kicked', updatedAt: 'later', mode: 'each' });
        await s.subscriptions.update('telegram:1', { digestCoveredUntil: '2026-03-01T08:00:00.000Z' });
        const on = await s.subscriptions.update('telegram:1', { active: true });
        expect(on?.inactiveReason).toBeUndefined();
        expect(await s.subscriptions.get('telegram:1')).toEqual(on);
        expect(on?.digestCoveredUntil).toBe('2026-03-01T08:00:00.000Z');
        expect(await s.subscriptions.update('telegram:9', { active: false })).toBeUndefined();
      });

      it('keeps a forum topic’s subscription apart from its chat’s, with its filters, format and previews', async () => {
        const filters = { include: ['أمريكي', 'oil'], exclude: ['sport'], feeds: ['news.example:8080'], languages: ['en' as const], regex: 'crude|نفط' };
        const topic = subscription('-1005', { id: 'telegram:-1005:42', threadId: '42', format: 'headline', previews: true, filters });
        await s.subscriptions.put(subscription('-1005'));
        await s.subscriptions.put(topic);
        await s.subscriptions.put(subscription('777', { platform: 'discord', id: 'discord:777', kind: 'channel', forum: true, format: 'full' }));
        expect(await s.subscriptions.get('telegram:-1005:42')).toEqual(topic);
        expect(await s.subscriptions.get('telegram:-1005')).toEqual(subscription('-1005'));
        expect(await s.subscriptions.get('discord:777')).toMatchObject({ forum: true, format: 'full' });
        const cleared = await s.subscriptions.update('telegram:-1005:42', { filters: { include: [], exclude: [], feeds: [], languages: [] } });
        expect(cleared).toEqual({ ...topic, filters: { include: [], exclude: [], feeds: [], languages: [] } });
        expect(await s.subscriptions.get('telegram:-1005:42')).toEqual(cleared);
        expect((await s.subscriptions.inChat({ platform: 'telegram', chatId: '-1005' })).map((x) => x.id).sort()).toEqual(['telegram:-1005', 'telegram:-1005:42']);
        expect(await s.subscriptions.inChat({ platform: 'discord', chatId: '-1005' })).toEqual([]);
      });

      it('moves a subscription to a new chat id in one step', async () => {
        await s.subscriptions.put(subscription('-100'));
        const moved = subscription('-100200', { createdAt: new Date(T0).toISOString() });
        expect(await s.subscriptions.move('telegram:-100', moved)).toEqual(moved);
        expect(await s.subscriptions.get('telegram:-100')).toBeUndefined();
        expect(await s.subscriptions.get('telegram:-100200')).toEqual(moved);
        expect(await s.subscriptions.move('telegram:-100', moved)).toBeUndefined();
      });
    });

    describe('outbox', () => {
      it('queues each delivery once, and reads its message back from the one stored per article and language', async () => {
        await s.outbox.putMessage(message('art1', 'en'));
        await s.outbox.putMessage(message('art1', 'ar'));
        expect(await s.outbox.enqueue([articleDelivery('art1', '1', 'en'), articleDelivery('art1', '2', 'ar')])).toBe(2);
        expect(await s.outbox.enqueue([articleDelivery('art1', '1', 'en'), articleDelivery('art1', '3', 'en')])).toBe(1);
        const d = await s.outbox.get('a:art1:telegram:2');
        expect(d).toMatchObject({
          id: 'a:art1:telegram:2',
          target: { platform: 'telegram', chatId: '2', kind: 'private' },
          message: { kind: 'article', summary: message('art1', 'ar') },
          articleIds: ['art1'],
          status: 'pending',
          attempts: 0,
          notBefore: 0,
          createdAt: new Date(T0).toISOString(),
        });
        expect((await s.outbox.counts()).pending).toBe(3);
      });

      it('queues a story update once and reads it back as an update naming the outlet of its link', async () => {
        await s.outbox.putMessage({ ...message('art2'), url: 'https://www.oasis-times.example/solar' });
        const update: NewDelivery = { ...articleDelivery('art2', '1'), id: 'u:art1:oasis-times.example:telegram:1', kind: 'update' };
        expect(await s.outbox.enqueue([update, update])).toBe(1);
        expect(await s.outbox.enqueue([update])).toBe(0);
        expect(await s.outbox.get(update.id)).toMatchObject({
          kind: 'update',
          articleIds: ['art2'],
          message: { kind: 'update', outlet: 'oasis-times.example', summary: { articleId: 'art2', url: 'https://www.oasis-times.example/solar' } },
        });
        const [claimed] = await s.outbox.claim({ owner: 'p1', leaseMs: 60_000, limit: 10, platforms: ['telegram'] });
        expect(claimed).toMatchObject({ id: update.id, kind: 'update' });
      });

      it('keeps where in its chat a delivery goes and how it reads, and nothing for a plain one', async () => {
        await s.outbox.putMessage({ ...message('art1'), lead: 'The first paragraph.' });
        const style = { format: 'full' as const, previews: true };
        const topic: NewDelivery = { ...articleDelivery('art1', '-1005'), id: 'a:art1:telegram:-1005:42', target: { platform: 'telegram', chatId: '-1005', kind: 'group', threadId: '42' }, style };
        const forum: NewDelivery = { ...articleDelivery('art1', '777', 'en', 'discord'), target: { platform: 'discord', chatId: '777', kind: 'channel', forum: true } };
        expect(await s.outbox.enqueue([articleDelivery('art1', '-1005'), topic, forum])).toBe(3);
        expect(await s.outbox.get('a:art1:telegram:-1005:42')).toMatchObject({
          target: { platform: 'telegram', chatId: '-1005', kind: 'group', threadId: '42' },
          message: { kind: 'article', summary: { lead: 'The first paragraph.' }, style },
        });
        expect((await s.outbox.get('a:art1:discord:777'))?.target).toEqual({ platform: 'discord', chatId: '777', kind: 'channel', forum: true });
        const plain = await s.outbox.get('a:art1:telegram:-1005');
        expect(plain?.target).toEqual({ platform: 'telegram', chatId: '-1005', kind: 'private' });
        expect(plain?.message.style).toBeUndefined();
        // Retargeted with its chat (a group that became a supergroup), it stays in its topic.
        await s.outbox.retarget({ platform: 'telegram', chatId: '-1005' }, '-1009');
        expect((await s.outbox.claim({ owner: 'w', leaseMs: 60_000, limit: 10, platforms: ['telegram'] })).map((d) => d.target)).toEqual([
          { platform: 'telegram', chatId: '-1009', kind: 'private' },
          { platform: 'telegram', chatId: '-1009', kind: 'group', threadId: '42' },
        ]);
      });

      it('refuses a delivery whose message was never stored, and queues none of the batch', async () => {
        await s.outbox.putMessage(message('art1'));
        const error = await s.outbox.enqueue([articleDelivery('art1', '1'), articleDelivery('nope', '2')]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect(await s.outbox.get('a:art1:telegram:1')).toBeUndefined();
      });

      it('claims due deliveries oldest first, only for the platforms asked, and not again while the claim lasts', async () => {
        await s.outbox.putMessage(message('art1'));
        await s.outbox.enqueue([articleDelivery('art1', '1'), articleDelivery('art1', '2', 'en', 'discord'), articleDelivery('art1', '3')]);
        await s.outbox.enqueue([{ ...articleDelivery('art1', '4'), notBefore: T0 + 5_000 }]);
        const first = await s.outbox.claim({ ...claimAll, leaseMs: 10_000 });
        expect(first.map((d) => d.target.chatId)).toEqual(['1', '3']);
        expect(first[0]).toMatchObject({ claimedBy: 'p1', claimedUntil: T0 + 10_000 });
        expect(await s.outbox.claim({ ...claimAll, owner: 'p2' })).toEqual([]);
        now = T0 + 5_000;
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.target.chatId)).toEqual(['4']);
        now = T0 + 10_000;
        // The first claims ran out: another owner takes them over.
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.target.chatId)).toEqual(['1', '3']);
        expect((await s.outbox.claim({ ...claimAll, platforms: ['discord'] })).map((d) => d.target.chatId)).toEqual(['2']);
      });

      it('two handles never both claim the same delivery', async () => {
        const other = await db.another();
        const chats = Array.from({ length: 60 }, (_, i) => String(i));
        await queued(['art1', 'art2', 'art3'], chats);
        const seen = new Map<string, string>();
        for (let round = 0; round < 40; round++) {
          const [a, b] = await Promise.all([
            s.outbox.claim({ ...claimAll, owner: 'p1', limit: 7 }),
            other.outbox.claim({ ...claimAll, owner: 'p2', limit: 7 }),
          ]);
          for (const [owner, claimed] of [['p1', a], ['p2', b]] as const) {
            for (const d of claimed) {
              expect(seen.get(d.id), `${d.id} claimed twice`).toBeUndefined();
              seen.set(d.id, owner);
              await (owner === 'p1' ? s : other).outbox.settle(d.id, owner, { kind: 'sent' });
            }
          }
        }
        expect(seen.size).toBe(180);
        expect(new Set(seen.values())).toEqual(new Set(['p1', 'p2']));
        await expectCountersMatchRows(other);
      });

      it("keeps a chat's messages in order: a later one waits while an earlier one is held elsewhere or not yet due", async () => {
        await s.outbox.putMessage(message('art1'));
        await s.outbox.putMessage(message('art2'));
        await s.outbox.putMessage(message('art3'));
        await s.outbox.enqueue([articleDelivery('art1', '1'), articleDelivery('art2', '1'), articleDelivery('art1', '2')]);
        const [first] = await s.outbox.claim({ ...claimAll, owner: 'p1', limit: 1 });
        expect(first!.id).toBe('a:art1:telegram:1');
        // p2 may not send into chat 1 while p1 holds its earlier message; chat 2 is free.
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.id)).toEqual(['a:art1:telegram:2']);
        await s.outbox.settle('a:art1:telegram:2', 'p2', { kind: 'sent' });
        // The holder itself may take the next one of its chat.
        expect((await s.outbox.claim({ ...claimAll, owner: 'p1' })).map((d) => d.id)).toEqual(['a:art2:telegram:1']);
        await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'retry', notBefore: T0 + 60_000, countAttempt: true, error: '502' });
        await s.outbox.settle('a:art2:telegram:1', 'p1', { kind: 'retry', notBefore: T0, countAttempt: false });
        await s.outbox.enqueue([articleDelivery('art3', '1')]);
        // The first message of chat 1 backs off; nothing after it overtakes it.
        expect(await s.outbox.claim({ ...claimAll, owner: 'p2' })).toEqual([]);
        now = T0 + 60_000;
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.id)).toEqual([
          'a:art1:telegram:1',
          'a:art2:telegram:1',
          'a:art3:telegram:1',
        ]);
      });

      it("a sent delivery with a chat gap keeps the chat's next message from every owner until the gap has passed", async () => {
        const other = await db.another();
        for (const id of ['art1', 'art2', 'art3']) await s.outbox.putMessage(message(id));
        await s.outbox.enqueue([articleDelivery('art1', '1'), articleDelivery('art2', '1'), articleDelivery('art3', '1'), articleDelivery('art1', '2')]);
        await s.outbox.enqueue([{ ...articleDelivery('art3', '3'), id: 'late' }]);
        const [first] = await s.outbox.claim({ ...claimAll, owner: 'p1', limit: 1 });
        expect(first!.id).toBe('a:art1:telegram:1');
        expect(await s.outbox.settle(first!.id, 'p1', { kind: 'sent', chatGapMs: 1_000 })).toBe(true);
        // Another process sending into chat 1 now would break the gap the first one kept.
        expect((await other.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.id)).toEqual(['a:art1:telegram:2', 'late']);
        now = T0 + 999;
        expect(await other.outbox.claim({ ...claimAll, owner: 'p3' })).toEqual([]);
        now = T0 + 1_000;
        expect((await other.outbox.claim({ ...claimAll, owner: 'p3' })).map((d) => d.id)).toEqual(['a:art2:telegram:1', 'a:art3:telegram:1']);
        // A gap never brings a later time forward, and a send without one pushes nothing.
        await other.outbox.settle('a:art2:telegram:1', 'p3', { kind: 'sent', chatGapMs: 10 });
        expect((await s.outbox.get('a:art3:telegram:1'))!.notBefore).toBe(T0 + 1_010);
        await other.outbox.settle('a:art3:telegram:1', 'p3', { kind: 'retry', notBefore: T0 + 5_000, countAttempt: true });
        await s.outbox.enqueue([{ ...articleDelivery('art1', '1'), id: 'after' }]);
        await s.outbox.settle('a:art1:telegram:2', 'p2', { kind: 'sent' });
        expect((await s.outbox.get('a:art3:telegram:1'))!.notBefore).toBe(T0 + 5_000);
        expect((await s.outbox.get('after'))!.notBefore).toBe(0);
      });

      it('takes fractional times (from scaled limits) and rounds them up', async () => {
        for (const id of ['art1', 'art2']) await s.outbox.putMessage(message(id));
        await s.outbox.enqueue([articleDelivery('art1', '1'), articleDelivery('art2', '1'), articleDelivery('art1', '2')]);
        await s.outbox.claim(claimAll);
        expect(await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'sent', chatGapMs: 52.5 })).toBe(true);
        expect(await s.outbox.settle('a:art1:telegram:2', 'p1', { kind: 'retry', notBefore: T0 + 0.25, countAttempt: false })).toBe(true);
        expect((await s.outbox.get('a:art2:telegram:1'))!.notBefore).toBe(T0 + 53);
        expect((await s.outbox.get('a:art1:telegram:2'))!.notBefore).toBe(T0 + 1);
      });

      it('records outcomes, and an owner whose claim was taken over cannot settle it', async () => {
        await queued(['art1'], ['1', '2', '3', '4']);
        const claimed = await s.outbox.claim({ ...claimAll, leaseMs: 1_000 });
        expect(await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'sent' })).toBe(true);
        expect(await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'sent' })).toBe(false);
        expect(await s.outbox.settle('a:art1:telegram:2', 'p1', { kind: 'failed', error: '400 bad request' })).toBe(true);
        expect(await s.outbox.settle('a:art1:telegram:3', 'p1', { kind: 'dead', reason: 'blocked' })).toBe(true);
        expect(await s.outbox.settle('a:art1:telegram:4', 'p9', { kind: 'sent' })).toBe(false);
        expect(claimed).toHaveLength(4);
        now = T0 + 1_000;
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.id)).toEqual(['a:art1:telegram:4']);
        expect(await s.outbox.settle('a:art1:telegram:4', 'p1', { kind: 'sent' })).toBe(false);
        expect(await s.outbox.settle('a:art1:telegram:4', 'p2', { kind: 'sent' })).toBe(true);

        expect(await s.outbox.get('a:art1:telegram:1')).toMatchObject({ status: 'sent', attempts: 1, sentAt: new Date(T0).toISOString(), finishedAt: T0 });
        expect(await s.outbox.get('a:art1:telegram:2')).toMatchObject({ status: 'failed', attempts: 1, lastError: '400 bad request' });
        expect(await s.outbox.get('a:art1:telegram:3')).toMatchObject({ status: 'dead', lastError: 'blocked' });
        const counts = await s.outbox.counts();
        expect(counts).toEqual({ pending: 0, sent: 2, failed: 1, dead: 1, byArticle: [{ articleId: 'art1', pending: 0, sent: 2, failed: 1, dead: 1 }] });
        await expectCountersMatchRows();
      });

      it('puts a retried delivery back, not before its time, counting the attempt only when asked', async () => {
        await queued(['art1'], ['1']);
        await s.outbox.claim(claimAll);
        await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'retry', notBefore: T0 + 2_000, countAttempt: true, error: '503' });
        expect(await s.outbox.get('a:art1:telegram:1')).toMatchObject({ status: 'pending', attempts: 1, notBefore: T0 + 2_000, lastError: '503', claimedUntil: 0 });
        expect(await s.outbox.claim(claimAll)).toEqual([]);
        now = T0 + 2_000;
        await s.outbox.claim(claimAll);
        await s.outbox.settle('a:art1:telegram:1', 'p1', { kind: 'retry', notBefore: T0 + 3_000, countAttempt: false });
        expect(await s.outbox.get('a:art1:telegram:1')).toMatchObject({ attempts: 1, notBefore: T0 + 3_000, lastError: '503' });
      });

      it('renews only the claims its owner still holds', async () => {
        await queued(['art1'], ['1', '2']);
        await s.outbox.claim({ ...claimAll, leaseMs: 1_000 });
        now = T0 + 500;
        expect(await s.outbox.renew(['a:art1:telegram:1', 'a:art1:telegram:3'], 'p1', 1_000)).toEqual(['a:art1:telegram:1']);
        expect(await s.outbox.renew(['a:art1:telegram:2'], 'p2', 1_000)).toEqual([]);
        now = T0 + 1_200;
        expect((await s.outbox.claim({ ...claimAll, owner: 'p2' })).map((d) => d.id)).toEqual(['a:art1:telegram:2']);
        expect(await s.outbox.renew(['a:art1:telegram:2'], 'p1', 1_000)).toEqual([]);
      });

      it('marks a gone chat dead and follows a moved chat, touching pending deliveries into that chat only', async () => {
        await queued(['art1', 'art2'], ['1', '2']);
        // The same chat id on another platform is another chat.
        await s.outbox.enqueue([articleDelivery('art1', '1', 'en', 'discord')]);
        const [first] = await s.outbox.claim({ ...claimAll, limit: 1 });
        await s.outbox.settle(first!.id, 'p1', { kind: 'sent' });
        expect(await s.outbox.killChat({ platform: 'telegram', chatId: '1' }, 'bot was blocked')).toBe(1);
        expect(await s.outbox.get('a:art2:telegram:1')).toMatchObject({ status: 'dead', lastError: 'bot was blocked' });
        expect((await s.outbox.get('a:art1:telegram:1'))?.status).toBe('sent');
        expect((await s.outbox.get('a:art1:discord:1'))?.status).toBe('pending');
        // As the worker meets a moved chat: holding its first message, it retargets, then puts that back.
        const [held] = await s.outbox.claim({ ...claimAll, limit: 1 });
        expect(held!.id).toBe('a:art1:telegram:2');
        expect(await s.outbox.retarget({ platform: 'telegram', chatId: '2' }, '-1002')).toBe(2);
        // The ids stay as queued: the holder settles by its id, and queuing that id again queues nothing.
        expect(await s.outbox.settle(held!.id, 'p1', { kind: 'retry', notBefore: T0, countAttempt: false })).toBe(true);
        expect(await s.outbox.enqueue([articleDelivery('art1', '2')])).toBe(0);
        expect(await s.outbox.get('a:art1:telegram:2')).toMatchObject({ id: 'a:art1:telegram:2', target: { chatId: '-1002' } });
        expect((await s.outbox.claim(claimAll)).map((d) => [d.id, d.target.chatId])).toEqual([
          ['a:art1:telegram:2', '-1002'],
          ['a:art2:telegram:2', '-1002'],
        ]);
        await expectCountersMatchRows();
      });

      it('keeps counters that match the rows through queuing, sending, failing, deleting and pruning', async () => {
        for (const n of [1, 2, 3]) await s.articles.insert(article(n));
        const ids = [1, 2, 3].map((n) => article(n).id);
        await queued(ids, ['1', '2', '3', '4', '5']);
        await s.outbox.enqueue([digestDelivery('9', 'slot', ids)]);
        await expectCountersMatchRows();
        const claimed = await s.outbox.claim({ ...claimAll, limit: 9 });
        for (const [i, d] of claimed.entries()) {
          await s.outbox.settle(d.id, 'p1', i % 3 === 0 ? { kind: 'sent' } : i % 3 === 1 ? { kind: 'failed', error: 'x' } : { kind: 'dead', reason: 'gone' });
        }
        await expectCountersMatchRows();
        await s.articles.delete(ids[2]!);
        await expectCountersMatchRows();
        now = T0 + 10_000;
        await s.outbox.prune(T0 + 1);
        await expectCountersMatchRows();
        const counts = await s.outbox.counts();
        expect(counts.sent + counts.failed + counts.dead).toBe(0);
        expect(counts.pending).toBeGreaterThan(0);
      });

      it('tells when the pending delivery queued first to a platform was queued, and nothing once none is pending', async () => {
        await s.outbox.putMessage(message('art1'));
        expect(await s.outbox.oldestPendingAt('telegram')).toBeUndefined();
        const at = (ms: number) => new Date(T0 + ms).toISOString();
        await s.outbox.enqueue([
          { ...articleDelivery('art1', '1', 'en', 'discord'), createdAt: at(0) },
          { ...articleDelivery('art1', '2'), createdAt: at(1_000) },
          { ...articleDelivery('art1', '3'), createdAt: at(2_000) },
        ]);
        expect(await s.outbox.oldestPendingAt('telegram')).toBe(T0 + 1_000);
        expect(await s.outbox.oldestPendingAt('discord')).toBe(T0);
        const [first] = await s.outbox.claim({ ...claimAll, limit: 1 });
        await s.outbox.settle(first!.id, 'p1', { kind: 'sent' });
        expect(await s.outbox.oldestPendingAt('telegram')).toBe(T0 + 2_000);
        const [second] = await s.outbox.claim({ ...claimAll, limit: 1 });
        await s.outbox.settle(second!.id, 'p1', { kind: 'failed', error: 'x' });
        expect(await s.outbox.oldestPendingAt('telegram')).toBeUndefined();
        expect(await s.outbox.oldestPendingAt('console')).toBeUndefined();
      });

      it('reports per-article counts for the articles queued most recently, oldest of them first', async () => {
        await queued(['art1', 'art2', 'art3'], ['1']);
        expect((await s.outbox.counts({ articles: 2 })).byArticle.map((r) => r.articleId)).toEqual(['art2', 'art3']);
      });

      it('reports per-article counts for the newest stored articles by posted time, whatever order they were queued in', async () => {
        for (const n of [1, 2, 3]) await s.articles.insert(article(n), { queueFanOut: false });
        // A digest, or another process, queues an older article after a newer one.
        await queued([article(3).id], ['1']);
        await queued([article(1).id], ['1']);
        await queued([article(2).id], ['1']);
        expect((await s.outbox.counts({ articles: 2 })).byArticle.map((r) => r.articleId)).toEqual([article(2).id, article(3).id]);
        // Counts of an article no longer stored come after every stored one, as the oldest.
        await queued(['gone'], ['1']);
        expect((await s.outbox.counts({ articles: 3 })).byArticle.map((r) => r.articleId)).toEqual([article(1).id, article(2).id, article(3).id]);
        expect((await s.outbox.counts({ articles: 4 })).byArticle.map((r) => r.articleId)).toEqual(['gone', article(1).id, article(2).id, article(3).id]);
      });

      it('prunes finished deliveries older than the retention and keeps pending ones and what they need', async () => {
        await queued(['art1'], ['1', '2', '3']);
        await s.outbox.putMessage(message('art2'));
        await s.outbox.enqueue([digestDelivery('4', 'slot', ['art2'])]);
        for (const d of await s.outbox.claim({ ...claimAll, limit: 2 })) await s.outbox.settle(d.id, 'p1', { kind: 'sent' });
        now = T0 + 86_400_000;
        const [late] = await s.outbox.claim({ ...claimAll, limit: 1 });
        await s.outbox.settle(late!.id, 'p1', { kind: 'failed', error: 'x' });
        expect(await s.outbox.prune(T0 + 1)).toBe(2);
        expect(await s.outbox.get('a:art1:telegram:1')).toBeUndefined();
        expect((await s.outbox.get('a:art1:telegram:3'))?.status).toBe('failed');
        const digest = await s.outbox.get('d:telegram:4:slot');
        expect(digest?.status).toBe('pending');
        expect(digest?.message).toEqual({ kind: 'digest', language: 'en', summaries: [message('art2')] });
        // art1's message is only needed by a finished delivery now.
        expect(await s.outbox.getMessage('art1', 'en')).toBeUndefined();
        expect(await s.outbox.getMessage('art2', 'en')).toEqual(message('art2'));
        await expectCountersMatchRows();
      });

      it('lets the owner of a fan-out renew its claim, which keeps the others out until the renewed claim runs out', async () => {
        await s.articles.insert(article(1), { queueFanOut: true });
        const id = article(1).id;
        expect(await s.outbox.claimFanOut(id, 'p1', 5_000)).toBe(true);
        now = T0 + 4_000;
        expect(await s.outbox.claimFanOut(id, 'p1', 5_000)).toBe(true);
        now = T0 + 6_000;
        expect(await s.outbox.claimFanOut(id, 'p2', 5_000)).toBe(false);
        expect(await s.outbox.pendingFanOuts(10)).toEqual([]);
        now = T0 + 9_000;
        expect(await s.outbox.claimFanOut(id, 'p2', 5_000)).toBe(true);
      });

      it('hands a fan-out to one owner at a time and to another once the claim runs out', async () => {
        await s.articles.insert(article(1), { queueFanOut: true });
        await s.articles.insert(article(2));
        const id = article(1).id;
        expect(await s.outbox.fanOutState(id)).toBe('pending');
        expect(await s.outbox.fanOutState(article(2).id)).toBe('none');
        expect(await s.outbox.pendingFanOuts(10)).toEqual([id]);
        expect(await s.outbox.claimFanOut(id, 'p1', 5_000)).toBe(true);
        expect(await s.outbox.claimFanOut(id, 'p2', 5_000)).toBe(false);
        expect(await s.outbox.pendingFanOuts(10)).toEqual([]);
        now = T0 + 5_000;
        expect(await s.outbox.pendingFanOuts(10)).toEqual([id]);
        expect(await s.outbox.claimFanOut(id, 'p2', 5_000)).toBe(true);
        await s.outbox.putMessage(message(id));
        expect(await s.outbox.enqueue([articleDelivery(id, '1')], { completesFanOut: id })).toBe(1);
        expect(await s.outbox.fanOutState(id)).toBe('done');
        expect(await s.outbox.claimFanOut(id, 'p3', 5_000)).toBe(false);
        now = T0 + 60_000;
        expect(await s.outbox.pendingFanOuts(10)).toEqual([]);
        await s.outbox.requestFanOut(id);
        expect(await s.outbox.fanOutState(id)).toBe('done');
      });
    });

    describe('feeds', () => {
      it('follows a feed once by id and by URL, writes polls back, and lists oldest first', async () => {
        expect(await s.feeds.insert(feed(2))).toBe(true);
        expect(await s.feeds.insert(feed(1))).toBe(true);
        expect(await s.feeds.insert(feed(2, { title: 'again' }))).toBe(false);
        expect(await s.feeds.insert(feed(3, { url: feed(1).url }))).toBe(false);
        expect((await s.feeds.list()).map((f) => f.id)).toEqual([feed(1).id, feed(2).id]);
        const polled = { ...feed(1), etag: '"v2"', failures: 0, seen: ['x', 'y'], nextCheckAt: new Date(T0 + 9_000).toISOString() };
        expect(await s.feeds.update(polled)).toBe(true);
        expect(await s.feeds.get(feed(1).id)).toEqual(polled);
        expect((await s.feeds.due(new Date(T0 + 2_000).toISOString())).map((f) => f.id)).toEqual([feed(2).id]);
        expect(await s.feeds.delete(feed(2).id)).toBe(true);
        expect(await s.feeds.update(feed(2))).toBe(false);
        expect(await s.feeds.get(feed(2).id)).toBeUndefined();
      });

      it('leaves a paused feed out of the due list until it is resumed', async () => {
        await s.feeds.insert(feed(1));
        await s.feeds.insert(feed(2));
        const paused: FeedRecord = { ...feed(1), failures: 10, paused: { at: new Date(T0).toISOString(), failures: 10 } };
        expect(await s.feeds.update(paused)).toBe(true);
        const later = new Date(T0 + 60_000).toISOString();
        expect((await s.feeds.due(later)).map((f) => f.id)).toEqual([feed(2).id]);
        expect((await s.feeds.list()).map((f) => f.id)).toEqual([feed(1).id, feed(2).id]);
        expect(await s.feeds.get(feed(1).id)).toEqual(paused);
        const { paused: _paused, ...resumed } = paused;
        await s.feeds.update({ ...resumed, failures: 0 });
        expect((await s.feeds.due(later)).map((f) => f.id)).toEqual([feed(1).id, feed(2).id]);
        // Paused from the start (an import can bring one): not due either.
        await s.feeds.insert(feed(3, { paused: { at: new Date(T0).toISOString(), failures: 0 } }));
        expect((await s.feeds.due(later)).map((f) => f.id)).toEqual([feed(1).id, feed(2).id]);
      });

      it('finds a feed by its URL also after it moved, and its old URL is free again', async () => {
        await s.feeds.insert(feed(1));
        const moved = { ...feed(1), url: 'https://news.example/new-home.xml', movedFrom: feed(1).url };
        expect(await s.feeds.update(moved)).toBe(true);
        expect(await s.feeds.findByUrl('https://news.example/new-home.xml')).toEqual(moved);
        expect(await s.feeds.findByUrl(feed(1).url)).toBeUndefined();
        expect(await s.feeds.insert(feed(2, { url: feed(1).url }))).toBe(true);
      });

      it('adds many feeds in one step, keeping those followed already by id or URL as they are', async () => {
        await s.feeds.insert(feed(1, { title: 'kept' }));
        const added = await s.feeds.insertMany([feed(2), feed(1, { title: 'again' }), feed(3, { url: feed(1).url }), feed(4), feed(4)]);
        expect(added).toEqual([feed(2).id, feed(4).id]);
        expect((await s.feeds.list()).map((f) => [f.id, f.title])).toEqual([
          [feed(1).id, 'kept'],
          [feed(2).id, undefined],
          [feed(4).id, undefined],
        ]);
        expect(await s.feeds.insertMany([])).toEqual([]);
      });
    });

    describe('followed questions', () => {
      it('stores a follow once per id, lists a chat’s oldest first, and refuses one past the chat’s limit', async () => {
        expect(await s.follows.add(followOf(2), 3)).toBe('added');
        expect(await s.follows.add(followOf(1), 3)).toBe('added');
        expect(await s.follows.add(followOf(1, { question: 'again?' }), 3)).toBe('exists');
        expect(await s.follows.add(followOf(3, { chatId: '2' }), 3)).toBe('added');
        expect(await s.follows.add(followOf(4), 3)).toBe('added');
        expect(await s.follows.add(followOf(5), 3)).toBe('full');
        expect((await s.follows.list({ platform: 'telegram', chatId: '1' })).map((f) => f.id)).toEqual([followOf(1).id, followOf(2).id, followOf(4).id]);
        expect(await s.follows.get(followOf(1).id)).toEqual(followOf(1));
        expect(await s.follows.get('nope')).toBeUndefined();
      });

      it('finds the follows sharing a term with an article, records a new fingerprint, forgets a deleted follow or chat, and moves a chat', async () => {
        await s.follows.add(followOf(1), 20);
        await s.follows.add(followOf(2, { chatId: '2' }), 20);
        await s.follows.add(followOf(3, { terms: ['alone'] }), 20);
        expect((await s.follows.matching(['term2', 'unrelated'])).map((f) => f.id)).toEqual([followOf(2).id]);
        expect((await s.follows.matching(['shared', 'term1', 'alone'])).map((f) => f.id)).toEqual([followOf(1).id, followOf(2).id, followOf(3).id]);
        expect(await s.follows.matching(['unrelated'])).toEqual([]);
        expect(await s.follows.matching([])).toEqual([]);
        expect(await s.follows.setFingerprint(followOf(1).id, 'fp-new', new Date(T0 + 9_000).toISOString())).toBe(true);
        expect(await s.follows.get(followOf(1).id)).toMatchObject({ fingerprint: 'fp-new', updatedAt: new Date(T0 + 9_000).toISOString() });
        expect(await s.follows.delete(followOf(1).id)).toBe(true);
        expect(await s.follows.delete(followOf(1).id)).toBe(false);
        expect(await s.follows.setFingerprint(followOf(1).id, 'fp', new Date(T0).toISOString())).toBe(false);
        expect((await s.follows.matching(['shared'])).map((f) => f.id)).toEqual([followOf(2).id]);
        await s.follows.add(followOf(4, { chatId: '2' }), 20);
        expect(await s.follows.deleteChat({ platform: 'telegram', chatId: '2' })).toBe(2);
        expect(await s.follows.deleteChat({ platform: 'telegram', chatId: '2' })).toBe(0);
        expect(await s.follows.moveChat({ platform: 'telegram', chatId: '1' }, '-1009')).toBe(1);
        expect(await s.follows.list({ platform: 'telegram', chatId: '1' })).toEqual([]);
        expect((await s.follows.list({ platform: 'telegram', chatId: '-1009' })).map((f) => f.id)).toEqual([followOf(3).id]);
        expect((await s.follows.matching(['alone']))[0]).toMatchObject({ id: followOf(3).id, chatId: '-1009' });
        expect((await s.follows.matching(['shared', 'alone'])).map((f) => f.id)).toEqual([followOf(3).id]);
      });

      it('queues a follow update with its answer in the delivery itself, once, and drops it with its article', async () => {
        const stored = article(1);
        await s.articles.insert(stored);
        const update: NewDelivery = {
          id: `f:${followOf(1).id}:${stored.id}`,
          target: { platform: 'telegram', chatId: '1', kind: 'private' },
          kind: 'follow-update',
          language: 'en',
          items: [{ articleId: stored.id, language: 'en' }],
          answer: { question: 'Question 1?', text: 'The new answer.', language: 'en', citations: [{ articleId: stored.id, title: stored.title, quote: 'The new answer.' }] },
          createdAt: new Date(T0).toISOString(),
        };
        // No summary is stored for it: the answer travels with the delivery.
        expect(await s.outbox.enqueue([update])).toBe(1);
        expect(await s.outbox.enqueue([update])).toBe(0);
        const [claimed] = await s.outbox.claim({ owner: 'w', leaseMs: 5_000, limit: 10, platforms: ['telegram'] });
        expect(claimed).toMatchObject({ id: update.id, kind: 'follow-update', articleIds: [stored.id], message: { kind: 'follow-update', language: 'en', answer: update.answer } });
        expect(await s.outbox.settle(update.id, 'w', { kind: 'retry', notBefore: 0, countAttempt: false })).toBe(true);
        expect(await s.articles.delete(stored.id)).toBe(true);
        expect(await s.outbox.get(update.id)).toBeUndefined();
        expect((await s.outbox.counts()).pending).toBe(0);
      });
    });

    describe('last answers', () => {
      const answered = (question: string) => ({
        question,
        answer: {
          found: true,
          text: 'افتتحت المحطة بقدرة 200 ميغاواط.',
          language: 'ar' as const,
          citations: [{ articleId: 'a1', title: 'محطة الطاقة الشمسية', quote: 'افتتحت المحطة بقدرة 200 ميغاواط.', language: 'ar' as const }],
          cached: false,
          engine: 'embedded',
          evidence: { fingerprint: 'f1', unknownWords: [], passages: [{ articleId: 'a1', title: 'محطة الطاقة الشمسية', score: 3.2, sentences: ['افتتحت المحطة بقدرة 200 ميغاواط.'] }], confidence: 0.8, threshold: 0.3 },
        },
      });

      it('keeps each chat’s last answer whole, the next replacing it, and another chat’s apart', async () => {
        expect(await s.lastAnswers.get('telegram:1')).toBeUndefined();
        await s.lastAnswers.put('telegram:1', answered('ما قدرة المحطة؟'));
        await s.lastAnswers.put('discord:9', answered('other'));
        expect(await s.lastAnswers.get('telegram:1')).toEqual(answered('ما قدرة المحطة؟'));
        await s.lastAnswers.put('telegram:1', answered('ومتى افتتحت؟'));
        expect((await s.lastAnswers.get('telegram:1'))?.question).toBe('ومتى افتتحت؟');
        expect((await s.lastAnswers.get('discord:9'))?.question).toBe('other');
      });

      it('forgets the answers given before a time, and only those', async () => {
        await s.lastAnswers.put('telegram:1', answered('old'));
        now = T0 + 1_000;
        await s.lastAnswers.put('telegram:2', answered('new'));
        expect(await s.lastAnswers.prune(T0 + 1_000)).toBe(1);
        expect(await s.lastAnswers.get('telegram:1')).toBeUndefined();
        expect((await s.lastAnswers.get('telegram:2'))?.question).toBe('new');
      });
    });

    describe('leases', () => {
      it('a lease held by one owner is refused to another until it expires', async () => {
        const other = await db.another();
        expect(await s.leases.acquire('feed-poll:1', 'p1', 1_000)).toBe(true);
        expect(await other.leases.acquire('feed-poll:1', 'p2', 1_000)).toBe(false);
        expect(await s.leases.acquire('feed-poll:1', 'p1', 1_000)).toBe(false);
        now = T0 + 999;
        expect(await other.leases.acquire('feed-poll:1', 'p2', 1_000)).toBe(false);
        now = T0 + 1_000;
        expect(await other.leases.acquire('feed-poll:1', 'p2', 1_000)).toBe(true);
        expect(await s.leases.renew('feed-poll:1', 'p1', 1_000)).toBe(false);
      });

      it('is renewed and released only by its owner', async () => {
        expect(await s.leases.acquire('k', 'p1', 1_000)).toBe(true);
        await s.leases.release('k', 'p2');
        expect(await s.leases.acquire('k', 'p2', 1_000)).toBe(false);
        now = T0 + 900;
        expect(await s.leases.renew('k', 'p1', 1_000)).toBe(true);
        now = T0 + 1_500;
        expect(await s.leases.acquire('k', 'p2', 1_000)).toBe(false);
        await s.leases.release('k', 'p1');
        expect(await s.leases.acquire('k', 'p2', 1_000)).toBe(true);
      });

      it('lists the unexpired holders under a prefix, from any handle, in key order', async () => {
        const other = await db.another();
        expect(await s.leases.acquire('sender:telegram:p2', 'p2', 2_000)).toBe(true);
        expect(await other.leases.acquire('sender:telegram:p1', 'p1', 1_000)).toBe(true);
        expect(await s.leases.acquire('sender:discord:p1', 'p1', 5_000)).toBe(true);
        // A prefix is literal: % and _ match only themselves.
        expect(await s.leases.acquire('sender%telegram:p3', 'p3', 5_000)).toBe(true);
        expect(await s.leases.acquire('sender_telegram:p4', 'p4', 5_000)).toBe(true);
        expect(await other.leases.holders('sender:telegram:')).toEqual([
          { key: 'sender:telegram:p1', owner: 'p1', until: T0 + 1_000 },
          { key: 'sender:telegram:p2', owner: 'p2', until: T0 + 2_000 },
        ]);
        now = T0 + 1_000;
        expect((await s.leases.holders('sender:telegram:')).map((h) => h.owner)).toEqual(['p2']);
        await s.leases.renew('sender:telegram:p2', 'p2', 2_000);
        await s.leases.release('sender:discord:p1', 'p1');
        expect(await s.leases.holders('sender:')).toEqual([{ key: 'sender:telegram:p2', owner: 'p2', until: T0 + 3_000 }]);
        expect(await s.leases.holders('nothing:')).toEqual([]);
      });
    });

    describe('change feed', () => {
      it('changesSince returns changes from another handle, in order', async () => {
        const other = await db.another();
        const start = await s.changes.latestSeq();
        await other.articles.insert(article(1));
        await other.articles.insert(article(1));
        await other.subscriptions.put(subscription('1'));
        now = T0 + 1;
        await other.subscriptions.update('telegram:1', { active: false });
        await other.feeds.insert(feed(1));
        await other.feeds.update(feed(1));
        await other.articles.delete(article(1).id);
        await other.subscriptions.delete('telegram:1');
        await other.feeds.delete(feed(1).id);
        const changes = await s.changes.changesSince(start);
        expect(changes.map((c) => [c.kind, c.id, c.op])).toEqual([
          ['article', article(1).id, 'new'],
          ['subscription', 'telegram:1', 'new'],
          ['subscription', 'telegram:1', 'changed'],
          ['feed', feed(1).id, 'new'],
          ['feed', feed(1).id, 'changed'],
          ['article', article(1).id, 'deleted'],
          ['subscription', 'telegram:1', 'deleted'],
          ['feed', feed(1).id, 'deleted'],
        ]);
        const seqs = changes.map((c) => c.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(changes[0]!.at).toBe(T0);
        expect(changes[2]!.at).toBe(T0 + 1);
        expect(await s.changes.latestSeq()).toBe(seqs[seqs.length - 1]);
        expect(await s.changes.changesSince(seqs[5]!, 2)).toEqual(changes.slice(6, 8));
        expect(await s.changes.changesSince(seqs[seqs.length - 1]!)).toEqual([]);
      });

      it('records a moved subscription as the old one deleted and the new one created', async () => {
        await s.subscriptions.put(subscription('1'));
        const start = await s.changes.latestSeq();
        await s.subscriptions.move('telegram:1', subscription('2'));
        expect((await s.changes.changesSince(start)).map((c) => [c.id, c.op])).toEqual([
          ['telegram:1', 'deleted'],
          ['telegram:2', 'new'],
        ]);
      });

      it('prunes old changes but keeps the latest, and never reuses a seq', async () => {
        await s.articles.insert(article(1));
        now = T0 + 10;
        await s.articles.insert(article(2));
        const latest = await s.changes.latestSeq();
        now = T0 + 100;
        expect(await s.changes.prune(T0 + 50)).toBe(1);
        expect(await s.changes.oldestSeq()).toBe(latest);
        expect(await s.changes.latestSeq()).toBe(latest);
        await s.articles.insert(article(3));
        expect((await s.changes.changesSince(latest)).map((c) => c.seq)).toEqual([latest + 1]);
      });

      it('keeps the changes after the stored search-index snapshot however old they are', async () => {
        await s.articles.insert(article(1));
        const covered = await s.changes.latestSeq();
        await s.indexSnapshots.save('terms-v1', { seq: covered, bytes: new Uint8Array([1]) });
        now = T0 + 10;
        await s.articles.insert(article(2));
        await s.articles.insert(article(3));
        now = T0 + 100;
        // Only the change the snapshot holds goes; the two after it are what a start replays onto it.
        expect(await s.changes.prune(T0 + 50)).toBe(1);
        expect((await s.changes.changesSince(covered)).map((c) => c.id)).toEqual([article(2).id, article(3).id]);
      });
    });

    describe('index snapshots', () => {
      const bytes = (...values: number[]) => new Uint8Array(values);

      it('keeps one snapshot, hands it only to readers of its format, and never replaces a newer one with an older', async () => {
        const other = await db.another();
        expect(await s.indexSnapshots.load('terms-v1')).toBeUndefined();
        expect(await s.indexSnapshots.save('terms-v1', { seq: 5, bytes: bytes(1, 2, 3) })).toBe(true);
        const loaded = await other.indexSnapshots.load('terms-v1');
        expect(loaded?.seq).toBe(5);
        expect([...loaded!.bytes]).toEqual([1, 2, 3]);
        expect(await other.indexSnapshots.load('terms-v2')).toBeUndefined();
        // Another process saved a later one meanwhile: the older is not written over it.
        expect(await other.indexSnapshots.save('terms-v1', { seq: 9, bytes: bytes(9) })).toBe(true);
        expect(await s.indexSnapshots.save('terms-v1', { seq: 7, bytes: bytes(7) })).toBe(false);
        expect((await s.indexSnapshots.load('terms-v1'))?.seq).toBe(9);
        // Saving again at the same seq (nothing applied since) is fine.
        expect(await s.indexSnapshots.save('terms-v1', { seq: 9, bytes: bytes(9, 9) })).toBe(true);
        // A snapshot of a new format replaces the old whatever its seq: the old one is useless to the new code.
        expect(await s.indexSnapshots.save('terms-v2', { seq: 1, bytes: bytes(4) })).toBe(true);
        expect(await s.indexSnapshots.load('terms-v1')).toBeUndefined();
        expect([...(await s.indexSnapshots.load('terms-v2'))!.bytes]).toEqual([4]);
      });

      it('stores the bytes of a view into a larger buffer, not the whole buffer', async () => {
        const backing = bytes(0, 1, 2, 3, 4, 5, 6, 7);
        await s.indexSnapshots.save('f', { seq: 1, bytes: backing.subarray(3, 6) });
        backing.fill(0);
        expect([...(await s.indexSnapshots.load('f'))!.bytes]).toEqual([3, 4, 5]);
      });
    });

    describe('failures', () => {
      it('a write that fails surfaces as STORE_UNAVAILABLE, and nothing it was to write is there afterwards', async () => {
        await s.articles.insert(article(1));
        await s.outbox.putMessage(message(article(1).id));
        await s.subscriptions.put(subscription('1'));
        await s.feeds.insert(feed(1));
        const restore = await db.breakWrites();
        const writes: [string, () => Promise<unknown>][] = [
          ['article insert', () => s.articles.insert(article(2), { queueFanOut: true })],
          ['article delete', () => s.articles.delete(article(1).id)],
          ['summary put', () => s.summaries.put('k', summary(article(1).id))],
          ['subscription put', () => s.subscriptions.put(subscription('2'))],
          ['subscription update', () => s.subscriptions.update('telegram:1', { active: false })],
          ['subscription delete', () => s.subscriptions.delete('telegram:1')],
          ['message put', () => s.outbox.putMessage(message(article(2).id))],
          ['enqueue', () => s.outbox.enqueue([articleDelivery(article(1).id, '1')])],
          ['fan-out request', () => s.outbox.requestFanOut(article(1).id)],
          ['feed insert', () => s.feeds.insert(feed(2))],
          ['feed update', () => s.feeds.update({ ...feed(1), failures: 3 })],
          ['lease', () => s.leases.acquire('k', 'p1', 1_000)],
          ['index snapshot save', () => s.indexSnapshots.save('f', { seq: 1, bytes: new Uint8Array([1]) })],
          ['last answer put', () => s.lastAnswers.put('telegram:1', { question: 'q', answer: { found: false, text: '', language: 'en', citations: [], cached: false, engine: 'embedded' } })],
        ];
        for (const [what, write] of writes) {
          const error = await write().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isAkhbarError(error, 'STORE_UNAVAILABLE'), `${what} should fail with STORE_UNAVAILABLE, got ${String(error)}`).toBe(true);
        }
        await restore();
        expect(await s.articles.get(article(2).id)).toBeUndefined();
        expect(await s.articles.get(article(1).id)).toEqual(article(1));
        expect(await s.summaries.get('k')).toBeUndefined();
        expect(await s.subscriptions.get('telegram:2')).toBeUndefined();
        expect((await s.subscriptions.get('telegram:1'))?.active).toBe(true);
        expect(await s.outbox.get(`a:${article(1).id}:telegram:1`)).toBeUndefined();
        expect(await s.outbox.fanOutState(article(1).id)).toBe('none');
        expect(await s.feeds.get(feed(2).id)).toBeUndefined();
        expect((await s.feeds.get(feed(1).id))?.failures).toBe(0);
        expect(await s.leases.acquire('k', 'p2', 1_000)).toBe(true);
        expect(await s.indexSnapshots.load('f')).toBeUndefined();
        // Back to normal: the same writes now succeed.
        expect((await s.articles.insert(article(2))).inserted).toBe(true);
      });

      it('a closed handle refuses work with STORE_UNAVAILABLE', async () => {
        const other = await db.another();
        await other.close();
        const error = await other.articles.count().catch((e: unknown) => e);
        expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
      });

      it('ping answers while the handle is open and fails with STORE_UNAVAILABLE once it is closed', async () => {
        const other = await db.another();
        await expect(other.ping()).resolves.toBeUndefined();
        await other.close();
        const error = await other.ping().catch((e: unknown) => e);
        expect(isAkhbarError(error, 'STORE_UNAVAILABLE'), `ping after close should fail with STORE_UNAVAILABLE, got ${String(error)}`).toBe(true);
      });
    });
  });
}
