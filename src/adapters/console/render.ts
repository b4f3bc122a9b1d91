/**
 * Plain-text rendering of core results, for the console and the CLI.
 */
import type { ArticlePage, PostResult } from '../../core/newsDesk.js';
import type { Answer, Summary } from '../../core/types.js';
import { messages, type UiLanguage } from '../messages.js';

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
export function renderAnswer(answer: Answer, language: UiLanguage): string {
  const m = messages(language);
  const lines = [answer.text];
  if (answer.citations.length > 0) {
    lines.push('', `${m.sources}:`);
    for (const citation of answer.citations) {
      const quoted = answer.text.includes(citation.quote) ? '' : `\n  “${citation.quote}”`;
      const link = citation.url ? ` ${citation.url}` : '';
      lines.push(`- ${citation.title} [${citation.articleId}]${link}${quoted}`);
    }
  }
  if (answer.cached) lines.push(`(${m.fromCache})`);
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
