/**
 * The article on a news page: Readability (over linkedom) finds the story among navigation,
 * sidebars and footers; the page's own metadata gives the clean headline, author, date,
 * canonical address and language.
 */
import { Readability } from '@mozilla/readability';
import { stripOutletSuffix } from '../../core/articles.js';
import { AkhbarError } from '../../core/errors.js';
import { detectLanguage, foldForMatching } from '../../core/text/index.js';
import type { Language } from '../../core/types.js';
import { parseDocument, type DomElement } from './dom.js';
import { nodeText } from './htmlText.js';
import { readPageMetadata, type PageMetadata } from './pageMetadata.js';

/** The story of a page, ready to be posted. */
export interface ExtractedArticle {
  readonly title: string;
  /** Paragraphs separated by blank lines. */
  readonly text: string;
  readonly byline?: string;
  /** ISO 8601. */
  readonly publishedAt?: string;
  /** Normalised absolute URL the page names as its own. */
  readonly canonicalUrl?: string;
  /** As the page declares it, else as its text reads. */
  readonly language: Language;
  readonly siteName?: string;
}

// Below this much text, or when most of it is link text, what Readability found is a list of
// headlines or a cookie notice, not a story.
const MIN_TEXT_CHARS = 200;
const MAX_LINK_SHARE = 0.5;
const BYLINE_PREFIX = /^(by|from|بقلم|كتب|كتبت|إعداد|اعداد|تحرير)\s*[:：\-–]?\s+/iu;
const TITLE_SEPARATOR = '\\s*[|\\-–—:·•»]\\s*';

/** Extracts the article of the page at `pageUrl`; throws LINK_NO_ARTICLE when there is none. */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle {
  const document = parseDocument(html);
  const meta = readPageMetadata(document, pageUrl);
  // The serializer hands back Readability's content element instead of an HTML string to re-parse.
  const parsed = new Readability<DomElement>(document, { serializer: (node) => node as DomElement }).parse();
  const content = parsed?.content ?? undefined;
  const title = chooseTitle(meta, parsed?.title ?? undefined);
  const text = content ? dropLeadingTitle(nodeText(content), title) : '';
  if (!content || text.length < MIN_TEXT_CHARS || linkShare(content, text) > MAX_LINK_SHARE) {
    throw new AkhbarError({ code: 'LINK_NO_ARTICLE', url: pageUrl });
  }
  const byline = cleanByline(parsed?.byline ?? meta.byline);
  return {
    title,
    text,
    ...(byline ? { byline } : {}),
    ...(meta.publishedAt ? { publishedAt: meta.publishedAt } : {}),
    ...(meta.canonicalUrl ? { canonicalUrl: meta.canonicalUrl } : {}),
    language: languageOf(meta.language, `${title}\n${text}`),
    ...(meta.siteName ? { siteName: meta.siteName } : {}),
  };
}

/**
 * og:title first (written for sharing, it is the bare headline), then an <h1> that the <title>
 * contains, then the structured headline, Readability's pick and the <title>, each without the
 * outlet's name.
 */
function chooseTitle(meta: PageMetadata, readabilityTitle: string | undefined): string {
  const candidates = [meta.ogTitle, matchingHeading(meta), meta.structuredHeadline, readabilityTitle, meta.documentTitle];
  for (const candidate of candidates) {
    const title = candidate ? withoutSiteName(candidate, meta.siteName) : '';
    if (title !== '') return title;
  }
  return '';
}

// A site logo is often an <h1> too; the headline is the one the <title> repeats.
function matchingHeading(meta: PageMetadata): string | undefined {
  if (!meta.documentTitle) return undefined;
  const documentTitle = foldForMatching(meta.documentTitle);
  const site = meta.siteName ? foldForMatching(meta.siteName) : undefined;
  return meta.headings.find((heading) => {
    const folded = foldForMatching(heading);
    return folded !== site && folded.length >= 10 && documentTitle.includes(folded);
  });
}

function withoutSiteName(raw: string, siteName: string | undefined): string {
  let title = raw.replace(/\s+/gu, ' ').trim();
  if (siteName) {
    const site = escapeRegExp(siteName.trim());
    const stripped = title.replace(new RegExp(`${TITLE_SEPARATOR}${site}$`, 'iu'), '').replace(new RegExp(`^${site}${TITLE_SEPARATOR}`, 'iu'), '');
    if (stripped !== '') title = stripped;
  }
  return stripOutletSuffix(title);
}

// Readability keeps the headline as the story's first heading; the title carries it already.
function dropLeadingTitle(text: string, title: string): string {
  const [first, ...rest] = text.split('\n\n');
  return first !== undefined && title !== '' && foldForMatching(first) === foldForMatching(title) ? rest.join('\n\n') : text;
}

function linkShare(content: DomElement, text: string): number {
  let linkChars = 0;
  for (const link of Array.from(content.querySelectorAll('a'))) linkChars += (link.textContent ?? '').replace(/\s+/gu, '').length;
  const textChars = text.replace(/\s+/gu, '').length;
  return textChars === 0 ? 1 : linkChars / textChars;
}

function cleanByline(raw: string | undefined): string | undefined {
  const byline = raw?.replace(/\s+/gu, ' ').trim().replace(BYLINE_PREFIX, '').trim();
  return byline ? byline : undefined;
}

function languageOf(declared: string | undefined, text: string): Language {
  if (declared === 'ar' || declared === 'en') return declared;
  return declared ? 'other' : detectLanguage(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
