/**
 * Subscriptions: which chats and channels receive summaries, how (each article, or a daily
 * digest at a local time), and in which language. Durable in the store.
 */
import type Keyv from 'keyv';
import type { Store } from './store.js';
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
}

/** The subscription registry. */
export interface Subscriptions {
  /** Creates or changes the chat's subscription (and reactivates it). */
  subscribe(chat: ChatRef, options: SubscribeOptions, now: Date): Promise<Subscription>;
  /** Removes it; false when there was none. */
  unsubscribe(chat: Pick<ChatRef, 'platform' | 'chatId'>): Promise<boolean>;
  get(id: string): Promise<Subscription | undefined>;
  /** Every subscription, active or not. */
  list(): Promise<Subscription[]>;
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

/** The subscription registry over the store's `subscriptions` namespace. */
export function createSubscriptions(store: Store, defaultTimeZone: string): Subscriptions {
  const keyv = store.namespace<Subscription>('subscriptions') as Keyv<Subscription>;

  async function update(id: string, change: (s: Subscription) => Subscription): Promise<Subscription | undefined> {
    const current = await keyv.get(id);
    if (!current) return undefined;
    const next = change(current);
    await keyv.set(id, next);
    return next;
  }

  return {
    async subscribe(chat, options, now) {
      if (options.mode === 'digest' && (!options.digestTime || !isDigestTime(options.digestTime))) {
        throw new RangeError(`digest time must be HH:MM, got ${options.digestTime ?? 'nothing'}`);
      }
      const id = subscriptionId(chat);
      const existing = await keyv.get(id);
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
        active: true,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
        // A new digest starts with what is posted from now on, not the whole archive.
        digestCoveredUntil: existing?.digestCoveredUntil ?? at,
      };
      await keyv.set(id, subscription);
      return subscription;
    },
    unsubscribe: (chat) => keyv.delete(subscriptionId(chat)),
    get: (id) => keyv.get(id),
    async list() {
      const all: Subscription[] = [];
      for await (const [, subscription] of store.entries<Subscription>('subscriptions')) all.push(subscription);
      return all;
    },
    async deactivate(id, reason, now) {
      await update(id, (s) => ({ ...s, active: false, inactiveReason: reason, updatedAt: now.toISOString() }));
    },
    async migrate(id, newChatId, now) {
      const current = await keyv.get(id);
      if (!current) return undefined;
      const moved: Subscription = { ...current, id: subscriptionId({ platform: current.platform, chatId: newChatId }), chatId: newChatId, updatedAt: now.toISOString() };
      await keyv.set(moved.id, moved);
      await keyv.delete(id);
      return moved;
    },
    async markDigest(id, coveredUntil) {
      await update(id, (s) => ({ ...s, digestCoveredUntil: coveredUntil }));
    },
  };
}
