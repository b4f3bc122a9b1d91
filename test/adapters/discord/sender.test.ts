/**
 * The Discord delivery sender: every REST failure as a delivery outcome, and rate limits handed to
 * the delivery engine's own pacing instead of being waited out inside discord.js.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { discordSender } from '../../../src/adapters/discord/index.js';
import { classifyDiscordError } from '../../../src/adapters/discord/sender.js';
import { startFakeDiscord } from '../../support/fakeDiscord.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

const rateLimit = (global: boolean, retryAfter: number) =>
  new RateLimitError({
    timeToReset: retryAfter,
    limit: 5,
    method: 'POST',
    hash: 'h',
    url: 'https://discord.com/api/v10/channels/1/messages',
    route: '/channels/:id/messages',
    majorParameter: '1',
    global,
    retryAfter,
    sublimitTimeout: 0,
    scope: global ? 'global' : 'user',
  });
const apiError = (code: number, status: number, message: string) =>
  new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: undefined, files: undefined });

describe('Discord errors as delivery outcomes', () => {
  it.each([
    ['a route rate limit', rateLimit(false, 1_250), { kind: 'rate-limited', retryAfterMs: 1_250, scope: 'chat' }],
    ['the global rate limit', rateLimit(true, 800), { kind: 'rate-limited', retryAfterMs: 800, scope: 'global' }],
    ['Unknown Channel', apiError(10003, 404, 'Unknown Channel'), { kind: 'chat-gone', reason: '10003 Unknown Channel' }],
    ['Missing Access', apiError(50001, 403, 'Missing Access'), { kind: 'chat-gone', reason: '50001 Missing Access' }],
    ['Missing Permissions', apiError(50013, 403, 'Missing Permissions'), { kind: 'chat-gone', reason: '50013 Missing Permissions' }],
    ['a 429 without its headers', apiError(0, 429, 'You are being rate limited.'), { kind: 'rate-limited', retryAfterMs: 1_000 }],
    ['a server error', apiError(0, 502, 'Bad Gateway'), { kind: 'transient', error: '502 Bad Gateway' }],
    ['a refused message', apiError(50035, 400, 'Invalid Form Body'), { kind: 'rejected', error: '400 Invalid Form Body' }],
  ])('%s', (_name, error, outcome) => {
    expect(classifyDiscordError(error)).toEqual(outcome);
  });

  it('treats an HTTP failure and a network failure as transient', () => {
    expect(classifyDiscordError(new HTTPError(503, 'Service Unavailable', 'POST', 'https://x', { body: undefined, files: undefined })).kind).toBe('transient');
    expect(classifyDiscordError(new Error('socket hang up'))).toEqual({ kind: 'transient', error: 'socket hang up' });
  });
});

describe('the Discord sender', () => {
  it('hands a 429 to the delivery engine with its wait, instead of retrying it inside discord.js', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const sender = discordSender({ token: fake.token, restApi: fake.restApi, defaultLanguage: 'en' });
    fake.failRest(/^POST \/channels\/\d+\/messages$/, 429, { message: 'You are being rate limited.', retry_after: 0.4, global: false });
    const message = { kind: 'article' as const, summary: { articleId: 'a1', title: 'Title', language: 'en' as const, sentences: ['One.'] } };
    const outcome = await sender.send({ platform: 'discord', chatId: fake.channelId, kind: 'channel' }, message);
    expect(outcome).toMatchObject({ kind: 'rate-limited', scope: 'chat' });
    expect(outcome.kind === 'rate-limited' && outcome.retryAfterMs).toBeGreaterThanOrEqual(400);
    expect(fake.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages/.test(c.path))).toHaveLength(1);
    expect(fake.channelMessages).toHaveLength(0);
  });

  it('sends a delivery as a channel message that pings no one', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const sender = discordSender({ token: fake.token, restApi: fake.restApi, defaultLanguage: 'en' });
    const message = { kind: 'article' as const, summary: { articleId: 'a1', title: 'Title @everyone', language: 'en' as const, sentences: ['One.'] } };
    expect(await sender.send({ platform: 'discord', chatId: fake.channelId, kind: 'channel' }, message)).toEqual({ kind: 'sent' });
    expect(fake.channelMessages[0]!.body).toMatchObject({ content: '📰 New article', allowed_mentions: { parse: [] } });
  });

  it('opens a post per delivery in a forum channel, named after the article, and writes into a thread like a channel', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const sender = discordSender({ token: fake.token, restApi: fake.restApi, defaultLanguage: 'en' });
    const message = { kind: 'article' as const, summary: { articleId: 'a1', title: 'Port reopens', language: 'en' as const, sentences: ['One.'] } };
    expect(await sender.send({ platform: 'discord', chatId: fake.forumId, kind: 'channel', forum: true }, message)).toEqual({ kind: 'sent' });
    expect(fake.forumPosts).toEqual([{ forumId: fake.forumId, name: 'Port reopens', message: expect.objectContaining({ content: '📰 New article' }), at: expect.any(Number) }]);
    expect(await sender.send({ platform: 'discord', chatId: fake.threadId, kind: 'channel' }, message)).toEqual({ kind: 'sent' });
    expect(fake.channelMessages.map((m) => m.channelId)).toEqual([fake.threadId]);
    // Without the forum mark, a forum refuses the message: what a forum subscription would meet otherwise.
    expect(await sender.send({ platform: 'discord', chatId: fake.forumId, kind: 'channel' }, message)).toMatchObject({ kind: 'rejected' });
  });
});
