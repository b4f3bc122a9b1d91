/**
 * /subscribe and /unsubscribe: a chat's admins choose each article or a daily digest, and its
 * language; in a private chat an admin may name a channel they and the bot administer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSubscribeArgs } from '../../src/commands/subscribe.js';
import type { ChannelLookup } from '../../src/commands/types.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function services() {
  const s = await commandServices();
  stops.push(() => s.stop());
  return s;
}

describe('/subscribe arguments', () => {
  it.each([
    ['', { mode: 'each' }],
    ['each ar', { mode: 'each', language: 'ar' }],
    ['digest 08:00', { mode: 'digest', digestTime: '08:00' }],
    ['digest 7:30 en', { mode: 'digest', digestTime: '07:30', language: 'en' }],
    ['ملخص 21:15', { mode: 'digest', digestTime: '21:15' }],
    ['18:00', { mode: 'digest', digestTime: '18:00' }],
    ['updates', { mode: 'each', storyUpdates: true }],
    ['ar تحديثات', { mode: 'each', language: 'ar', storyUpdates: true }],
    ['headline previews on', { mode: 'each', format: 'headline', previews: true }],
    ['digest 08:00 full previews off', { mode: 'digest', digestTime: '08:00', format: 'full', previews: false }],
    ['عنوان معاينة نعم', { mode: 'each', format: 'headline', previews: true }],
    ['summary', { mode: 'each', format: 'summary' }],
    ['en headline previews on updates', { mode: 'each', language: 'en', format: 'headline', previews: true, storyUpdates: true }],
  ])('%j means %j', (text, options) => {
    expect(parseSubscribeArgs(text)).toEqual({ ok: true, options });
  });

  it.each([['digest'], ['digest 25:00'], ['hourly'], ['each fr'], ['previews'], ['previews maybe']])('refuses %j and names the word', (text) => {
    const parsed = parseSubscribeArgs(text);
    expect(parsed.ok).toBe(false);
  });
});

describe('/subscribe', () => {
  it('subscribes the chat to each article, or to a digest in its time zone, and explains words it does not know', async () => {
    const s = await services();
    const reader = asker({ chatId: '55' });
    expect(shown(await run(s, reader, 'subscribe'))).toBe('Subscribed: a summary of every new article will arrive here.');
    expect(await s.subscriptions!.get('telegram:55')).toMatchObject({ mode: 'each', active: true });
    expect(shown(await run(s, reader, 'subscribe', 'digest 7:30 ar'))).toBe('Subscribed: a digest of new articles will arrive here every day at 07:30 (UTC).');
    expect(await s.subscriptions!.get('telegram:55')).toMatchObject({ mode: 'digest', digestTime: '07:30', language: 'ar' });
    const bad = await run(s, reader, 'subscribe', 'tomorrow');
    expect(shown(bad)).toBe('I did not understand "tomorrow". Use /subscribe, /subscribe digest 08:00, or add ar or en for the language.');
    expect(bad.outcome).toBe('refused');
  });

  it('turns "also reported by" notes on with updates, says so, and off again when subscribing without it', async () => {
    const s = await services();
    const reader = asker({ chatId: '56' });
    expect(shown(await run(s, reader, 'subscribe', 'updates'))).toBe(
      'Subscribed: a summary of every new article will arrive here. When another outlet reports a story already sent here, one short "also reported by" note follows.',
    );
    expect(await s.subscriptions!.get('telegram:56')).toMatchObject({ mode: 'each', storyUpdates: true });
    await run(s, reader, 'subscribe');
    expect(await s.subscriptions!.get('telegram:56')).not.toHaveProperty('storyUpdates');
  });

  it('subscribes a forum topic on its own, beside its group, each with its format and previews', async () => {
    const s = await services();
    const group = asker({ chatId: '-1007' });
    const topic = { ...group, chat: { ...group.chat, ref: { ...group.chat.ref, kind: 'group' as const, threadId: '42' } } };
    await run(s, group, 'subscribe');
    expect(shown(await run(s, topic, 'subscribe', 'headline previews on'))).toBe('Subscribed: a summary of every new article will arrive here.');
    expect(await s.subscriptions!.get('telegram:-1007:42')).toMatchObject({ chatId: '-1007', threadId: '42', format: 'headline', previews: true });
    expect(await s.subscriptions!.get('telegram:-1007')).not.toHaveProperty('format');
    expect(shown(await run(s, topic, 'unsubscribe'))).toBe('Unsubscribed: no more summaries will arrive here.');
    expect((await s.subscriptions!.list()).map((x) => x.id)).toEqual(['telegram:-1007']);
  });

  it('subscribes the forum a Discord forum post belongs to, when told "forum", naming it', async () => {
    const s = await services();
    const post = asker({ platform: 'discord', chatId: '900' });
    const inForum = { ...post, chat: { ...post.chat, forum: { platform: 'discord', chatId: '800', kind: 'channel' as const, forum: true, name: '#desk' } } };
    expect(shown(await run(s, inForum, 'subscribe', 'forum each'))).toBe('#desk: Subscribed: a summary of every new article will arrive here.');
    expect(await s.subscriptions!.get('discord:800')).toMatchObject({ forum: true, kind: 'channel' });
    expect(await s.subscriptions!.get('discord:900')).toBeUndefined();
  });

  it('keeps a chat’s filters when it subscribes again with other options', async () => {
    const s = await services();
    const reader = asker({ chatId: '56' });
    await run(s, reader, 'subscribe');
    await run(s, reader, 'filter', 'include oil');
    await run(s, reader, 'subscribe', 'digest 08:00');
    expect(await s.subscriptions!.get('telegram:56')).toMatchObject({ mode: 'digest', filters: { include: ['oil'] } });
  });

  it('leaves a chat’s subscription to those who manage the chat', async () => {
    const s = await services();
    expect(shown(await run(s, asker({ managesChat: false }), 'subscribe'))).toBe('Only this chat’s admins can change its subscription.');
    expect(shown(await run(s, asker({ managesChat: false }), 'unsubscribe'))).toBe('Only this chat’s admins can change its subscription.');
    expect(await s.subscriptions!.list()).toEqual([]);
  });

  it('subscribes a channel named from a private chat once the surface has checked it, naming it in the answer', async () => {
    const s = await services();
    const lookups: Record<string, ChannelLookup> = {
      '@gone': { ok: false, reason: 'not-found', ref: '@gone' },
      '@theirs': { ok: false, reason: 'not-admin', ref: '@theirs' },
      '@mute': { ok: false, reason: 'bot-cannot-post', ref: '@mute' },
      '@news': { ok: true, chat: { platform: 'telegram', chatId: '-1001', kind: 'channel', name: 'Akhbar News' } },
    };
    const admin = asker({ findChannel: async (word) => lookups[word] });
    expect(shown(await run(s, admin, 'subscribe', '@gone'))).toBe('I cannot find the channel @gone.');
    expect(shown(await run(s, admin, 'subscribe', '@theirs'))).toBe('Only this chat’s admins can change its subscription.');
    expect(shown(await run(s, admin, 'subscribe', '@mute'))).toBe('Make the bot an admin of @mute with the right to post messages first.');
    expect(shown(await run(s, admin, 'subscribe', '@news ar'))).toBe('Akhbar News: Subscribed: a summary of every new article will arrive here.');
    expect(await s.subscriptions!.get('telegram:-1001')).toMatchObject({ kind: 'channel', language: 'ar' });
    expect(shown(await run(s, admin, 'unsubscribe', '@news'))).toMatch(/^Akhbar News: Unsubscribed/);
    // A word that names no channel is an ordinary argument.
    expect(shown(await run(s, admin, 'subscribe', 'each'))).toBe('Subscribed: a summary of every new article will arrive here.');
  });

  it('unsubscribes, and says when there was nothing to stop', async () => {
    const s = await services();
    await run(s, asker(), 'subscribe');
    expect(shown(await run(s, asker(), 'unsubscribe'))).toBe('Unsubscribed: no more summaries will arrive here.');
    expect(shown(await run(s, asker({ language: 'ar' }), 'unsubscribe'))).toBe('هذه المحادثة غير مشتركة.');
  });
});
