/**
 * Upgrading from the keyv store: everything the old version stored is in the new storage
 * afterwards, nothing already sent is sent again, what was still to send is still sent, and
 * running the migration twice changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { openStore, type Store } from '../../../src/storage/legacy/keyvStore.js';
import type { Subscription } from '../../../src/core/subscriptions.js';
import type { FeedRecord } from '../../../src/core/types.js';
import { openStorage } from '../../../src/storage/index.js';
import { migrateLegacyStore, type LegacyDelivery } from '../../../src/storage/legacy/migrate.js';
import { article } from '../contract.js';

const dir = mkdtempSync(join(tmpdir(), 'akhbar-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subscriber = (chatId: string): Subscription => ({
  id: `telegram:${chatId}`,
  platform: 'telegram',
  chatId,
  kind: 'private',
  mode: 'each',
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const feed: FeedRecord = {
  id: 'abcd1234',
  url: 'https://news.example/feed.xml',
  addedBy: 'telegram:1',
  addedAt: '2026-01-01T00:00:00.000Z',
  nextCheckAt: '2026-01-01T00:10:00.000Z',
  failures: 0,
  seen: ['item-1'],
};

function delivery(articleN: number, chatId: string, status: LegacyDelivery['status']): LegacyDelivery {
  const a = article(articleN);
  return {
    id: `a:${a.id}:telegram:${chatId}`,
    subscriptionId: `telegram:${chatId}`,
    target: { platform: 'telegram', chatId, kind: 'private' },
    message: { kind: 'article', summary: { articleId: a.id, title: a.title, language: a.language, sentences: ['First.', 'Second.'] } },
    articleIds: [a.id],
    status,
    attempts: status === 'pending' ? 1 : 0,
    notBefore: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/** An old store as version 0.x left it: two articles, a summary, two subscribers, a feed, one delivery sent and one pending, one fan-out cut short. */
async function oldStore(url: string): Promise<Store> {
  const store = await openStore(url, silentLogger);
  for (const n of [1, 2, 3]) await store.namespace('articles').set(article(n).id, article(n));
  await store.namespace('summaries').set(`${article(1).id}|embedded|extractive-2|ar|2|5`, {
    articleId: article(1).id,
    title: article(1).title,
    language: 'ar',
    sentences: ['جملة.'],
    text: 'جملة.',
    engine: 'embedded',
  });
  for (const chat of ['10', '11']) await store.namespace('subscriptions').set(`telegram:${chat}`, subscriber(chat));
  await store.namespace('feeds').set(feed.id, feed);
  await store.namespace('deliveries').set(`d:${delivery(1, '10', 'sent').id}`, delivery(1, '10', 'sent'));
  await store.namespace('deliveries').set(`d:${delivery(1, '11', 'pending').id}`, delivery(1, '11', 'pending'));
  await store.namespace('deliveries').set(`f:${article(3).id}`, { articleId: article(3).id, state: 'started', at: '2026-01-01T00:00:00.000Z' });
  await store.namespace('deliveries').set(`f:${article(2).id}`, { articleId: article(2).id, state: 'done', at: '2026-01-01T00:00:00.000Z' });
  return store;
}

describe('migrating an old keyv store', () => {
  for (const [name, url] of [
    ['memory', 'memory://'],
    ['SQLite file', `sqlite://${join(dir, 'old.sqlite')}`],
  ] as const) {
    it(`moves everything from a ${name} store, and a second run adds nothing`, async () => {
      const legacy = await oldStore(url);
      const storage = await openStorage(`sqlite://${join(dir, `new-${name.replace(/\W/g, '')}.sqlite`)}`);
      const report = await migrateLegacyStore(legacy, storage);
      expect(report).toEqual({
        articles: { read: 3, added: 3 },
        summaries: { read: 1 },
        subscriptions: { read: 2 },
        feeds: { read: 1, added: 1 },
        deliveries: { read: 2, pending: 1, queued: 1 },
        fanOuts: { resumed: 1 },
      });

      expect(await storage.articles.count()).toBe(3);
      expect((await storage.articles.get(article(2).id))?.text).toBe(article(2).text);
      expect(await storage.summaries.get(`${article(1).id}|embedded|extractive-2|ar|2|5`)).toMatchObject({ sentences: ['جملة.'] });
      expect((await storage.subscriptions.list()).map((s) => s.id).sort()).toEqual(['telegram:10', 'telegram:11']);
      expect(await storage.feeds.get(feed.id)).toMatchObject({ url: feed.url, seen: ['item-1'] });
      // The sent delivery is not queued again; the pending one is, with its message.
      expect(await storage.outbox.get(delivery(1, '10', 'sent').id)).toBeUndefined();
      expect(await storage.outbox.get(delivery(1, '11', 'pending').id)).toMatchObject({ status: 'pending', message: { kind: 'article' } });
      // The old articles are not fanned out again, except the one whose fan-out a crash cut short.
      expect(await storage.outbox.fanOutState(article(1).id)).toBe('none');
      expect(await storage.outbox.fanOutState(article(3).id)).toBe('pending');

      const again = await migrateLegacyStore(legacy, storage);
      expect(again.articles).toEqual({ read: 3, added: 0 });
      expect(again.deliveries.queued).toBe(0);
      expect(await storage.articles.count()).toBe(3);
      expect((await storage.outbox.counts()).pending).toBe(1);
      await Promise.all([legacy.close(), storage.close()]);
    });
  }
});
