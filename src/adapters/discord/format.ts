/**
 * Discord pieces for summaries, answers and deliveries: untrusted text has its markdown escaped and
 * bidi controls removed, every limit (title 256, description 4096, field 1024) is kept, and nothing
 * ever pings anyone.
 */
import { escapeMarkdown, type APIEmbed, type MessageCreateOptions } from 'discord.js';
import type { Block } from '../../commands/types.js';
import type { DeliveredSummary, DeliveryMessage } from '../../core/delivery/index.js';
import { DEFAULT_STYLE, type DeliveryFormat } from '../../core/subscriptions.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';

/** No @everyone, role or user pings from article or answer text. */
export const NO_MENTIONS = { parse: [] as never[] };

const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/gu;
const COLOR = 0x1f6feb;

/**
 * Escapes markdown in untrusted text and drops bidi controls. Brackets too: discord.js leaves
 * masked links alone, and `[your bank](http://evil.example)` in an article or a feed item would
 * show as a link whose text hides where it goes (or break out of a link this bot builds).
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text.replace(BIDI_CONTROLS, '')).replace(/[[\]]/gu, '\\$&');
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

/** A summary as an embed: the title (linked when the article has an http(s) URL), a bullet per sentence, the id below. */
export function summaryEmbed(summary: Pick<DeliveredSummary, 'title' | 'articleId' | 'sentences' | 'url'>): APIEmbed {
  const url = httpUrl(summary.url);
  return {
    title: truncate(summary.title.replace(BIDI_CONTROLS, ''), 256),
    ...(url ? { url } : {}),
    description: truncate(summary.sentences.map((s) => `• ${escapeText(s)}`).join('\n'), 4096),
    footer: { text: summary.articleId },
    color: COLOR,
  };
}

/** A headline line: the title linked to the article (masked; a preview only when `previews`), and its id. */
export function headlineLine(summary: DeliveredSummary): string {
  const url = httpUrl(summary.url);
  const title = escapeText(truncate(summary.title, 256));
  return `**${url ? `[${title}](${url})` : title}** \`${summary.articleId}\``;
}

/** A summary embed in a delivery's format: with the first paragraph after the summary for `full`. */
function deliveredEmbed(summary: DeliveredSummary, format: DeliveryFormat): APIEmbed {
  const embed = summaryEmbed(summary);
  if (format !== 'full' || !summary.lead) return embed;
  return { ...embed, description: truncate(`${embed.description ?? ''}\n\n${escapeText(summary.lead)}`, 4096) };
}

/** Discord's SUPPRESS_EMBEDS message flag: no link previews under the message. */
export const SUPPRESS_EMBEDS = 1 << 2;

/**
 * A delivered article or digest as a channel message (a digest is up to 10 embeds), in its
 * subscription's format; a story update is a one-line note; a followed question's new answer is
 * the answer's embeds whatever the format. Headlines are text, so previews off suppresses the link's embed; summaries
 * are embeds of their own, and previews on puts the article's link in the text, which Discord unfurls.
 */
export function deliveryMessage(message: DeliveryMessage, language: UiLanguage): MessageCreateOptions & { flags?: number } {
  const m = messages(language);
  if (message.kind === 'update') {
    const url = httpUrl(message.summary.url);
    // The link in <>, whatever the style: a one-line note, not another preview of a story the channel has.
    const title = escapeText(message.summary.title.replace(BIDI_CONTROLS, ''));
    return { content: truncate(`🔗 ${escapeText(m.alsoReportedBy(message.outlet))}: ${title}${url ? ` <${url}>` : ''}`, 2000), allowedMentions: NO_MENTIONS };
  }
  if (message.kind === 'follow-update') {
    const { answer } = message;
    const embeds = answerEmbeds({
      kind: 'answer',
      text: answer.text,
      sourcesLabel: m.sources,
      alsoLabel: m.alsoReportedIn,
      citations: answer.citations.map((c) => ({ articleId: c.articleId, title: c.title, ...(c.url ? { url: c.url } : {}) })),
      notes: [],
    });
    return { content: truncate(`🔔 ${escapeText(m.follows.updateTitle(answer.question))}`, 2000), embeds, allowedMentions: NO_MENTIONS };
  }
  const { format, previews } = message.style ?? DEFAULT_STYLE;
  const summaries = message.kind === 'article' ? [message.summary] : message.summaries.slice(0, 10);
  const heading = `📰 ${message.kind === 'article' ? m.newArticle : m.digestTitle}`;
  if (format === 'headline') {
    const content = splitText([heading, ...summaries.map(headlineLine)].join('\n'), 2000)[0]!;
    return { content, allowedMentions: NO_MENTIONS, ...(previews ? {} : { flags: SUPPRESS_EMBEDS }) };
  }
  const link = message.kind === 'article' && previews ? httpUrl(message.summary.url) : undefined;
  return { content: link ? `${heading}\n${link}` : heading, embeds: summaries.map((s) => deliveredEmbed(s, format)), allowedMentions: NO_MENTIONS };
}

/** `[name](url)` when the URL is http(s), else the name alone. */
function markdownLink(url: string | undefined, name: string): string {
  const safe = httpUrl(url);
  return safe ? `[${escapeText(name)}](${safe})` : escapeText(name);
}

/** An answer as embeds of at most 4096 characters, the sources as fields of the last and the notes in its footer. */
export function answerEmbeds(answer: Extract<Block, { kind: 'answer' }>): APIEmbed[] {
  const pieces = splitText(escapeText(answer.text), 4096);
  const embeds: APIEmbed[] = (pieces.length > 0 ? pieces : ['…']).map((piece) => ({ description: piece, color: COLOR }));
  const last = embeds[embeds.length - 1]!;
  if (answer.citations.length > 0) {
    last.fields = answer.citations.slice(0, 25).map((citation) => {
      const url = httpUrl(citation.url);
      const title = escapeText(citation.title);
      const quote = citation.quote === undefined ? '' : `\n> ${escapeText(citation.quote)}`;
      const also = citation.also ? `\n${escapeText(answer.alsoLabel)}: ${citation.also.map((other) => markdownLink(other.url, other.name)).join(', ')}` : '';
      return { name: truncate(`${answer.sourcesLabel}: ${citation.articleId}`, 256), value: truncate(`${url ? `[${title}](${url})` : title}${also}${quote}`, 1024) };
    });
  }
  if (answer.notes.length > 0) last.footer = { text: answer.notes.join(' · ') };
  return embeds;
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
