/**
 * Typed domain errors. The core throws them; adapters turn them into text in the user's language.
 * Anything that is not an AkhbarError is a bug or an outage and is reported as such.
 */

/** Every reason the core refuses a request, with the facts an adapter needs to explain it. */
export type AkhbarErrorDetails =
  | { code: 'EMPTY_ARTICLE' }
  | { code: 'ARTICLE_TOO_SHORT'; minChars: number; actualChars: number }
  | { code: 'ARTICLE_TOO_LONG'; maxChars: number; actualChars: number }
  | { code: 'INVALID_URL'; url: string }
  | { code: 'ARTICLE_NOT_FOUND'; id: string }
  | { code: 'AMBIGUOUS_ARTICLE_ID'; id: string; matches: string[] }
  | { code: 'NO_ARTICLES' }
  | { code: 'NOT_ADMIN'; actor: string }
  | { code: 'EMPTY_QUESTION' }
  | { code: 'QUESTION_TOO_LONG'; maxChars: number; actualChars: number }
  | { code: 'STORE_UNAVAILABLE'; cause: string };

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
    case 'EMPTY_QUESTION':
      return 'question is empty';
    case 'QUESTION_TOO_LONG':
      return `question is too long (${details.actualChars} > ${details.maxChars} characters)`;
    case 'STORE_UNAVAILABLE':
      return `store unavailable: ${details.cause}`;
  }
}
