/**
 * Views as Discord messages: text blocks as message content (markdown escaped), summaries and
 * answers as embeds, a command's buttons as a row of buttons whose custom id names the command to
 * run again. Every limit is kept (content 2000, one answer embed per message) and nothing pings.
 */
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, type APIEmbed } from 'discord.js';
import type { Block, View } from '../../commands/types.js';
import { answerEmbeds, escapeText, splitText, summaryEmbed } from './format.js';

/** Discord's limit on a message's content. */
export const DISCORD_CONTENT_LIMIT = 2000;

/** One message of a rendered view. */
export interface DiscordPayload {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly components?: ActionRowBuilder<ButtonBuilder>[];
  readonly files?: AttachmentBuilder[];
}

/** A button's custom id: the command and its arguments, `articles:2`. */
export function buttonId(command: string, args: string): string {
  return `${command}:${args}`;
}

/** The command and arguments a button's custom id names, if it is one of ours. */
export function parseButtonId(customId: string): { command: string; args: string } | undefined {
  const match = /^([a-z]+):(.*)$/su.exec(customId);
  return match ? { command: match[1]!, args: match[2]! } : undefined;
}

function blockLines(block: Extract<Block, { kind: 'text' | 'title' | 'field' | 'items' }>): string[] {
  switch (block.kind) {
    case 'text':
      return [escapeText(block.text)];
    case 'title':
      return [`**${escapeText(block.text)}**`];
    case 'field':
      return [`**${escapeText(block.label)}**: ${escapeText(block.value)}`];
    case 'items':
      return block.items.map((item) => `\`${item.id}\` ${escapeText(item.text)}`);
  }
}

/** The view as the messages that show it: the first answers the interaction, the rest follow it. */
export function viewPayloads(view: View): DiscordPayload[] {
  const payloads: DiscordPayload[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    for (const piece of splitText(lines.join('\n'), DISCORD_CONTENT_LIMIT)) payloads.push({ content: piece });
    lines = [];
  };
  for (const block of view.blocks) {
    if (block.kind === 'summary') {
      flush();
      payloads.push({ embeds: [summaryEmbed(block)] });
    } else if (block.kind === 'answer') {
      flush();
      // One embed per message keeps each message under Discord's 6000-character total.
      for (const embed of answerEmbeds(block)) payloads.push({ embeds: [embed] });
    } else {
      lines.push(...blockLines(block));
    }
  }
  flush();
  if (payloads.length === 0) payloads.push({ content: '…' });
  if (view.buttons && view.buttons.length > 0) {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      view.buttons.map((button) => new ButtonBuilder().setCustomId(buttonId(button.command, button.args)).setLabel(button.label).setStyle(ButtonStyle.Secondary)),
    );
    const last = payloads.length - 1;
    payloads[last] = { ...payloads[last]!, components: [row] };
  }
  // The file goes with the first message: the one that answers the interaction.
  if (view.attachment) payloads[0] = { ...payloads[0]!, files: [new AttachmentBuilder(Buffer.from(view.attachment.content, 'utf8'), { name: view.attachment.name })] };
  return payloads;
}
