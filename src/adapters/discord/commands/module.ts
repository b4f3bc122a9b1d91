/**
 * The shape of a Discord command module, as in the discord.js guide: `{ data, execute }` (and
 * `autocomplete` where an option offers choices), built from a command of the registry.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../../../commands/types.js';
import { slashCommandData } from '../definitions.js';
import { articleChoices, runInteraction, slashInput, type DiscordDeps } from '../interaction.js';

/** One slash command: its definition and what runs it. */
export interface DiscordCommand {
  readonly command: Command;
  readonly data: SlashCommandBuilder;
  execute(interaction: ChatInputCommandInteraction, deps: DiscordDeps): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, deps: DiscordDeps): Promise<void>;
}

/** The module for a registry command: its options become the slash command's, its answer the reply. */
export function slashCommand(command: Command): DiscordCommand {
  const offersArticles = [...command.options, ...(command.subcommands ?? []).flatMap((s) => s.options)].some((o) => o.autocomplete === 'article');
  return {
    command,
    data: slashCommandData(command),
    execute: (interaction, deps) => runInteraction(interaction, command, slashInput(interaction, command), deps),
    ...(offersArticles ? { autocomplete: articleChoices } : {}),
  };
}
