/**
 * Views as plain text for the terminal (the console and the CLI): ids in brackets, URLs written
 * out, and the secondary facts a chat message leaves out (an article's date and language).
 */
import type { Block, View } from '../../commands/types.js';

function blockText(block: Block): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'title':
      return [block.text];
    case 'field':
      return [`${block.label}: ${block.value}`];
    case 'items':
      return block.items.map((item) => `${item.id}  ${item.detail ? `${item.detail}  ` : ''}${item.text}`);
    case 'summary':
      return [`${block.title} [${block.articleId}]${block.url ? ` ${block.url}` : ''}`, ...block.sentences.map((s) => `• ${s}`)];
    case 'answer': {
      const lines = [block.text];
      if (block.citations.length > 0) {
        lines.push('', `${block.sourcesLabel}:`);
        for (const citation of block.citations) {
          const quoted = citation.quote === undefined ? '' : `\n  “${citation.quote}”`;
          const also = citation.also ? `\n  ${block.alsoLabel}: ${citation.also.map((other) => `${other.name}${other.url ? ` ${other.url}` : ''}`).join(', ')}` : '';
          lines.push(`- ${citation.title} [${citation.articleId}]${citation.url ? ` ${citation.url}` : ''}${also}${quoted}`);
        }
      }
      for (const note of block.notes) lines.push(`(${note})`);
      return lines;
    }
  }
}

/** The view as terminal text, an attachment written out after it; buttons are left out (the terminal takes the command instead). */
export function viewText(view: View): string {
  return [...view.blocks.flatMap(blockText), ...(view.attachment ? [view.attachment.content.trimEnd()] : [])].join('\n');
}
