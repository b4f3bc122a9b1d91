/**
 * What only Telegram can tell the command layer about a chat: who manages it (chat admins, an
 * anonymous admin writing as the group, anyone in a private chat or a channel's own posts), and
 * which channel an admin names from a private chat.
 */
import type { ChannelLookup, ChatSurface, CommandContext } from '../../commands/types.js';
import type { ChatKind, ChatRef } from '../../core/subscriptions.js';
import type { AkhbarContext } from './context.js';

// Telegram's user id for "Group Anonymous Bot": messages of anonymous group admins come from it.
const ANONYMOUS_ADMIN_ID = 1087968824;
const ADMIN_CACHE_MS = 60_000;
const CHANNEL_REF = /^(@\w{4,}|-100\d+)$/u;

/** Who was found to administer which chat, for a minute, so a busy group is not asked every time. */
export type AdminCache = Map<string, { readonly admin: boolean; readonly until: number }>;

/**
 * The forum topic an update was written in, or undefined outside one. Only a topic message counts:
 * in a group without topics, message_thread_id is a reply thread, which is not a place to subscribe.
 */
export function topicOf(ctx: AkhbarContext): number | undefined {
  const msg = ctx.msg;
  return msg?.is_topic_message && msg.message_thread_id !== undefined ? msg.message_thread_id : undefined;
}

function chatRef(ctx: AkhbarContext): ChatRef {
  const chat = ctx.chat!;
  const kind: ChatKind = chat.type === 'private' ? 'private' : chat.type === 'channel' ? 'channel' : 'group';
  const name = 'title' in chat ? chat.title : 'username' in chat ? chat.username : undefined;
  const topic = topicOf(ctx);
  return { platform: 'telegram', chatId: String(chat.id), kind, ...(name ? { name } : {}), ...(topic !== undefined ? { threadId: String(topic) } : {}) };
}

async function isChatAdmin(ctx: AkhbarContext, cache: AdminCache): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat) return false;
  if (chat.type === 'private' || chat.type === 'channel') return true;
  const from = ctx.from;
  if (!from) return false;
  // An anonymous admin writes as the group itself.
  if (from.id === ANONYMOUS_ADMIN_ID && ctx.msg?.sender_chat?.id === chat.id) return true;
  const key = `${chat.id}:${from.id}`;
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.admin;
  const member = await ctx.api.getChatMember(chat.id, from.id);
  const admin = member.status === 'creator' || member.status === 'administrator';
  cache.set(key, { admin, until: Date.now() + ADMIN_CACHE_MS });
  return admin;
}

/** A channel named in a private chat, once both the asker and the bot are shown to be its admins. */
async function findChannel(ctx: AkhbarContext, ref: string): Promise<ChannelLookup | undefined> {
  if (ctx.chat?.type !== 'private' || !ctx.from || !CHANNEL_REF.test(ref)) return undefined;
  const chat = await ctx.api.getChat(ref).catch(() => undefined);
  if (!chat || chat.type !== 'channel') return { ok: false, reason: 'not-found', ref };
  const user = await ctx.api.getChatMember(chat.id, ctx.from.id).catch(() => undefined);
  if (!user || (user.status !== 'creator' && user.status !== 'administrator')) return { ok: false, reason: 'not-admin', ref };
  const me = await ctx.api.getChatMember(chat.id, ctx.me.id).catch(() => undefined);
  if (!me || me.status !== 'administrator' || !me.can_post_messages) return { ok: false, reason: 'bot-cannot-post', ref };
  return { ok: true, chat: { platform: 'telegram', chatId: String(chat.id), kind: 'channel', ...(chat.title ? { name: chat.title } : {}) } };
}

/** The chat surface of an update. */
export function chatSurface(ctx: AkhbarContext, cache: AdminCache): ChatSurface {
  return { ref: chatRef(ctx), canManage: () => isChatAdmin(ctx, cache), findChannel: (word) => findChannel(ctx, word) };
}

/** The command context of an update: its asker, on Telegram, in its chat. */
export function commandContext(ctx: AkhbarContext, cache: AdminCache): CommandContext {
  return { platform: 'telegram', actor: ctx.asker.actor, language: ctx.asker.language, chat: chatSurface(ctx, cache) };
}
