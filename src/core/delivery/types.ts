/**
 * The delivery vocabulary shared by the core and the platform senders.
 */
import type { ChatKind, DeliveryStyle } from '../subscriptions.js';
import type { FeedRecord, Language } from '../types.js';

/** One article's summary as it goes out to a chat. */
export interface DeliveredSummary {
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  readonly language: Language;
  readonly sentences: readonly string[];
  /** The article's first paragraph, for subscriptions that want it after the summary (format `full`). */
  readonly lead?: string;
}

/** A cited article of a delivered answer: the sentence the answer quotes, and where it is from. */
export interface DeliveredCitation {
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  readonly quote: string;
}

/** A followed question's new answer as it goes out to the chat that follows it. */
export interface DeliveredAnswer {
  readonly question: string;
  readonly text: string;
  readonly language: Language;
  readonly citations: readonly DeliveredCitation[];
}

/**
 * What a chat receives: one new article, a digest of several, a note that another outlet
 * reported a story it had, or a followed question's new answer.
 */
export type DeliveryMessage = (
  | { readonly kind: 'article'; readonly summary: DeliveredSummary }
  | { readonly kind: 'digest'; readonly language: Language; readonly summaries: readonly DeliveredSummary[] }
  /** "Also reported by <outlet>": the joining article's title and link, no summary. */
  | { readonly kind: 'update'; readonly summary: DeliveredSummary; readonly outlet: string }
  | { readonly kind: 'follow-update'; readonly language: Language; readonly answer: DeliveredAnswer }
) & {
  /** How it reads, as its subscription asked; DEFAULT_STYLE when absent. */
  readonly style?: DeliveryStyle;
};

/** The language a message is written in (a digest's heading's, a follow update's, else its summary's). */
export function messageLanguage(message: DeliveryMessage): Language {
  return message.kind === 'digest' || message.kind === 'follow-update' ? message.language : message.summary.language;
}

/** The kinds of delivery, as queued and stored. */
export type DeliveryKind = DeliveryMessage['kind'];

/**
 * The id of the one "also reported by" note a chat gets for an outlet's report of a story: the
 * same for every article of that outlet in that story, so the chat (or topic) is told once.
 */
export function storyUpdateId(storyId: string, outlet: string, chat: { readonly platform: string; readonly chatId: string; readonly threadId?: string }): string {
  // A forum topic subscribes on its own, so it is told on its own.
  return `u:${storyId}:${outlet}:${chat.platform}:${chat.chatId}${chat.threadId !== undefined ? `:${chat.threadId}` : ''}`;
}

/** Whether a delivery id is a story update's (see storyUpdateId). */
export function isStoryUpdateId(id: string): boolean {
  return id.startsWith('u:');
}

/** Where a message goes. Pacing and ordering are per chat: a topic shares its chat's. */
export interface DeliveryTarget {
  readonly platform: string;
  readonly chatId: string;
  readonly kind: ChatKind;
  /** A Telegram forum topic in the chat. */
  readonly threadId?: string;
  /** A Discord forum channel: the message opens a post. */
  readonly forum?: boolean;
}

/** What a platform answered to one send, in the delivery engine's terms. */
export type SendOutcome =
  | { readonly kind: 'sent' }
  /** 429: wait this long; `global` when the whole bot is throttled, not just this chat. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly scope?: 'chat' | 'global' }
  /** 5xx, timeouts, network errors: try again later. */
  | { readonly kind: 'transient'; readonly error: string }
  /** Blocked, kicked, deleted, no rights: stop writing to this chat. */
  | { readonly kind: 'chat-gone'; readonly reason: string }
  /** The chat moved (Telegram group → supergroup): resend there and remember the new id. */
  | { readonly kind: 'migrated'; readonly newChatId: string }
  /** This message can never be sent as it is (e.g. 400 bad request): give it up. */
  | { readonly kind: 'rejected'; readonly error: string };

/** A message for the admins that is no article: a followed feed was paused after failing too often. */
export interface Notice {
  readonly kind: 'feed-paused';
  readonly feed: FeedRecord;
  /** The language of the chat it goes to, when known. */
  readonly language?: Language;
}

/** A platform's way of sending a delivery; adapters implement it. */
export interface Sender {
  readonly platform: string;
  send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome>;
  /** Sends a notice to admins, worded in the adapter's language; a sender without it cannot tell admins anything. */
  notify?(target: DeliveryTarget, notice: Notice): Promise<SendOutcome>;
}

/** The life of one delivery. `dead`: the chat is gone. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'dead';
