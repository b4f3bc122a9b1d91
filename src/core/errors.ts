/**
 * Typed domain errors. The core, the sources and the command layer throw them; i18n/errors.ts turns
 * them into text in the user's language.
 * Anything that is not an AkhbarError is a bug or an outage and is reported as such.
 */

/** Every reason the core refuses a request, with the facts an adapter needs to explain it. */
export type AkhbarErrorDetails =
  | { code: 'EMPTY_ARTICLE' }
  /** Binary data, or text in an encoding other than UTF-8: `unreadable` of `chars` characters decoded to nothing readable. */
  | { code: 'NOT_TEXT'; unreadable: number; chars: number }
  | { code: 'ARTICLE_TOO_SHORT'; minChars: number; actualChars: number }
  | { code: 'ARTICLE_TOO_LONG'; maxChars: number; actualChars: number }
  | { code: 'INVALID_URL'; url: string }
  | { code: 'ARTICLE_NOT_FOUND'; id: string }
  | { code: 'AMBIGUOUS_ARTICLE_ID'; id: string; matches: string[] }
  | { code: 'NO_ARTICLES' }
  // `action` lets the refusal name what was refused; posting (and following feeds) when absent.
  | { code: 'NOT_ADMIN'; actor: string; action?: 'delete' | 'status' | 'feed' }
  // Changing a chat's subscription is for those who manage the chat (the platform says who).
  | { code: 'NOT_CHAT_ADMIN' }
  // A file sent to be posted: refused by its real size in bytes before it is downloaded.
  | { code: 'FILE_TOO_LARGE'; name: string; bytes: number; maxChars: number }
  | { code: 'FILE_NOT_TEXT'; name: string }
  | { code: 'FILE_UNREADABLE'; path: string; cause?: string }
  | { code: 'EMPTY_QUESTION' }
  | { code: 'QUESTION_TOO_LONG'; maxChars: number; actualChars: number }
  | { code: 'STORE_UNAVAILABLE'; cause: string }
  // Fetching a page or a feed. `url` is what the admin gave (or the hop that failed); `cause` is for logs only.
  // `retryAfterMs`: the server's Retry-After (429, 503), which a poller honours before asking again.
  | { code: 'LINK_UNREACHABLE'; url: string; reason: LinkFailure; status?: number; cause?: string; retryAfterMs?: number }
  | { code: 'LINK_BLOCKED'; url: string; host: string; reason: 'private-address' | 'scheme' }
  | { code: 'LINK_NOT_HTML'; url: string; contentType: string }
  | { code: 'LINK_TOO_LARGE'; url: string; maxBytes: number }
  | { code: 'LINK_TOO_MANY_REDIRECTS'; url: string; maxRedirects: number; loop: boolean }
  | { code: 'LINK_NO_ARTICLE'; url: string }
  | { code: 'FEED_INVALID'; url: string; cause: string }
  | { code: 'FEED_NOT_FOUND'; ref: string }
  | { code: 'FEED_EXISTS'; url: string; id: string }
  // An OPML file refused as a whole: nothing of it was followed.
  | { code: 'OPML_INVALID'; cause: string }
  | { code: 'OPML_TOO_LARGE'; feeds: number; maxFeeds: number }
  | { code: 'BAD_BACKUP'; line: number; reason: string }
  // A subscription filter's pattern: longer than the cap, or not something RE2 runs (backreferences, lookaround, bad syntax).
  | { code: 'BAD_FILTER_PATTERN'; pattern: string; reason: 'too-long'; maxChars: number }
  | { code: 'BAD_FILTER_PATTERN'; pattern: string; reason: 'unsupported'; cause: string }
  // A filter word that is only a stop word or punctuation, so it could never match anything.
  | { code: 'BAD_FILTER_WORD'; word: string };

/** Why a link could not be fetched: no such host, nobody listening, too slow, an HTTP error status, or a broken connection. */
export type LinkFailure = 'dns' | 'refused' | 'timeout' | 'http-status' | 'network';

/** The code of a domain error, for switch statements in adapters. */
export type AkhbarErrorCode = AkhbarErrorDetails['code'];

/** A refusal the user can act on (bad input, missing rights, unknown id) or a named outage. */
export class AkhbarError extends Error {
  readonly details: AkhbarErrorDetails;

  constructor(details: AkhbarErrorDetails, options?: { cause?: unknown }) {
    super(describe(details), options);
    this.name = 'AkhbarError';
    this.details = details;
  }

  get code(): AkhbarErrorCode {
    return this.details.code;
  }
}

/** True when `error` is a domain error (optionally of one code). */
export function isAkhbarError<C extends AkhbarErrorCode>(
  error: unknown,
  code?: C,
): error is AkhbarError & { details: Extract<AkhbarErrorDetails, { code: C }> } {
  return error instanceof AkhbarError && (code === undefined || error.code === code);
}

// The English message is for logs; users get localised text from the adapter.
function describe(details: AkhbarErrorDetails): string {
  switch (details.code) {
    case 'EMPTY_ARTICLE':
      return 'article text is empty';
    case 'NOT_TEXT':
      return `not text: ${details.unreadable} of ${details.chars} characters unreadable (binary data, or not UTF-8)`;
    case 'ARTICLE_TOO_SHORT':
      return `article is too short (${details.actualChars} < ${details.minChars} characters)`;
    case 'ARTICLE_TOO_LONG':
      return `article is too long (${details.actualChars} > ${details.maxChars} characters)`;
    case 'INVALID_URL':
      return `not an http(s) URL: ${details.url}`;
    case 'ARTICLE_NOT_FOUND':
      return `no article with id ${details.id}`;
    case 'AMBIGUOUS_ARTICLE_ID':
      return `article id ${details.id} matches ${details.matches.length} articles`;
    case 'NO_ARTICLES':
      return 'no articles are stored yet';
    case 'NOT_ADMIN':
      return `${details.actor} is not an admin`;
    case 'NOT_CHAT_ADMIN':
      return 'not an admin of this chat';
    case 'FILE_TOO_LARGE':
      return `file ${details.name} is ${details.bytes} bytes, more than ${details.maxChars} characters can take`;
    case 'FILE_NOT_TEXT':
      return `file ${details.name} is not a text file`;
    case 'FILE_UNREADABLE':
      return `cannot read ${details.path}${details.cause ? ` (${details.cause})` : ''}`;
    case 'EMPTY_QUESTION':
      return 'question is empty';
    case 'QUESTION_TOO_LONG':
      return `question is too long (${details.actualChars} > ${details.maxChars} characters)`;
    case 'STORE_UNAVAILABLE':
      return `store unavailable: ${details.cause}`;
    case 'LINK_UNREACHABLE':
      return `cannot fetch ${details.url}: ${details.reason}${details.status === undefined ? '' : ` ${details.status}`}${details.cause ? ` (${details.cause})` : ''}`;
    case 'LINK_BLOCKED':
      return `refused to fetch ${details.url}: ${details.reason === 'scheme' ? 'not http(s)' : `${details.host} is not a public address`}`;
    case 'LINK_NOT_HTML':
      return `${details.url} is not a web page (${details.contentType})`;
    case 'LINK_TOO_LARGE':
      return `${details.url} is larger than ${details.maxBytes} bytes`;
    case 'LINK_TOO_MANY_REDIRECTS':
      return details.loop ? `${details.url} redirects in a loop` : `${details.url} redirects more than ${details.maxRedirects} times`;
    case 'LINK_NO_ARTICLE':
      return `no readable article at ${details.url}`;
    case 'FEED_INVALID':
      return `${details.url} is not a valid RSS or Atom feed: ${details.cause}`;
    case 'FEED_NOT_FOUND':
      return `no feed ${details.ref}`;
    case 'FEED_EXISTS':
      return `feed ${details.url} is already followed as ${details.id}`;
    case 'OPML_INVALID':
      return `not a usable OPML file: ${details.cause}`;
    case 'OPML_TOO_LARGE':
      return `OPML file lists ${details.feeds} feeds, more than ${details.maxFeeds}`;
    case 'BAD_BACKUP':
      return `not a usable backup at line ${details.line}: ${details.reason}`;
    case 'BAD_FILTER_PATTERN':
      return details.reason === 'too-long' ? `filter pattern is longer than ${details.maxChars} characters` : `filter pattern not supported: ${details.cause}`;
    case 'BAD_FILTER_WORD':
      return `filter word ${details.word} has nothing to match (a stop word?)`;
  }
}
