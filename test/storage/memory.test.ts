import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/core/ports.js';
import { openStorage } from '../../src/storage/index.js';
import { openMemoryStorage } from '../../src/storage/memory/index.js';
import { article, storageContract } from './contract.js';

storageContract('memory', async (clock) => {
  // A name per test: handles on one name share a database, as processes share a file.
  const name = `contract-${randomUUID()}`;
  const storage = openMemoryStorage(name, { clock });
  const handles: Storage[] = [storage];
  return {
    storage,
    async another() {
      const handle = openMemoryStorage(name, { clock });
      handles.push(handle);
      return handle;
    },
    async breakWrites() {
      storage.simulateOutage(true);
      return async () => storage.simulateOutage(false);
    },
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
    },
  };
});

describe('memory storage by URL', () => {
  it('keeps memory:// private and shares a named database', async () => {
    const a = await openStorage('memory://');
    const b = await openStorage('memory://');
    await a.articles.insert(article(1));
    expect(await b.articles.count()).toBe(0);
    const name = `url-${randomUUID()}`;
    const c = await openStorage(`memory://${name}`);
    const d = await openStorage(`memory://${name}`);
    await c.articles.insert(article(1));
    expect(await d.articles.get(article(1).id)).toEqual(article(1));
  });

  it('hands out copies, so changing what was read changes nothing stored', async () => {
    const s = await openStorage('memory://');
    await s.articles.insert(article(1));
    const read = (await s.articles.get(article(1).id)) as { title: string };
    read.title = 'changed';
    expect((await s.articles.get(article(1).id))?.title).toBe('Headline 1');
  });
});
