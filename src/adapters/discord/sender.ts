/**
 * The delivery engine's sender for Discord: a channel message per delivery through discord.js's
 * REST client (which honours 429s and per-route buckets itself); a channel that is gone or closed
 * to the bot deactivates its subscription.
 */
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import type { DeliveryMessage, DeliveryTarget, SendOutcome, Sender } from '../../core/delivery/index.js';
import { uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { deliveryMessage } from './format.js';

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

/** A sender over a discord.js REST client. */
export function createDiscordSender(rest: REST, fallbackLanguage: UiLanguage): Sender {
  return {
    platform: 'discord',
    async send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome> {
      const language = uiLanguage(message.kind === 'article' ? message.summary.language : message.language, fallbackLanguage);
      const body = deliveryMessage(message, language);
      try {
        await rest.post(Routes.channelMessages(target.chatId), {
          body: { content: body.content, embeds: body.embeds, allowed_mentions: { parse: [] } },
        });
        return { kind: 'sent' };
      } catch (error) {
        return classifyDiscordError(error);
      }
    },
  };
}
