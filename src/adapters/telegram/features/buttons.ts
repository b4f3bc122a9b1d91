/**
 * Buttons under a view (the pages of /articles): pressing one runs its command again with the
 * button's arguments and edits the message in place.
 */
import { Composer } from 'grammy';
import { findCommand } from '../../../commands/registry.js';
import { runCommand } from '../../../commands/run.js';
import type { AkhbarContext } from '../context.js';
import { splitHtml } from '../format.js';
import { parseCallbackData, viewHtml, viewKeyboard } from '../render.js';
import type { ReplyDeps } from '../reply.js';
import { commandContext } from '../surface.js';

/** The Composer for callback queries from our buttons. */
export function buttonsFeature(deps: ReplyDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  composer.on('callback_query:data', async (ctx, next) => {
    const pressed = parseCallbackData(ctx.callbackQuery.data);
    const command = pressed && findCommand(pressed.command, 'telegram', deps.services);
    if (!pressed || !command || !ctx.chat) return next();
    const view = await runCommand(command, { text: pressed.args }, commandContext(ctx, deps.adminCache), deps.services);
    await ctx.answerCallbackQuery();
    const keyboard = viewKeyboard(view);
    await ctx.editMessageText(splitHtml(viewHtml(view))[0] ?? '', { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  });
  return composer;
}
