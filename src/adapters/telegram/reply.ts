/**
 * Answering an update with a command's view: "typing…" while a slow command runs, the answer as
 * it is written when the engine streams, and the view as HTML (split to Telegram's limit, buttons
 * on the last message).
 */
import { InputFile } from 'grammy';
import { runCommand } from '../../commands/run.js';
import type { Command, CommandInput, CommandServices, View } from '../../commands/types.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { AkhbarContext } from './context.js';
import { htmlToPlain, splitHtml } from './format.js';
import type { Replies } from './replies.js';
import { viewHtml, viewKeyboard } from './render.js';
import { commandContext, topicOf, type AdminCache } from './surface.js';

/** What answering needs besides the update. */
export interface ReplyDeps {
  readonly services: CommandServices;
  readonly logger: Logger;
  readonly adminCache: AdminCache;
  /** Every reply into the update's chat goes through it (it outlasts a long 429). */
  readonly replies: Replies;
  /** Show answers as they are written, when the engine streams (the LLM engine). */
  readonly streamAnswers: boolean;
  /** Least time between two edits of a streaming answer; Telegram's pace for the chat when absent. */
  readonly streamEditIntervalMs?: number;
  /** How long an inline query waits for the same reader's next one before it is answered; 0, at once. */
  readonly inlineWaitMs: number;
}

/** Sends a view into the update's chat as new messages, and its attachment as a document after them. */
async function sendView(ctx: AkhbarContext, view: View, replies: Replies): Promise<void> {
  const keyboard = viewKeyboard(view);
  await replies.send(ctx, viewHtml(view), keyboard ? { reply_markup: keyboard } : {});
  if (view.attachment) await ctx.api.sendDocument(ctx.chat!.id, new InputFile(Buffer.from(view.attachment.content, 'utf8'), view.attachment.name));
}

/** Runs `command` for the update's asker and answers in its chat. */
export async function respond(ctx: AkhbarContext, command: Command, input: CommandInput, deps: ReplyDeps): Promise<void> {
  if (command.slow) await ctx.replyWithChatAction('typing').catch(() => undefined);
  const stream = deps.streamAnswers ? streamingMessage(ctx, deps) : undefined;
  const view = await runCommand(command, input, { ...commandContext(ctx, deps.adminCache), ...(stream ? { onPartial: (text: string) => stream.update(text) } : {}) }, deps.services);
  if (stream) await stream.finish(view);
  else await sendView(ctx, view, deps.replies);
}

/**
 * A message that grows with a streaming answer: sent with the first words, edited no faster than
 * Telegram allows for the chat, and replaced by the formatted answer at the end.
 */
function streamingMessage(ctx: AkhbarContext, deps: ReplyDeps): { update(text: string): void; finish(view: View): Promise<void> } {
  const chatId = ctx.chat!.id;
  const interval = deps.streamEditIntervalMs ?? (ctx.chat!.type === 'private' ? 1_100 : 3_100);
  let messageId: number | undefined;
  let lastEdit = 0;
  let shown = '';
  let chain = Promise.resolve();
  const push = (text: string) => {
    chain = chain
      .then(async () => {
        const plainText = text.slice(0, 4_000);
        if (messageId === undefined) {
          const topic = topicOf(ctx);
          messageId = (await ctx.api.sendMessage(chatId, plainText, topic === undefined ? {} : { message_thread_id: topic })).message_id;
        }
        else await ctx.api.editMessageText(chatId, messageId, plainText);
      })
      .catch((error: unknown) => deps.logger.warn('streaming edit failed', errorFields(error)));
  };
  return {
    update(text) {
      const now = Date.now();
      if (text.trim() === '' || text === shown || now - lastEdit < interval) return;
      lastEdit = now;
      shown = text;
      push(`${text} …`);
    },
    async finish(view) {
      await chain;
      if (messageId === undefined) return sendView(ctx, view, deps.replies);
      const [first, ...rest] = splitHtml(viewHtml(view));
      try {
        await ctx.api.editMessageText(chatId, messageId, first ?? '', { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      } catch {
        await ctx.api.editMessageText(chatId, messageId, htmlToPlain(first ?? ''));
      }
      for (const part of rest) await deps.replies.send(ctx, part);
    },
  };
}
