/**
 * Which subscription a chat-admin command (/subscribe, /unsubscribe, /filter) is about: a channel
 * an admin names from a private chat, the forum a Discord forum post belongs to, or else the chat
 * (or forum topic, or thread) the command came from.
 */
import type { ChatRef } from '../core/subscriptions.js';
import { messages, type Messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { ChannelLookup, CommandContext, OptionSpec, View } from './types.js';

// The word that points a command at the forum a post is in rather than at the post's own thread.
const FORUM_WORDS = new Set(['forum', 'منتدى']);

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

/** The option that points a command at a forum (Discord, where words come from options): declared first, so its word comes first. */
export const WHERE_OPTION: OptionSpec = { name: 'where', type: 'string', describe: (m) => m.options.where, choices: [{ name: 'forum', value: 'forum' }] };

/**
 * The chat a command is for, taking its first word off `words` when that word names it: a channel
 * (checked), or `forum` in a post of a forum channel; else the chat it came from.
 */
export async function targetOf(words: string[], ctx: CommandContext): Promise<{ chat: ChatRef } | { refused: View }> {
  const first = words[0];
  if (first !== undefined && ctx.chat.forum && FORUM_WORDS.has(first.toLowerCase())) {
    words.shift();
    return { chat: ctx.chat.forum };
  }
  const named = first === undefined ? undefined : await ctx.chat.findChannel?.(first);
  if (named === undefined) return { chat: ctx.chat.ref };
  if (!named.ok) return { refused: lookupRefusal(named, messages(ctx.language)) };
  words.shift();
  return { chat: named.chat };
}

/** `text`, naming the chat first when it is another than the one asking (a channel, a forum). */
export function about(chat: ChatRef, ctx: CommandContext, text: string): string {
  const same = chat.chatId === ctx.chat.ref.chatId && chat.threadId === ctx.chat.ref.threadId;
  return same ? text : `${chat.name ?? chat.chatId}: ${text}`;
}
