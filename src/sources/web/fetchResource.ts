/**
 * Fetching one web page or feed for an admin, safely: only http(s), only public addresses (checked
 * when connecting, on every redirect), a total time limit, a size limit enforced while the body
 * streams in, the content types the caller can use, and the body decoded from its charset.
 */
import { deadlineSignal } from '../../core/deadline.js';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AkhbarError, isAkhbarError, type LinkFailure } from '../../core/errors.js';
import { PUBLIC_ONLY, refusedAddress, type AllowList } from './addressGuard.js';
import { decodeBody } from './charset.js';

/** What the caller will do with the body: read an article from a page, or parse a feed. */
export type ResourceKind = 'html' | 'feed';

/** Limits and policy shared by every fetch of one process (from config). */
export interface FetchSettings {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Hosts and networks that may be fetched although they are not public. */
  readonly allow?: AllowList;
  readonly userAgent?: string;
  /** Resolves a host name to all its addresses; `dns.lookup` by default (tests stub it). */
  readonly resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

/** One fetch: what is wanted, and the validators of the copy the caller already has. */
export interface FetchRequest {
  readonly kind: ResourceKind;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly signal?: AbortSignal;
}

/** A fetched page or feed. */
export interface FetchedResource {
  /** The URL after redirects. */
  readonly url: string;
  /**
   * Where the resource now lives for good: set when every redirect on the way was permanent (301,
   * 308), so a follower may store it in place of the address it asked for. A temporary hop (302,
   * 303, 307) anywhere on the way leaves it unset: the old address is still the one to ask.
   */
  readonly movedTo?: string;
  readonly status: number;
  /** True for a 304 answer to a conditional request; `text` is then empty. */
  readonly notModified: boolean;
  readonly etag?: string;
  readonly lastModified?: string;
  /** The media type without parameters, e.g. `text/html`. */
  readonly contentType?: string;
  readonly text: string;
}

/** A fetch function bound to one set of settings, as sources receive it. */
export type Fetcher = (url: string, request: FetchRequest) => Promise<FetchedResource>;

/** A fetcher with these settings. */
export function createFetcher(settings: FetchSettings): Fetcher {
  return (url, request) => fetchResource(url, { ...settings, ...request });
}

const DEFAULT_USER_AGENT = `akhbar/${packageVersion()} (+news bot)`;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_REDIRECTS = new Set([301, 308]);

const ACCEPTED: Record<ResourceKind, ReadonlySet<string>> = {
  html: new Set(['text/html', 'application/xhtml+xml']),
  feed: new Set(['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml']),
};
// Types servers send when they do not know better: the body itself decides.
const SNIFFED: Record<ResourceKind, ReadonlySet<string>> = {
  html: new Set(['', 'text/plain', 'application/octet-stream', 'binary/octet-stream', 'application/xml', 'text/xml']),
  feed: new Set(['', 'text/plain', 'application/octet-stream', 'binary/octet-stream', 'text/html']),
};
const ACCEPT_HEADER: Record<ResourceKind, string> = {
  html: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  feed: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1',
};
const SNIFF_CHARS = 1024;

/** Fetches `url` under `options`; throws an AkhbarError (LINK_*, INVALID_URL, FEED_INVALID) saying why not. */
export async function fetchResource(url: string, options: FetchSettings & FetchRequest): Promise<FetchedResource> {
  const start = httpUrl(url);
  if (start === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: url.slice(0, 200) });
  // One deadline over every redirect and the body (see core/deadline.ts for why not AbortSignal.any).
  const deadline = deadlineSignal(options.timeoutMs, options.signal);
  try {
    return await follow(start, url, options, deadline.signal);
  } finally {
    deadline.done();
  }
}

async function follow(start: URL, original: string, options: FetchSettings & FetchRequest, signal: AbortSignal): Promise<FetchedResource> {
  let current = start;
  let permanent = true;
  const visited = new Set([current.href]);
  for (let hop = 0; ; hop++) {
    const response = await send(current, original, options, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      response.destroy();
      const next = redirectTarget(location, current, original);
      if (visited.has(next.href)) {
        throw new AkhbarError({ code: 'LINK_TOO_MANY_REDIRECTS', url: original, maxRedirects: options.maxRedirects, loop: true });
      }
      if (hop + 1 > options.maxRedirects) {
        throw new AkhbarError({ code: 'LINK_TOO_MANY_REDIRECTS', url: original, maxRedirects: options.maxRedirects, loop: false });
      }
      visited.add(next.href);
      permanent &&= PERMANENT_REDIRECTS.has(status);
      current = next;
      continue;
    }
    const received = await receive(response, current, original, options, signal);
    return hop > 0 && permanent ? { ...received, movedTo: current.href } : received;
  }
}

async function receive(
  response: IncomingMessage,
  url: URL,
  original: string,
  options: FetchSettings & FetchRequest,
  signal: AbortSignal,
): Promise<FetchedResource> {
  const status = response.statusCode ?? 0;
  const etag = header(response, 'etag');
  const lastModified = header(response, 'last-modified');
  const validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  const conditional = options.etag !== undefined || options.lastModified !== undefined;
  if (status === 304 && conditional) {
    response.destroy();
    return { url: url.href, status, notModified: true, ...validators, text: '' };
  }
  if (status < 200 || status > 299) {
    response.destroy();
    const retryAfterMs = retryAfter(header(response, 'retry-after'), Date.now());
    throw new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: 'http-status', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  const contentTypeHeader = header(response, 'content-type') ?? '';
  const mediaType = contentTypeHeader.split(';')[0]!.trim().toLowerCase();
  const sniff = !ACCEPTED[options.kind].has(mediaType);
  if (sniff && !SNIFFED[options.kind].has(mediaType)) {
    response.destroy();
    throw wrongType(options.kind, original, mediaType);
  }
  const declaredLength = Number(header(response, 'content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > options.maxBytes) {
    response.destroy();
    throw new AkhbarError({ code: 'LINK_TOO_LARGE', url: original, maxBytes: options.maxBytes });
  }
  const bytes = await readBody(response, original, options.maxBytes, signal);
  const { text } = decodeBody(bytes, contentTypeHeader);
  if (sniff && !looksLike(options.kind, text)) throw wrongType(options.kind, original, mediaType);
  return {
    url: url.href,
    status,
    notModified: false,
    ...validators,
    ...(mediaType ? { contentType: mediaType } : {}),
    text,
  };
}

function send(url: URL, original: string, options: FetchSettings & FetchRequest, signal: AbortSignal): Promise<IncomingMessage> {
  const allow = options.allow ?? PUBLIC_ONLY;
  const hostname = bare(url.hostname);
  // An IP literal never goes through `lookup`, so it is judged here; names are judged as they resolve.
  if (isIP(hostname) !== 0 && refusedAddress(hostname, [hostname], allow) !== undefined) {
    return Promise.reject(new AkhbarError({ code: 'LINK_BLOCKED', url: original, host: hostname, reason: 'private-address' }));
  }
  const headers: Record<string, string> = {
    'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
    accept: ACCEPT_HEADER[options.kind],
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      headers,
      signal,
      // One connection per fetch: a pooled socket would skip the address check of a later lookup.
      agent: false,
      lookup: guardedLookup(original, allow, options.resolve ?? resolveAll),
    });
    request.once('response', resolve);
    // `on`, not `once`: a socket can fail again after the first error, and an unheard error event kills the process.
    request.on('error', (error) => reject(fetchError(error, original, signal)));
    request.end();
  });
}

/**
 * A `lookup` for http.request that resolves every address of the host and fails the connection
 * when any is refused. The check happens at connect time, on the addresses actually used, so a
 * name that changes its answer between a check and the connection (DNS rebinding) gains nothing.
 */
function guardedLookup(original: string, allow: AllowList, resolve: NonNullable<FetchSettings['resolve']>): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        const refused = refusedAddress(hostname, addresses.map((a) => a.address), allow);
        if (refused !== undefined) {
          callback(new AkhbarError({ code: 'LINK_BLOCKED', url: original, host: hostname, reason: 'private-address' }), '', 0);
          return;
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) {
          callback(Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          callback(null, [...usable]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

function resolveAll(hostname: string): Promise<readonly LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/** Reads the (decompressed) body, stopping the moment it passes `maxBytes`: a 20 MB page is never held. */
async function readBody(response: IncomingMessage, original: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encoding = (header(response, 'content-encoding') ?? 'identity').trim().toLowerCase();
  const decompress = decompressor(encoding);
  if (decompress === null) {
    response.destroy();
    throw new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: 'network', cause: `unsupported content-encoding ${encoding}` });
  }
  const body: Readable = decompress ? pipeline(response, decompress, () => {}) : response;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) {
        response.destroy();
        body.destroy();
        throw new AkhbarError({ code: 'LINK_TOO_LARGE', url: original, maxBytes });
      }
      chunks.push(buffer);
    }
  } catch (error) {
    throw fetchError(error, original, signal);
  }
  // A body cut short by the deadline is not a page.
  if (signal.aborted) throw new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: 'timeout' });
  return Buffer.concat(chunks);
}

// Compressed sizes are counted after decompression, so a small gzip bomb meets the same limit.
function decompressor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined | null {
  switch (encoding) {
    case 'identity':
    case '':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

function redirectTarget(location: string, from: URL, original: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: 'network', cause: 'malformed redirect location' });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new AkhbarError({ code: 'LINK_BLOCKED', url: original, host: next.hostname, reason: 'scheme' });
  }
  next.hash = '';
  return next;
}

function fetchError(error: unknown, original: string, signal: AbortSignal): AkhbarError {
  if (isAkhbarError(error)) return error;
  const cause = error instanceof Error ? error.message.slice(0, 200) : String(error);
  if (signal.aborted) return new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: 'timeout' }, { cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  return new AkhbarError({ code: 'LINK_UNREACHABLE', url: original, reason: failureOf(code), cause }, { cause: error });
}

function failureOf(code: string): LinkFailure {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR') return 'timeout';
  return 'network';
}

function wrongType(kind: ResourceKind, url: string, mediaType: string): AkhbarError {
  const contentType = mediaType === '' ? 'unknown' : mediaType;
  return kind === 'html'
    ? new AkhbarError({ code: 'LINK_NOT_HTML', url, contentType })
    : new AkhbarError({ code: 'FEED_INVALID', url, cause: `served as ${contentType}, and the body is not a feed` });
}

// For bodies served under a vague type: what the first characters say they are.
function looksLike(kind: ResourceKind, text: string): boolean {
  const head = text.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (kind === 'html') return /^<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]/.test(head);
  return /<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]/.test(head);
}

/** A Retry-After header (delay seconds, or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfter(value: string | undefined, now: number): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function httpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url;
  } catch {
    return undefined;
  }
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

// dist/ and src/ sit at the same depth under the package root, so one relative path serves both.
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'dev';
  } catch {
    return 'dev';
  }
}
