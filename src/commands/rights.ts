/**
 * Who may run what: the one place a command's right is checked. The bot's admins are the desk's
 * (ADMIN_IDS, and the console's operator); who may manage a chat is the platform's fact, asked of
 * the chat surface (Telegram's chat admins, Discord's Manage Channels).
 */
import { actorId } from '../core/articles.js';
import { AkhbarError } from '../core/errors.js';
import type { Command, CommandContext, CommandServices } from './types.js';

/** Throws the refusal (NOT_ADMIN, NOT_CHAT_ADMIN) when the asker may not run `command` here. */
export async function authorize(command: Command, ctx: CommandContext, services: Pick<CommandServices, 'desk'>): Promise<void> {
  switch (command.right) {
    case 'anyone':
      return;
    case 'admin':
      if (services.desk.isAdmin(ctx.actor)) return;
      throw new AkhbarError({
        code: 'NOT_ADMIN',
        actor: actorId(ctx.actor),
        ...(command.adminAction && command.adminAction !== 'post' ? { action: command.adminAction } : {}),
      });
    case 'chat-admin':
      if (await ctx.chat.canManage()) return;
      throw new AkhbarError({ code: 'NOT_CHAT_ADMIN' });
  }
}

/** Whether the asker may run `command` here (to route a message that could mean two commands). */
export async function mayRun(command: Command, ctx: CommandContext, services: Pick<CommandServices, 'desk'>): Promise<boolean> {
  return authorize(command, ctx, services).then(
    () => true,
    () => false,
  );
}
