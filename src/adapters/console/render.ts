/**
 * How a delivery appears in the terminal: the console chat's summaries and digests.
 */
import type { DeliveryMessage } from '../../core/delivery/index.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';

/** A delivered summary or digest, as it appears in the console. */
export function renderDelivery(message: DeliveryMessage, language: UiLanguage): string {
  const m = messages(language);
  const block = (s: { title: string; articleId: string; sentences: readonly string[]; url?: string }) =>
    [`${s.title} [${s.articleId}]${s.url ? ` ${s.url}` : ''}`, ...s.sentences.map((line) => `• ${line}`)].join('\n');
  if (message.kind === 'article') return `📰 ${m.newArticle}: ${block(message.summary)}`;
  if (message.kind === 'follow-update') {
    const { answer } = message;
    return [`🔔 ${m.follows.updateTitle(answer.question)}`, answer.text, `${m.sources}:`, ...answer.citations.map((c) => `• ${c.title} [${c.articleId}]${c.url ? ` ${c.url}` : ''}`)].join('\n');
  }
  if (message.kind === 'update') return `🔗 ${m.alsoReportedBy(message.outlet)}: ${message.summary.title}${message.summary.url ? ` ${message.summary.url}` : ''}`;
  return [`📰 ${m.digestTitle}`, ...message.summaries.map(block)].join('\n\n');
}
