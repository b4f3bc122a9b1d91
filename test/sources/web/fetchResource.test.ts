import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import { parseAllowList } from '../../../src/sources/web/addressGuard.js';
import { fetchResource, type FetchRequest, type FetchSettings } from '../../../src/sources/web/fetchResource.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixtureServer.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const LOOPBACK = parseAllowList(['127.0.0.1']);
// Stubbed name resolution: no test asks a real resolver about a name.
const names: Record<string, string[]> = { 'news.test': ['127.0.0.1'], 'intranet.test': ['127.0.0.2'] };
const resolve: NonNullable<FetchSettings['resolve']> = async (hostname) => {
  const addresses = names[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function fetchWith(url: string, options: Partial<FetchSettings & FetchRequest> = {}) {
  return fetchResource(url, { kind: 'html', timeoutMs: 5_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, allow: LOOPBACK, resolve, ...options });
}

async function failure(promise: Promise<unknown>): Promise<AkhbarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AkhbarError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('fetching a page', () => {
  it('fetches an allow-listed page, says who is asking, and reports the content type', async () => {
    const page = await fetchWith(server.url('/en-news.html'));
    expect(page).toMatchObject({ status: 200, notModified: false, contentType: 'text/html', url: server.url('/en-news.html') });
    expect(page.text).toContain('tidal turbines');
    expect(server.requests.at(-1)!.headers['user-agent']).toMatch(/^akhbar\/\S+ \(\+news bot\)$/);
  });

  it('decodes a windows-1256 page declared only in its markup', async () => {
    const page = await fetchWith(server.url('/ar-news-1256.html'));
    expect(page.text).toContain('افتتح محافظ مدينة النخيل صباح السبت جسر وادي الرمال الجديد');
    expect(page.text).not.toContain('\uFFFD');
  });

  it('decompresses gzip', async () => {
    expect((await fetchWith(server.url('/gzip/en-news.html'))).text).toContain('Harbour council approves');
  });

  it('follows a relative redirect and reports where it ended', async () => {
    const page = await fetchWith(server.url('/redirect/to-article'));
    expect(page.url).toBe(server.url('/en-news.html'));
  });

  it('resolves names through the guarded lookup', async () => {
    const page = await fetchWith(`http://news.test:${server.port}/en-news.html`);
    expect(page.status).toBe(200);
    expect(server.requests.at(-1)!.headers.host).toBe(`news.test:${server.port}`);
  });
});

describe('refusals', () => {
  it('refuses a PDF from its Content-Type without reading it, and binary served as octet-stream after a look', async () => {
    expect((await failure(fetchWith(server.url('/document.pdf')))).details).toMatchObject({ code: 'LINK_NOT_HTML', contentType: 'application/pdf' });
    expect((await failure(fetchWith(server.url('/image.bin')))).details).toMatchObject({
      code: 'LINK_NOT_HTML',
      contentType: 'application/octet-stream',
    });
  });

  it('stops a 20 MB body as soon as it passes the limit, without holding it', async () => {
    const started = Date.now();
    const error = await failure(fetchWith(server.url('/huge'), { maxBytes: 1024 * 1024 }));
    expect(error.details).toMatchObject({ code: 'LINK_TOO_LARGE', maxBytes: 1024 * 1024 });
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // What the server got out before the hang-up: the limit plus socket buffers, far from 20 MB.
    expect(server.hugeBytesSent).toBeLessThan(12 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    expect((await failure(fetchWith(server.url('/huge-declared')))).code).toBe('LINK_TOO_LARGE');
  });

  it('refuses a redirect loop, and a chain longer than the cap', async () => {
    expect((await failure(fetchWith(server.url('/redirect/loop-a')))).details).toMatchObject({ code: 'LINK_TOO_MANY_REDIRECTS', loop: true });
    const before = server.hits('/redirect/chain/3');
    const chain = await failure(fetchWith(server.url('/redirect/chain/0'), { maxRedirects: 3 }));
    expect(chain.details).toMatchObject({ code: 'LINK_TOO_MANY_REDIRECTS', loop: false, maxRedirects: 3 });
    // Hops 0..3 were requested; the fourth redirect was not followed.
    expect(server.hits('/redirect/chain/3')).toBe(before + 1);
    expect(server.hits('/redirect/chain/4')).toBe(0);
  });

  it('says a closed port did not answer and an unknown name does not exist', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failure(fetchWith(`http://127.0.0.1:${port}/`))).details).toMatchObject({ code: 'LINK_UNREACHABLE', reason: 'refused' });
    expect((await failure(fetchWith('http://no-such-host.test/'))).details).toMatchObject({ code: 'LINK_UNREACHABLE', reason: 'dns' });
  });

  it('reports where a page moved for good only when every redirect on the way was permanent', async () => {
    server.route('/moved/301', (_req, res) => res.writeHead(301, { location: '/moved/308' }).end());
    server.route('/moved/308', (_req, res) => res.writeHead(308, { location: '/en-news.html' }).end());
    server.route('/moved/302', (_req, res) => res.writeHead(302, { location: '/moved/308' }).end());
    server.route('/moved/307', (_req, res) => res.writeHead(307, { location: '/en-news.html' }).end());
    expect(await fetchWith(server.url('/moved/301'))).toMatchObject({ url: server.url('/en-news.html'), movedTo: server.url('/en-news.html') });
    // A temporary hop anywhere on the way: the address asked for is still the one to keep.
    expect((await fetchWith(server.url('/moved/302'))).movedTo).toBeUndefined();
    expect((await fetchWith(server.url('/moved/307'))).movedTo).toBeUndefined();
    expect((await fetchWith(server.url('/en-news.html'))).movedTo).toBeUndefined();
  });

  it('passes on how long a server asks to be left alone (Retry-After in seconds or as a date)', async () => {
    server.route('/busy/seconds', (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
    server.route('/busy/date', (_req, res) => res.writeHead(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end());
    expect((await failure(fetchWith(server.url('/busy/seconds')))).details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    const dated = (await failure(fetchWith(server.url('/busy/date')))).details as { retryAfterMs?: number };
    // An HTTP date has whole seconds: the wait is within a couple of seconds of an hour.
    expect(dated.retryAfterMs).toBeGreaterThan(3_590_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    expect((await failure(fetchWith(server.url('/error')))).details).not.toHaveProperty('retryAfterMs');
  });

  it('gives up on a slow server at the deadline', async () => {
    const started = Date.now();
    expect((await failure(fetchWith(server.url('/slow'), { timeoutMs: 300 }))).details).toMatchObject({ code: 'LINK_UNREACHABLE', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports an HTTP error status', async () => {
    expect((await failure(fetchWith(server.url('/error')))).details).toMatchObject({ code: 'LINK_UNREACHABLE', reason: 'http-status', status: 500 });
    expect((await failure(fetchWith(server.url('/missing.html')))).details).toMatchObject({ reason: 'http-status', status: 404 });
  });

  it('refuses what is not an http(s) URL', async () => {
    expect((await failure(fetchWith('ftp://news.test/a'))).code).toBe('INVALID_URL');
    expect((await failure(fetchWith('not a url'))).code).toBe('INVALID_URL');
  });
});

describe('the SSRF guard', () => {
  it('refuses loopback with an empty allow-list, before any request is made', async () => {
    const before = server.requests.length;
    const disguised = [`http://[::ffff:127.0.0.1]:${server.port}/`, `http://0x7f.1:${server.port}/`, `http://2130706433:${server.port}/`, `http://[::1]:${server.port}/`];
    for (const url of [server.url('/en-news.html'), ...disguised, `http://news.test:${server.port}/`]) {
      expect((await failure(fetchWith(url, { allow: parseAllowList([]) }))).details).toMatchObject({ code: 'LINK_BLOCKED', reason: 'private-address' });
    }
    expect(server.requests.length).toBe(before);
  });

  it('allows loopback once 127.0.0.1 is allow-listed, but no other private address', async () => {
    expect((await fetchWith(server.url('/en-news.html'))).status).toBe(200);
    expect((await failure(fetchWith(`http://127.0.0.2:${server.port}/en-news.html`))).details).toMatchObject({ code: 'LINK_BLOCKED', host: '127.0.0.2' });
    expect((await failure(fetchWith(`http://intranet.test:${server.port}/`))).details).toMatchObject({ code: 'LINK_BLOCKED', host: 'intranet.test' });
  });

  it('checks every redirect hop: an allow-listed host cannot send the fetch to a private one', async () => {
    const before = server.requests.length;
    for (const target of [`http://127.0.0.2:${server.port}/en-news.html`, `http://intranet.test:${server.port}/en-news.html`]) {
      const url = server.url(`/redirect/to?url=${encodeURIComponent(target)}`);
      expect((await failure(fetchWith(url))).details).toMatchObject({ code: 'LINK_BLOCKED', reason: 'private-address', url });
    }
    // Only the two redirecting requests reached a server.
    expect(server.requests.length).toBe(before + 2);
    const toFile = server.url(`/redirect/to?url=${encodeURIComponent('file:///etc/passwd')}`);
    expect((await failure(fetchWith(toFile))).details).toMatchObject({ code: 'LINK_BLOCKED', reason: 'scheme' });
  });
});

describe('conditional requests', () => {
  it('sends the validators it is given and reports a 304 as not modified', async () => {
    server.serve('/conditional.xml', '<rss version="2.0"><channel><title>t</title></channel></rss>', 'application/rss+xml');
    const first = await fetchWith(server.url('/conditional.xml'), { kind: 'feed' });
    expect(first.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(first.lastModified).toBeDefined();
    const second = await fetchWith(server.url('/conditional.xml'), { kind: 'feed', etag: first.etag!, lastModified: first.lastModified! });
    expect(second).toMatchObject({ status: 304, notModified: true, text: '' });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe(first.etag);
    expect(server.requests.at(-1)!.headers['if-modified-since']).toBe(first.lastModified);
  });

  it('accepts a feed served as text/plain when the body is a feed, and refuses an HTML page as a feed', async () => {
    server.serve('/plain-feed', '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title></channel></rss>', 'text/plain');
    expect((await fetchWith(server.url('/plain-feed'), { kind: 'feed' })).contentType).toBe('text/plain');
    expect((await failure(fetchWith(server.url('/en-news.html'), { kind: 'feed' }))).code).toBe('FEED_INVALID');
  });
});
