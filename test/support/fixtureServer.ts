/**
 * A local web server for the sources' tests, on 127.0.0.1 and a free port: the files of
 * test/fixtures/web (with `{{base}}` replaced by the server's address), the Arabic page re-encoded
 * in windows-1256, and the awkward answers real sites give: redirect loops and chains, a 20 MB
 * body, a PDF, a slow answer, a 500. Feeds set with `serve` answer 304 to a matching If-None-Match.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encodeWindows1256 } from './windows1256.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/web/', import.meta.url));
const HUGE_BYTES = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, '<p>padding padding padding padding padding padding padding padding</p>\n');

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FixtureServer {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly port: number;
  url(path: string): string;
  /** Every request seen: path (without query) and headers. */
  readonly requests: { readonly path: string; readonly headers: IncomingHttpHeaders }[];
  hits(path: string): number;
  /** Serves `body` at `path` with an ETag of its content; a request naming that ETag gets 304. */
  serve(path: string, body: string | Uint8Array, contentType: string): void;
  route(path: string, handler: Handler): void;
  /** Bytes of the 20 MB body written before the client hung up. */
  readonly hugeBytesSent: number;
  /** A fixture file's text with `{{base}}` replaced. */
  fixture(name: string): string;
  close(): Promise<void>;
}

/** Starts the fixture server. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Handler>();
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let hugeBytesSent = 0;
  let base = '';

  const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8').replaceAll('{{base}}', base);

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    requests.push({ path, headers: request.headers });
    const handler = routes.get(path) ?? builtIn(path);
    if (handler) return handler(request, response);
    response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  });

  function builtIn(path: string): Handler | undefined {
    const chain = /^\/redirect\/chain\/(\d+)$/.exec(path);
    if (chain) return (_req, res) => res.writeHead(302, { location: `/redirect/chain/${Number(chain[1]) + 1}` }).end();
    const file = /^\/([\w-]+\.(html|xml))$/.exec(path);
    if (file) {
      return (_req, res) => {
        let body: string;
        try {
          body = fixture(file[1]!);
        } catch {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': contentTypeOf(file[1]!) }).end(body);
      };
    }
    return undefined;
  }

  // The Arabic page as an older Arabic site serves it: windows-1256, declared only in the page.
  routes.set('/ar-news-1256.html', (_req, res) => {
    const html = fixture('ar-news.html').replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">');
    res.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.from(encodeWindows1256(html)));
  });
  routes.set('/gzip/en-news.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(gzipSync(fixture('en-news.html')));
  });
  routes.set('/redirect/loop-a', (_req, res) => res.writeHead(302, { location: '/redirect/loop-b' }).end());
  routes.set('/redirect/loop-b', (_req, res) => res.writeHead(301, { location: `${base}/redirect/loop-a` }).end());
  routes.set('/redirect/to-article', (_req, res) => res.writeHead(308, { location: '../en-news.html' }).end());
  routes.set('/redirect/to', (req, res) => {
    const target = new URL(req.url ?? '/', 'http://fixture').searchParams.get('url') ?? '/';
    res.writeHead(302, { location: target }).end();
  });
  routes.set('/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.write('<!DOCTYPE html><html><body>');
    const pump = () => {
      while (hugeBytesSent < HUGE_BYTES && !res.destroyed) {
        hugeBytesSent += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('</body></html>');
    };
    pump();
  });
  routes.set('/huge-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(HUGE_BYTES) });
    res.write(CHUNK);
  });
  routes.set('/document.pdf', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n');
  });
  routes.set('/image.bin', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  });
  routes.set('/slow', (_req, res) => {
    const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>late</p>'), 10_000);
    timers.add(timer);
    res.on('close', () => clearTimeout(timer));
  });
  routes.set('/error', (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>'));

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    base,
    port,
    url: (path) => `${base}${path}`,
    requests,
    hits: (path) => requests.filter((r) => r.path === path).length,
    serve(path, body, contentType) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
      const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
      routes.set(path, (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': contentType, etag, 'last-modified': new Date(0).toUTCString() }).end(bytes);
      });
    },
    route: (path, handler) => void routes.set(path, handler),
    get hugeBytesSent() {
      return hugeBytesSent;
    },
    fixture,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function contentTypeOf(name: string): string {
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  return name.includes('atom') ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8';
}
