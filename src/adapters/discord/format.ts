/**
 * Discord embeds for summaries and answers: untrusted text has its markdown escaped and bidi
 * controls removed, every limit (title 256, description 4096, field 1024, content 2000) is kept,
 * and nothing ever pings anyone.
 */
import { escapeMarkdown, type APIEmbed, type MessageCreateOptions } from 'discord.js';
import type { DeliveredSummary, DeliveryMessage } from '../../core/delivery/index.js';
import type { Answer, Summary } from '../../core/types.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';

/** No @everyone, role or user pings from article or answer text. */
export const NO_MENTIONS = { parse: [] as never[] };

const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/gu;
const COLOR = 0x1f6feb;

/** Escapes markdown in untrusted text and drops bidi controls. */
export function escapeText(text: string): string {
  return escapeMarkdown(text.replace(BIDI_CONTROLS, ''));
}

/** Cuts `text` to `limit` characters at a word boundary, without splitting a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.lastIndexOf(' ', limit - 1);
  if (cut < limit / 2) cut = limit - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

function httpUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

function summaryEmbed(summary: Pick<DeliveredSummary, 'title' | 'articleId' | 'sentences' | 'url'>): APIEmbed {
  const url = httpUrl(summary.url);
  return {
    title: truncate(summary.title.replace(BIDI_CONTROLS, ''), 256),
    ...(url ? { url } : {}),
    description: truncate(summary.sentences.map((s) => `• ${escapeText(s)}`).join('\n'), 4096),
    footer: { text: summary.articleId },
    color: COLOR,
  };
}

/** A summary as an embed. */
export function summaryMessage(summary: Summary, url?: string): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS } {
  return { embeds: [summaryEmbed({ ...summary, ...(url ? { url } : {}) })], allowedMentions: NO_MENTIONS };
}

/** A delivered article or digest as a channel message (a digest is up to 10 embeds). */
export function deliveryMessage(message: DeliveryMessage, language: UiLanguage): MessageCreateOptions {
  const m = messages(language);
  if (message.kind === 'article') {
    return { content: `📰 ${m.newArticle}`, embeds: [summaryEmbed(message.summary)], allowedMentions: NO_MENTIONS };
  }
  return { content: `📰 ${m.digestTitle}`, embeds: message.summaries.slice(0, 10).map(summaryEmbed), allowedMentions: NO_MENTIONS };
}

/** An answer as one or more messages: the text in embeds of at most 4096 characters, the sources as fields of the last. */
export function answerMessages(answer: Answer, language: UiLanguage, engineName?: string): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS }[] {
  const m = messages(language);
  const embeds: APIEmbed[] = splitText(escapeText(answer.found ? answer.text : m.notInArticles), 4096).map((piece) => ({ description: piece, color: COLOR }));
  const last = embeds[embeds.length - 1]!;
  if (answer.citations.length > 0) {
    last.fields = answer.citations.slice(0, 25).map((citation) => {
      const url = httpUrl(citation.url);
      const title = escapeText(citation.title);
      const quote = answer.text.includes(citation.quote) ? '' : `\n> ${escapeText(citation.quote)}`;
      return {
        name: truncate(`${m.sources}: ${citation.articleId}`, 256),
        value: truncate(`${url ? `[${title}](${url})` : title}${quote}`, 1024),
      };
    });
  }
  const notes = [
    ...(answer.cached ? [m.fromCache] : []),
    ...(engineName !== undefined && answer.engine !== engineName ? [m.fallbackNotice] : []),
  ];
  if (notes.length > 0) last.footer = { text: notes.join(' · ') };
  // One embed per message keeps each message under Discord's 6000-character total.
  return embeds.map((embed) => ({ embeds: [embed], allowedMentions: NO_MENTIONS }));
}

/** Splits text into pieces of at most `limit` characters, between lines or words where possible. */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}
