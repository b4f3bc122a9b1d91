import { describe, expect, it } from 'vitest';
import { itemToArticleInput, selectNewItems } from '../../../src/sources/feeds/feedItems.js';
import type { FeedItem } from '../../../src/sources/feeds/parseFeed.js';
import type { Fetcher } from '../../../src/sources/web/fetchResource.js';

const item = (id: string, publishedAt?: string, content = 'Body.'): FeedItem => ({ id, title: `Title ${id}`, content, ...(publishedAt ? { publishedAt } : {}) });
const limits = { firstPollItems: 2, maxItemsPerPoll: 3 };

describe('selectNewItems', () => {
  const items = [item('c', '2026-03-03T00:00:00Z'), item('a', '2026-03-01T00:00:00Z'), item('b', '2026-03-02T00:00:00Z'), item('c', '2026-03-03T00:00:00Z')];

  it('posts the newest N on the first poll, oldest of them first, and counts the rest as passed over', () => {
    const { post, passedOver } = selectNewItems(items, new Set(), true, limits);
    expect(post.map((i) => i.id)).toEqual(['b', 'c']);
    expect(passedOver).toBe(1);
  });

  it('leaves out seen ids and applies the per-poll cap later on', () => {
    expect(selectNewItems(items, new Set(['c']), false, limits).post.map((i) => i.id)).toEqual(['a', 'b']);
    const many = Array.from({ length: 5 }, (_, n) => item(`n${n}`, `2026-03-1${n}T00:00:00Z`));
    const capped = selectNewItems(many, new Set(), false, limits);
    expect(capped.post.map((i) => i.id)).toEqual(['n2', 'n3', 'n4']);
    expect(capped.passedOver).toBe(2);
  });

  it('keeps the feed order for undated items', () => {
    expect(selectNewItems([item('x'), item('y'), item('z')], new Set(), false, limits).post.map((i) => i.id)).toEqual(['z', 'y', 'x']);
  });
});

describe('itemToArticleInput', () => {
  const noFetch: Fetcher = async () => {
    throw new Error('no fetch expected');
  };

  it('uses the item’s own content when it carries the story', async () => {
    const long = `<p>${'The council met on Monday. '.repeat(30)}</p>`;
    const input = await itemToArticleInput({ ...item('a', '2026-03-01T10:00:00Z', long), link: 'https://news.example/a', author: 'Sam' }, { fetch: noFetch, teaserChars: 600 });
    expect(input).toMatchObject({ title: 'Title a', url: 'https://news.example/a', byline: 'Sam', publishedAt: '2026-03-01T10:00:00Z', source: 'feed' });
    expect(input.text.startsWith('The council met on Monday.')).toBe(true);
  });

  it('falls back to the teaser when the linked page cannot be read, and says so', async () => {
    const errors: unknown[] = [];
    const failing: Fetcher = async () => {
      throw new Error('boom');
    };
    const input = await itemToArticleInput({ ...item('t', undefined, '<p>Short teaser.</p>'), link: 'https://news.example/t' }, { fetch: failing, teaserChars: 600, onPageError: (e) => errors.push(e) });
    expect(input.text).toBe('Short teaser.');
    expect(errors).toHaveLength(1);
  });
});
