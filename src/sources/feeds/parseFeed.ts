/**
 * An RSS 2.0 / RSS 1.0 / Atom document to normalised items. The XML must be well-formed: a
 * broken feed is refused as a whole rather than half-read, since the feed parser on its own
 * recovers from unclosed tags by guessing. The few slips with only one reading (see repairXml)
 * are repaired first, and the repaired document must then be well-formed itself.
 */
import { createHash } from 'node:crypto';
import { parseFeed as parseFeedDocument } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { AkhbarError } from '../../core/errors.js';
import { normalizeUrl } from '../../core/urls.js';
import { primaryLanguage } from '../languageTag.js';

/** One entry of a feed. */
export interface FeedItem {
  /** The item's GUID / Atom id, else its link, else a hash of its title and content: what "seen" is keyed on. */
  readonly id: string;
  /** Absolute http(s) link to the story, normalised. */
  readonly link?: string;
  readonly title: string;
  /** The fullest body the feed gives (content:encoded or Atom content, else the description); HTML or text. */
  readonly content: string;
  /** The description, when the feed gives a separate one. */
  readonly summary?: string;
  /** ISO 8601. */
  readonly publishedAt?: string;
  readonly author?: string;
  /** The feed's declared language, primary subtag (`ar`, `en`). */
  readonly language?: string;
}

/** A parsed feed. */
export interface ParsedFeed {
  readonly title?: string;
  readonly language?: string;
  /** The channel's `<ttl>` (RSS 2.0): how many minutes the publisher says a copy stays fresh. */
  readonly ttlMinutes?: number;
  /** True when the document was read only after repairing it (see repairXml). */
  readonly repaired?: boolean;
  /** In the feed's order (usually newest first). */
  readonly items: readonly FeedItem[];
}

/** Parses the feed fetched from `feedUrl`; throws FEED_INVALID for broken XML or a document that is no feed. */
export function parseFeed(document: string, feedUrl: string): ParsedFeed {
  let xml = document;
  const invalid = (cause: string) => new AkhbarError({ code: 'FEED_INVALID', url: feedUrl, cause });
  // Entity declarations are how "billion laughs" documents grow; no news feed needs them.
  if (/<!ENTITY/i.test(xml)) throw invalid('declares XML entities');
  const checked = XMLValidator.validate(xml);
  let repaired = false;
  if (checked !== true) {
    const fixed = repairXml(xml);
    // Accepted only when the repair changed something and left a well-formed document: the strict error is what the admin sees otherwise.
    if (fixed === xml || XMLValidator.validate(fixed) !== true) throw invalid(`${checked.err.msg} (line ${checked.err.line}, column ${checked.err.col})`);
    xml = fixed;
    repaired = true;
  }
  let feed: ReturnType<typeof parseFeedDocument>;
  try {
    feed = parseFeedDocument(xml);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  const language = primaryLanguage(feed.language);
  const items = feed.items.map((item): FeedItem => {
    const link = resolveLink(item.url, feedUrl);
    const title = (item.title ?? '').trim();
    const description = item.description?.trim() || undefined;
    const content = item.content?.trim() || description || '';
    const published = item.published ?? item.updated;
    const author = item.authors.map((a) => a.name).find((name): name is string => !!name?.trim());
    return {
      id: item.id?.trim() || link || `sha256:${createHash('sha256').update(`${title}\n${content}`).digest('hex')}`,
      ...(link ? { link } : {}),
      title,
      content,
      ...(description && description !== content ? { summary: description } : {}),
      ...(published ? { publishedAt: published.toISOString() } : {}),
      ...(author ? { author: author.trim() } : {}),
      ...(language ? { language } : {}),
    };
  });
  const title = feed.title?.trim();
  const ttlMinutes = channelTtl(xml);
  return { ...(title ? { title } : {}), ...(language ? { language } : {}), ...(ttlMinutes ? { ttlMinutes } : {}), ...(repaired ? { repaired } : {}), items };
}

const CDATA = /(<!\[CDATA\[[\s\S]*?\]\]>)/;
// An ampersand that starts no entity or character reference: `&` as typed in "Tides & turbines".
const BARE_AMPERSAND = /&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[\dA-Fa-f]+);)/g;

/**
 * The feed with the slips that have exactly one reading put right: a byte-order mark or blank
 * lines before the XML declaration, and ampersands that start no entity (escaped as `&amp;`, which
 * is what the writer meant). CDATA sections are left as they are: an ampersand is literal there.
 * Anything else (an unclosed tag, a stray `<`) has several readings and stays broken.
 */
export function repairXml(xml: string): string {
  const start = xml.replace(/^[\uFEFF\s]+(?=<\?xml)/u, '');
  return start
    .split(CDATA)
    .map((part) => (part.startsWith('<![CDATA[') ? part : part.replace(BARE_AMPERSAND, '&amp;')))
    .join('');
}

// RSS 2.0 puts <ttl> in the channel, before the items; a <ttl> inside an item is not the feed's.
function channelTtl(xml: string): number | undefined {
  const head = xml.split(/<item[\s>]/, 1)[0]!;
  const match = /<ttl>\s*(\d{1,6})\s*<\/ttl>/.exec(head);
  const minutes = match ? Number(match[1]) : 0;
  return minutes > 0 ? minutes : undefined;
}

function resolveLink(raw: string | null, feedUrl: string): string | undefined {
  if (!raw) return undefined;
  try {
    return normalizeUrl(new URL(raw, feedUrl).toString());
  } catch {
    return undefined;
  }
}

