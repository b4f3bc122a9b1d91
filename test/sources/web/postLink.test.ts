import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import type { Actor } from '../../../src/core/types.js';
import { parseAllowList } from '../../../src/sources/web/addressGuard.js';
import { createFetcher } from '../../../src/sources/web/fetchResource.js';
import { fetchArticleFromLink } from '../../../src/sources/web/postLink.js';
import { openTestDesk } from '../../support/desk.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixtureServer.js';

const operator: Actor = { kind: 'operator' };
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fetch = createFetcher({ timeoutMs: 2_000, maxBytes: 1024 * 1024, maxRedirects: 5, allow: parseAllowList(['127.0.0.1']) });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AkhbarError ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'no error';
}

describe('posting by link', () => {
  it('stores the Arabic article with its metadata, and the windows-1256 copy of the same page as the same article', async () => {
    const { desk } = await openTestDesk();
    const input = await fetchArticleFromLink(server.url('/ar-news.html'), { fetch });
    expect(input).toMatchObject({
      title: 'افتتاح جسر وادي الرمال يربط شطري مدينة النخيل',
      url: 'https://akhbar-alwaha.example/news/2026/03/bridge',
      byline: 'ليلى حداد',
      publishedAt: '2026-03-14T06:30:00.000Z',
      source: 'link',
    });
    const first = await desk.postArticle(input, operator);
    expect(first.duplicate).toBe(false);
    expect(first.article).toMatchObject({ language: 'ar', source: 'link', title: input.title });

    const legacy = await fetchArticleFromLink(server.url('/ar-news-1256.html'), { fetch });
    expect(legacy.text).toBe(input.text);
    const second = await desk.postArticle(legacy, operator);
    expect(second).toMatchObject({ duplicate: true, article: { id: first.article.id } });
    expect(desk.articleCount).toBe(1);
  });

  it('uses the canonical link, resolved against where the redirects ended', async () => {
    const input = await fetchArticleFromLink(server.url('/redirect/to-article'), { fetch });
    expect(input.url).toBe(server.url('/2026/02/tidal-pilot'));
    expect(input.title).toBe('Harbour council approves tidal energy pilot');
  });

  it.each([
    ['a dead link', '/missing.html', 'LINK_UNREACHABLE'],
    ['a non-HTML response', '/document.pdf', 'LINK_NOT_HTML'],
    ['a page with no readable article', '/no-article.html', 'LINK_NO_ARTICLE'],
    ['a redirect loop', '/redirect/loop-a', 'LINK_TOO_MANY_REDIRECTS'],
    ['a 20 MB page', '/huge', 'LINK_TOO_LARGE'],
  ])('refuses %s and stores nothing', async (_what, path, code) => {
    const { desk } = await openTestDesk();
    expect(await codeOf(fetchArticleFromLink(server.url(path), { fetch }).then((input) => desk.postArticle(input, operator)))).toBe(code);
    expect(desk.articleCount).toBe(0);
  });
});
