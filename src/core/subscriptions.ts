/**
 * Subscriptions: which chats and channels receive summaries, how (each article, or a daily
 * digest at a local time), and in which language. Kept in the database and read from it every
 * time, never cached, so a chat that subscribes through one process is served by all of them.
 */
import type { SubscriptionFilters } from './filters.js';
import type { SubscriptionRepo } from './ports.js';
import type { Language } from './types.js';

/** `each`: a summary of every new article at once; `digest`: one message a day with what is new. */
export type SubscriptionMode = 'each' | 'digest';

/** The kind of chat, which sets how fast the platform lets the bot write into it. */
export type ChatKind = 'private' | 'group' | 'channel';

/** A chat on a platform, or a place within one that subscribes on its own. */
export interface ChatRef {
  readonly platform: string;
  readonly chatId: string;
  readonly kind: ChatKind;
  /** Shown to admins in /status; optional. */
  readonly name?: string;
  /** A Telegram forum topic (`message_thread_id`) within the chat: deliveries go into that topic. */
  readonly threadId?: string;
  /** A Discord forum channel, which takes posts, not messages: each delivery opens a post of its own. */
  readonly forum?: boolean;
}

/** How a delivered article reads: its summary (the default), only its headline and link, or the summary and its first paragraph. */
export type DeliveryFormat = 'summary' | 'headline' | 'full';

/** How a subscription's deliveries look, beside what they say. */
export interface DeliveryStyle {
  readonly format: DeliveryFormat;
  /** Whether the platform shows a preview of the article's link. */
  readonly previews: boolean;
}

/** What a delivery looks like when its subscription asked for nothing: as before styles existed. */
export const DEFAULT_STYLE: DeliveryStyle = { format: 'summary', previews: false };

/** One chat's subscription. */
export interface Subscription extends ChatRef {
  /** `platform:chatId`, or `platform:chatId:threadId` for a forum topic. */
  readonly id: string;
  readonly mode: SubscriptionMode;
  /** Local time of the digest, `HH:MM`, for mode `digest`. */
  readonly digestTime?: string;
  /** IANA time zone of `digestTime`. */
  readonly timeZone?: string;
  /** Summary language wanted; the article's own when absent. */
  readonly language?: Language;
  /**
   * True when the chat wants one short "also reported by" note when another outlet reports a story
   * it already had (`/subscribe updates`); absent: such a report is not sent at all.
   */
  readonly storyUpdates?: boolean;
  readonly active: boolean;
  /** Why delivery stopped (blocked, kicked, chat deleted…), when inactive. */
  readonly inactiveReason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The digest schedule slot (ISO) covered by the last digest; articles after it go in the next. */
  readonly digestCoveredUntil?: string;
  /** `summary` when absent. */
  readonly format?: DeliveryFormat;
  /** Link previews; off when absent. */
  readonly previews?: boolean;
  /** What it lets through; everything when absent. Set with /filter, kept across a new /subscribe. */
  readonly filters?: SubscriptionFilters;
}

/** What a chat asks for when it subscribes. */
export interface SubscribeOptions {
  readonly mode: SubscriptionMode;
  readonly digestTime?: string;
  readonly timeZone?: string;
  readonly language?: Language;
  /** Wants "also reported by" notes (see Subscription). */
  readonly storyUpdates?: boolean;
  readonly format?: DeliveryFormat;
  readonly previews?: boolean;
}

/** The subscription registry. */
export interface Subscriptions {
  /** Creates or changes the chat's subscription (and reactivates it). */
  subscribe(chat: ChatRef, options: SubscribeOptions, now: Date): Promise<Subscription>;
  /** Removes it; false when there was none. */
  unsubscribe(chat: Pick<ChatRef, 'platform' | 'chatId' | 'threadId'>): Promise<boolean>;
  /** Replaces the subscription's filters (NO_FILTERS clears them); undefined when it is not subscribed. */
  setFilters(id: string, filters: SubscriptionFilters, now: Date): Promise<Subscription | undefined>;
  get(id: string): Promise<Subscription | undefined>;
  /** Every subscription, active or not, oldest first; only those matching the filter when one is given. */
  list(filter?: { readonly active?: boolean; readonly mode?: SubscriptionMode }): Promise<Subscription[]>;
  /** Stops delivery to a chat that is gone, keeping the record and the reason: the subscription `id` names, and its chat's others (its forum topics'). */
  deactivate(id: string, reason: string, now: Date): Promise<void>;
  /** Moves a subscription to a new chat id (a Telegram group that became a supergroup). */
  migrate(id: string, newChatId: string, now: Date): Promise<Subscription | undefined>;
  /** Records the digest slot just covered. */
  markDigest(id: string, coveredUntil: string): Promise<void>;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The id of a chat's subscription; a forum topic's is its chat's with the topic after it. */
export function subscriptionId(chat: Pick<ChatRef, 'platform' | 'chatId' | 'threadId'>): string {
  return chat.threadId === undefined ? `${chat.platform}:${chat.chatId}` : `${chat.platform}:${chat.chatId}:${chat.threadId}`;
}

/** The style a subscription's deliveries are sent in. */
export function styleOf(subscription: Pick<Subscription, 'format' | 'previews'>): DeliveryStyle {
  return { format: subscription.format ?? DEFAULT_STYLE.format, previews: subscription.previews ?? DEFAULT_STYLE.previews };
}

/** The chat a subscription id names, a forum topic's too: the inverse of subscriptionId (platform names and chat ids hold no colon). */
export function chatOfSubscriptionId(id: string): Pick<ChatRef, 'platform' | 'chatId'> {
  const [platform = '', chatId = ''] = id.split(':');
  return { platform, chatId };
}

/** True for a valid `HH:MM` 24-hour time. */
export function isDigestTime(value: string): boolean {
  return HH_MM.test(value);
}

/** True when `zone` is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The subscription registry over the database's subscriptions. */
export function createSubscriptions(repo: SubscriptionRepo, defaultTimeZone: string): Subscriptions {
  return {
    async subscribe(chat, options, now) {
      if (options.mode === 'digest' && (!options.digestTime || !isDigestTime(options.digestTime))) {
        throw new RangeError(`digest time must be HH:MM, got ${options.digestTime ?? 'nothing'}`);
      }
      const id = subscriptionId(chat);
      const existing = await repo.get(id);
      const at = now.toISOString();
      const subscription: Subscription = {
        id,
        platform: chat.platform,
        chatId: chat.chatId,
        kind: chat.kind,
        ...(chat.name ? { name: chat.name } : existing?.name ? { name: existing.name } : {}),
        ...(chat.threadId !== undefined ? { threadId: chat.threadId } : {}),
        ...(chat.forum ? { forum: true } : {}),
        mode: options.mode,
        ...(options.mode === 'digest'
          ? { digestTime: options.digestTime!, timeZone: options.timeZone ?? existing?.timeZone ?? defaultTimeZone }
          : {}),
        ...(options.language ? { language: options.language } : {}),
        ...(options.storyUpdates ? { storyUpdates: true } : {}),
        ...(options.format && options.format !== DEFAULT_STYLE.format ? { format: options.format } : {}),
        ...(options.previews !== undefined && options.previews !== DEFAULT_STYLE.previews ? { previews: options.previews } : {}),
        // Filters are set apart (/filter); changing how the chat is served keeps what it lets through.
        ...(existing?.filters ? { filters: existing.filters } : {}),
        active: true,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
        // A new digest starts with what is posted from now on, not the whole archive.
        digestCoveredUntil: existing?.digestCoveredUntil ?? at,
      };
      await repo.put(subscription);
      return subscription;
    },
    unsubscribe: (chat) => repo.delete(subscriptionId(chat)),
    async setFilters(id, filters, now) {
      return repo.update(id, { filters, updatedAt: now.toISOString() });
    },
    get: (id) => repo.get(id),
    list: (filter) => repo.list(filter),
    async deactivate(id, reason, now) {
      const patch = { active: false, inactiveReason: reason, updatedAt: now.toISOString() };
      const gone = await repo.update(id, patch);
      // Gone for the bot is gone for every topic in it.
      if (!gone) return;
      for (const other of await repo.inChat(gone)) if (other.id !== id && other.active) await repo.update(other.id, patch);
    },
    async migrate(id, newChatId, now) {
      const current = await repo.get(id);
      if (!current) return undefined;
      const moved: Subscription = { ...current, id: subscriptionId({ ...current, chatId: newChatId }), chatId: newChatId, updatedAt: now.toISOString() };
      return repo.move(id, moved);
    },
    async markDigest(id, coveredUntil) {
      await repo.update(id, { digestCoveredUntil: coveredUntil });
    },
  };
}
