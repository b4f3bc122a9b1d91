/**
 * Parsing of command arguments shared by every adapter, so `/subscribe digest 08:00 ar` means the
 * same on Telegram, Discord and the console.
 */
import { isDigestTime, type SubscribeOptions } from '../core/subscriptions.js';

/** A parsed `/subscribe` argument list, or what was wrong with it. */
export type SubscribeArgs = { readonly ok: true; readonly options: SubscribeOptions } | { readonly ok: false; readonly problem: string };

/** Parses `[each|digest HH:MM] [ar|en]` (in any order; `each` is the default). */
export function parseSubscribeArgs(text: string): SubscribeArgs {
  let mode: 'each' | 'digest' = 'each';
  let digestTime: string | undefined;
  let language: 'ar' | 'en' | undefined;
  for (const word of text.trim().split(/\s+/u).filter((w) => w !== '')) {
    const lower = word.toLowerCase();
    if (lower === 'each' || lower === 'كل') mode = 'each';
    else if (lower === 'digest' || lower === 'ملخص') mode = 'digest';
    else if (/^\d{1,2}:\d{2}$/u.test(lower)) digestTime = lower.padStart(5, '0');
    else if (lower === 'ar' || lower === 'en') language = lower;
    else return { ok: false, problem: word };
  }
  if (digestTime !== undefined && mode === 'each') mode = 'digest';
  if (mode === 'digest' && (digestTime === undefined || !isDigestTime(digestTime))) {
    return { ok: false, problem: digestTime ?? 'digest' };
  }
  return { ok: true, options: { mode, ...(digestTime ? { digestTime } : {}), ...(language ? { language } : {}) } };
}
