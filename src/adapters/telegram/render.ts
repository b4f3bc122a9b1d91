/**
 * Views as Telegram messages: HTML with every piece of article and user text escaped, and a
 * command's buttons as an inline keyboard whose callback data names the command to run again.
 */
import { InlineKeyboard } from 'grammy';
import type { Block, View } from '../../commands/types.js';
import { escapeHtml, linkHtml, summaryLines } from './format.js';

/** A button's callback data: the command and its arguments, `articles:2`. */
export function callbackData(command: string, args: string): string {
  return `${command}:${args}`;
}

/** The command and arguments a button's callback data names, if it is one of ours. */
export function parseCallbackData(data: string): { command: string; args: string } | undefined {
  const match = /^([a-z]+):(.*)$/su.exec(data);
  return match ? { command: match[1]!, args: match[2]! } : undefined;
}

function blockHtml(block: Block): string[] {
  switch (block.kind) {
    case 'text':
      return [escapeHtml(block.text)];
    case 'title':
      return [`<b>${escapeHtml(block.text)}</b>`];
    case 'field':
      return [`<b>${escapeHtml(block.label)}</b>: ${escapeHtml(block.value)}`];
    case 'items':
      return block.items.map((item) => `<code>${escapeHtml(item.id)}</code> ${escapeHtml(item.text)}`);
    case 'summary':
      return summaryLines(block);
    case 'answer': {
      const lines = [escapeHtml(block.text)];
      if (block.citations.length > 0) {
        lines.push('', `<b>${escapeHtml(block.sourcesLabel)}:</b>`);
        for (const citation of block.citations) {
          lines.push(`• ${linkHtml(citation.url, citation.title)} <code>${escapeHtml(citation.articleId)}</code>`);
          if (citation.also) lines.push(`  ${escapeHtml(block.alsoLabel)}: ${citation.also.map((other) => linkHtml(other.url, other.name)).join(', ')}`);
          if (citation.quote !== undefined) lines.push(`<i>“${escapeHtml(citation.quote)}”</i>`);
        }
      }
      for (const note of block.notes) lines.push(`<i>(${escapeHtml(note)})</i>`);
      return lines;
    }
  }
}

/** The view as Telegram HTML (one string; sending splits it to Telegram's limit). */
export function viewHtml(view: View): string {
  return view.blocks.flatMap(blockHtml).join('\n');
}

/** The view's buttons as an inline keyboard, when it has any. */
export function viewKeyboard(view: View): InlineKeyboard | undefined {
  if (!view.buttons || view.buttons.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  for (const button of view.buttons) keyboard.text(button.label, callbackData(button.command, button.args));
  return keyboard;
}
