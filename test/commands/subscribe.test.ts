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
  ])('%j means %j', (text, options) => {
    expect(parseSubscribeArgs(text)).toEqual({ ok: true, options });
  });

  it.each([['digest'], ['digest 25:00'], ['hourly'], ['each fr']])('refuses %j and names the word', (text) => {
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
