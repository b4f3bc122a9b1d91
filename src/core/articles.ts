/**
 * Turning what an admin pasted into a clean, identified article: limits, debris, title, language, id.
 */
import { createHash } from 'node:crypto';
import { AkhbarError } from './errors.js';
import { cleanText, detectLanguage, foldForMatching, splitSentences } from './text/index.js';
import type { Actor, Article, ArticleInput } from './types.js';
import { normalizeUrl } from './urls.js';

/** Size limits for posted text, from config. */
export interface ArticleLimits {
  readonly minChars: number;
  readonly maxChars: number;
}

// Lines that scrapers leave behind between paragraphs: never part of the story.
const DEBRIS_LINE =
  /^(thumbnail|image|photo|picture|video|advertisement|advert|ad|sponsored|share|share this|tweet|print|read more|read also|related|اقرأ أيضا|اقرأ ايضا|اقرأ المزيد|إعلان|اعلان|شارك|شارك الخبر|صورة|فيديو|طباعة)[:.]?$/iu;
const HAS_WORD = /[\p{L}\p{N}]/u;
// "Headline – Outlet", "Headline | Outlet", "Headline - Outlet"
const OUTLET_SEPARATOR = /\s+[–—|\-:]\s+|\s+::\s+/gu;
const MAX_TITLE_LINE_CHARS = 200;
const MAX_BYLINE_CHARS = 200;
const ID_LENGTH = 12;

/** The stable id of an article body: the same text (up to spacing and letter forms) gives the same id. */
export function articleId(body: string): string {
  const canonical = foldForMatching(body).replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(canonical).digest('hex').slice(0, ID_LENGTH);
}

// Characters that no text holds: U+FFFD (what a decoder makes of bytes that are not UTF-8) and the C0
// controls but tab, line feed, carriage return and form feed. Real articles, Arabic or English,
// have none (an odd stray one survives a copy and paste); 4 KB of random bytes decode to about
// half of them, and Arabic saved as Windows-1256 to most of its letters. 1 % is far from both.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNREADABLE = /[\ufffd\u0000-\u0008\u000b\u000e-\u001f\u007f]/gu;
const UNREADABLE_SHARE = 0.01;
const UNREADABLE_ALLOWED = 8;

function refuseUnreadable(text: string): void {
  const unreadable = text.match(UNREADABLE)?.length ?? 0;
  if (unreadable > Math.max(UNREADABLE_ALLOWED, text.length * UNREADABLE_SHARE)) {
    throw new AkhbarError({ code: 'NOT_TEXT', unreadable, chars: text.length });
  }
}

/** Validates and cleans a posted article; throws an AkhbarError naming what is wrong. */
export function prepareArticle(input: ArticleInput, limits: ArticleLimits, actor: Actor, now: Date): Article {
  // Check the raw size first: a 5 MB paste is refused before any work is spent on it.
  if (input.text.length > limits.maxChars * 2) {
    throw new AkhbarError({ code: 'ARTICLE_TOO_LONG', maxChars: limits.maxChars, actualChars: input.text.length });
  }
  refuseUnreadable(input.text);
  const url = input.url === undefined || input.url.trim() === '' ? undefined : validUrl(input.url.trim());
  const lines = cleanText(input.text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line === '' || (HAS_WORD.test(line) && !DEBRIS_LINE.test(line)));

  const givenTitle = input.title === undefined ? '' : cleanText(input.title).replace(/\s+/gu, ' ');
  const { title, bodyLines } = givenTitle !== '' ? { title: givenTitle, bodyLines: lines } : titleFromLines(lines);
  const body = dropRepeatedTitle(bodyLines, title).join('\n').replace(/\n{3,}/g, '\n\n').trim();

  if (body === '') throw new AkhbarError({ code: 'EMPTY_ARTICLE' });
  if (body.length < limits.minChars) {
    throw new AkhbarError({ code: 'ARTICLE_TOO_SHORT', minChars: limits.minChars, actualChars: body.length });
  }
  if (body.length > limits.maxChars) {
    throw new AkhbarError({ code: 'ARTICLE_TOO_LONG', maxChars: limits.maxChars, actualChars: body.length });
  }
  const byline = input.byline === undefined ? '' : cleanText(input.byline).replace(/\s+/gu, ' ').slice(0, MAX_BYLINE_CHARS);
  const publishedAt = isoDate(input.publishedAt);
  return {
    id: articleId(body),
    title: title !== '' ? title : fallbackTitle(body),
    text: body,
    language: detectLanguage(`${title}\n${body}`),
    ...(url === undefined ? {} : { url }),
    postedAt: now.toISOString(),
    postedBy: actorId(actor),
    ...(byline === '' ? {} : { byline }),
    ...(publishedAt === undefined ? {} : { publishedAt }),
    source: input.source ?? 'paste',
  };
}

/** The platform-qualified id of an actor, as used in ADMIN_IDS and logs. */
export function actorId(actor: Actor): string {
  switch (actor.kind) {
    case 'operator':
      return 'operator';
    case 'user':
      return `${actor.platform}:${actor.userId}`;
    case 'feed':
      return `feed:${actor.host}`;
  }
}

/** The headline with a trailing outlet name ("… – مصدر24", "… | Reuters") removed. */
export function stripOutletSuffix(line: string): string {
  const parts = line.split(OUTLET_SEPARATOR);
  if (parts.length < 2) return line.trim();
  const last = parts[parts.length - 1]!.trim();
  const head = line.slice(0, line.length - last.length).replace(/\s*(?:[–—|\-:]|::)\s*$/u, '').trim();
  const lastWords = last.split(/\s+/u).length;
  // An outlet name is short; a long tail is part of the headline ("Algeria – US talks resume").
  if (lastWords <= 3 && last.length <= 30 && head.length > last.length) return head;
  return line.trim();
}

function titleFromLines(lines: string[]): { title: string; bodyLines: string[] } {
  const firstIndex = lines.findIndex((line) => line !== '');
  if (firstIndex < 0) return { title: '', bodyLines: [] };
  const first = lines[firstIndex]!;
  const rest = lines.slice(firstIndex + 1);
  const restHasText = rest.some((line) => line !== '');
  // A headline is a short first line with more text after it; a lone paragraph is all body.
  const looksLikeHeadline =
    restHasText && first.length <= MAX_TITLE_LINE_CHARS && splitSentences(first).length <= 1 && !/[.!؟?]["”»']?$/u.test(first);
  if (!looksLikeHeadline) return { title: '', bodyLines: lines };
  return { title: stripOutletSuffix(first), bodyLines: rest };
}

function dropRepeatedTitle(lines: string[], title: string): string[] {
  if (title === '') return lines;
  const folded = foldForMatching(title).trim();
  const firstIndex = lines.findIndex((line) => line !== '');
  if (firstIndex >= 0 && foldForMatching(stripOutletSuffix(lines[firstIndex]!)).trim() === folded) {
    return lines.slice(firstIndex + 1);
  }
  return lines;
}

function fallbackTitle(body: string): string {
  const first = splitSentences(body)[0] ?? body;
  const words = first.split(/\s+/u);
  return words.length <= 12 ? first : `${words.slice(0, 12).join(' ')}…`;
}

function validUrl(raw: string): string {
  const url = normalizeUrl(raw);
  if (url === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: raw.slice(0, 200) });
  return url;
}

function isoDate(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const time = Date.parse(raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
