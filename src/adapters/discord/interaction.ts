/**
 * Running a command for an interaction, the same way for every slash command: the right checked
 * first (a refusal is answered privately at once), a collecting command given nothing opens its
 * form, everything else is acknowledged at once (deferReply) and answered with an edit and, for a
 * long view, follow-ups. Autocomplete, form submissions and buttons come back here too.
 */
import {
  ActionRowBuilder,
  ChannelType,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { refusal, runCommand } from '../../commands/run.js';
import type { Collect, Command, CommandContext, CommandInput, CommandServices, FileInput, View } from '../../commands/types.js';
import type { ChatRef } from '../../core/subscriptions.js';
import { errorFields, type Logger } from '../../core/logger.js';
import { uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { escapeText, NO_MENTIONS, splitText } from './format.js';
import { DISCORD_CONTENT_LIMIT, viewPayloads, type DiscordPayload } from './render.js';

/** What a Discord command needs from the adapter. */
export interface DiscordDeps {
  readonly services: CommandServices;
  readonly logger: Logger;
  readonly defaultLanguage: UiLanguage;
  /** Show answers as they are written, when the engine streams (the LLM engine). */
  readonly streamAnswers: boolean;
  /** Least time between two edits of a streaming answer; 1.2 s when absent. */
  readonly streamEditIntervalMs?: number;
}

const FORM_PREFIX = 'akhbar-';
// The form's one field; a modal's text input takes at most 4000 characters.
const FORM_FIELD = 'article';
const FORM_MAX_CHARS = 4000;
const DOWNLOAD_TIMEOUT_MS = 20_000;

function channelRef(interaction: RepliableInteraction): ChatRef {
  const channel = interaction.channel;
  return {
    platform: 'discord',
    chatId: interaction.channelId ?? '',
    kind: interaction.inGuild() ? 'channel' : 'private',
    ...(channel && 'name' in channel && channel.name ? { name: `#${channel.name}` } : {}),
  };
}

/**
 * The forum a post (a thread of a forum channel) belongs to, as a place that can subscribe: each
 * delivery there opens a post of its own. Undefined anywhere else.
 */
function forumOf(interaction: RepliableInteraction): ChatRef | undefined {
  const channel = interaction.channel;
  if (!channel?.isThread() || channel.parent?.type !== ChannelType.GuildForum) return undefined;
  return { platform: 'discord', chatId: channel.parent.id, kind: 'channel', forum: true, name: `#${channel.parent.name}` };
}

/** The command context of an interaction: its user, their locale's language, the channel (a thread is one of its own). */
export function commandContext(interaction: RepliableInteraction, deps: DiscordDeps): CommandContext {
  const language = uiLanguage(interaction.locale, deps.defaultLanguage);
  const forum = forumOf(interaction);
  return {
    platform: 'discord',
    actor: { kind: 'user', platform: 'discord', userId: interaction.user.id, language },
    language,
    // In a server, Manage Channels is what managing a channel's subscription takes; a DM is the user's own.
    chat: {
      ref: channelRef(interaction),
      canManage: async () => !interaction.inGuild() || Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)),
      ...(forum ? { forum } : {}),
    },
    collects: true,
  };
}

function attachmentFile(attachment: Attachment): FileInput {
  return {
    name: attachment.name,
    size: attachment.size,
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
    async read() {
      const response = await fetch(attachment.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`attachment download failed with HTTP ${response.status}`);
      return response.text();
    },
  };
}

/** The command input of a slash command: the subcommand and the options in declared order as words, named options apart, the attachment as a file. */
export function slashInput(interaction: ChatInputCommandInteraction, command: Command): CommandInput {
  const sub = interaction.options.getSubcommand(false);
  const specs = sub === null ? command.options : (command.subcommands?.find((s) => s.name === sub)?.options ?? []);
  const words: string[] = sub === null ? [] : [sub];
  const named: Record<string, string> = {};
  let file: FileInput | undefined;
  for (const spec of specs) {
    if (spec.type === 'attachment') {
      const attachment = interaction.options.getAttachment(spec.name);
      if (attachment) file = attachmentFile(attachment);
      continue;
    }
    const value = spec.type === 'integer' ? interaction.options.getInteger(spec.name) : interaction.options.getString(spec.name);
    if (value === null) continue;
    if (spec.named) named[spec.name] = String(value);
    else words.push(String(value));
  }
  return { text: words.join(' '), ...(Object.keys(named).length > 0 ? { options: named } : {}), ...(file ? { file } : {}) };
}

function isEmpty(input: CommandInput): boolean {
  return input.text.trim() === '' && input.file === undefined;
}

function form(collect: Collect): ModalBuilder {
  const field = new TextInputBuilder().setCustomId(FORM_FIELD).setLabel(collect.label).setStyle(TextInputStyle.Paragraph).setMaxLength(FORM_MAX_CHARS).setRequired(true);
  return new ModalBuilder()
    .setCustomId(`${FORM_PREFIX}${collect.command}`)
    .setTitle(collect.title)
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(field));
}

/** The command a form submission is for, and the text it holds. */
export function formSubmission(interaction: ModalSubmitInteraction): { command: string; text: string } | undefined {
  if (!interaction.customId.startsWith(FORM_PREFIX)) return undefined;
  return { command: interaction.customId.slice(FORM_PREFIX.length), text: interaction.fields.getTextInputValue(FORM_FIELD) };
}

/** Answers a deferred interaction with a view: an edit replacing what was there (streamed text too), then follow-ups. */
export async function answer(interaction: RepliableInteraction, view: View, privately: boolean): Promise<void> {
  const [first, ...rest] = viewPayloads(view);
  await interaction.editReply(editOf(first!));
  for (const payload of rest) await interaction.followUp({ ...payload, allowedMentions: NO_MENTIONS, ...(privately ? { flags: MessageFlags.Ephemeral } : {}) });
}

function editOf(payload: DiscordPayload) {
  return { content: payload.content ?? '', embeds: payload.embeds ?? [], components: payload.components ?? [], ...(payload.files ? { files: payload.files } : {}), allowedMentions: NO_MENTIONS };
}

/** Answers an interaction not yet acknowledged with a view only the user sees (a refusal, a usage line). */
export async function replyPrivately(interaction: RepliableInteraction, view: View): Promise<void> {
  const [first] = viewPayloads(view);
  await interaction.reply({ ...first!, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral });
}

/** Edits of the deferred reply while an answer is written, no faster than `interval`. */
function streamingReply(interaction: RepliableInteraction, deps: DiscordDeps): { update(text: string): void; settled(): Promise<void> } {
  const interval = deps.streamEditIntervalMs ?? 1_200;
  let edits = Promise.resolve();
  let lastEdit = 0;
  return {
    update(soFar) {
      const now = Date.now();
      if (soFar.trim() === '' || now - lastEdit < interval) return;
      lastEdit = now;
      const content = splitText(`${escapeText(soFar)} …`, DISCORD_CONTENT_LIMIT)[0]!;
      edits = edits
        .then(async () => void (await interaction.editReply({ content, allowedMentions: NO_MENTIONS })))
        .catch((error: unknown) => deps.logger.warn('streaming edit failed', errorFields(error)));
    },
    settled: () => edits,
  };
}

/** Runs `command` for an interaction, given its input. */
export async function runInteraction(interaction: RepliableInteraction, command: Command, input: CommandInput, deps: DiscordDeps): Promise<void> {
  const ctx = commandContext(interaction, deps);
  const refused = await refusal(command, ctx, deps.services);
  if (refused) return replyPrivately(interaction, refused);
  if (command.collects && isEmpty(input)) {
    // A form is the first answer to an interaction, so it comes before any defer; given nothing, the command answers at once.
    const view = await runCommand(command, input, ctx, deps.services);
    if (view.collect && !interaction.isModalSubmit()) return void (await interaction.showModal(form(view.collect)));
    return replyPrivately(interaction, view);
  }
  await interaction.deferReply(command.private ? { flags: MessageFlags.Ephemeral } : {});
  const stream = deps.streamAnswers && command.slow ? streamingReply(interaction, deps) : undefined;
  const view = await runCommand(command, input, { ...ctx, ...(stream ? { onPartial: (text: string) => stream.update(text) } : {}) }, deps.services);
  await stream?.settled();
  await answer(interaction, view, command.private ?? false);
}

/** Runs the command a button names and shows its view in place of the message the button is on. */
export async function runButton(interaction: ButtonInteraction, command: Command, args: string, deps: DiscordDeps): Promise<void> {
  await interaction.deferUpdate();
  const view = await runCommand(command, { text: args }, commandContext(interaction, deps), deps.services);
  await interaction.editReply(editOf(viewPayloads(view)[0]!));
}

/** Offers the stored articles whose id starts with, or whose title holds, what the user typed. */
export async function articleChoices(interaction: AutocompleteInteraction, deps: DiscordDeps): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const choices = (await deps.services.desk.listArticles({ limit: 100 })).items
    .filter((item) => item.id.startsWith(typed) || item.title.toLowerCase().includes(typed))
    .slice(0, 25)
    .map((item) => ({ name: `${item.id} · ${item.title}`.slice(0, 100), value: item.id }));
  await interaction.respond(choices);
}
