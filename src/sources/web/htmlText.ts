/**
 * HTML to the plain text an article is stored as: each block (paragraph, heading, quote) its own
 * paragraph separated by a blank line, list items and <br> on their own lines, and the words
 * inside a paragraph joined as the browser would show them, never run together.
 */
import { ELEMENT_NODE, parseFragment, TEXT_NODE, type DomNode } from './dom.js';

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'footer', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul',
]);
const LINES = new Set(['li', 'tr', 'caption']);
// Nothing a reader reads as part of the story.
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'video', 'audio', 'picture',
  'img', 'figure', 'button', 'form', 'input', 'select', 'textarea',
]);
const SPACE = /[\s\u00A0]+/gu;

// Markers for "a paragraph ends here" and "a line ends here": adjacent ones merge, so
// </li><li> is one line break and </p><p> one blank line, while <br><br> stays a blank line.
const PARAGRAPH = '\u0001';
const LINE = '\u0002';
// eslint-disable-next-line no-control-regex -- U+0001 and U+0002 are the paragraph and line marks set above
const BREAKS = /[ \t]*(?:[\u0001\u0002][ \t\n]*)+/g;

/** The text of `node` with paragraphs separated by blank lines. */
export function nodeText(node: DomNode): string {
  const parts: string[] = [];
  walk(node, parts);
  return parts
    .join('')
    .replace(BREAKS, (run) => (run.includes(PARAGRAPH) || (run.match(/\n/g)?.length ?? 0) >= 2 ? '\n\n' : '\n'))
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text of an HTML fragment, such as a feed item's content. */
export function htmlToText(html: string): string {
  const body = parseFragment(html);
  return body ? nodeText(body) : '';
}

function walk(node: DomNode, parts: string[]): void {
  if (node.nodeType === TEXT_NODE) {
    parts.push((node.textContent ?? '').replace(SPACE, ' '));
    return;
  }
  if (node.nodeType !== ELEMENT_NODE) return;
  const tag = node.nodeName.toLowerCase();
  if (SKIPPED.has(tag)) return;
  if (tag === 'br') {
    parts.push('\n');
    return;
  }
  const separator = BLOCKS.has(tag) ? PARAGRAPH : LINES.has(tag) ? LINE : tag === 'td' || tag === 'th' ? ' ' : '';
  parts.push(separator);
  for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!, parts);
  parts.push(separator);
}
