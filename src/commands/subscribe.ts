/**
 * /subscribe and /unsubscribe: a chat (or a channel an admin names from a private chat) receives
 * the summary of every new article, or a daily digest, in the language it asks for.
 */
import { isDigestTime, type DeliveryFormat, type SubscribeOptions } from '../core/subscriptions.js';
import { messages } from '../i18n/messages.js';
import { about, targetOf, WHERE_OPTION } from './target.js';
import { textView } from './views.js';
import type { Command } from './types.js';

/** A parsed `/subscribe` argument list, or the word that was not understood. */
export type SubscribeArgs = { readonly ok: true; readonly options: SubscribeOptions } | { readonly ok: false; readonly problem: string };

// The delivery formats by the words that ask for them (ملخص already means a digest, so موجز is the summary).
const FORMAT_WORDS: Readonly<Record<string, DeliveryFormat>> = { summary: 'summary', headline: 'headline', full: 'full', موجز: 'summary', عنوان: 'headline', كامل: 'full' };
const PREVIEW_WORDS = new Set(['previews', 'preview', 'معاينة']);
const SWITCH_WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, نعم: true, لا: false };

/**
 * Parses `[each|digest HH:MM] [ar|en] [summary|headline|full] [previews on|off] [updates]` (in any
 * order; `each`, `summary` and previews off are the defaults; كل and ملخص are each and digest,
 * تحديثات is updates: "also reported by" notes, off unless asked for).
 */
export function parseSubscribeArgs(text: string): SubscribeArgs {
  let mode: 'each' | 'digest' = 'each';
  let digestTime: string | undefined;
  let language: 'ar' | 'en' | undefined;
  let format: DeliveryFormat | undefined;
  let previews: boolean | undefined;
  let storyUpdates = false;
  const words = text.trim().split(/\s+/u).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    if (PREVIEW_WORDS.has(lower)) {
      const value = SWITCH_WORDS[words[i + 1]?.toLowerCase() ?? ''];
      if (value === undefined) return { ok: false, problem: words[i + 1] ?? word };
      previews = value;
      i++;
    } else if (FORMAT_WORDS[lower] !== undefined) format = FORMAT_WORDS[lower];
    else if (lower === 'each' || lower === 'كل') mode = 'each';
    else if (lower === 'digest' || lower === 'ملخص') mode = 'digest';
    else if (/^\d{1,2}:\d{2}$/u.test(lower)) digestTime = lower.padStart(5, '0');
    else if (lower === 'ar' || lower === 'en') language = lower;
    else if (lower === 'updates' || lower === 'تحديثات') storyUpdates = true;
    else return { ok: false, problem: word };
  }
  if (digestTime !== undefined && mode === 'each') mode = 'digest';
  if (mode === 'digest' && (digestTime === undefined || !isDigestTime(digestTime))) {
    return { ok: false, problem: digestTime ?? 'digest' };
  }
  return {
    ok: true,
    options: {
      mode,
      ...(digestTime ? { digestTime } : {}),
      ...(language ? { language } : {}),
      ...(format ? { format } : {}),
      ...(previews !== undefined ? { previews } : {}),
      ...(storyUpdates ? { storyUpdates } : {}),
    },
  };
}

/** The /subscribe command. */
export const subscribe: Command = {
  name: 'subscribe',
  aliases: { arabic: 'اشترك' },
  right: 'chat-admin',
  needs: ['subscriptions'],
  options: [
    WHERE_OPTION,
    {
      name: 'mode',
      type: 'string',
      describe: (m) => m.options.mode,
      choices: [
        { name: 'each', value: 'each' },
        { name: 'digest', value: 'digest' },
      ],
    },
    { name: 'time', type: 'string', describe: (m) => m.options.time },
    {
      name: 'lang',
      type: 'string',
      describe: (m) => m.options.language,
      choices: [
        { name: 'العربية', value: 'ar' },
        { name: 'English', value: 'en' },
      ],
    },
    {
      name: 'format',
      type: 'string',
      describe: (m) => m.options.format,
      choices: [
        { name: 'summary', value: 'summary' },
        { name: 'headline', value: 'headline' },
        { name: 'full', value: 'full' },
      ],
    },
    {
      name: 'previews',
      type: 'string',
      describe: (m) => m.options.previews,
      // Two words each, as the text surfaces take them: the options reach the parser as words.
      choices: [
        { name: 'on', value: 'previews on' },
        { name: 'off', value: 'previews off' },
      ],
    },
    { name: 'updates', type: 'string', describe: (m) => m.options.updates, choices: [{ name: 'also reported by', value: 'updates' }] },
  ],
  menu: (m) => m.menu.subscribe,
  help: (m, platform) => [...m.help.subscribe(platform), m.subscribeUpdatesHelp],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const words = input.text.trim().split(/\s+/u).filter((w) => w !== '');
    const target = await targetOf(words, ctx);
    if ('refused' in target) return target.refused;
    const parsed = parseSubscribeArgs(words.join(' '));
    if (!parsed.ok) return textView(m.badSubscribeArgs(parsed.problem), 'refused');
    const subscription = await services.subscriptions!.subscribe(target.chat, { ...parsed.options, timeZone: services.timeZone }, new Date());
    const text = subscription.mode === 'digest' ? m.subscribedDigest(subscription.digestTime!, subscription.timeZone!) : m.subscribedEach;
    return textView(about(target.chat, ctx, subscription.storyUpdates ? `${text} ${m.subscribedStoryUpdates}` : text));
  },
};

/** The /unsubscribe command. */
export const unsubscribe: Command = {
  name: 'unsubscribe',
  aliases: { arabic: 'إلغاء_الاشتراك' },
  right: 'chat-admin',
  needs: ['subscriptions'],
  options: [WHERE_OPTION],
  menu: (m) => m.menu.unsubscribe,
  help: (m) => [m.helpLine('/unsubscribe', '', m.helpText.unsubscribe)],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const target = await targetOf(input.text.trim().split(/\s+/u).filter((w) => w !== ''), ctx);
    if ('refused' in target) return target.refused;
    return textView(about(target.chat, ctx, (await services.subscriptions!.unsubscribe(target.chat)) ? m.unsubscribed : m.notSubscribed));
  },
};
