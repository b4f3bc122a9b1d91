/**
 * Messages that are not commands: in a private chat every message is a question; in a group only a
 * mention of the bot or a reply to one of its messages is. An unknown command is answered in a
 * private chat and left alone in a group (it may be another bot's).
 */
import { Composer } from 'grammy';
import { findCommand } from '../../../commands/registry.js';
import { messages } from '../../../i18n/messages.js';
import type { AkhbarContext } from '../context.js';
import { escapeHtml } from '../format.js';
import { respond, type ReplyDeps } from '../reply.js';

/** The Composer for plain messages and unknown commands. */
export function conversationFeature(deps: ReplyDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  const ask = findCommand('ask', 'telegram', deps.services)!;
  composer.on('message:text', async (ctx, next) => {
    const text = ctx.msg.text;
    const inPrivate = ctx.chat.type === 'private';
    if (text.startsWith('/')) {
      if (!inPrivate) return next();
      return deps.replies.send(ctx, escapeHtml(messages(ctx.asker.language).unknownCommand(text.split(/\s/u)[0]!)));
    }
    if (inPrivate) return respond(ctx, ask, { text }, deps);
    const mention = `@${ctx.me.username}`;
    if (text.includes(mention)) return respond(ctx, ask, { text: text.split(mention).join(' ').trim() }, deps);
    if (ctx.msg.reply_to_message?.from?.id === ctx.me.id) return respond(ctx, ask, { text }, deps);
    return next();
  });
  return composer;
}
