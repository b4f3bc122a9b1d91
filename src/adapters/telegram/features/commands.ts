/**
 * Every command of the registry as a Telegram command (`/name`, `/name@bot`, and Latin aliases such
 * as /start). A command that collects a long text also takes the message it replies to, or a file
 * sent with it.
 */
import { Composer, type CommandContext as GrammyCommandContext } from 'grammy';
import type { Document, Message } from 'grammy/types';
import { commandsFor } from '../../../commands/registry.js';
import type { Command, CommandInput, FileInput } from '../../../commands/types.js';
import type { AkhbarContext } from '../context.js';
import { respond, type ReplyDeps } from '../reply.js';

/** What the command feature needs: answering, and fetching a file a user sent. */
export interface CommandFeatureDeps extends ReplyDeps {
  /** Downloads a file by its `file_path` from getFile. */
  readonly download: (filePath: string) => Promise<string>;
}

/** A document as the command layer sees a file; read only when the command decides to. */
export function documentFile(ctx: AkhbarContext, document: Document, deps: Pick<CommandFeatureDeps, 'download'>): FileInput {
  return {
    name: document.file_name ?? 'file',
    ...(document.file_size !== undefined ? { size: document.file_size } : {}),
    ...(document.mime_type !== undefined ? { contentType: document.mime_type } : {}),
    read: async () => deps.download((await ctx.api.getFile(document.file_id)).file_path ?? ''),
  };
}

/** The input of a command sent in `message`, whose words after the command are `text`. */
export function commandInput(ctx: AkhbarContext, command: Command, text: string, message: Message | undefined, deps: Pick<CommandFeatureDeps, 'download'>): CommandInput {
  if (command.takesFile && message) {
    const document = message.document ?? message.reply_to_message?.document;
    return document ? { text, file: documentFile(ctx, document, deps) } : { text };
  }
  if (!command.collects || !message) return { text };
  const replied = message.reply_to_message;
  const document = message.document ?? replied?.document;
  if (text.trim() !== '') return { text };
  if (document) return { text: '', file: documentFile(ctx, document, deps) };
  return { text: replied?.text ?? replied?.caption ?? '' };
}

/** The Composer that answers every registry command. */
export function commandsFeature(deps: CommandFeatureDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  for (const command of commandsFor('telegram', deps.services)) {
    composer.command([command.name, ...(command.aliases?.latin ?? [])], (ctx: GrammyCommandContext<AkhbarContext>) =>
      respond(ctx, command, commandInput(ctx, command, ctx.match, ctx.msg, deps), deps),
    );
  }
  return composer;
}
