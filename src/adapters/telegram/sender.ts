/**
 * The delivery engine's sender for Telegram: renders a delivery as HTML and maps the Bot API's
 * answers (429, 403, chat not found, migrated group, 5xx) to delivery outcomes.
 */
import { GrammyError, HttpError, type Api, type InlineKeyboard } from 'grammy';
import { messageLanguage, type DeliveryMessage, type DeliveryTarget, type Notice, type SendOutcome, type Sender } from '../../core/delivery/index.js';
import { uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { noticeText } from '../../i18n/notices.js';
import { deliveryHtml, escapeHtml, htmlToPlain, splitHtml } from './format.js';

// 400s that mean the bot can no longer write to the chat at all.
const CHAT_GONE_400 = /chat not found|group chat was deactivated|not enough rights|have no rights|need administrator rights|CHAT_WRITE_FORBIDDEN|bot was kicked|channel_private|user is deactivated|peer_id_invalid/i;
const PARSE_ERROR = /can't parse entities/i;

/** A delivery outcome for an error thrown by a Bot API call. */
export function classifyTelegramError(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    const { error_code: code, description, parameters } = error;
    if (code === 429) return { kind: 'rate-limited', retryAfterMs: (parameters.retry_after ?? 1) * 1000, scope: 'chat' };
    if (parameters.migrate_to_chat_id !== undefined) return { kind: 'migrated', newChatId: String(parameters.migrate_to_chat_id) };
    if (code === 403) return { kind: 'chat-gone', reason: description };
    if (code === 400 && CHAT_GONE_400.test(description)) return { kind: 'chat-gone', reason: description };
    if (code >= 500 || code === 401 || code === 409) return { kind: 'transient', error: `${code} ${description}` };
    return { kind: 'rejected', error: `${code} ${description}` };
  }
  if (error instanceof HttpError) return { kind: 'transient', error: error.message };
  return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
}

/**
 * Sends `html` as one or more messages, falling back to plain text if Telegram cannot parse it;
 * `extra` (a keyboard) goes with the last message, under the end of the text.
 */
export async function sendHtml(api: Api, chatId: number | string, html: string, extra: HtmlExtra = {}): Promise<void> {
  const parts = splitHtml(html);
  for (const [index, part] of parts.entries()) await sendHtmlPart(api, chatId, part, index === parts.length - 1 ? extra : {});
}

/** What may go with a message: a keyboard under it, the forum topic it goes into, its link preview. */
export interface HtmlExtra {
  readonly reply_markup?: InlineKeyboard;
  readonly message_thread_id?: number;
  /** Previews are off unless this says otherwise. */
  readonly link_preview_options?: { readonly is_disabled: boolean; readonly url?: string };
}

/** Sends one message of HTML within Telegram's length, as plain text if Telegram cannot parse it. */
export async function sendHtmlPart(api: Api, chatId: number | string, part: string, extra: HtmlExtra = {}): Promise<void> {
  try {
    await api.sendMessage(chatId, part, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra });
  } catch (error) {
    if (!(error instanceof GrammyError && error.error_code === 400 && PARSE_ERROR.test(error.description))) throw error;
    await api.sendMessage(chatId, htmlToPlain(part), { link_preview_options: { is_disabled: true }, ...extra });
  }
}

/** The topic a delivery goes into, and its link preview: the article's link, when its subscription wants previews. */
export function deliveryExtra(target: DeliveryTarget, message: DeliveryMessage): { readonly topic: HtmlExtra; readonly preview: HtmlExtra } {
  const url = message.kind === 'article' ? message.summary.url : undefined;
  return {
    topic: target.threadId !== undefined ? { message_thread_id: Number(target.threadId) } : {},
    preview: message.style?.previews && url && /^https?:\/\//iu.test(url) ? { link_preview_options: { is_disabled: false, url } } : {},
  };
}

/** A sender over a Bot API client that has no automatic retries (the delivery engine retries). */
export function createTelegramSender(api: Api, fallbackLanguage: UiLanguage): Sender {
  return {
    platform: 'telegram',
    async send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome> {
      const language = uiLanguage(messageLanguage(message), fallbackLanguage);
      try {
        const parts = splitHtml(deliveryHtml(message, language));
        const { preview, topic } = deliveryExtra(target, message);
        // Into the topic every part; the preview on the first, where the article's title is.
        for (const [index, part] of parts.entries()) await sendHtmlPart(api, target.chatId, part, { ...topic, ...(index === 0 ? preview : {}) });
        return { kind: 'sent' };
      } catch (error) {
        return classifyTelegramError(error);
      }
    },
    async notify(target: DeliveryTarget, notice: Notice): Promise<SendOutcome> {
      try {
        await sendHtml(api, target.chatId, escapeHtml(noticeText(notice, fallbackLanguage)));
        return { kind: 'sent' };
      } catch (error) {
        return classifyTelegramError(error);
      }
    },
  };
}
