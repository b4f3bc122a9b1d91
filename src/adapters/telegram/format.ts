/**
 * Telegram HTML pieces (summaries, links, deliveries): every piece of article and user text escaped, bidi
 * controls removed, and long messages split between lines, never inside a tag, an entity or a
 * surrogate pair.
 */
import type { DeliveryMessage, DeliveredSummary } from '../../core/delivery/index.js';
import { DEFAULT_STYLE, type DeliveryFormat } from '../../core/subscriptions.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';

/** Telegram's limit on one message's text. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

// Bidi overrides and isolates in untrusted text can reorder what a reader sees (and spoof links).
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/gu;

/** Escapes text for Telegram HTML and drops bidi control characters. */
export function escapeHtml(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text from our HTML, for the fallback when Telegram cannot parse it. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (_m, href: string, label: string) => `${label} (${href})`)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** A link when `url` is http(s), else the label alone (never a javascript: or tg: link from article text). */
export function linkHtml(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return escapeHtml(label);
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

/** A summary's lines: the title (linked when the article has a URL) with its id, then one bullet per sentence. */
export function summaryLines(summary: Pick<DeliveredSummary, 'title' | 'articleId' | 'sentences' | 'url'>): string[] {
  return [
    `<b>${linkHtml(summary.url, summary.title)}</b> <code>${escapeHtml(summary.articleId)}</code>`,
    ...summary.sentences.map((sentence) => `• ${escapeHtml(sentence)}`),
  ];
}

/** An article's lines in a delivery's format: its headline alone, its summary, or its summary and first paragraph. */
export function deliveredLines(summary: DeliveredSummary, format: DeliveryFormat): string[] {
  if (format === 'headline') return summaryLines({ ...summary, sentences: [] });
  const lines = summaryLines(summary);
  return format === 'full' && summary.lead ? [...lines, '', escapeHtml(summary.lead)] : lines;
}

/**
 * A delivered article or digest, in its subscription's format; a story update is a one-line note;
 * a followed question's new answer is the answer and its sources, whatever the format (the answer is the news).
 */
export function deliveryHtml(message: DeliveryMessage, language: UiLanguage): string {
  const m = messages(language);
  const format = message.style?.format ?? DEFAULT_STYLE.format;
  if (message.kind === 'article') return [`📰 <i>${escapeHtml(m.newArticle)}</i>`, ...deliveredLines(message.summary, format)].join('\n');
  // A one-line note whatever the format: the story is the chat's already.
  if (message.kind === 'update') return `🔗 <i>${escapeHtml(m.alsoReportedBy(message.outlet))}</i>: ${linkHtml(message.summary.url, message.summary.title)}`;
  if (message.kind === 'follow-update') {
    const { answer } = message;
    return [
      `🔔 <i>${escapeHtml(m.follows.updateTitle(answer.question))}</i>`,
      escapeHtml(answer.text),
      '',
      `<b>${escapeHtml(m.sources)}:</b>`,
      ...answer.citations.map((c) => `• ${linkHtml(c.url, c.title)} <code>${escapeHtml(c.articleId)}</code>`),
    ].join('\n');
  }
  // Headlines stack one per line; a summary each gets a blank line before it.
  const gap = format === 'headline' ? [] : [''];
  return [`📰 <b>${escapeHtml(m.digestTitle)}</b>`, ...message.summaries.flatMap((s) => [...gap, ...deliveredLines(s, format)])].join('\n');
}

/**
 * Splits HTML made of self-contained lines (every tag closed on its line) into messages of at most
 * `limit` characters: between lines where possible, else between words, else at a character that
 * is neither inside an entity nor half of a surrogate pair.
 */
export function splitHtml(html: string, limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') chunks.push(current.replace(/\n+$/u, ''));
    current = '';
  };
  for (const line of html.split('\n')) {
    const addition = current === '' ? line : `\n${line}`;
    if (current.length + addition.length <= limit) {
      current += addition;
      continue;
    }
    flush();
    if (line.length <= limit) {
      current = line;
      continue;
    }
    const pieces = splitLongLine(line, limit);
    // The tail of a long line can share a message with the lines after it.
    current = pieces.pop() ?? '';
    chunks.push(...pieces);
  }
  flush();
  return chunks;
}

function splitLongLine(line: string, limit: number): string[] {
  // A line this long is escaped prose (answers, quotes); tags only wrap short titles. Keep any
  // leading/trailing tag pair balanced by splitting the inner text and re-wrapping each piece.
  const wrapped = /^(<(b|i|code)>)([\s\S]*)(<\/\2>)$/u.exec(line);
  const open = wrapped?.[1] ?? '';
  const close = wrapped?.[4] ?? '';
  const inner = wrapped ? wrapped[3]! : line;
  const room = limit - open.length - close.length;
  const pieces: string[] = [];
  let rest = inner;
  while (rest.length > room) {
    let cut = rest.lastIndexOf(' ', room);
    if (cut < room / 2) cut = safeCut(rest, room);
    pieces.push(open + rest.slice(0, cut).trimEnd() + close);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') pieces.push(open + rest + close);
  return pieces;
}

function safeCut(text: string, at: number): number {
  let cut = at;
  // Not between the two halves of a surrogate pair.
  const before = text.charCodeAt(cut - 1);
  if (cut > 0 && cut < text.length && before >= 0xd800 && before <= 0xdbff) cut--;
  // Not inside an entity such as &amp;.
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && text.indexOf(';', amp) >= cut) cut = amp;
  return Math.max(1, cut);
}
