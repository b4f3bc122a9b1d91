import { run } from '@grammyjs/runner';
import { Bot, GrammyError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram } from './fakeTelegram.js';

let fake: FakeTelegram | undefined;
const bots: { bot: Bot; done: Promise<unknown> }[] = [];

async function setup(): Promise<{ fake: FakeTelegram; bot: Bot }> {
  fake = await startFakeTelegram();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  return { fake, bot };
}

/** Starts long polling without awaiting it; afterEach stops it. */
function startPolling(bot: Bot): void {
  const done = bot.start({ timeout: 1 }).catch((error: unknown) => error);
  bots.push({ bot, done });
}

afterEach(async () => {
  for (const { bot, done } of bots.splice(0)) {
    if (bot.isRunning()) await bot.stop();
    await done;
  }
  await fake?.close();
  fake = undefined;
});

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('fake Telegram Bot API', () => {
  it('runs a real grammY bot: /start is answered through long polling', async () => {
    const { fake, bot } = await setup();
    bot.command('start', (ctx) => ctx.reply('hi'));
    startPolling(bot);

    const update = fake.pushMessage({ text: '/start', fromId: 77 });
    expect(update.message).toMatchObject({ entities: [{ type: 'bot_command', offset: 0, length: 6 }], chat: { id: 77, type: 'private' } });
    await fake.waitFor((sent) => sent.some((s) => s.text === 'hi'));

    expect(fake.sent).toEqual([
      expect.objectContaining({ method: 'sendMessage', chatId: '77', text: 'hi', messageId: expect.any(Number) as number }),
    ]);
    const methods = fake.calls.map((c) => c.method);
    expect(methods.slice(0, 3).sort()).toEqual(['deleteWebhook', 'getMe', 'getUpdates']);
    const polls = fake.calls.filter((c) => c.method === 'getUpdates').map((c) => c.payload);
    expect(polls[0]).toEqual({ offset: 1, timeout: 1, allowed_updates: [] });
    await fake.drained();
    expect(fake.calls.filter((c) => c.method === 'getUpdates').at(-1)?.payload).toMatchObject({ offset: 2, timeout: 1 });
  });

  it('matches /command@username in groups', async () => {
    const { fake, bot } = await setup();
    bot.command('start', (ctx) => ctx.reply(`hi ${ctx.chat.type}`));
    startPolling(bot);
    const update = fake.pushMessage({ text: `/start@${fake.botInfo.username} now`, chatType: 'supergroup', chatTitle: 'News' });
    expect(update.message).toMatchObject({ entities: [{ length: 7 + fake.botInfo.username.length }], chat: { type: 'supergroup', title: 'News' } });
    await fake.waitFor((sent) => sent.some((s) => s.text === 'hi supergroup'));
  });

  it('delivers an update once: the offset confirms it', async () => {
    const { fake, bot } = await setup();
    let seen = 0;
    bot.on('message', () => {
      seen += 1;
    });
    const first = fake.pushMessage({ text: 'hello' });
    // Without an offset the update is delivered again and again.
    expect(await bot.api.getUpdates()).toHaveLength(1);
    expect(await bot.api.getUpdates()).toHaveLength(1);
    // Confirming it drops it.
    expect(await bot.api.getUpdates({ offset: (first.update_id as number) + 1 })).toEqual([]);

    startPolling(bot);
    fake.pushMessage({ text: 'one' });
    await fake.drained();
    fake.pushMessage({ text: 'two' });
    await fake.drained();
    expect(seen).toBe(2);
  });

  it('works with @grammyjs/runner and honours allowed_updates', async () => {
    const { fake, bot } = await setup();
    const seen: string[] = [];
    bot.on('message:text', (ctx) => ctx.reply(`echo ${ctx.message.text}`));
    bot.on('callback_query', () => {
      seen.push('callback');
    });
    fake.pushMessage({ text: 'before start' });
    const runner = run(bot, { runner: { fetch: { allowed_updates: ['message'], timeout: 1 } } });
    try {
      await fake.waitFor((sent) => sent.some((s) => s.text === 'echo before start'));
      fake.pushUpdate({ callback_query: { id: 'q', from: { id: 1, is_bot: false, first_name: 'U' }, chat_instance: 'c', data: 'x' } });
      fake.pushMessage({ text: 'after' });
      await fake.waitFor((sent) => sent.some((s) => s.text === 'echo after'));
      await fake.drained();
      expect(seen).toEqual([]);
      await expect(fake.waitFor(() => false, 20)).rejects.toThrow(/update \d+ \(callback_query\) dropped: not in allowed_updates/);
      expect(fake.calls.find((c) => c.method === 'getUpdates')?.payload).toEqual({ timeout: 1, allowed_updates: ['message'], offset: 0, limit: 100 });
    } finally {
      await runner.stop();
    }
  });

  it('holds a long poll until an update arrives, and close() releases a pending one', async () => {
    const { fake, bot } = await setup();
    const t0 = Date.now();
    const polling = bot.api.getUpdates({ timeout: 10 });
    setTimeout(() => fake.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'x' } }), 100);
    const updates = await polling;
    expect(updates).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(1000);

    expect(await bot.api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 0 })).toEqual([]);

    const t1 = Date.now();
    const pending = bot.api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    await fake.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - t1).toBeLessThan(1000);
  });

  it('answers a scripted 429 with retry_after, then answers normally', async () => {
    const { fake, bot } = await setup();
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }, { chatId: 5 });
    // Another chat is not affected.
    await bot.api.sendMessage(6, 'other');
    const error = await bot.api.sendMessage(5, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect((error as GrammyError).parameters.retry_after).toBe(7);
    await bot.api.sendMessage(5, 'y');
    expect(fake.sent.map((s) => `${s.chatId}:${s.text}`)).toEqual(['6:other', '5:y']);
  });

  it('refuses what Telegram refuses', async () => {
    const { fake, bot } = await setup();
    const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as GrammyError);

    const tooLong = await refusal(bot.api.sendMessage(1, 'a'.repeat(4097)));
    expect(tooLong).toMatchObject({ error_code: 400, description: 'Bad Request: message is too long' });
    const empty = await refusal(bot.api.sendMessage(1, '  '));
    expect(empty).toMatchObject({ error_code: 400, description: 'Bad Request: message text is empty' });
    const broken = await refusal(bot.api.sendMessage(1, '<b>bold</i>', { parse_mode: 'HTML' }));
    expect(broken).toMatchObject({ error_code: 400 });
    expect(broken?.description).toMatch(/^Bad Request: can't parse entities: /);
    const br = await refusal(bot.api.sendMessage(1, 'a<br>b', { parse_mode: 'HTML' }));
    expect(br?.description).toMatch(/Unsupported start tag "br"/);
    const bare = await refusal(bot.api.sendMessage(1, 'Q&A', { parse_mode: 'HTML' }));
    expect(bare?.description).toMatch(/can't parse entities/);

    // Tags and entities do not count towards the 4096 limit.
    const long = `<b>${'&lt;'.repeat(4000)}</b><a href="https://x.test/?a=1&amp;b=2">${'x'.repeat(96)}</a>`;
    const message = await bot.api.sendMessage(1, long, { parse_mode: 'HTML' });
    expect(message.text).toHaveLength(4096);
    expect(fake.sent).toEqual([expect.objectContaining({ text: long, parseMode: 'HTML' })]);

    // Editing to identical content is refused, like Telegram does.
    await bot.api.editMessageText(1, message.message_id, 'new');
    const same = await refusal(bot.api.editMessageText(1, message.message_id, 'new'));
    expect(same?.description).toMatch(/^Bad Request: message is not modified/);
    expect(fake.sent.map((s) => s.method)).toEqual(['sendMessage', 'editMessageText']);
  });

  it('answers getChat and getChatMember as set, and 401/404 for bad routes', async () => {
    const { fake, bot } = await setup();
    fake.setChat('@news', { id: -1001234, type: 'channel', title: 'News', username: 'news' });
    expect(await bot.api.getChat('@news')).toMatchObject({ id: -1001234, type: 'channel' });
    expect(await bot.api.getChat(-1001234)).toMatchObject({ username: 'news' });
    await expect(bot.api.getChat('@nope')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });

    expect(await bot.api.getChatMember(-1001234, 9)).toEqual({ status: 'member', user: { id: 9, is_bot: false, first_name: 'U' } });
    fake.setChatMember(-1001234, 9, { status: 'administrator', can_post_messages: true });
    expect(await bot.api.getChatMember(-1001234, 9)).toMatchObject({ status: 'administrator', user: { id: 9 } });

    expect(await post(`${fake.apiRoot}/botWRONG/getMe`, {})).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await post(`${fake.apiRoot}/bot${fake.token}/frobnicate`, {})).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'chat_id=3&text=form',
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { chat: { id: 3 }, text: 'form' } });
  });

  it('pushes channel posts and reports what was sent when waitFor times out', async () => {
    const { fake, bot } = await setup();
    bot.on('channel_post', (ctx) => ctx.reply(`seen ${ctx.channelPost.text ?? ''}`));
    startPolling(bot);
    fake.pushChannelPost({ text: 'breaking', chatId: -1005, username: 'chan' });
    await fake.waitFor((sent) => sent.some((s) => s.chatId === '-1005'));
    await expect(fake.waitFor((sent) => sent.length > 5, 50)).rejects.toThrow(/sendMessage chat=-1005 .*"seen breaking"/);
  });
});

describe('parseTelegramHtml', () => {
  it('returns the visible text', () => {
    expect(parseTelegramHtml('<b>a</b> &lt;&amp;&gt; &quot;<a href="x?a=1&amp;b">l</a> &#1575;<tg-spoiler>s</tg-spoiler>')).toBe('a <&> "l ا' + 's');
  });
  it.each(['<b>', '</b>', '<b><i>x</b></i>', 'a < b', '<p>x</p>', 'R&D'])('refuses %s', (html) => {
    expect(() => parseTelegramHtml(html)).toThrow(/can't parse entities/);
  });
});
