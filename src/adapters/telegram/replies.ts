/**
 * Every reply the bot sends into the chat of an update goes through here: a command's view, an
 * unknown command, an apology. auto-retry waits out a 429 of up to 30 s inside the call; a longer
 * `retry_after` comes back as an error, which used to reach the user as nothing at all. Here such a
 * reply is held and sent once Telegram allows it, while the update's handler returns at once (so
 * neither the chat's next updates nor other chats wait on it); the chat's later replies queue
 * behind it, in order. A wait longer than a reply is worth (5 min by default) sends a short notice
 * instead, when Telegram allows.
 */
import { GrammyError, type Api } from 'grammy';
import { platformTimers, type TimerHandle, type WorkerTimers } from '../../core/delivery/worker.js';
import { errorFields, type Logger } from '../../core/logger.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';
import type { AkhbarContext } from './context.js';
import { escapeHtml, splitHtml } from './format.js';
import { sendHtmlPart, type HtmlExtra } from './sender.js';
import { topicOf } from './surface.js';

/** How replies wait for a chat that Telegram holds back. */
export interface ReplyRetryOptions {
  /** The longest `retry_after` a reply is held for; past it a short notice goes instead. Default 5 min. */
  readonly maxWaitMs?: number;
  /** The platform's timers unless given (a test's virtual time). */
  readonly timers?: Pick<WorkerTimers, 'setTimeout' | 'clearTimeout'>;
}

/** The replies of one bot. */
export interface Replies {
  /**
   * Sends `html` (split to Telegram's length, `extra` with the last message) into the update's chat.
   * Rejects as the Bot API does, except for a 429 that outlasted auto-retry: then it resolves at
   * once and the rest of the reply is sent later.
   */
  send(ctx: AkhbarContext, html: string, extra?: HtmlExtra): Promise<void>;
  /** Drops the replies still held (the adapter is stopping). */
  stop(): void;
}

interface Part {
  readonly text: string;
  readonly extra: HtmlExtra;
}

interface Reply {
  readonly api: Api;
  parts: readonly Part[];
  readonly language: UiLanguage;
}

/** A chat that Telegram holds back, and the replies waiting for it. */
interface Held {
  readonly chatId: number;
  readonly replies: Reply[];
  /** The wait was longer than a reply is worth: one notice goes instead of the replies. */
  notice: boolean;
  /** Waits so far; past MAX_WAITS the replies are dropped. */
  waits: number;
  timer?: TimerHandle | undefined;
}

const DEFAULT_MAX_WAIT_MS = 5 * 60_000;
// A chat still held back after this many waits is not going to take the reply soon.
const MAX_WAITS = 3;

/** The milliseconds Telegram asks to wait, when `error` is a 429. */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  return Math.max(1, error.parameters.retry_after ?? 1) * 1000;
}

/** Replies for one bot; `fallbackLanguage` for an update that has no asker. */
export function createReplies(logger: Logger, fallbackLanguage: UiLanguage, options: ReplyRetryOptions = {}): Replies {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const timers = options.timers ?? platformTimers;
  const held = new Map<number, Held>();
  let stopped = false;

  /** Sends `parts` in order; on a 429, what is left of them and how long to wait. */
  async function sendParts(api: Api, chatId: number, parts: readonly Part[]): Promise<{ rest: readonly Part[]; waitMs: number } | undefined> {
    for (const [index, part] of parts.entries()) {
      try {
        await sendHtmlPart(api, chatId, part.text, part.extra);
      } catch (error) {
        const waitMs = retryAfterMs(error);
        if (waitMs === undefined) throw error;
        return { rest: parts.slice(index), waitMs };
      }
    }
    return undefined;
  }

  function wait(chat: Held, waitMs: number): void {
    if (stopped) return;
    chat.waits++;
    if (chat.waits > MAX_WAITS) {
      held.delete(chat.chatId);
      logger.error('replies dropped: Telegram keeps holding this chat back', { chat: chat.chatId, replies: chat.replies.length, waits: chat.waits - 1 });
      return;
    }
    if (waitMs > maxWaitMs && !chat.notice) {
      chat.notice = true;
      logger.warn('reply held back by Telegram for longer than a reply waits: a short notice goes instead once Telegram allows', { chat: chat.chatId, retryAfterMs: waitMs, maxWaitMs });
    } else {
      logger.info(`${chat.notice ? 'notice' : 'reply'} held back by Telegram beyond auto-retry: it is sent once Telegram allows`, { chat: chat.chatId, retryAfterMs: waitMs });
    }
    chat.timer = timers.setTimeout(() => {
      chat.timer = undefined;
      void flush(chat);
    }, waitMs);
    chat.timer.unref?.();
  }

  async function flush(chat: Held): Promise<void> {
    if (chat.notice) {
      const first = chat.replies[0]!;
      const notice: Part = { text: escapeHtml(messages(first.language).replyHeldBack), extra: {} };
      const again = await sendParts(first.api, chat.chatId, [notice]).catch((error: unknown) => {
        logger.warn('could not send the notice of a reply held back', { chat: chat.chatId, ...errorFields(error) });
        return undefined;
      });
      if (again) return wait(chat, again.waitMs);
      held.delete(chat.chatId);
      return;
    }
    // Replies queued meanwhile are sent too, after the ones before them.
    while (chat.replies.length > 0 && !stopped) {
      const reply = chat.replies[0]!;
      let again: Awaited<ReturnType<typeof sendParts>>;
      try {
        again = await sendParts(reply.api, chat.chatId, reply.parts);
      } catch (error) {
        logger.warn('a reply held back by Telegram could not be sent', { chat: chat.chatId, ...errorFields(error) });
        again = undefined;
      }
      if (again) {
        reply.parts = again.rest;
        return wait(chat, again.waitMs);
      }
      chat.replies.shift();
    }
    held.delete(chat.chatId);
  }

  return {
    async send(ctx, html, extra = {}) {
      const chatId = ctx.chat!.id;
      const texts = splitHtml(html);
      // Asked in a forum topic, answered in it, every part.
      const topic = topicOf(ctx);
      const inTopic = topic === undefined ? {} : { message_thread_id: topic };
      const parts = texts.map((text, index) => ({ text, extra: { ...(index === texts.length - 1 ? extra : {}), ...inTopic } }));
      const reply: Reply = { api: ctx.api, parts, language: ctx.asker?.language ?? fallbackLanguage };
      const waiting = held.get(chatId);
      if (waiting) {
        waiting.replies.push(reply);
        return;
      }
      const again = await sendParts(ctx.api, chatId, parts);
      if (!again || stopped) return;
      reply.parts = again.rest;
      const chat: Held = { chatId, replies: [reply], notice: false, waits: 0 };
      held.set(chatId, chat);
      wait(chat, again.waitMs);
    },
    stop() {
      stopped = true;
      for (const chat of held.values()) timers.clearTimeout(chat.timer);
      if (held.size > 0) logger.warn('replies held back by Telegram dropped at stop', { chats: held.size });
      held.clear();
    },
  };
}
