/**
 * Plain-text rendering of core results, for the console and the CLI.
 */
import type { ArticlePage, PostResult } from '../../core/newsDesk.js';
import type { DeliveryMessage, DeliveryReport } from '../../core/delivery/index.js';
import type { Subscription } from '../../core/subscriptions.js';
import type { Answer, Summary } from '../../core/types.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';

/** "Stored article …" or "Already stored as …". */
export function renderPosted(result: PostResult, language: UiLanguage): string {
  const m = messages(language);
  const { id, title } = result.article;
  return result.duplicate ? m.duplicate(id, title) : m.posted(id, title);
}

/** A summary as a title line and one bullet per sentence. */
export function renderSummary(summary: Summary): string {
  return [`${summary.title} [${summary.articleId}]`, ...summary.sentences.map((s) => `• ${s}`)].join('\n');
}

/** An answer, then its sources; quotes are shown only where the answer does not already quote them. */
export function renderAnswer(answer: Answer, language: UiLanguage, engineName?: string): string {
  const m = messages(language);
  const lines = [answer.found ? answer.text : m.notInArticles];
  if (answer.citations.length > 0) {
    lines.push('', `${m.sources}:`);
    for (const citation of answer.citations) {
      const quoted = answer.text.includes(citation.quote) ? '' : `\n  “${citation.quote}”`;
      const link = citation.url ? ` ${citation.url}` : '';
      lines.push(`- ${citation.title} [${citation.articleId}]${link}${quoted}`);
    }
  }
  if (answer.cached) lines.push(`(${m.fromCache})`);
  if (engineName !== undefined && answer.engine !== engineName) lines.push(`(${m.fallbackNotice})`);
  return lines.join('\n');
}

/** One page of the article list. */
export function renderArticleList(page: ArticlePage, language: UiLanguage): string {
  const m = messages(language);
  if (page.total === 0) return m.noArticlesYet;
  const from = page.offset + 1;
  const to = page.offset + page.items.length;
  const rows = page.items.map((item) => `${item.id}  ${item.postedAt.slice(0, 10)}  (${item.language})  ${item.title}`);
  return [m.articlesHeader(from, to, page.total), ...rows].join('\n');
}

/** A delivered summary or digest, as it appears in the console. */
export function renderDelivery(message: DeliveryMessage, language: UiLanguage): string {
  const m = messages(language);
  const block = (s: { title: string; articleId: string; sentences: readonly string[]; url?: string }) =>
    [`${s.title} [${s.articleId}]${s.url ? ` ${s.url}` : ''}`, ...s.sentences.map((line) => `• ${line}`)].join('\n');
  if (message.kind === 'article') return `📰 ${m.newArticle}: ${block(message.summary)}`;
  return [`📰 ${m.digestTitle}`, ...message.summaries.map(block)].join('\n\n');
}

/** The admin's delivery status: totals, subscribers, and the latest articles' counts. */
export function renderStatus(
  report: DeliveryReport,
  subscriptions: readonly Subscription[],
  language: UiLanguage,
  usage?: { requests: number; promptTokens: number; completionTokens: number },
): string {
  const m = messages(language);
  const active = subscriptions.filter((s) => s.active).length;
  const lines = [
    `${m.statusTitle}: ${m.statusLine(report.pending, report.sent, report.failed, report.dead)}`,
    m.subscribersLine(active, subscriptions.length - active),
    ...(usage ? [m.usageLine(usage.requests, usage.promptTokens, usage.completionTokens)] : []),
  ];
  for (const row of report.byArticle.slice(-10)) {
    lines.push(`${row.articleId}: ${m.statusLine(row.pending, row.sent, row.failed, row.dead)}`);
  }
  return lines.join('\n');
}
