/**
 * What the bot says, in Arabic and English: the one place user-facing words live. The core and the
 * sources return results and typed error codes; the command layer and the adapters pick the words
 * here, so every platform says the same thing. Platform formatting (HTML, embeds) is the adapters'.
 *
 * Both tables are declared `satisfies Messages`, so a key missing (or misspelt) in either language
 * fails the type check instead of showing `undefined` to a user.
 */
import type { CommandName, Platform } from '../commands/types.js';
import type { DeclineReason } from '../core/types.js';
import { ar } from './ar.js';
import { en } from './en.js';

/** Languages the bot's own messages exist in. */
export type UiLanguage = 'ar' | 'en';

/** Every text the bot shows, in one language. */
export interface Messages {
  /** The first line of /help. */
  readonly helpTitle: string;
  /** A /help line: the command, its arguments (may be empty) and what it does. */
  readonly helpLine: (command: string, args: string, text: string) => string;
  /** Appended to the /help lines of admins' commands. */
  readonly adminsOnly: string;
  /** The console's Arabic command names, for /help there. */
  readonly arabicNames: (names: readonly string[]) => string;
  /** Argument placeholders in /help. */
  readonly args: { readonly id: string; readonly optionalId: string; readonly page: string };
  /** What each command does, for /help, where one line says it on every surface. */
  readonly helpText: Readonly<Record<'help' | 'delete' | 'summary' | 'latest' | 'articles' | 'unsubscribe' | 'status' | 'cancel' | 'quit', string>>;
  /** The /help lines of the commands whose input differs between surfaces. */
  readonly help: {
    readonly post: (platform: Platform) => readonly string[];
    readonly ask: (platform: Platform) => readonly string[];
    readonly subscribe: (platform: Platform) => readonly string[];
    readonly feed: (platform: Platform) => readonly string[];
  };
  /** One line per command for command menus (Telegram's menu, Discord's descriptions: at most 100 characters). */
  readonly menu: Readonly<Record<CommandName, string>>;
  /** Descriptions of command options (Discord shows them; at most 100 characters). */
  readonly options: Readonly<
    Record<
      | 'postText' | 'postFile' | 'postUrl' | 'articleId' | 'page' | 'question' | 'mode' | 'time' | 'language' | 'updates' | 'format' | 'previews' | 'where' | 'filterRule'
      | 'feedAdd' | 'feedUrl' | 'feedList' | 'feedRemove' | 'feedId' | 'feedResume' | 'feedImport' | 'feedImportFile' | 'feedExport',
      string
    >
  >;
  /** /post given nothing, where the surface cannot collect a long text: the ways to post there. */
  readonly postHowTo: (platform: Platform) => string;
  readonly postFormTitle: string;
  readonly postFormLabel: string;
  readonly pasteCancelled: string;
  readonly nothingToCancel: string;
  readonly consoleWelcome: (articles: number, engine: string) => string;
  /** A page of /articles past the last one. */
  readonly noSuchPage: (page: number, pages: number, total: number) => string;
  /** The heading of /status's per-article counts. */
  readonly statusLatest: string;
  readonly notAdminStatus: string;
  /** A non-admin sent /feed (add, list or remove). */
  readonly notAdminFeed: string;
  readonly fileTooLarge: (name: string, bytes: number, maxChars: number) => string;
  readonly fileNotText: (name: string) => string;
  readonly posted: (id: string, title: string) => string;
  readonly duplicate: (id: string, title: string) => string;
  readonly feedUsage: string;
  readonly feedAdded: (id: string, url: string, posted: number, passedOver: number) => string;
  readonly noFeeds: string;
  readonly feedsHeader: (count: number) => string;
  readonly feedFailing: (failures: number) => string;
  readonly feedNotCheckedYet: string;
  readonly feedRemoved: (id: string, url: string) => string;
  /** /feed list: when the feed was last read successfully. */
  readonly feedLastSuccess: (at: string) => string;
  /** /feed list: articles the feed's items became. */
  readonly feedItemsPosted: (count: number) => string;
  /** /feed list: the last failed check and why. */
  readonly feedLastError: (at: string, why: string) => string;
  /** /feed list: paused after too many failures, and how to resume. */
  readonly feedPausedState: (at: string, failures: number, id: string) => string;
  readonly feedResumed: (id: string, url: string, ok: boolean) => string;
  /** Sent to the admins, where the feed was added, when it is paused. */
  readonly feedPausedNotice: (id: string, name: string, failures: number, why: string) => string;
  readonly feedImportNeedsFile: string;
  readonly feedImported: (added: number, existing: number) => string;
  /** The caption of the OPML file /feed export sends. */
  readonly feedExported: (count: number) => string;
  readonly opmlInvalid: (cause: string) => string;
  readonly opmlTooLarge: (feeds: number, maxFeeds: number) => string;
  readonly deleted: (id: string, title: string) => string;
  readonly deleteUsage: string;
  readonly importReport: (read: number, added: number, subscriptions: number, feeds: number, feedsAdded: number) => string;
  readonly migrateReport: (
    read: number,
    added: number,
    summaries: number,
    subscriptions: number,
    feeds: number,
    feedsAdded: number,
    pending: number,
    queued: number,
    resumed: number,
  ) => string;
  readonly noArticlesYet: string;
  readonly articlesHeader: (from: number, to: number, total: number) => string;
  /** Said instead of an answer when the stored articles do not hold one. */
  readonly notInArticles: string;
  /** The button shown under an empty inline query (`@bot ` and nothing yet). */
  readonly inlineHint: string;
  /** Said when a message picked for "Summarize" holds too little text (and no link) to summarize. */
  readonly nothingToSummarize: string;
  /** Said when a message picked for "Ask akhbar about this" has no text (a picture, a sticker). */
  readonly nothingToAsk: string;
  /** Under a summary of a message or a linked page: it was read, not stored. */
  readonly notStored: string;
  readonly sources: string;
  readonly fromCache: string;
  /** One line under an answer quoted from an article in the other language. */
  readonly quotedFrom: (language: 'ar' | 'en') => string;
  readonly pasteArticle: string;
  readonly unknownCommand: (command: string) => string;
  readonly cannotReadFile: (path: string) => string;
  readonly subscribedEach: string;
  readonly chatAdminsOnly: string;
  readonly channelNotFound: (ref: string) => string;
  readonly botCannotPost: (ref: string) => string;
  readonly subscribedDigest: (time: string, zone: string) => string;
  readonly unsubscribed: string;
  readonly notSubscribed: string;
  readonly badSubscribeArgs: (word: string) => string;
  readonly newArticle: string;
  /** The /help line of `/subscribe … updates`, the same on every surface. */
  readonly subscribeUpdatesHelp: string;
  /** Added to the /subscribe reply when the chat asked for story updates. */
  readonly subscribedStoryUpdates: string;
  /** A story update's heading: another outlet reported a story the chat already had. */
  readonly alsoReportedBy: (outlet: string) => string;
  /** Before the other outlets of a cited article's story, in an answer's sources. */
  readonly alsoReportedIn: string;
  readonly fallbackNotice: string;
  readonly usageLine: (requests: number, prompt: number, completion: number) => string;
  readonly digestTitle: string;
  readonly statusTitle: string;
  readonly statusLine: (pending: number, sent: number, failed: number, dead: number) => string;
  readonly subscribersLine: (active: number, inactive: number) => string;
  readonly internalError: string;
  /** Telegram held a reply back (rate limit) for longer than a reply is worth waiting for; sent in its place. */
  readonly replyHeldBack: string;
  readonly emptyArticle: string;
  /** A file or paste that is binary data, or text not in UTF-8. */
  readonly notText: string;
  readonly articleTooShort: (min: number, actual: number) => string;
  readonly articleTooLong: (max: number, actual: number) => string;
  readonly invalidUrl: (url: string) => string;
  readonly articleNotFound: (id: string) => string;
  readonly ambiguousId: (id: string, matches: readonly string[]) => string;
  readonly notAdmin: string;
  readonly notAdminDelete: string;
  readonly emptyQuestion: string;
  readonly questionTooLong: (max: number) => string;
  readonly storeUnavailable: string;
  readonly linkNoHost: (url: string) => string;
  readonly linkNoAnswer: (url: string) => string;
  readonly linkTimeout: (url: string) => string;
  readonly linkHttpError: (url: string, status: number) => string;
  readonly linkPrivate: (url: string) => string;
  readonly linkScheme: (url: string) => string;
  readonly linkNotHtml: (url: string, contentType: string) => string;
  readonly linkTooLarge: (url: string, megabytes: string) => string;
  readonly linkRedirectLoop: (url: string) => string;
  readonly linkTooManyRedirects: (url: string, max: number) => string;
  readonly linkNoArticle: (url: string) => string;
  readonly feedInvalid: (url: string) => string;
  readonly feedNotFound: (ref: string) => string;
  readonly feedExists: (id: string) => string;
  readonly badBackup: (line: number) => string;
  /** /follow, /following, /unfollow and the updates they bring. */
  readonly follows: {
    readonly help: { readonly follow: string; readonly following: string; readonly unfollow: string };
    readonly args: { readonly question: string; readonly which: string };
    readonly whichOption: string;
    readonly followed: (question: string) => string;
    readonly alreadyFollowed: (question: string) => string;
    readonly tooMany: (max: number) => string;
    readonly answerNow: string;
    readonly noFollows: string;
    readonly followingHeader: (count: number, max: number) => string;
    readonly unfollowed: (question: string) => string;
    readonly noSuchFollow: (ref: string) => string;
    readonly unfollowUsage: string;
    /** The heading of a delivered update: the question whose answer changed. */
    readonly updateTitle: (question: string) => string;
  };
  /** /why: the evidence behind the last answer in this chat. */
  readonly why: {
    readonly help: string;
    readonly nothingAsked: string;
    readonly question: (question: string) => string;
    readonly quoted: string;
    readonly candidates: string;
    /** A retrieved passage: its article, and its retrieval score (comparable within one question only). */
    readonly passage: (title: string, id: string, score: number) => string;
    readonly confidence: (percent: number, thresholdPercent: number) => string;
    readonly unknownWord: (word: string) => string;
    readonly declined: Readonly<Record<DeclineReason, string>>;
    readonly cached: string;
  };
  /** /filter and what filters say about an article. */
  readonly filters: FilterMessages;
}

/** The words of /filter. */
export interface FilterMessages {
  readonly help: readonly string[];
  /** Discord's /help lines, where the rule is an option. */
  readonly helpDiscord: readonly string[];
  readonly title: string;
  readonly none: string;
  readonly include: string;
  readonly exclude: string;
  readonly feeds: string;
  readonly languages: string;
  readonly regex: string;
  readonly notSubscribed: string;
  readonly badArgs: (word: string) => string;
  readonly badFeed: (word: string) => string;
  readonly patternTooLong: (maxChars: number) => string;
  readonly patternUnsupported: (cause: string) => string;
  readonly wordMatchesNothing: (word: string) => string;
  /** The first line of /filter test. */
  readonly passes: (id: string, title: string) => string;
  readonly blocked: (id: string, title: string) => string;
  readonly includes: (word: string, matched: string) => string;
  readonly includesNone: (words: readonly string[]) => string;
  readonly excludes: (word: string, matched: string) => string;
  readonly excludesNone: string;
  readonly fromFeed: (host: string) => string;
  readonly notFromFeeds: (source: string | undefined, feeds: readonly string[]) => string;
  readonly inLanguage: (language: string) => string;
  readonly notInLanguages: (language: string, languages: readonly string[]) => string;
  readonly patternMatches: (matched: string) => string;
  readonly patternMisses: string;
}

const tables: Readonly<Record<UiLanguage, Messages>> = { en, ar };

/** The UI language for a detected or declared language (`other` falls back). */
export function uiLanguage(language: string | undefined, fallback: UiLanguage): UiLanguage {
  if (language === undefined) return fallback;
  if (language === 'ar' || language.startsWith('ar')) return 'ar';
  if (language === 'en' || language.startsWith('en')) return 'en';
  return fallback;
}

/** The bot's messages in `language`. */
export function messages(language: UiLanguage): Messages {
  return tables[language];
}
