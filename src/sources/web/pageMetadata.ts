/**
 * What a news page says about itself in its markup: headline candidates, author, publication
 * date, canonical address, language and the outlet's name. Read before Readability runs, because
 * Readability rewrites the document it is given.
 */
import { normalizeUrl } from '../../core/urls.js';
import { attribute, type DomDocument } from './dom.js';
import { primaryLanguage } from '../languageTag.js';

/** Everything the page's markup declares, each field absent when the page does not say. */
export interface PageMetadata {
  readonly ogTitle?: string;
  /** The `<title>`, usually the headline plus the outlet's name. */
  readonly documentTitle?: string;
  /** The texts of the page's `<h1>` elements, in document order. */
  readonly headings: readonly string[];
  readonly structuredHeadline?: string;
  readonly siteName?: string;
  readonly byline?: string;
  /** ISO 8601. */
  readonly publishedAt?: string;
  /** Absolute, http(s), normalised (no fragment, no tracking parameters). */
  readonly canonicalUrl?: string;
  /** The declared language's primary subtag, lower case (`ar`, `en`). */
  readonly language?: string;
}

type JsonObject = Record<string, unknown>;

const ARTICLE_TYPE = /Article|BlogPosting|Report/i;

/** Reads the metadata of a page fetched from `pageUrl` (relative links resolve against it). */
export function readPageMetadata(document: DomDocument, pageUrl: string): PageMetadata {
  const structured = structuredArticle(document);
  const ogTitle = attribute(document, 'meta[property="og:title"]', 'content') ?? attribute(document, 'meta[name="twitter:title"]', 'content');
  const documentTitle = oneLine(document.querySelector('title')?.textContent);
  const headings = Array.from(document.querySelectorAll('h1'), (h1) => oneLine(h1.textContent)).filter((text): text is string => !!text);
  const structuredHeadline = stringField(structured, 'headline');
  const siteName = attribute(document, 'meta[property="og:site_name"]', 'content') ?? attribute(document, 'meta[name="application-name"]', 'content');
  const byline = attribute(document, 'meta[name="author"]', 'content') ?? authorName(structured?.['author']);
  const publishedAt = isoDate(
    attribute(document, 'meta[property="article:published_time"]', 'content') ??
      attribute(document, 'meta[name="article:published_time"]', 'content') ??
      stringField(structured, 'datePublished') ??
      attribute(document, '[itemprop="datePublished"]', 'content') ??
      attribute(document, '[itemprop="datePublished"]', 'datetime') ??
      // A <time> in the story, not one beside a headline in the sidebar.
      attribute(document, 'article time[datetime]', 'datetime') ??
      attribute(document, 'main time[datetime]', 'datetime'),
  );
  const canonicalUrl =
    absoluteUrl(attribute(document, 'link[rel~="canonical"]', 'href'), pageUrl) ??
    absoluteUrl(attribute(document, 'meta[property="og:url"]', 'content'), pageUrl);
  const language = primaryLanguage(
    document.documentElement?.getAttribute('lang') ?? attribute(document, 'meta[property="og:locale"]', 'content'),
  );
  return {
    ...(ogTitle ? { ogTitle: oneLine(ogTitle)! } : {}),
    ...(documentTitle ? { documentTitle } : {}),
    headings,
    ...(structuredHeadline ? { structuredHeadline: oneLine(structuredHeadline)! } : {}),
    ...(siteName ? { siteName } : {}),
    ...(byline && !/^https?:\/\//i.test(byline) ? { byline } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(canonicalUrl ? { canonicalUrl } : {}),
    ...(language ? { language } : {}),
  };
}

/** The page's JSON-LD object describing the article, if it has one. */
function structuredArticle(document: DomDocument): JsonObject | undefined {
  const objects: JsonObject[] = [];
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      collect(JSON.parse(script.textContent ?? ''), objects);
    } catch {
      // Broken JSON-LD is common and costs nothing but this one source of metadata.
    }
  }
  return objects.find((o) => typeNames(o).some((t) => ARTICLE_TYPE.test(t))) ?? objects.find((o) => 'datePublished' in o);
}

function collect(value: unknown, into: JsonObject[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
  } else if (value !== null && typeof value === 'object') {
    const object = value as JsonObject;
    into.push(object);
    if ('@graph' in object) collect(object['@graph'], into);
  }
}

function typeNames(object: JsonObject): string[] {
  const type = object['@type'];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : typeof type === 'string' ? [type] : [];
}

function stringField(object: JsonObject | undefined, name: string): string | undefined {
  const value = object?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function authorName(author: unknown): string | undefined {
  if (typeof author === 'string') return author.trim() || undefined;
  if (Array.isArray(author)) {
    const names = author.map(authorName).filter((name): name is string => !!name);
    return names.length > 0 ? names.join(', ') : undefined;
  }
  if (author !== null && typeof author === 'object') return stringField(author as JsonObject, 'name');
  return undefined;
}

function isoDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const time = Date.parse(raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function absoluteUrl(raw: string | undefined, base: string): string | undefined {
  if (!raw) return undefined;
  try {
    return normalizeUrl(new URL(raw, base).toString());
  } catch {
    return undefined;
  }
}


function oneLine(text: string | null | undefined): string | undefined {
  const line = text?.replace(/\s+/gu, ' ').trim();
  return line ? line : undefined;
}
