/**
 * The message menu's commands (right-click a message → Apps): "Ask akhbar about this" asks the
 * message as a question, "Summarize" summarizes it or the page it links to. Both answer only the
 * user who picked them, since the message and the answer are theirs to share or not.
 */
import { Collection, MessageFlags, type ContextMenuCommandBuilder, type MessageContextMenuCommandInteraction } from 'discord.js';
import { askAbout, summarizeMessage } from '../../../commands/aboutMessage.js';
import type { CommandContext, CommandServices, View } from '../../../commands/types.js';
import { messageCommandData } from '../definitions.js';
import { answer, commandContext, type DiscordDeps } from '../interaction.js';

/** One message-menu command: its definition and what runs it. */
export interface DiscordMessageCommand {
  readonly data: ContextMenuCommandBuilder;
  execute(interaction: MessageContextMenuCommandInteraction, deps: DiscordDeps): Promise<void>;
}

/** The module for a message-menu command that turns the message's text into a view. */
function messageCommand(name: string, run: (text: string, ctx: CommandContext, services: CommandServices) => Promise<View>): DiscordMessageCommand {
  return {
    data: messageCommandData(name),
    async execute(interaction, deps) {
      // Asking and fetching a page can outlast the 3 s Discord gives a first answer.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const message = interaction.targetMessage;
      // An embed's text counts too: a link someone shared often arrives with its preview only.
      const text = [message.content, ...message.embeds.map((embed) => [embed.title, embed.description].filter(Boolean).join('\n'))].filter((part) => part.trim() !== '').join('\n\n');
      await answer(interaction, await run(text, commandContext(interaction, deps), deps.services), true);
    },
  };
}

/** "Ask akhbar about this". */
export const askAboutThis = messageCommand('Ask akhbar about this', askAbout);
/** "Summarize". */
export const summarizeThis = messageCommand('Summarize', summarizeMessage);

/** Every message-menu command by name. */
export function discordMessageCommands(): Collection<string, DiscordMessageCommand> {
  return new Collection([askAboutThis, summarizeThis].map((module) => [module.data.name, module]));
}
