/**
 * A backup taken from one store restores into another (SQLite to SQLite here; the same code moves a
 * store to PostgreSQL): the same articles, subscriptions and feeds, nothing sent twice, and a file
 * that is not a backup is refused with the line that is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAkhbarError } from '../../src/core/errors.js';
import type { Subscription } from '../../src/core/subscriptions.js';
import { exportStorage, importStorage } from '../../src/storage/backup.js';
import { openStorage } from '../../src/storage/index.js';
import { article } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'akhbar-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subscriber: Subscription = {
  id: 'discord:55',
  platform: 'discord',
  chatId: '55',
  kind: 'channel',
  mode: 'digest',
  digestTime: '08:00',
  timeZone: 'Africa/Algiers',
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  format: 'headline',
  previews: true,
  filters: { include: ['أمريكي'], exclude: ['sport'], feeds: ['news.example'], languages: ['ar'], regex: 'نفط|oil' },
};

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('backups', () => {
  it('restore every article, subscription and feed into an empty store, without queuing anything', async () => {
    const from = await openStorage(`sqlite://${join(dir, 'from.sqlite')}`);
    for (let n = 1; n <= 25; n++) await from.articles.insert(article(n), { queueFanOut: n === 25 });
    await from.subscriptions.put(subscriber);
    await from.feeds.insert({ id: 'f1', url: 'https://news.example/rss', addedBy: 'telegram:1', addedAt: '2026-01-01T00:00:00.000Z', nextCheckAt: '2026-01-01T00:00:00.000Z', failures: 0, seen: [] });
    const lines = await collect(exportStorage(from));
    expect(lines).toHaveLength(1 + 25 + 1 + 1);

    const to = await openStorage(`sqlite://${join(dir, 'to.sqlite')}`);
    const report = await importStorage(to, lines);
    expect(report).toEqual({ articles: { read: 25, added: 25 }, subscriptions: 1, feeds: { read: 1, added: 1 } });
    expect(await to.articles.count()).toBe(25);
    expect((await to.articles.list({ limit: 3 })).map((a) => a.id)).toEqual((await from.articles.list({ limit: 3 })).map((a) => a.id));
    expect(await to.subscriptions.get('discord:55')).toEqual(subscriber);
    expect((await to.feeds.list()).map((f) => f.url)).toEqual(['https://news.example/rss']);
    // Restoring is not posting: nobody is sent these articles again.
    expect(await to.outbox.fanOutState(article(25).id)).toBe('none');

    const twice = await importStorage(to, lines);
    expect(twice.articles.added).toBe(0);
    await Promise.all([from.close(), to.close()]);
  });

  it('refuse a file that is not a backup, naming the line, and keep what came before it', async () => {
    const to = await openStorage('memory://');
    const header = JSON.stringify({ type: 'akhbar-backup', version: 1 });
    const good = JSON.stringify({ type: 'article', article: article(1) });
    const failure = await importStorage(to, [header, good, '{"type":"spaceship"}']).catch((error: unknown) => error);
    expect(isAkhbarError(failure, 'BAD_BACKUP') && failure.details).toMatchObject({ line: 3 });
    expect(await to.articles.count()).toBe(1);
    const notOurs = await importStorage(to, ['{"id": 1, "text": "some other jsonl"}']).catch((error: unknown) => error);
    expect(isAkhbarError(notOurs, 'BAD_BACKUP') && notOurs.details).toMatchObject({ line: 1 });
    await to.close();
  });

  it('refuse a record with a field missing or of the wrong kind, naming the line and the field, and store nothing of it', async () => {
    const to = await openStorage('memory://');
    const header = JSON.stringify({ type: 'akhbar-backup', version: 1 });
    const { text: _text, ...noText } = article(2);
    const broken = [
      JSON.stringify({ type: 'article', article: noText }),
      JSON.stringify({ type: 'article', article: { ...article(3), language: 'klingon' } }),
      JSON.stringify({ type: 'subscription', subscription: { ...subscriber, mode: 'hourly' } }),
      JSON.stringify({ type: 'subscription', subscription: { ...subscriber, filters: { ...subscriber.filters, regex: '(a)\\1' } } }),
      JSON.stringify({ type: 'feed', feed: { id: 'f1', url: 'file:///etc/passwd', addedBy: 'x', addedAt: '2026-01-01T00:00:00.000Z', nextCheckAt: '2026-01-01T00:00:00.000Z', failures: 0, seen: [] } }),
    ];
    const reasons: string[] = [];
    for (const line of broken) {
      const failure = await importStorage(to, [header, line]).catch((error: unknown) => error);
      expect(isAkhbarError(failure, 'BAD_BACKUP') && failure.details).toMatchObject({ line: 2 });
      reasons.push(isAkhbarError(failure) ? String((failure.details as { reason?: string }).reason) : '');
    }
    expect(reasons).toEqual([
      'article field "text" is missing or not valid',
      'article field "language" is missing or not valid',
      'subscription field "mode" is missing or not valid',
      'subscription field "filters" is missing or not valid',
      'feed field "url" is missing or not valid',
    ]);
    expect([await to.articles.count(), (await to.subscriptions.list()).length, (await to.feeds.list()).length]).toEqual([0, 0, 0]);
    await to.close();
  });
});
