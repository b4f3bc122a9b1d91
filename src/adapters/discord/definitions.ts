/**
 * Slash command definitions generated from the registry's option specs. Discord has no Arabic
 * locale for command names and descriptions, so they are the English menu texts; what the bot
 * answers follows the user's locale and the question's language.
 */
import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  PermissionFlagsBits,
  SlashCommandAttachmentOption,
  SlashCommandBuilder,
  SlashCommandIntegerOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { Command, OptionSpec } from '../../commands/types.js';
import { messages, type Messages } from '../../i18n/messages.js';

interface TakesOptions {
  addStringOption(option: SlashCommandStringOption): unknown;
  addIntegerOption(option: SlashCommandIntegerOption): unknown;
  addAttachmentOption(option: SlashCommandAttachmentOption): unknown;
}

function addOption(builder: TakesOptions, spec: OptionSpec, m: Messages): void {
  const describe = spec.describe(m);
  const required = spec.required ?? false;
  switch (spec.type) {
    case 'string': {
      const option = new SlashCommandStringOption().setName(spec.name).setDescription(describe).setRequired(required);
      if (spec.maxLength !== undefined) option.setMaxLength(spec.maxLength);
      if (spec.choices) option.addChoices(...spec.choices);
      if (spec.autocomplete) option.setAutocomplete(true);
      builder.addStringOption(option);
      return;
    }
    case 'integer': {
      const option = new SlashCommandIntegerOption().setName(spec.name).setDescription(describe).setRequired(required);
      if (spec.minValue !== undefined) option.setMinValue(spec.minValue);
      builder.addIntegerOption(option);
      return;
    }
    case 'attachment':
      builder.addAttachmentOption(new SlashCommandAttachmentOption().setName(spec.name).setDescription(describe).setRequired(required));
      return;
  }
}

/** The slash command for `command`. */
export function slashCommandData(command: Command): SlashCommandBuilder {
  const m = messages('en');
  const builder = new SlashCommandBuilder().setName(command.name).setDescription(command.menu(m));
  // A server can override this; the command layer checks the right again in any case.
  if (command.right === 'chat-admin') builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels);
  for (const option of command.options) addOption(builder, option, m);
  for (const sub of command.subcommands ?? []) {
    const subcommand = new SlashCommandSubcommandBuilder().setName(sub.name).setDescription(sub.describe(m));
    for (const option of sub.options) addOption(subcommand, option, m);
    builder.addSubcommand(subcommand);
  }
  return builder;
}

/** A command of the message menu: a name and nothing else (Discord shows no description there). */
export function messageCommandData(name: string): ContextMenuCommandBuilder {
  return new ContextMenuCommandBuilder().setName(name).setType(ApplicationCommandType.Message);
}
