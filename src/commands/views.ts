/**
 * View models for the results the commands (and the CLI) show: each built once here, so a posted
 * article, a summary, an answer or a page of articles reads the same on every surface.
 */
import type { DeliveryReport } from '../core/delivery/index.js';
import type { EngineUsage } from '../core/engine.js';
import type { ArticlePage, PostResult } from '../core/newsDesk.js';
import type { Subscription } from '../core/subscriptions.js';
import { storyOutlets } from '../core/stories/index.js';
import type { Answer, Summary } from '../core/types.js';
import type { Messages } from '../i18n/messages.js';
import type { Block, Button, Outcome, View } from './types.js';

/** Articles per page of /articles. */
export const PAGE_SIZE = 10;

/** A view of one paragraph. */
export function textView(text: string, outcome: Outcome = 'ok'): View {
  return { blocks: [{ kind: 'text', text }], outcome };
}

/** "Stored article …", or "Already stored as …" for a post the store already had. */
export function postedView(result: PostResult, m: Messages): View {
  const { id, title } = result.article;
  return textView(result.duplicate ? m.duplicate(id, title) : m.posted(id, title));
}

/** A summary, linked to its article's URL when it has one. */
export function summaryView(summary: Summary, url?: string): View {
  const block: Block = {
    kind: 'summary',
    title: summary.title,
    articleId: summary.articleId,
    sentences: summary.sentences,
    ...(url ? { url } : {}),
  };
  return { blocks: [block], outcome: 'ok' };
}

/** The summary of a text that was read but not stored: no article id to give, and a note saying so. */
export function readSummaryView(summary: Summary, m: Messages, url?: string): View {
  return {
    blocks: [
      { kind: 'title', text: summary.title },
      { kind: 'text', text: summary.sentences.map((sentence) => `• ${sentence}`).join('\n') },
      ...(url ? [{ kind: 'text', text: url } as const] : []),
      { kind: 'text', text: m.notStored },
    ],
    outcome: 'ok',
  };
}

/**
 * An answer with its sources, in the messages of the answer's language. A quote is kept only where
 * the answer does not already hold it; the notes say when it came from the cache or a fallback
 * engine (one that is not `engineName`).
 */
export function answerView(answer: Answer, m: Messages, engineName?: string): View {
  const text = answer.found ? answer.text : m.notInArticles;
  // The quote is in its article's language; a reader who asked in the other one is told so.
  const quotedIn = answer.found ? answer.citations[0]?.language : undefined;
  const notes = [
    ...(quotedIn !== undefined && quotedIn !== 'other' && answer.language !== 'other' && quotedIn !== answer.language ? [m.quotedFrom(quotedIn)] : []),
    ...(answer.cached ? [m.fromCache] : []),
    ...(engineName !== undefined && answer.engine !== engineName ? [m.fallbackNotice] : []),
  ];
  return {
    blocks: [
      {
        kind: 'answer',
        text,
        sourcesLabel: m.sources,
        alsoLabel: m.alsoReportedIn,
        citations: answer.citations.map((citation) => {
          const also = alsoReported(citation);
          return {
            articleId: citation.articleId,
            title: citation.title,
            ...(citation.url ? { url: citation.url } : {}),
            ...(text.includes(citation.quote) ? {} : { quote: citation.quote }),
            ...(also.length > 0 ? { also } : {}),
          };
        }),
        notes,
      },
    ],
    outcome: 'ok',
  };
}

/** The other reports of a cited story, named by outlet (the first report of each), without the cited article's own outlet. */
function alsoReported(citation: Answer['citations'][number]): { name: string; url?: string }[] {
  const own = storyOutlets([{ ...(citation.url ? { url: citation.url } : {}), postedBy: '' }]);
  const named = new Map<string, { name: string; url?: string }>();
  for (const source of citation.alsoIn ?? []) {
    const name = source.outlet ?? source.title;
    if (own.includes(name) || named.has(name)) continue;
    named.set(name, { name, ...(source.url ? { url: source.url } : {}) });
  }
  return [...named.values()];
}

/**
 * One page of the article list, `page` counted from 1, with buttons to the pages either side. A
 * page past the end says how many pages there are and offers the last one.
 */
export function articlePageView(listing: ArticlePage, page: number, m: Messages, pageSize = PAGE_SIZE): View {
  if (listing.total === 0) return textView(m.noArticlesYet);
  const pages = Math.ceil(listing.total / pageSize);
  const button = (label: string, to: number): Button => ({ label, command: 'articles', args: String(to) });
  if (listing.items.length === 0) {
    return { ...textView(m.noSuchPage(page, pages, listing.total), 'refused'), buttons: [button('‹', pages)] };
  }
  const from = listing.offset + 1;
  const to = listing.offset + listing.items.length;
  const buttons = [...(page > 1 ? [button('‹', Math.min(page - 1, pages))] : []), ...(to < listing.total ? [button('›', page + 1)] : [])];
  return {
    blocks: [
      { kind: 'title', text: m.articlesHeader(from, to, listing.total) },
      { kind: 'items', items: listing.items.map((item) => ({ id: item.id, text: storyLine(item), detail: `${item.postedAt.slice(0, 10)}  (${item.language})` })) },
    ],
    ...(buttons.length > 0 ? { buttons } : {}),
    outcome: 'ok',
  };
}

/** A story's line in the list: its title, and its outlets when more than its first article told it. */
function storyLine(story: ArticlePage['items'][number]): string {
  if (story.joined.length === 0) return story.title;
  const outlets = storyOutlets([story, ...story.joined]);
  // Pasted articles name no outlet; the count still says the story was told more than once.
  return outlets.length > 0 ? `${story.title} — ${outlets.join(', ')}` : `${story.title} (+${story.joined.length})`;
}

/** The admin's delivery figures: totals, subscribers, the engine's usage and the newest articles' counts. */
export function statusView(report: DeliveryReport, subscriptions: readonly Subscription[], m: Messages, usage?: EngineUsage): View {
  const active = subscriptions.filter((s) => s.active).length;
  const blocks: Block[] = [
    { kind: 'field', label: m.statusTitle, value: m.statusLine(report.pending, report.sent, report.failed, report.dead) },
    { kind: 'text', text: m.subscribersLine(active, subscriptions.length - active) },
    ...(usage ? [{ kind: 'text', text: m.usageLine(usage.requests, usage.promptTokens, usage.completionTokens) } as const] : []),
  ];
  if (report.byArticle.length > 0) {
    blocks.push({ kind: 'title', text: m.statusLatest });
    blocks.push({
      kind: 'items',
      // The store lists them oldest first; the newest article reads best at the top.
      items: [...report.byArticle].reverse().map((row) => ({ id: row.articleId, text: m.statusLine(row.pending, row.sent, row.failed, row.dead) })),
    });
  }
  return { blocks, outcome: 'ok' };
}
