/**
 * /subscribe and /unsubscribe: a chat (or a channel an admin names from a private chat) receives
 * the summary of every new article, or a daily digest, in the language it asks for.
 */
import { isDigestTime, type ChatRef, type SubscribeOptions } from '../core/subscriptions.js';
import { messages, type Messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { ChannelLookup, Command, CommandContext, View } from './types.js';

/** A parsed `/subscribe` argument list, or the word that was not understood. */
export type SubscribeArgs = { readonly ok: true; readonly options: SubscribeOptions } | { readonly ok: false; readonly problem: string };

/**
 * Parses `[each|digest HH:MM] [ar|en] [updates]` (in any order; `each` is the default; كل and ملخص
 * are each and digest, تحديثات is updates: "also reported by" notes, off unless asked for).
 */
export function parseSubscribeArgs(text: string): SubscribeArgs {
  let mode: 'each' | 'digest' = 'each';
  let digestTime: string | undefined;
  let language: 'ar' | 'en' | undefined;
  let storyUpdates = false;
  for (const word of text.trim().split(/\s+/u).filter((w) => w !== '')) {
    const lower = word.toLowerCase();
    if (lower === 'each' || lower === 'كل') mode = 'each';
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
  return { ok: true, options: { mode, ...(digestTime ? { digestTime } : {}), ...(language ? { language } : {}), ...(storyUpdates ? { storyUpdates } : {}) } };
}

function lookupRefusal(lookup: Extract<ChannelLookup, { ok: false }>, m: Messages): View {
  switch (lookup.reason) {
    case 'not-found':
      return textView(m.channelNotFound(lookup.ref), 'refused');
    case 'not-admin':
      return textView(m.chatAdminsOnly, 'refused');
    case 'bot-cannot-post':
      return textView(m.botCannotPost(lookup.ref), 'refused');
  }
}

/** The chat a command is for: a channel named by the first word (checked), else the chat it came from. */
async function targetOf(words: string[], ctx: CommandContext): Promise<{ chat: ChatRef } | { refused: View }> {
  const named = words[0] === undefined ? undefined : await ctx.chat.findChannel?.(words[0]);
  if (named === undefined) return { chat: ctx.chat.ref };
  if (!named.ok) return { refused: lookupRefusal(named, messages(ctx.language)) };
  words.shift();
  return { chat: named.chat };
}

// Said about another chat than the one asking, the answer names it.
function about(chat: ChatRef, ctx: CommandContext, text: string): string {
  return chat.chatId === ctx.chat.ref.chatId ? text : `${chat.name ?? chat.chatId}: ${text}`;
}

/** The /subscribe command. */
export const subscribe: Command = {
  name: 'subscribe',
  aliases: { arabic: 'اشترك' },
  right: 'chat-admin',
  needs: ['subscriptions'],
  options: [
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
  options: [],
  menu: (m) => m.menu.unsubscribe,
  help: (m) => [m.helpLine('/unsubscribe', '', m.helpText.unsubscribe)],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const target = await targetOf(input.text.trim().split(/\s+/u).filter((w) => w !== ''), ctx);
    if ('refused' in target) return target.refused;
    return textView(about(target.chat, ctx, (await services.subscriptions!.unsubscribe(target.chat)) ? m.unsubscribed : m.notSubscribed));
  },
};
