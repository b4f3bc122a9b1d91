import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { isAkhbarError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { openStore, type Store } from '../../src/storage/legacy/keyvStore.js';
import { REDIS_URL, useRedis } from '../support/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'akhbar-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(store: Store, name: 'articles' | 'summaries'): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const [key, value] of store.entries(name)) out[key] = value;
  return out;
}

describe('SQLite store', () => {
  it('keeps every namespace across a restart, each apart from the others', async () => {
    const url = `sqlite://${join(dir, 'nested', 'akhbar.sqlite')}`;
    const first = await openStore(url, silentLogger);
    await first.namespace('articles').set('a1', { title: 'one' });
    await first.namespace('articles').set('a2', { title: 'two' });
    await first.namespace('summaries').set('a1', { text: 'summary' });
    await first.close();

    const second = await openStore(url, silentLogger);
    expect(await collect(second, 'articles')).toEqual({ a1: { title: 'one' }, a2: { title: 'two' } });
    expect(await collect(second, 'summaries')).toEqual({ a1: { text: 'summary' } });
    await second.close();
  });

  it('lists more records than one page of the adapter', async () => {
    const store = await openStore(`sqlite://${join(dir, 'many.sqlite')}`, silentLogger);
    const articles = store.namespace('articles');
    await Promise.all(Array.from({ length: 2_500 }, (_, i) => articles.set(`k${i}`, i)));
    expect(Object.keys(await collect(store, 'articles'))).toHaveLength(2_500);
    await store.close();
  });

  it('names the problem when the file cannot be opened', async () => {
    const error = await openStore('sqlite:///etc/hostname/x.sqlite', silentLogger).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
  });
});

describe('leases', () => {
  it('are exclusive until released or expired, whoever asks', async () => {
    const store = await openStore('memory://', silentLogger);
    expect(await store.lease('delivery:x', 'a', 1_000)).toBe(true);
    expect(await store.lease('delivery:x', 'b', 1_000)).toBe(false);
    expect(await store.lease('delivery:x', 'a', 1_000)).toBe(false);
    await store.release('delivery:x', 'b');
    expect(await store.lease('delivery:x', 'b', 1_000)).toBe(false);
    await store.release('delivery:x', 'a');
    expect(await store.lease('delivery:x', 'b', 20)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await store.lease('delivery:x', 'c', 1_000)).toBe(true);
  });
});

describe('memory store', () => {
  it('keeps records while open and iterates them', async () => {
    const store = await openStore('memory://', silentLogger);
    await store.namespace('articles').set('x', 1);
    expect(await collect(store, 'articles')).toEqual({ x: 1 });
    expect(await collect(store, 'summaries')).toEqual({});
  });
});

describe('Redis store, unreachable', () => {
  it('fails fast with a clear reason when nothing listens at the address', async () => {
    const error = await openStore('redis://127.0.0.1:1', silentLogger).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
  });
});

const redis = await useRedis();

describe.skipIf(!redis)('Redis store', () => {
  it('is shared by two processes’ connections and survives a reconnect', async () => {
    const key = `test-${randomUUID()}`;
    const one = await openStore(REDIS_URL, silentLogger);
    const two = await openStore(REDIS_URL, silentLogger);
    await one.namespace('articles').set(key, { title: 'shared' });
    expect(await two.namespace('articles').get(key)).toEqual({ title: 'shared' });
    const listed = await collect(two, 'articles');
    expect(listed[key]).toEqual({ title: 'shared' });
    // A namespace does not see another's keys.
    expect(await two.namespace('summaries').get(key)).toBeUndefined();
    await one.namespace('articles').delete(key);
    await one.close();
    await two.close();
  });

  it('grants a lease to one process only, so two processes never send one delivery twice', async () => {
    const key = `test-${randomUUID()}`;
    const one = await openStore(REDIS_URL, silentLogger);
    const two = await openStore(REDIS_URL, silentLogger);
    const results = await Promise.all([one.lease(key, 'one', 5_000), two.lease(key, 'two', 5_000)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? one : two;
    const loser = results[0] ? two : one;
    const loserName = results[0] ? 'two' : 'one';
    const winnerName = results[0] ? 'one' : 'two';
    // Only the holder can give it back.
    await loser.release(key, loserName);
    expect(await loser.lease(key, loserName, 5_000)).toBe(false);
    await winner.release(key, winnerName);
    expect(await loser.lease(key, loserName, 5_000)).toBe(true);
    await loser.release(key, loserName);
    await one.close();
    await two.close();
  });
});
