/**
 * The Telegram bot's handlers, update by update: `bot.handleUpdate` with `botInfo` set and an API
 * transformer that records each call and answers it, so no request leaves the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.js';
import { createLogger, silentLogger, type Logger } from '../../../src/core/logger.js';
import { distinctArticle, sampleArticle } from '../../support/fixtures.js';
import { startCore } from '../../support/services.js';
import { fakeSender } from '../../support/fakeSender.js';

const ADMIN = 1;
const READER = 2;
const botInfo = {
  id: 4242,
  is_bot: true,
  first_name: 'Akhbar',
  username: 'akhbar_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
} as UserFromGetMe;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

/** A bot over a fresh core whose API calls are recorded and answered here. */
async function handlerBot(options: { logger?: Logger; failOnce?: string; members?: Record<string, string>; storeUrl?: string; owner?: string } = {}) {
  const core = await startCore({
    adminId: `telegram:${ADMIN}`,
    sender: fakeSender('telegram'),
    limits: { perSecond: 1000, chatIntervalMs: { private: 0, group: 0, channel: 0 } },
    ...(options.storeUrl ? { storeUrl: options.storeUrl } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
  });
  stops.push(() => core.delivery.stop(), () => core.sources.stop());
  if (options.storeUrl) stops.push(() => core.desk.close(), () => core.storage.close());
  const bot = createTelegramBot({
    token: '4242:TEST',
    botInfo,
    desk: core.desk,
    subscriptions: core.subscriptions,
    delivery: core.delivery,
    sources: core.sources,
    lastAnswers: core.lastAnswers,
    defaultLanguage: 'en',
    timeZone: 'UTC',
    maxArticleChars: core.maxArticleChars,
    logger: options.logger ?? silentLogger,
  });
  const calls: Call[] = [];
  let failOnce = options.failOnce;
  let messageId = 100;
  const recorder: Transformer = async (_prev, method, payload) => {
    const body = payload as Record<string, unknown>;
    calls.push({ method, payload: body });
    const ok = (result: unknown) => ({ ok: true as const, result }) as never;
    if (method === failOnce) {
      failOnce = undefined;
      return { ok: false, error_code: 400, description: 'Bad Request: scripted failure' } as never;
    }
    switch (method) {
      case 'sendMessage':
      case 'editMessageText':
        return ok({ message_id: messageId++, date: 0, chat: { id: body['chat_id'], type: 'private' }, text: body['text'] });
      case 'getChatMember': {
        const status = options.members?.[`${String(body['chat_id'])}:${String(body['user_id'])}`] ?? 'member';
        return ok({ status, user: { id: body['user_id'], is_bot: false, first_name: 'U' } });
      }
      default:
        return ok(true);
    }
  };
  bot.api.config.use(recorder);
  let updateId = 1;
  const send = async (update: Record<string, unknown>) => bot.handleUpdate({ update_id: updateId++, ...update });
  const message = (text: string, o: { from?: number; chat?: number; chatType?: string; languageCode?: string; extra?: Record<string, unknown> } = {}) => {
    const from = o.from ?? READER;
    const command = /^\/[A-Za-z0-9_]+(@\w+)?/u.exec(text);
    return send({
      message: {
        message_id: updateId,
        date: 0,
        chat: { id: o.chat ?? from, type: o.chatType ?? 'private', ...(o.chatType && o.chatType !== 'private' ? { title: 'Readers' } : {}) },
        from: { id: from, is_bot: false, first_name: 'U', ...(o.languageCode ? { language_code: o.languageCode } : {}) },
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        ...o.extra,
      },
    });
  };
  const replies = (chat?: number) =>
    calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && (chat === undefined || c.payload['chat_id'] === chat)).map((c) => String(c.payload['text']));
  return { bot, core, calls, send, message, replies };
}

describe('Telegram webhooks behind a load balancer', () => {
  it('serve a chat from any instance: what one stored, another answers from, lists and unsubscribes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'akhbar-lb-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const storeUrl = `sqlite://${join(dir, 'akhbar.sqlite')}`;
    // Two instances on one database; each update goes to one of them, as a round-robin proxy sends it.
    const one = await handlerBot({ storeUrl, owner: 'one' });
    const two = await handlerBot({ storeUrl, owner: 'two' });
    await one.message(`/post ${sampleArticle('en-flood-barrier.txt')}`, { from: ADMIN });
    expect(one.replies(ADMIN).join('\n')).toMatch(/^Stored/u);
    await one.message('/subscribe');
    expect((await two.core.subscriptions.list()).map((s) => s.chatId)).toEqual([String(READER)]);

    // Answering needs the other instance's search index to have read the change: within a poll.
    await expect
      .poll(
        async () => {
          await two.message('How long did the Marlow Bay flood barrier take to build?');
          return two.replies(READER).at(-1) ?? '';
        },
        { timeout: 3_000, interval: 200 },
      )
      .toMatch(/six years/iu);
    await two.message('/articles');
    expect(two.replies(READER).at(-1)).toMatch(/flood barrier/iu);
    await two.message('/unsubscribe');
    expect((await one.core.subscriptions.list()).filter((s) => s.active)).toEqual([]);
  });
});

describe('Telegram handlers', () => {
  it('tells an admin who sends /post alone the ways to post on Telegram', async () => {
    const { message, replies } = await handlerBot();
    await message('/post', { from: ADMIN });
    expect(replies(ADMIN)).toEqual([
      'To post an article, send it after the command (/post &lt;text&gt;), reply /post to a message that holds it, send a .txt file with /post as its caption, or send /post &lt;link&gt;.',
    ]);
  });

  it('refuses a file too large for an article by its real size in bytes, without downloading it', async () => {
    const { message, replies, calls, core } = await handlerBot();
    await message('', {
      from: ADMIN,
      extra: {
        text: undefined,
        caption: '/post',
        caption_entities: [{ type: 'bot_command', offset: 0, length: 5 }],
        document: { file_id: 'big', file_unique_id: 'big', file_name: 'archive.txt', mime_type: 'text/plain', file_size: 812_345 },
      },
    });
    expect(replies(ADMIN)).toEqual([`The file archive.txt is 812,345 bytes, too large for an article (at most ${core.maxArticleChars.toLocaleString('en')} characters).`]);
    expect(calls.some((c) => c.method === 'getFile')).toBe(false);
  });

  it('says a page of /articles past the end is not there', async () => {
    const { message, replies, core } = await handlerBot();
    for (let i = 0; i < 8; i++) await core.desk.postArticle({ text: distinctArticle(i) }, { kind: 'operator' });
    await message('/articles 2');
    expect(replies(READER)).toEqual(['There is no page 2: the 8 stored article(s) fill 1 page(s).']);
  });

  it('tells a reader who asks for /status that the figures are for admins', async () => {
    const { message, replies } = await handlerBot();
    await message('/status');
    expect(replies(READER)).toEqual(['Only admins can see the delivery figures.']);
  });

  it('answers in the asker’s language, from their Telegram client', async () => {
    const { message, replies } = await handlerBot();
    await message('/start', { languageCode: 'ar' });
    expect(replies(READER)[0]).toMatch(/^أخبار: مكتب أخبار\. الأوامر:/);
  });

  it('pages /articles with buttons that edit the list in place', async () => {
    const { message, send, calls, core } = await handlerBot();
    for (let i = 0; i < 12; i++) await core.desk.postArticle({ text: distinctArticle(i) }, { kind: 'operator' });
    await message('/articles');
    const list = calls.find((c) => c.method === 'sendMessage')!;
    expect(String(list.payload['text'])).toMatch(/^<b>Articles 1–10 of 12:<\/b>/);
    expect(JSON.stringify(list.payload['reply_markup'])).toContain('"callback_data":"articles:2"');
    await send({
      callback_query: { id: 'cb', from: { id: READER, is_bot: false, first_name: 'U' }, chat_instance: 'x', data: 'articles:2', message: { message_id: 100, date: 0, chat: { id: READER, type: 'private' }, text: 'list' } },
    });
    const edit = calls.find((c) => c.method === 'editMessageText')!;
    expect(String(edit.payload['text'])).toMatch(/^<b>Articles 11–12 of 12:<\/b>/);
    expect(edit.payload['message_id']).toBe(100);
    expect(calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
  });

  it('in a group, lets only the chat’s admins subscribe it, asking Telegram once a minute at most', async () => {
    const group = -500;
    const { message, replies, calls, core } = await handlerBot({ members: { [`${group}:7`]: 'administrator' } });
    await message('/subscribe', { from: 8, chat: group, chatType: 'group' });
    expect(replies(group)).toEqual(['Only this chat’s admins can change its subscription.']);
    await message('/subscribe', { from: 7, chat: group, chatType: 'group' });
    await message('/unsubscribe', { from: 7, chat: group, chatType: 'group' });
    expect(replies(group).slice(1)).toEqual(['Subscribed: a summary of every new article will arrive here.', 'Unsubscribed: no more summaries will arrive here.']);
    expect(calls.filter((c) => c.method === 'getChatMember' && c.payload['user_id'] === 7)).toHaveLength(1);
    expect(await core.subscriptions.get(`telegram:${group}`)).toBeUndefined();
  });

  it('posts a message an admin forwards, and answers one a reader forwards as a question', async () => {
    const { message, replies, core } = await handlerBot();
    const forwarded = { forward_origin: { type: 'hidden_user', date: 0, sender_user_name: 'Desk' } };
    await message(sampleArticle('en-flood-barrier.txt'), { from: ADMIN, extra: forwarded });
    expect(replies(ADMIN)).toEqual([expect.stringMatching(/^Stored article [0-9a-f]{12}: Marlow Bay opens/)]);
    await message('How quickly can the gates be closed?', { extra: forwarded });
    expect(replies(READER)[0]).toMatch(/25 minutes/);
    expect(core.desk.articleCount).toBe(1);
  });

  it('answers an unknown command in a private chat, and stays quiet about one in a group', async () => {
    const { message, replies } = await handlerBot();
    await message('/frobnicate');
    await message('/frobnicate', { from: 9, chat: -9, chatType: 'group' });
    expect(replies(READER)).toEqual(['Unknown command /frobnicate. Send /help for the list.']);
    expect(replies(-9)).toEqual([]);
  });

  it('keeps answering after a reply fails, and logs the failure', async () => {
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as { level: string; msg: string }));
    const { message, replies } = await handlerBot({ logger, failOnce: 'sendMessage' });
    await message('/help');
    await message('/help');
    expect(replies(READER)).toHaveLength(3);
    expect(lines.some((line) => line.level === 'error')).toBe(true);
  });
});
