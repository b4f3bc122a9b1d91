/**
 * Notices for admins in words: the same plain text on every platform, which each sender escapes
 * for its own markup.
 */
import type { Notice } from '../core/delivery/types.js';
import { feedErrorText } from './errors.js';
import { messages, uiLanguage, type UiLanguage } from './messages.js';

/** The text of a notice, in its chat's language when known, else `fallback`. */
export function noticeText(notice: Notice, fallback: UiLanguage): string {
  const language = uiLanguage(notice.language, fallback);
  const m = messages(language);
  const { feed } = notice;
  const error = feed.paused?.error ?? feed.lastError;
  const why = error ? feedErrorText(error, language) : m.internalError;
  return m.feedPausedNotice(feed.id, feed.title ? `${feed.title} — ${feed.url}` : feed.url, feed.paused?.failures ?? feed.failures, why);
}
