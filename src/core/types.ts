/**
 * The domain of akhbar: articles, summaries, answers and who asks for them.
 * Nothing here knows about Telegram, Discord or any transport.
 */
import type { AkhbarErrorCode, AkhbarErrorDetails } from './errors.js';

/** Languages the bot speaks to users in; `other` is any text that is neither Arabic nor English. */
export type Language = 'ar' | 'en' | 'other';

/** How an article arrived: pasted text, a page fetched by link, or an item of a followed feed. */
export type ArticleSource = 'paste' | 'link' | 'feed';

/** A stored news article. `text` is the cleaned body, kept as the author wrote it (not folded). */
export interface Article {
  /** Stable id: a prefix of the SHA-256 of the normalised body, so the same text is the same article. */
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly language: Language;
  /** Normalised (see core/urls.ts); for fetched pages the canonical URL. One URL is one article. */
  readonly url?: string;
  /** ISO 8601 time the article was stored. */
  readonly postedAt: string;
  /** Platform-qualified id of who posted it, e.g. `telegram:123`, `operator` for the local console, `feed:<host>`. */
  readonly postedBy: string;
  /** The author line the page gives, e.g. "Sara Ali". */
  readonly byline?: string;
  /** ISO 8601 time the outlet published it, when the page or feed says; `postedAt` is when it was stored. */
  readonly publishedAt?: string;
  /** Absent on articles stored before links and feeds existed: those were pasted. */
  readonly source?: ArticleSource;
  /**
   * The id of the first article of the story this one joined (the same event told again: another
   * outlet's report, the same text reflowed or reworded); absent when it started its own story.
   */
  readonly storyId?: string;
}

/** One line of the article list: what listing and paging need without the body. */
export interface ArticleListing {
  readonly id: string;
  readonly title: string;
  readonly language: Language;
  readonly postedAt: string;
  readonly url?: string;
  /** Who posted it (`feed:<host>` for a feed), which with the URL names the outlet. */
  readonly postedBy: string;
  /** As on Article: the story it joined, absent when it started one. */
  readonly storyId?: string;
}

/** What an admin (or a source on an admin's behalf) hands in to post an article. */
export interface ArticleInput {
  readonly text: string;
  readonly title?: string;
  readonly url?: string;
  readonly byline?: string;
  /** Any date string `Date` understands; stored as ISO 8601, dropped when it does not parse. */
  readonly publishedAt?: string;
  /** `paste` when absent. */
  readonly source?: ArticleSource;
}

/** A summary of one article, in one language. */
export interface Summary {
  readonly articleId: string;
  readonly title: string;
  readonly language: Language;
  /** The sentences of the summary, in article order. */
  readonly sentences: readonly string[];
  /** The sentences joined for display. */
  readonly text: string;
  /** Which engine made it, e.g. `embedded` or `openai:gpt-4o-mini`. */
  readonly engine: string;
}

/** Where a piece of an answer comes from. */
export interface Citation {
  readonly articleId: string;
  readonly title: string;
  /** The sentence(s) of the article the answer rests on, quoted as stored. */
  readonly quote: string;
  readonly url?: string;
  /** The article's language, which is the quote's: it may not be the question's. */
  readonly language?: Language;
  /** The other articles of the cited article's story (other outlets' reports of it), oldest first. */
  readonly alsoIn?: readonly StorySource[];
}

/** Another article of a cited story: what a reader needs to find it. */
export interface StorySource {
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  /** Its outlet (the link's host, or the feed's), when it has one. */
  readonly outlet?: string;
}

/** The answer to a user's question about the stored articles. */
export interface Answer {
  /** False when the stored articles do not contain the answer; `text` is then empty (what to say is the adapters'). */
  readonly found: boolean;
  readonly text: string;
  readonly language: Language;
  readonly citations: readonly Citation[];
  /** True when served from the answer cache. */
  readonly cached: boolean;
  readonly engine: string;
  /** What the answer rests on (or why there was none): for /why and for followed questions. */
  readonly evidence?: AnswerEvidence;
}

/** One passage retrieval handed to the engine, as /why shows it. */
export interface EvidencePassage {
  readonly articleId: string;
  readonly title: string;
  /** Retrieval score, higher is better; only comparable within one question. */
  readonly score: number;
  readonly sentences: readonly string[];
}

/** The evidence behind an answer, or behind a refusal. */
export interface AnswerEvidence {
  /** Equal for two answers exactly when they rest on the same sentences of the same postings. */
  readonly fingerprint: string;
  /** Words of the question that no stored article contains, as the question spells them. */
  readonly unknownWords: readonly string[];
  /** The passages retrieved, best first (also for a refusal: the candidates that were not enough). */
  readonly passages: readonly EvidencePassage[];
  /** How likely the best passage holds the answer, 0..1, and the least that is answered from. */
  readonly confidence: number;
  readonly threshold: number;
  /** Why the question was declined; absent when the evidence was enough. */
  readonly declined?: DeclineReason;
}

/**
 * Why a question is declined, the first test its evidence fails: no article matched at all, only
 * one of its terms did, an article in the other language shares no name with it, too little of it
 * is in the best article, a number it names is not there, or the best candidate is below the
 * confidence threshold.
 */
export type DeclineReason = 'no-candidate' | 'one-term' | 'no-shared-name' | 'low-coverage' | 'number-absent' | 'low-confidence';

/**
 * Who is acting: the local operator at the console, a user of a chat platform, or a followed feed
 * posting its new items (an admin added the feed, so it may post like one).
 */
export type Actor =
  | { readonly kind: 'operator' }
  | { readonly kind: 'user'; readonly platform: string; readonly userId: string; readonly language?: Language }
  | { readonly kind: 'feed'; readonly feedId: string; readonly host: string };

/** Why a check of a feed failed. */
export interface FeedError {
  readonly at: string;
  readonly code: AkhbarErrorCode | 'INTERNAL';
  readonly details?: AkhbarErrorDetails;
}

/** A chat, as a feed remembers where it was added from. */
export interface FeedChat {
  readonly platform: string;
  readonly chatId: string;
  readonly kind: 'private' | 'group' | 'channel';
  readonly language?: Language;
}

/** A followed feed, with what polling needs between runs. */
export interface FeedRecord {
  /** Short id for commands: the first 8 hex digits of the SHA-256 of the normalised URL. */
  readonly id: string;
  /** Normalised http(s) URL. */
  readonly url: string;
  readonly title?: string;
  /** The site the feed belongs to (an OPML outline's htmlUrl), kept so an export gives it back. */
  readonly siteUrl?: string;
  /** Platform-qualified id of the admin who added it. */
  readonly addedBy: string;
  readonly addedAt: string;
  /** The chat it was added from, and in which language: where the admins are told when it is paused. Absent when added at the console or CLI. */
  readonly addedIn?: FeedChat;
  /** Where the feed now lives, when a permanent redirect moved it; `url` is then that address. */
  readonly movedFrom?: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** The last successful check (200 or 304); absent until the first one, which gets the first-poll rule. */
  readonly lastCheckedAt?: string;
  readonly nextCheckAt: string;
  /** Failed checks in a row; 0 after a success. */
  readonly failures: number;
  /** Why the last failed check failed, kept after the feed recovers (`failures` says whether it still fails). `details` lets an adapter explain it. */
  readonly lastError?: FeedError;
  /** Articles its items became, over the feed's life. Absent on feeds followed before it was counted. */
  readonly itemsPosted?: number;
  /** When its last new article was stored. */
  readonly lastPostedAt?: string;
  /** Set once it failed FEED_MAX_FAILURES checks in a row: not polled until an admin resumes it. */
  readonly paused?: { readonly at: string; readonly failures: number; readonly error?: FeedError };
  /** Items whose linked page could not be read: not seen yet, tried again at later polls, with the tries so far. */
  readonly retryItems?: readonly { readonly id: string; readonly tries: number }[];
  /** Ids of the items already seen, newest first, at most MAX_SEEN (or the feed's length if longer). */
  readonly seen: readonly string[];
}
