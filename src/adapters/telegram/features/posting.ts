/**
 * Ways to post that are Telegram's own: a file sent with "/post" as its caption (grammY's commands
 * read message text, not captions), a file sent with the caption of a command that takes one
 * ("/feed import"), and a message an admin forwards to the bot in a private chat.
 */
import { Composer } from 'grammy';
import { commandsFor, findCommand } from '../../../commands/registry.js';
import { mayRun } from '../../../commands/rights.js';
import type { AkhbarContext } from '../context.js';
import { respond } from '../reply.js';
import { commandContext } from '../surface.js';
import { commandInput, type CommandFeatureDeps } from './commands.js';

const POST_CAPTION = /^\/post(@\w+)?(\s|$)/u;
const COMMAND_CAPTION = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/u;

/** The Composer for posting by caption and by forwarding. */
export function postingFeature(deps: CommandFeatureDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  const takingFiles = new Map(commandsFor('telegram', deps.services).filter((c) => c.takesFile).map((c) => [c.name as string, c]));
  composer.on('message:document', async (ctx, next) => {
    const caption = COMMAND_CAPTION.exec((ctx.msg.caption ?? '').trim());
    const command = caption ? takingFiles.get(caption[1]!) : undefined;
    if (!command) return next();
    return respond(ctx, command, commandInput(ctx, command, caption![2]?.trim() ?? '', ctx.msg, deps), deps);
  });
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
