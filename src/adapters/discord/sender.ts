/**
 * The delivery engine's sender for Discord: a channel message per delivery through a discord.js
 * REST client that rejects on a rate limit instead of queueing, so a 429 (or a bucket known to be
 * empty) reaches the delivery engine's own pacing and retry, as Telegram's 429s do; a channel that
 * is gone or closed to the bot deactivates its subscription.
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import { messageLanguage, type DeliveryMessage, type DeliveryTarget, type Notice, type SendOutcome, type Sender } from '../../core/delivery/index.js';
import { messages, uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { noticeText } from '../../i18n/notices.js';
import { deliveryMessage, escapeText, truncate } from './format.js';

// Unknown Channel, Unknown Guild, Missing Access, Missing Permissions, Cannot send messages to this user.
const CHANNEL_GONE = new Set([10003, 10004, 50001, 50013, 50007]);

/** A delivery outcome for an error thrown by a Discord REST call. */
export function classifyDiscordError(error: unknown): SendOutcome {
  if (error instanceof RateLimitError) return { kind: 'rate-limited', retryAfterMs: error.retryAfter, scope: error.global ? 'global' : 'chat' };
  if (error instanceof DiscordAPIError) {
    if (typeof error.code === 'number' && CHANNEL_GONE.has(error.code)) return { kind: 'chat-gone', reason: `${error.code} ${error.message}` };
    if (error.status === 429) return { kind: 'rate-limited', retryAfterMs: 1_000 };
    if (error.status >= 500) return { kind: 'transient', error: `${error.status} ${error.message}` };
    return { kind: 'rejected', error: `${error.status} ${error.message}` };
  }
  if (error instanceof HTTPError) return { kind: 'transient', error: `${error.status} ${error.message}` };
  return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
}

/**
 * The REST client deliveries go through. discord.js would wait out a 429 in its queue and retry a
 * 5xx three times by itself: the delivery engine would not know, and its pace across processes and
 * its attempt counts would be wrong. Here every rate limit rejects with a RateLimitError (with the
 * wait Discord asked for) and every failure comes back at once.
 */
export function createDeliveryRest(token: string, api?: string): REST {
  return new REST({ ...(api ? { api } : {}), rejectOnRateLimit: () => true, retries: 0 }).setToken(token);
}

// Discord's limit on a thread's (a forum post's) name.
const POST_NAME_LIMIT = 100;

/** The name of the forum post a delivery opens: the article's title, the digest's heading, or the followed question. */
export function postName(message: DeliveryMessage, language: UiLanguage): string {
  if (message.kind === 'digest') return truncate(messages(language).digestTitle, POST_NAME_LIMIT);
  if (message.kind === 'follow-update') return truncate(message.answer.question.trim() === '' ? messages(language).digestTitle : message.answer.question, POST_NAME_LIMIT);
  const name = message.summary.title;
  return truncate(name.trim() === '' ? message.summary.articleId : name, POST_NAME_LIMIT);
}

/** A sender over a discord.js REST client (see createDeliveryRest). */
export function createDiscordSender(rest: REST, fallbackLanguage: UiLanguage): Sender {
  return {
    platform: 'discord',
    async send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome> {
      const language = uiLanguage(messageLanguage(message), fallbackLanguage);
      const payload = deliveryMessage(message, language);
      const body = { content: payload.content, embeds: payload.embeds, allowed_mentions: { parse: [] }, ...(payload.flags ? { flags: payload.flags } : {}) };
      try {
        // A forum channel takes posts, not messages: each delivery opens a post named after its article.
        if (target.forum) await rest.post(Routes.threads(target.chatId), { body: { name: postName(message, language), message: body } });
        else await rest.post(Routes.channelMessages(target.chatId), { body });
        return { kind: 'sent' };
      } catch (error) {
        return classifyDiscordError(error);
      }
    },
    async notify(target: DeliveryTarget, notice: Notice): Promise<SendOutcome> {
      try {
        await rest.post(Routes.channelMessages(target.chatId), { body: { content: escapeText(noticeText(notice, fallbackLanguage)).slice(0, 2000), allowed_mentions: { parse: [] } } });
        return { kind: 'sent' };
      } catch (error) {
        return classifyDiscordError(error);
      }
    },
  };
}
