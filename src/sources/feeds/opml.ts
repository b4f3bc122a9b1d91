/**
 * OPML, the file feed readers exchange subscription lists in: read the feeds an OPML file lists
 * (outlines with an `xmlUrl`, at any depth of categories) and write the followed feeds as one.
 * A file is read as a whole or refused as a whole, so an import never follows half a list.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AkhbarError } from '../../core/errors.js';
import { normalizeUrl } from '../../core/urls.js';

/** One feed of an OPML file. */
export interface OpmlFeed {
  /** Normalised http(s) URL of the feed (the outline's `xmlUrl`). */
  readonly url: string;
  /** The outline's `title`, else its `text`. */
  readonly title?: string;
  /** The outline's `htmlUrl`: the site the feed belongs to. */
  readonly siteUrl?: string;
}

/** How much one file may hold. */
export interface OpmlLimits {
  /** Most feeds one file may list. */
  readonly maxFeeds: number;
  /** Most characters the document may have. */
  readonly maxChars: number;
}

/**
 * 500 feeds: the largest lists newsrooms export from the readers they move away from are in the low
 * hundreds; a thousands-long list is a scrape, not a desk's reading. 2 MB holds 500 outlines with
 * long titles several times over.
 */
export const OPML_LIMITS: OpmlLimits = { maxFeeds: 500, maxChars: 2 * 1024 * 1024 };

interface Outline {
  readonly xmlUrl?: unknown;
  readonly htmlUrl?: unknown;
  readonly title?: unknown;
  readonly text?: unknown;
  readonly outline?: readonly Outline[];
}

/** The feeds `text` lists, each URL once, in document order; throws OPML_INVALID or OPML_TOO_LARGE with nothing read. */
export function parseOpml(text: string, limits: OpmlLimits = OPML_LIMITS): OpmlFeed[] {
  const invalid = (cause: string) => new AkhbarError({ code: 'OPML_INVALID', cause });
  if (text.length > limits.maxChars) throw invalid(`larger than ${limits.maxChars} characters`);
  const xml = text.replace(/^\uFEFF/, '').trimStart();
  // Entity declarations are how "billion laughs" documents grow; no OPML file needs them.
  if (/<!ENTITY/i.test(xml)) throw invalid('declares XML entities');
  const checked = XMLValidator.validate(xml);
  if (checked !== true) throw invalid(`${checked.err.msg} (line ${checked.err.line})`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'outline', parseAttributeValue: false });
  const document = parser.parse(xml) as { opml?: { body?: { outline?: readonly Outline[] } | '' } };
  if (document.opml === undefined) throw invalid('no <opml> element');
  const body = document.opml.body;
  if (body === undefined) throw invalid('no <body> element');
  const found: OpmlFeed[] = [];
  const seen = new Set<string>();
  const visit = (outlines: readonly Outline[] | undefined, depth: number): void => {
    for (const outline of outlines ?? []) {
      if (outline.xmlUrl !== undefined) {
        const raw = attribute(outline.xmlUrl) ?? '';
        const url = normalizeUrl(raw);
        if (url === undefined) throw invalid(`"${raw.slice(0, 100)}" is not an http(s) feed address`);
        if (!seen.has(url)) {
          seen.add(url);
          found.push(feedOf(url, outline));
        }
        // Cheap to count on the way, so a huge file is refused before it is all walked.
        if (found.length > limits.maxFeeds) throw new AkhbarError({ code: 'OPML_TOO_LARGE', feeds: countFeeds(body === '' ? [] : (body.outline ?? [])), maxFeeds: limits.maxFeeds });
      }
      // Categories nest; real files use two or three levels. A deeper one is a broken export.
      if (outline.outline) {
        if (depth >= MAX_DEPTH) throw invalid(`outlines nested more than ${MAX_DEPTH} deep`);
        visit(outline.outline, depth + 1);
      }
    }
  };
  visit(body === '' ? [] : body.outline, 1);
  if (found.length === 0) throw invalid('it lists no feeds');
  return found;
}

const MAX_DEPTH = 10;

function feedOf(url: string, outline: Outline): OpmlFeed {
  const shown = attribute(outline.text);
  // A `text` that is only the feed's address (as writeOpml puts for an untitled feed) is no title.
  const title = attribute(outline.title) ?? (shown === undefined || normalizeUrl(shown) === url ? undefined : shown);
  const site = attribute(outline.htmlUrl);
  const siteUrl = site === undefined ? undefined : normalizeUrl(site);
  return { url, ...(title ? { title } : {}), ...(siteUrl ? { siteUrl } : {}) };
}

function countFeeds(outlines: readonly Outline[]): number {
  return outlines.reduce((n, o) => n + (o.xmlUrl === undefined ? 0 : 1) + countFeeds(o.outline ?? []), 0);
}

function attribute(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The feeds as an OPML 2.0 document, one `rss` outline each, in the order given. */
export function writeOpml(feeds: readonly OpmlFeed[], head: { readonly title: string; readonly createdAt: Date }): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(head.title)}</title>`,
    `    <dateCreated>${head.createdAt.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...feeds.map((feed) => {
      // OPML requires `text`; a feed with no title shows its address there, and gets no `title`, so it reads back untitled.
      const named = feed.title ? ` title="${escapeXml(feed.title)}"` : '';
      const site = feed.siteUrl ? ` htmlUrl="${escapeXml(feed.siteUrl)}"` : '';
      return `    <outline type="rss" text="${escapeXml(feed.title ?? feed.url)}"${named} xmlUrl="${escapeXml(feed.url)}"${site}/>`;
    }),
    '  </body>',
    '</opml>',
    '',
  ];
  return lines.join('\n');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Attribute values: the five XML specials by name, which every OPML reader decodes (numeric references not all do).
function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
