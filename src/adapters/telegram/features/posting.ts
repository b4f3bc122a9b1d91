/**
 * Ways to post that are Telegram's own: a file sent with "/post" as its caption (grammY's commands
 * read message text, not captions), and a message an admin forwards to the bot in a private chat.
 */
import { Composer } from 'grammy';
import { findCommand } from '../../../commands/registry.js';
import { mayRun } from '../../../commands/rights.js';
import type { AkhbarContext } from '../context.js';
import { respond } from '../reply.js';
import { commandContext } from '../surface.js';
import { commandInput, type CommandFeatureDeps } from './commands.js';

const POST_CAPTION = /^\/post(@\w+)?(\s|$)/u;

/** The Composer for posting by caption and by forwarding. */
export function postingFeature(deps: CommandFeatureDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  const post = findCommand('post', 'telegram', deps.services);
  if (!post) return composer;

  composer.on('message:document', async (ctx, next) => {
    const caption = ctx.msg.caption ?? '';
    if (!POST_CAPTION.test(caption)) return next();
    return respond(ctx, post, commandInput(ctx, post, caption.replace(POST_CAPTION, '$2').trim(), ctx.msg, deps), deps);
  });

  composer.chatType('private').on('message:text', async (ctx, next) => {
    if (!ctx.msg.forward_origin || ctx.msg.text.startsWith('/')) return next();
    // A reader forwarding news asks about it; only an admin's forward is a post.
    if (!(await mayRun(post, commandContext(ctx, deps.adminCache), deps.services))) return next();
    return respond(ctx, post, { text: ctx.msg.text }, deps);
  });
  return composer;
}
