/**
 * Domain errors as the words a user reads: the one place an AkhbarError code becomes text. The
 * details a log needs (resolver messages, parser errors, private addresses) never reach the text.
 */
import { AkhbarError, isAkhbarError, type LinkFailure } from '../core/errors.js';
import type { FeedError } from '../core/types.js';
import { messages, type Messages, type UiLanguage } from './messages.js';

/** Why a feed's check failed, as stored with the feed, in words; an unexpected failure reads as the generic apology. */
export function feedErrorText(error: FeedError, language: UiLanguage): string {
  return errorText(error.details ? new AkhbarError(error.details) : new Error(error.code), language);
}

/** The text a user sees for a failed request: the domain reason, or a generic apology for bugs. */
export function errorText(error: unknown, language: UiLanguage): string {
  const m = messages(language);
  if (!isAkhbarError(error)) return m.internalError;
  const d = error.details;
  switch (d.code) {
    case 'EMPTY_ARTICLE':
      return m.emptyArticle;
    case 'NOT_TEXT':
      return m.notText;
    case 'ARTICLE_TOO_SHORT':
      return m.articleTooShort(d.minChars, d.actualChars);
    case 'ARTICLE_TOO_LONG':
      return m.articleTooLong(d.maxChars, d.actualChars);
    case 'INVALID_URL':
      return m.invalidUrl(d.url);
    case 'ARTICLE_NOT_FOUND':
      return m.articleNotFound(d.id);
    case 'AMBIGUOUS_ARTICLE_ID':
      return m.ambiguousId(d.id, d.matches);
    case 'NO_ARTICLES':
      return m.noArticlesYet;
    case 'NOT_ADMIN':
      return d.action === 'delete' ? m.notAdminDelete : d.action === 'status' ? m.notAdminStatus : d.action === 'feed' ? m.notAdminFeed : m.notAdmin;
    case 'NOT_CHAT_ADMIN':
      return m.chatAdminsOnly;
    case 'FILE_TOO_LARGE':
      return m.fileTooLarge(d.name.slice(0, 100), d.bytes, d.maxChars);
    case 'FILE_NOT_TEXT':
      return m.fileNotText(d.name.slice(0, 100));
    case 'FILE_UNREADABLE':
      return m.cannotReadFile(d.path);
    case 'EMPTY_QUESTION':
      return m.emptyQuestion;
    case 'QUESTION_TOO_LONG':
      return m.questionTooLong(d.maxChars);
    case 'STORE_UNAVAILABLE':
      return m.storeUnavailable;
    case 'LINK_UNREACHABLE':
      return unreachableText(m, shortUrl(d.url), d.reason, d.status);
    case 'LINK_BLOCKED':
      return d.reason === 'scheme' ? m.linkScheme(shortUrl(d.url)) : m.linkPrivate(shortUrl(d.url));
    case 'LINK_NOT_HTML':
      return m.linkNotHtml(shortUrl(d.url), d.contentType.slice(0, 60));
    case 'LINK_TOO_LARGE':
      return m.linkTooLarge(shortUrl(d.url), megabytes(d.maxBytes));
    case 'LINK_TOO_MANY_REDIRECTS':
      return d.loop ? m.linkRedirectLoop(shortUrl(d.url)) : m.linkTooManyRedirects(shortUrl(d.url), d.maxRedirects);
    case 'LINK_NO_ARTICLE':
      return m.linkNoArticle(shortUrl(d.url));
    case 'FEED_INVALID':
      return m.feedInvalid(shortUrl(d.url));
    case 'FEED_NOT_FOUND':
      return m.feedNotFound(d.ref.slice(0, 100));
    case 'FEED_EXISTS':
      return m.feedExists(d.id);
    case 'OPML_INVALID':
      return m.opmlInvalid(d.cause.slice(0, 200));
    case 'OPML_TOO_LARGE':
      return m.opmlTooLarge(d.feeds, d.maxFeeds);
    case 'BAD_BACKUP':
      return m.badBackup(d.line);
    case 'BAD_FILTER_PATTERN':
      return d.reason === 'too-long' ? m.filters.patternTooLong(d.maxChars) : m.filters.patternUnsupported(d.cause.slice(0, 120));
    case 'BAD_FILTER_WORD':
      return m.filters.wordMatchesNothing(d.word.slice(0, 60));
  }
}

function unreachableText(m: Messages, url: string, reason: LinkFailure, status: number | undefined): string {
  switch (reason) {
    case 'dns':
      return m.linkNoHost(url);
    case 'timeout':
      return m.linkTimeout(url);
    case 'http-status':
      return status === undefined ? m.linkNoAnswer(url) : m.linkHttpError(url, status);
    case 'refused':
    case 'network':
      return m.linkNoAnswer(url);
  }
}

// Long tracking-laden URLs drown the message; the start is enough to recognise the link.
const MAX_URL_CHARS = 100;

function shortUrl(url: string): string {
  return url.length <= MAX_URL_CHARS ? url : `${url.slice(0, MAX_URL_CHARS - 1)}…`;
}

function megabytes(bytes: number): string {
  return (Math.round((bytes / 1_048_576) * 10) / 10).toLocaleString('en');
}
