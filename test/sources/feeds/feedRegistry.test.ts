import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import { openStorage } from '../../../src/storage/index.js';
import type { Actor } from '../../../src/core/types.js';
import { createFeedRegistry, MAX_SEEN, rememberSeen } from '../../../src/sources/feeds/feedRegistry.js';

const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1' };
const stranger: Actor = { kind: 'user', platform: 'telegram', userId: '2' };
const dir = mkdtempSync(join(tmpdir(), 'akhbar-feeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function registry(start = Date.parse('2026-03-17T08:00:00Z')) {
  let clock = start;
  const storage = await openStorage('memory://');
  const feeds = createFeedRegistry({
    feeds: storage.feeds,
    isAdmin: (actor) => actor.kind === 'operator' || (actor.kind === 'user' && actor.userId === '1'),
    now: () => new Date((clock += 1_000)),
  });
  return { feeds, storage };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AkhbarError ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'no error';
}

describe('the feed registry', () => {
  it('adds, lists, finds and removes feeds, by short id or by URL', async () => {
    const { feeds } = await registry();
    const ar = await feeds.add('https://akhbar-alwaha.example/rss?utm_source=site', admin, { title: ' أخبار الواحة ' });
    const en = await feeds.add('https://gazette.example/atom.xml', { kind: 'operator' });
    expect(ar).toMatchObject({ url: 'https://akhbar-alwaha.example/rss', title: 'أخبار الواحة', addedBy: 'telegram:1', failures: 0, seen: [] });
    expect(ar.id).toMatch(/^[0-9a-f]{8}$/);
    expect(ar.nextCheckAt).toBe(ar.addedAt);
    expect((await feeds.list()).map((f) => f.id)).toEqual([ar.id, en.id]);
    expect((await feeds.find(ar.id.slice(0, 4))).id).toBe(ar.id);
    expect((await feeds.find('https://gazette.example/atom.xml#x')).id).toBe(en.id);
    expect((await feeds.remove(en.url, admin)).id).toBe(en.id);
    expect((await feeds.remove(`#${ar.id}`, admin)).id).toBe(ar.id);
    expect(await feeds.list()).toEqual([]);
  });

  it('refuses a feed that is already followed, a non-http URL, an unknown feed, and anyone but an admin', async () => {
    const { feeds } = await registry();
    const feed = await feeds.add('https://gazette.example/atom.xml', admin);
    expect(await codeOf(feeds.add('https://gazette.example/atom.xml?fbclid=1', admin))).toBe('FEED_EXISTS');
    expect(await codeOf(feeds.add('ftp://gazette.example/atom.xml', admin))).toBe('INVALID_URL');
    expect(await codeOf(feeds.add('https://other.example/rss', stranger))).toBe('NOT_ADMIN');
    expect(await codeOf(feeds.remove(feed.id, stranger))).toBe('NOT_ADMIN');
    expect(await codeOf(feeds.find('ffff0000'))).toBe('FEED_NOT_FOUND');
    expect(await codeOf(feeds.find('ab'))).toBe('FEED_NOT_FOUND');
    expect(await feeds.list()).toHaveLength(1);
  });

  it('lists the feeds that are due, and does not bring back a removed feed on save', async () => {
    const { feeds } = await registry();
    const feed = await feeds.add('https://gazette.example/atom.xml', admin);
    expect(await feeds.due(new Date(Date.parse(feed.addedAt) - 1))).toEqual([]);
    expect((await feeds.due(new Date(feed.addedAt))).map((f) => f.id)).toEqual([feed.id]);
    await feeds.remove(feed.id, admin);
    expect(await feeds.save({ ...feed, failures: 1 })).toBe(false);
    expect(await feeds.list()).toEqual([]);
  });

  it('survives a restart of a SQLite store', async () => {
    const url = `sqlite://${join(dir, 'feeds.sqlite')}`;
    const first = await openStorage(url);
    const added = await createFeedRegistry({ feeds: first.feeds, isAdmin: () => true }).add('https://gazette.example/atom.xml', admin);
    await first.close();
    const second = await openStorage(url);
    expect((await createFeedRegistry({ feeds: second.feeds, isAdmin: () => true }).list()).map((f) => f.id)).toEqual([added.id]);
    await second.close();
  });
});

describe('rememberSeen', () => {
  it('keeps the current items first, then older ones, bounded but never dropping a current id', () => {
    expect(rememberSeen(['b', 'a'], ['c', 'b'])).toEqual(['c', 'b', 'a']);
    const old = Array.from({ length: MAX_SEEN }, (_, i) => `old-${i}`);
    const seen = rememberSeen(old, ['new']);
    expect(seen).toHaveLength(MAX_SEEN);
    expect(seen[0]).toBe('new');
    const long = Array.from({ length: MAX_SEEN + 50 }, (_, i) => `item-${i}`);
    expect(rememberSeen(old, long)).toHaveLength(MAX_SEEN + 50);
  });
});
