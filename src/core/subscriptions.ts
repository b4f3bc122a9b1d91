/**
 * Subscriptions: which chats and channels receive summaries, how (each article, or a daily
 * digest at a local time), and in which language. Kept in the database and read from it every
 * time, never cached, so a chat that subscribes through one process is served by all of them.
 */
import type { SubscriptionRepo } from './ports.js';
import type { Language } from './types.js';

/** `each`: a summary of every new article at once; `digest`: one message a day with what is new. */
export type SubscriptionMode = 'each' | 'digest';

/** The kind of chat, which sets how fast the platform lets the bot write into it. */
export type ChatKind = 'private' | 'group' | 'channel';

/** A chat on a platform. */
export interface ChatRef {
  readonly platform: string;
  readonly chatId: string;
  readonly kind: ChatKind;
  /** Shown to admins in /status; optional. */
  readonly name?: string;
}

/** One chat's subscription. */
export interface Subscription extends ChatRef {
  /** `platform:chatId`. */
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
}

/** What a chat asks for when it subscribes. */
export interface SubscribeOptions {
  readonly mode: SubscriptionMode;
  readonly digestTime?: string;
  readonly timeZone?: string;
  readonly language?: Language;
  /** Wants "also reported by" notes (see Subscription). */
  readonly storyUpdates?: boolean;
}

/** The subscription registry. */
export interface Subscriptions {
  /** Creates or changes the chat's subscription (and reactivates it). */
  subscribe(chat: ChatRef, options: SubscribeOptions, now: Date): Promise<Subscription>;
  /** Removes it; false when there was none. */
  unsubscribe(chat: Pick<ChatRef, 'platform' | 'chatId'>): Promise<boolean>;
  get(id: string): Promise<Subscription | undefined>;
  /** Every subscription, active or not, oldest first; only those matching the filter when one is given. */
  list(filter?: { readonly active?: boolean; readonly mode?: SubscriptionMode }): Promise<Subscription[]>;
  /** Stops delivery to a chat that is gone, keeping the record and the reason. */
  deactivate(id: string, reason: string, now: Date): Promise<void>;
  /** Moves a subscription to a new chat id (a Telegram group that became a supergroup). */
  migrate(id: string, newChatId: string, now: Date): Promise<Subscription | undefined>;
  /** Records the digest slot just covered. */
  markDigest(id: string, coveredUntil: string): Promise<void>;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The id of a chat's subscription. */
export function subscriptionId(chat: Pick<ChatRef, 'platform' | 'chatId'>): string {
  return `${chat.platform}:${chat.chatId}`;
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
        mode: options.mode,
        ...(options.mode === 'digest'
          ? { digestTime: options.digestTime!, timeZone: options.timeZone ?? existing?.timeZone ?? defaultTimeZone }
          : {}),
        ...(options.language ? { language: options.language } : {}),
        ...(options.storyUpdates ? { storyUpdates: true } : {}),
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
    get: (id) => repo.get(id),
    list: (filter) => repo.list(filter),
    async deactivate(id, reason, now) {
      await repo.update(id, { active: false, inactiveReason: reason, updatedAt: now.toISOString() });
    },
    async migrate(id, newChatId, now) {
      const current = await repo.get(id);
      if (!current) return undefined;
      const moved: Subscription = { ...current, id: subscriptionId({ platform: current.platform, chatId: newChatId }), chatId: newChatId, updatedAt: now.toISOString() };
      return repo.move(id, moved);
    },
    async markDigest(id, coveredUntil) {
      await repo.update(id, { digestCoveredUntil: coveredUntil });
    },
  };
}
