/**
 * The real grammY bot, started as in production (runner, auto-retry, setMyCommands), against a fake
 * Bot API on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { opsRoute, type OpsRoute } from '../../../src/adapters/http/ops.js';
import type { Engine } from '../../../src/core/engine.js';
import { silentLogger } from '../../../src/core/logger.js';
import { distinctArticle, sampleArticle } from '../../support/fixtures.js';
import { startFixtureServer } from '../../support/fixtureServer.js';
import { startFakeTelegram } from '../../support/fakeTelegram.js';
import { sampleValue } from '../../support/prometheus.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { checkReadiness } from '../../../src/ops/readiness.js';
import { startTelegramBot } from '../../support/telegramBot.js';

const ADMIN = 1;
const STRANGER = 2;
const CHANNEL = -1001234567890;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot(options: { engine?: Engine; webhook?: { secret: string; ops?: OpsRoute }; stream?: boolean; env?: Record<string, string> } = {}) {
  const fake = await startFakeTelegram();
  cleanup.push(() => fake.close());
  const bot = await startTelegramBot(
    fake,
    {
      ...(options.stream ? { streamAnswers: true, streamEditIntervalMs: 0 } : {}),
      ...(options.webhook ? { webhook: { url: 'https://bot.example/telegram', secret: options.webhook.secret, port: 0 } } : {}),
      ...(options.webhook?.ops ? { ops: options.webhook.ops } : {}),
    },
    { adminId: `telegram:${ADMIN}`, ...(options.engine ? { engine: options.engine } : {}), ...(options.env ? { env: options.env } : {}) },
  );
  cleanup.push(() => bot.stop());
  const { desk, subscriptions, delivery, storage, adapter } = bot;
  return { fake, desk, subscriptions, delivery, storage, adapter };
}

const to = (chatId: number) => (m: { chatId: string }) => m.chatId === String(chatId);

describe('Telegram bot end to end', () => {
  it('registers its commands in English and Arabic', async () => {
    const { fake } = await startBot();
    const registered = fake.calls.filter((c) => c.method === 'setMyCommands');
    expect(registered.map((c) => c.payload.language_code ?? 'default').sort()).toEqual(['ar', 'default']);
  });

  it('lets an admin post an Arabic article, and a subscribed channel receives its summary', async () => {
    const { fake } = await startBot();
    fake.pushChannelPost({ text: '/subscribe', chatId: CHANNEL, username: 'akhbar_news' });
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && /Subscribed/.test(m.text ?? '')));

    fake.pushMessage({ text: `/post ${sampleArticle('ar-solar-plant.txt')}`, fromId: ADMIN, chatId: ADMIN, languageCode: 'ar' });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /حُفظ المقال/.test(m.text ?? '')));
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && /مقال جديد/.test(m.text ?? '')));
    const delivered = fake.sent.find((m) => to(CHANNEL)(m) && /مقال جديد/.test(m.text ?? ''))!;
    expect(delivered.parseMode).toBe('HTML');
    expect(delivered.text).toContain('<b>افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة</b>');
    expect(delivered.text).toMatch(/• الواحات الجديدة – افتتح وزير الطاقة/);
  });

  it('lets an admin post a link: the page is fetched, stored once, and a subscribed channel receives its summary', async () => {
    const { fake, desk } = await startBot();
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    fake.pushChannelPost({ text: '/subscribe', chatId: CHANNEL, username: 'akhbar_news' });
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && /Subscribed/.test(m.text ?? '')));

    fake.pushMessage({ text: `/post ${web.url('/ar-news.html')}`, fromId: ADMIN, chatId: ADMIN, languageCode: 'ar' });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /حُفظ المقال .*افتتاح جسر وادي الرمال يربط شطري مدينة النخيل/.test(m.text ?? '')));
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && /افتتاح جسر وادي الرمال/.test(m.text ?? '')));
    const delivered = fake.sent.find((m) => to(CHANNEL)(m) && /افتتاح جسر وادي الرمال/.test(m.text ?? ''))!;
    // Navigation, sidebar and footer of the page are not part of what subscribers read.
    expect(delivered.text).not.toMatch(/أخبار الواحة|اقرأ أيضا|جميع الحقوق/);

    // The same page again (with tracking parameters) is the same article.
    fake.pushMessage({ text: `/post ${web.url('/ar-news.html')}?utm_source=x`, fromId: ADMIN, chatId: ADMIN, languageCode: 'ar' });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /محفوظ من قبل/.test(m.text ?? '')));
    expect(desk.articleCount).toBe(1);
  });

  it('tells an admin why a link cannot be posted, and stores nothing', async () => {
    const { fake, desk } = await startBot();
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    fake.pushMessage({ text: `/post ${web.url('/redirect/loop-a')}`, fromId: ADMIN, chatId: ADMIN });
    fake.pushMessage({ text: `/post ${web.url('/document.pdf')}`, fromId: ADMIN, chatId: ADMIN });
    fake.pushMessage({ text: '/post http://127.0.0.1:9/gone', fromId: ADMIN, chatId: ADMIN });
    fake.pushMessage({ text: `/post ${web.url('/ar-news.html')}`, fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.filter((m) => to(ADMIN)(m)).length >= 3 && sent.some((m) => to(STRANGER)(m)));
    const replies = fake.sent.filter((m) => to(ADMIN)(m)).map((m) => m.text ?? '');
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(/redirects in a loop/);
    expect(replies[1]).toMatch(/is not a web page \(it is application\/pdf\)/);
    expect(replies[2]).toMatch(/could not reach .*did not answer/);
    expect(fake.sent.find((m) => to(STRANGER)(m))!.text).toBe('Only admins can post articles.');
    // Nothing was fetched for the stranger.
    expect(web.hits('/ar-news.html')).toBe(0);
    expect(desk.articleCount).toBe(0);
  });

  /**
   * One story from 3 feeds (as written, reflowed onto one line, cut short), a channel and a private
   * chat subscribed: how many messages each chat was sent once every feed was read and every
   * delivery settled.
   */
  async function storyFromThreeFeeds(env?: Record<string, string>): Promise<{ perChat: number[]; joined: number[]; stored: number }> {
    const { fake, desk, delivery } = await startBot(env ? { env } : {});
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    const seed = sampleArticle('ar-solar-plant.txt').split('\n').filter((line) => line.trim() !== '' && line !== 'Thumbnail');
    const paragraphs = seed.slice(2);
    const versions = [paragraphs, [paragraphs.join(' ')], paragraphs.slice(0, Math.ceil(paragraphs.length * 0.6))];
    versions.forEach((body, n) => {
      const item = `<item><title>${seed[1]}</title><link>${web.base}/news/solar-${n}.html</link><guid>solar-${n}</guid><pubDate>Sun, 15 Mar 2026 10:30:00 GMT</pubDate><content:encoded><![CDATA[${body.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`;
      web.serve(`/feeds/${n}.xml`, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed ${n}</title><link>${web.base}/</link>${item}</channel></rss>`, 'application/rss+xml');
    });
    fake.pushChannelPost({ text: '/subscribe', chatId: CHANNEL, username: 'akhbar_news' });
    fake.pushMessage({ text: '/subscribe', fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.filter((m) => /Subscribed/.test(m.text ?? '')).length === 2);
    for (let n = 0; n < 3; n++) {
      fake.pushMessage({ text: `/feed add ${web.url(`/feeds/${n}.xml`)}`, fromId: ADMIN, chatId: ADMIN });
      await fake.waitFor((sent) => sent.filter((m) => to(ADMIN)(m) && /Following feed/.test(m.text ?? '')).length === n + 1);
    }
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && !/Subscribed/.test(m.text ?? '')));
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && !/Subscribed/.test(m.text ?? '')));
    // Every fan-out queued and every queued message sent: nothing more is on its way.
    await delivery.settled();
    await delivery.worker.idle();
    return {
      perChat: [CHANNEL, STRANGER].map((chat) => fake.sent.filter((m) => to(chat)(m) && !/Subscribed/.test(m.text ?? '')).length),
      joined: (await desk.listArticles()).items.map((item) => item.joined.length),
      stored: desk.articleCount,
    };
  }

  it('sends a story posted by 3 feeds (as written, reflowed onto one line, cut short) once to each subscriber', async () => {
    const story = await storyFromThreeFeeds();
    // Every version is stored, in one story.
    expect(story.stored).toBe(3);
    expect(story.joined).toEqual([2]);
    expect(story.perChat).toEqual([1, 1]);
  });

  it('sends each of the 3 versions to each subscriber when stories are off (STORY_WINDOW_HOURS=0)', async () => {
    // The contrast that shows the story check, not the feeds or the store, keeps the story to one message.
    const story = await storyFromThreeFeeds({ STORY_WINDOW_HOURS: '0' });
    expect(story.stored).toBe(3);
    expect(story.joined).toEqual([0, 0, 0]);
    expect(story.perChat).toEqual([3, 3]);
  });

  it('lets an admin follow a feed: its newest items are posted and delivered, then listed and removed', async () => {
    const { fake, desk } = await startBot();
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    fake.pushChannelPost({ text: '/subscribe', chatId: CHANNEL, username: 'akhbar_news' });
    await fake.waitFor((sent) => sent.some((m) => to(CHANNEL)(m) && /Subscribed/.test(m.text ?? '')));

    fake.pushMessage({ text: `/feed add ${web.url('/ar-feed.xml')}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /Following feed [0-9a-f]{8}/.test(m.text ?? '')));
    const added = fake.sent.find((m) => to(ADMIN)(m) && /Following feed/.test(m.text ?? ''))!.text!;
    const posted = Number(/(\d+) new article/.exec(added)![1]);
    expect(posted).toBeGreaterThan(0);
    expect(desk.articleCount).toBe(posted);
    await fake.waitFor((sent) => sent.filter((m) => to(CHANNEL)(m) && !/Subscribed/.test(m.text ?? '')).length === posted);

    fake.pushMessage({ text: '/feed list', fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /Followed feeds \(1\)/.test(m.text ?? '')));
    const id = /Following feed ([0-9a-f]{8})/.exec(added)![1]!;
    fake.pushMessage({ text: `/feed remove ${id}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /Stopped following feed/.test(m.text ?? '')));
    fake.pushMessage({ text: `/feed add ${web.url('/ar-feed.xml')}`, fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && m.text === 'Only admins can list, follow or remove feeds.'));
  });

  it('refuses a post from someone who is not an admin, and stores nothing', async () => {
    const { fake, desk } = await startBot();
    fake.pushMessage({ text: `/post ${sampleArticle('en-rail-strike.txt')}`, fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => m.text === 'Only admins can post articles.'));
    expect(desk.articleCount).toBe(0);
  });

  it('answers /ask and a plain private message with a cited answer', async () => {
    const { fake } = await startBot();
    fake.pushMessage({ text: `/post ${sampleArticle('en-flood-barrier.txt')}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => /Stored article/.test(m.text ?? '')));
    fake.pushMessage({ text: '/ask How quickly can the gates be closed?', fromId: STRANGER, chatId: STRANGER });
    fake.pushMessage({ text: 'How many residents will the gates protect?', fromId: 3, chatId: 3 });
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && /25 minutes/.test(m.text ?? '')));
    await fake.waitFor((sent) => sent.some((m) => to(3)(m) && /40,000 residents/.test(m.text ?? '')));
    for (const chat of [STRANGER, 3]) {
      const answer = fake.sent.find((m) => to(chat)(m) && /Sources/.test(m.text ?? ''))!;
      expect(answer.text).toMatch(/<b>Sources:<\/b>\n• Marlow Bay opens its new flood barrier after six years of work <code>[0-9a-f]{12}<\/code>/);
    }
    expect(fake.calls.some((c) => c.method === 'sendChatAction' && c.payload.action === 'typing')).toBe(true);
  });

  it('lets an admin /delete an article by a short id, in Arabic too, and refuses anyone else', async () => {
    const { fake, desk } = await startBot();
    const { article } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    fake.pushMessage({ text: `/delete ${article.id}`, fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && m.text === 'Only admins can delete articles.'));
    expect(desk.articleCount).toBe(1);

    fake.pushMessage({ text: '/delete', fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /^Usage: \/delete &lt;id&gt;/.test(m.text ?? '')));
    fake.pushMessage({ text: `/delete ${article.id.slice(0, 6)}`, fromId: ADMIN, chatId: ADMIN, languageCode: 'ar' });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && (m.text ?? '').startsWith(`حُذف المقال ${article.id}: Marlow Bay opens`)));
    expect(desk.articleCount).toBe(0);
    fake.pushMessage({ text: '/ask How quickly can the gates be closed?', fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && /No articles are stored yet/.test(m.text ?? '')));
    const registered = fake.calls.find((c) => c.method === 'setMyCommands' && c.payload.language_code === undefined)!;
    expect((registered.payload.commands as { command: string }[]).map((c) => c.command)).toContain('delete');
  });

  it('answers /summary of an unknown id with a clear message', async () => {
    const { fake } = await startBot();
    fake.pushMessage({ text: `/post ${sampleArticle('en-rail-strike.txt')}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => /Stored article/.test(m.text ?? '')));
    fake.pushMessage({ text: '/summary deadbeef', fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => m.text === 'There is no article with the id &quot;deadbeef&quot;. Send /articles to see the ids.'));
  });

  it('splits a 5,000-character answer into messages Telegram accepts', async () => {
    const long = 'The council debated the budget line by line & agreed on <most> of it. '.repeat(72);
    const engine: Engine = {
      name: 'long-test',
      version: '1',
      summarize: async ({ article }) => ({ sentences: [article.text.slice(0, 50)], language: article.language }),
      answer: async ({ passages }) => ({ found: true, text: long, citations: [{ articleId: passages[0]!.articleId, title: passages[0]!.title, quote: 'q' }] }),
    };
    const { fake } = await startBot({ engine });
    fake.pushMessage({ text: `/post ${sampleArticle('en-rail-strike.txt')}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => /Stored article/.test(m.text ?? '')));
    fake.pushMessage({ text: '/ask What raise do rail drivers get?', fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.filter(to(STRANGER)).length >= 2 && sent.some((m) => to(STRANGER)(m) && /Sources/.test(m.text ?? '')));
    const parts = fake.sent.filter(to(STRANGER));
    expect(long.length).toBeGreaterThan(5_000);
    expect(parts.length).toBe(2);
    for (const part of parts) expect(part.text!.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join(' ')).toContain('&lt;most&gt;');
  });

  it('waits out a 429 on a reply and on a delivery, and each message arrives once', async () => {
    const { fake } = await startBot();
    fake.pushMessage({ text: '/subscribe', fromId: 5, chatId: 5 });
    await fake.waitFor((sent) => sent.some((m) => to(5)(m) && /Subscribed/.test(m.text ?? '')));
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, { chatId: ADMIN });
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, { chatId: 5 });
    fake.pushMessage({ text: `/post ${sampleArticle('en-rail-strike.txt')}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => to(ADMIN)(m) && /Stored article/.test(m.text ?? '')), 8_000);
    await fake.waitFor((sent) => sent.some((m) => to(5)(m) && /New article/.test(m.text ?? '')), 8_000);
    expect(fake.sent.filter((m) => to(ADMIN)(m) && /Stored article/.test(m.text ?? ''))).toHaveLength(1);
    expect(fake.sent.filter((m) => to(5)(m) && /New article/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('answers /help with the ways to post on Telegram, and promises no paste mode', async () => {
    const { fake } = await startBot();
    fake.pushMessage({ text: '/help', fromId: STRANGER, chatId: STRANGER });
    await fake.waitFor((sent) => sent.some((m) => to(STRANGER)(m) && /Commands:/.test(m.text ?? '')));
    const help = fake.sent.find((m) => to(STRANGER)(m))!.text!;
    expect(help).toContain('/post &lt;text&gt;: store an article; or reply /post to a message, send a .txt file with /post as its caption');
    expect(help).not.toMatch(/paste/i);
  });

  it('keeps running after a malformed update', async () => {
    const { fake } = await startBot();
    fake.pushUpdate({ message: { message_id: 1, date: 0, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } });
    fake.pushUpdate({ message: { message_id: 2, date: 0, chat: { id: 9, type: 'private' }, from: { id: 9, is_bot: false, first_name: 'x' }, text: 42 } });
    fake.pushMessage({ text: '/help', fromId: 9, chatId: 9 });
    await fake.waitFor((sent) => sent.some((m) => to(9)(m) && /Commands:/.test(m.text ?? '')));
  });

  it('in a group, answers mentions and replies to itself, and stays quiet otherwise', async () => {
    const { fake, desk } = await startBot();
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const group = -4002;
    fake.pushMessage({ text: 'Anyone know the raise the drivers got this year?', chatId: group, chatType: 'group', fromId: 40 });
    fake.pushMessage({ text: `@${fake.botInfo.username} What raise do the rail drivers get this year?`, chatId: group, chatType: 'group', fromId: 41 });
    await fake.waitFor((sent) => sent.some((m) => to(group)(m) && /6 percent/.test(m.text ?? '')));
    await fake.drained();
    expect(fake.sent.filter(to(group))).toHaveLength(1);
    const botMessage = { message_id: fake.sent.find(to(group))!.messageId, date: 0, chat: { id: group, type: 'group' }, from: { ...fake.botInfo }, text: 'x' };
    fake.pushMessage({ text: 'Who is the union leader?', chatId: group, chatType: 'group', fromId: 42, replyToMessage: botMessage });
    await fake.waitFor((sent) => sent.some((m) => to(group)(m) && /Tom Brandt/.test(m.text ?? '')));
  });

  it('treats an anonymous group admin as an admin', async () => {
    const { fake, subscriptions } = await startBot();
    const group = -1009;
    fake.pushMessage({
      text: '/subscribe',
      chatId: group,
      chatType: 'supergroup',
      fromId: 1087968824,
      senderChat: { id: group, type: 'supergroup', title: 'Readers' },
      chatTitle: 'Readers',
    });
    await fake.waitFor((sent) => sent.some((m) => to(group)(m) && /Subscribed/.test(m.text ?? '')));
    expect(await subscriptions.get(`telegram:${group}`)).toMatchObject({ active: true });
    expect(fake.calls.some((c) => c.method === 'getChatMember')).toBe(false);
  });

  it('only lets a group’s admins subscribe it', async () => {
    const { fake, subscriptions } = await startBot();
    const group = -4001;
    fake.setChatMember(group, 7, { status: 'member', user: { id: 7, is_bot: false, first_name: 'M' } });
    fake.setChatMember(group, 8, { status: 'administrator', user: { id: 8, is_bot: false, first_name: 'A' } });
    fake.pushMessage({ text: '/subscribe', chatId: group, chatType: 'group', fromId: 7, chatTitle: 'Readers' });
    await fake.waitFor((sent) => sent.some((m) => to(group)(m) && /Only this chat’s admins/.test(m.text ?? '')));
    fake.pushMessage({ text: '/subscribe digest 08:00', chatId: group, chatType: 'group', fromId: 8, chatTitle: 'Readers' });
    await fake.waitFor((sent) => sent.some((m) => to(group)(m) && /every day at 08:00/.test(m.text ?? '')));
    expect(await subscriptions.get(`telegram:${group}`)).toMatchObject({ mode: 'digest', kind: 'group', name: 'Readers' });
  });
});

describe('Telegram channels and replies', () => {
  it('subscribes a channel an admin names in a private chat, once the bot can post there', async () => {
    const { fake, subscriptions } = await startBot();
    fake.setChat('@akhbar_news', { id: CHANNEL, type: 'channel', title: 'Akhbar News', username: 'akhbar_news' });
    fake.setChatMember(CHANNEL, 20, { status: 'administrator', user: { id: 20, is_bot: false, first_name: 'Admin' } });
    fake.pushMessage({ text: '/subscribe @akhbar_news', fromId: 20, chatId: 20 });
    await fake.waitFor((sent) => sent.some((m) => to(20)(m) && /Make the bot an admin of @akhbar_news/.test(m.text ?? '')));
    fake.setChatMember(CHANNEL, fake.botInfo.id, { status: 'administrator', can_post_messages: true, user: { id: fake.botInfo.id, is_bot: true, first_name: 'Bot' } });
    fake.pushMessage({ text: '/subscribe @akhbar_news ar', fromId: 20, chatId: 20 });
    await fake.waitFor((sent) => sent.some((m) => to(20)(m) && /^Akhbar News: Subscribed/.test(m.text ?? '')));
    expect(await subscriptions.get(`telegram:${CHANNEL}`)).toMatchObject({ kind: 'channel', language: 'ar', active: true });
    // Someone who is not an admin of the channel cannot subscribe it.
    fake.pushMessage({ text: '/subscribe @akhbar_news', fromId: 21, chatId: 21 });
    await fake.waitFor((sent) => sent.some((m) => to(21)(m) && /Only this chat’s admins/.test(m.text ?? '')));
  });

  it('posts the message an admin replies to with /post', async () => {
    const { fake, desk } = await startBot();
    const original = { message_id: 900, date: 0, chat: { id: ADMIN, type: 'private' }, text: sampleArticle('en-flood-barrier.txt') };
    fake.pushMessage({ text: '/post', fromId: ADMIN, chatId: ADMIN, replyToMessage: original });
    await fake.waitFor((sent) => sent.some((m) => /Stored article [0-9a-f]{12}: Marlow Bay opens/.test(m.text ?? '')));
    expect(desk.articleCount).toBe(1);
  });
});

describe('Telegram documents and lists', () => {
  it('posts a .txt file an admin sends with /post as its caption', async () => {
    const { fake, desk } = await startBot();
    fake.setFile('doc-1', sampleArticle('ar-book-fair.txt'));
    fake.pushUpdate({
      message: {
        message_id: 50,
        date: 0,
        chat: { id: ADMIN, type: 'private' },
        from: { id: ADMIN, is_bot: false, first_name: 'Admin' },
        document: { file_id: 'doc-1', file_unique_id: 'doc-1', file_name: 'fair.txt', mime_type: 'text/plain', file_size: 2_000 },
        caption: '/post',
        caption_entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    });
    await fake.waitFor((sent) => sent.some((m) => /Stored article [0-9a-f]{12}: معرض الكتاب الدولي/.test(m.text ?? '')));
    expect(desk.articleCount).toBe(1);
  });

  it('pages /articles with buttons that edit the list in place', async () => {
    const { fake, desk } = await startBot();
    for (let i = 0; i < 12; i++) await desk.postArticle({ text: distinctArticle(i) }, { kind: 'operator' });
    fake.pushMessage({ text: '/articles', fromId: 30, chatId: 30 });
    await fake.waitFor((sent) => sent.some((m) => to(30)(m) && /Articles 1–10 of 12/.test(m.text ?? '')));
    const list = fake.sent.find((m) => to(30)(m) && /Articles 1–10/.test(m.text ?? ''))!;
    expect(JSON.stringify(list.payload.reply_markup)).toContain('articles:2');
    fake.pushUpdate({
      callback_query: {
        id: 'cb1',
        from: { id: 30, is_bot: false, first_name: 'R' },
        chat_instance: 'x',
        data: 'articles:2',
        message: { message_id: list.messageId, date: 0, chat: { id: 30, type: 'private' }, text: 'list' },
      },
    });
    await fake.waitFor((sent) => sent.some((m) => m.method === 'editMessageText' && /Articles 11–12 of 12/.test(m.text ?? '')));
  });
});

describe('Telegram with the LLM engine', () => {
  it('answers through the openai client, and says so when it falls back', async () => {
    const { startFakeOpenAI } = await import('../../support/fakeOpenAI.js');
    const { fakeLlmEngine } = await import('../../support/llm.js');
    const llm = await startFakeOpenAI();
    cleanup.push(() => llm.close());
    const engine = fakeLlmEngine(llm, { timeout: 300, fallback: true });
    const { fake, desk } = await startBot({ engine });
    await desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, { kind: 'operator' });
    llm.enqueue({ kind: 'json', content: JSON.stringify({ found: true, answer: 'قدرتها 200 ميغاواط.', citations: ['P1'] }) });
    fake.pushMessage({ text: 'ما هي قدرة محطة الطاقة الشمسية الجديدة؟', fromId: 60, chatId: 60 });
    await fake.waitFor((sent) => sent.some((m) => to(60)(m) && /قدرتها 200 ميغاواط/.test(m.text ?? '')));
    llm.enqueue({ kind: 'slow', delayMs: 2_000, content: '{}' });
    fake.pushMessage({ text: 'من هو مدير مشروع المحطة؟', fromId: 60, chatId: 60 });
    await fake.waitFor((sent) => sent.some((m) => to(60)(m) && /كريم بن صالح/.test(m.text ?? '') && /المحرك المدمج/.test(m.text ?? '')));
  });
});

describe('Telegram streaming', () => {
  it('shows an LLM answer while it is written, then replaces it with the formatted answer', async () => {
    const { startFakeOpenAI } = await import('../../support/fakeOpenAI.js');
    const { fakeLlmEngine } = await import('../../support/llm.js');
    const llm = await startFakeOpenAI();
    cleanup.push(() => llm.close());
    const engine = fakeLlmEngine(llm);
    const { fake, desk } = await startBot({ engine, stream: true });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    llm.enqueue({ kind: 'stream', chunks: ['{"found": true, "answer": "The gates', ' close in', ' 25 minutes.", "citations": ["P1"]}'] });
    fake.pushMessage({ text: 'How quickly can the gates be closed?', fromId: 70, chatId: 70 });
    await fake.waitFor((sent) => sent.some((m) => m.method === 'editMessageText' && /Sources/.test(m.text ?? '')));
    const mine = fake.sent.filter(to(70));
    expect(mine[0]).toMatchObject({ method: 'sendMessage', text: 'The gates …' });
    const final = mine[mine.length - 1]!;
    expect(final.method).toBe('editMessageText');
    expect(final.messageId).toBe(mine[0]!.messageId);
    expect(final.text).toMatch(/^The gates close in 25 minutes\.\n\n<b>Sources:<\/b>/);
    expect(llm.requests[0]!.body.stream).toBe(true);
  });

  it('replaces a partial answer with the built-in engine’s, marked as such, when the LLM stops finishing it', async () => {
    const { startFakeOpenAI } = await import('../../support/fakeOpenAI.js');
    const { fakeLlmEngine } = await import('../../support/llm.js');
    const llm = await startFakeOpenAI();
    cleanup.push(() => llm.close());
    const engine = fakeLlmEngine(llm, { timeout: 10_000, firstTokenMs: 300, deadlineMs: 600, fallback: true });
    const { fake, desk } = await startBot({ engine, stream: true });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    // The first words at once, then one more every 50 ms for ten seconds.
    llm.enqueue({ kind: 'trickle', chunks: ['{"found": true, "answer": "The gates', ...Array.from({ length: 200 }, () => ' and')], everyMs: 50 });
    fake.pushMessage({ text: 'How quickly can the gates be closed?', fromId: 71, chatId: 71 });
    await fake.waitFor((sent) => sent.some((m) => to(71)(m) && m.method === 'editMessageText' && /built-in engine/.test(m.text ?? '')));
    const mine = fake.sent.filter(to(71));
    expect(mine[0]).toMatchObject({ method: 'sendMessage', text: expect.stringMatching(/^The gates/) });
    const final = mine[mine.length - 1]!;
    expect(final).toMatchObject({ method: 'editMessageText', messageId: mine[0]!.messageId });
    expect(final.text).toContain('25 minutes');
    expect(final.text).not.toMatch(/The gates and/);
    expect(mine.filter((m) => m.method === 'sendMessage')).toHaveLength(1);
  });
});

describe('Telegram webhook mode', () => {
  it('rejects a request with the wrong secret and handles one with the right secret', async () => {
    const secret = 'correct-horse-battery-staple';
    const { fake, adapter } = await startBot({ webhook: { secret } });
    expect(fake.calls.find((c) => c.method === 'setWebhook')?.payload).toMatchObject({ url: 'https://bot.example/telegram', secret_token: secret });
    const update = {
      update_id: 500,
      message: { message_id: 1, date: 0, chat: { id: 11, type: 'private' }, from: { id: 11, is_bot: false, first_name: 'W' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] },
    };
    const send = (token: string) =>
      fetch(`http://127.0.0.1:${adapter.port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token },
        body: JSON.stringify(update),
      });
    expect((await send('wrong-secret-wrong-secret')).status).toBe(401);
    expect(fake.sent.filter(to(11))).toHaveLength(0);
    expect((await send(secret)).status).toBe(200);
    await fake.waitFor((sent) => sent.some((m) => to(11)(m) && /Commands:/.test(m.text ?? '')));
  });

  it('serves /metrics and /readyz on the webhook port, ready once the webhook is set, not once it stops', async () => {
    const secret = 'correct-horse-battery-staple';
    const metrics = createMetrics();
    metrics.telemetry.articleIngested('ar', 'paste');
    // As main.ts wires it: the route exists before the adapter it reports on.
    const wired: { readiness?: Parameters<typeof checkReadiness>[0] } = {};
    const ops = opsRoute({ logger: silentLogger, metrics: () => metrics.render(), readiness: () => checkReadiness(wired.readiness!) });
    const { adapter, storage } = await startBot({ webhook: { secret, ops } });
    wired.readiness = { store: storage, outbox: storage.outbox, platforms: new Map([['telegram', () => adapter.connected()]]), maxOutboxLagMs: 60_000 };
    const base = `http://127.0.0.1:${adapter.port}`;
    const scraped = await fetch(`${base}/metrics`);
    expect(scraped.status).toBe(200);
    expect(sampleValue(await scraped.text(), 'akhbar_articles_ingested_total', { language: 'ar', source: 'paste' })).toBe(1);
    expect(adapter.connected()).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await adapter.stop();
    expect(adapter.connected()).toBe(false);
  });

  it('drops a malformed update with 200 (grammY answered 500, which Telegram retries) and refuses a 2 MB body with 413', async () => {
    const secret = 'correct-horse-battery-staple';
    const { adapter } = await startBot({ webhook: { secret } });
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${adapter.port}/`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body });
    expect((await post('{"update_id": 1, "message": {')).status).toBe(200);
    expect((await post(JSON.stringify({ update_id: 2, padding: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });
});
