/**
 * Forum topics and filters through the real grammY bot against the fake Bot API: a topic of a forum
 * supergroup subscribes on its own, with its own filters and format; its deliveries and the bot's
 * answers go into the topic (message_thread_id), and the group's own subscription is untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { telegramSender } from '../../../src/adapters/telegram/index.js';
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../../support/fakeTelegram.js';
import { startTelegramBot, type StartedTelegramBot } from '../../support/telegramBot.js';

const ADMIN = 1;
const GROUP = -1005550001;
const TOPIC = 42;
const GROUP_ADMIN = 8;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(): Promise<{ fake: FakeTelegram; bot: StartedTelegramBot }> {
  const fake = await startFakeTelegram();
  cleanup.push(() => fake.close());
  const bot = await startTelegramBot(fake);
  cleanup.push(() => bot.stop());
  fake.setChatMember(GROUP, GROUP_ADMIN, { status: 'administrator', user: { id: GROUP_ADMIN, is_bot: false, first_name: 'A' } });
  return { fake, bot };
}

const inGroup = (m: SentMessage) => m.chatId === String(GROUP);
const inTopic = (m: SentMessage) => inGroup(m) && m.payload['message_thread_id'] === TOPIC;
const outsideTopics = (m: SentMessage) => inGroup(m) && m.payload['message_thread_id'] === undefined;

const OIL = 'Oil prices rose on Monday as traders weighed supply cuts announced by producers at the weekend. Analysts expect more rises.';
const TRAMS = 'The city council approved a new tram line to the eastern districts on Monday. Work on the line starts in the spring.';

describe('a Telegram forum topic', () => {
  it('subscribes on its own, with its filters and format, and receives only its articles inside the topic', async () => {
    const { fake, bot } = await start();
    const say = (text: string, topicId?: number) =>
      fake.pushMessage({ text, chatId: GROUP, chatType: 'supergroup', fromId: GROUP_ADMIN, chatTitle: 'Desk', ...(topicId !== undefined ? { topicId } : {}) });

    say('/subscribe');
    await fake.waitFor((sent) => sent.some((m) => outsideTopics(m) && /Subscribed/.test(m.text ?? '')));
    say('/subscribe headline', TOPIC);
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /Subscribed/.test(m.text ?? '')));
    say('/filter include oil', TOPIC);
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /Only articles mentioning/.test(m.text ?? '')));
    expect(await bot.subscriptions.get(`telegram:${GROUP}:${TOPIC}`)).toMatchObject({ threadId: String(TOPIC), format: 'headline', filters: { include: ['oil'] } });
    expect(await bot.subscriptions.get(`telegram:${GROUP}`)).not.toHaveProperty('filters');

    fake.pushMessage({ text: `/post ${OIL}`, fromId: ADMIN, chatId: ADMIN });
    fake.pushMessage({ text: `/post ${TRAMS}`, fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.filter((m) => outsideTopics(m) && /New article/.test(m.text ?? '')).length === 2);
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /New article/.test(m.text ?? '')));
    await bot.delivery.worker.idle();
    const topicDeliveries = fake.sent.filter((m) => inTopic(m) && /New article/.test(m.text ?? ''));
    expect(topicDeliveries).toHaveLength(1);
    // Headline only: the title line, no summary bullets.
    expect(topicDeliveries[0]!.text).toMatch(/^📰 <i>New article<\/i>\n<b>Oil prices rose[^\n]*<\/b> <code>[0-9a-f]+<\/code>$/u);

    const trams = (await bot.desk.listArticles()).items.find((a) => a.title.startsWith('The city council'))!;
    say(`/filter test ${trams.id}`, TOPIC);
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /Blocked: .*would not arrive here/.test(m.text ?? '') && /mentions none of &quot;oil&quot;/.test(m.text ?? '')));

    say('/unsubscribe', TOPIC);
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /Unsubscribed/.test(m.text ?? '')));
    expect((await bot.subscriptions.list()).map((s) => s.id)).toEqual([`telegram:${GROUP}`]);
  });

  it('is refused to a member who is not an admin, inside the topic', async () => {
    const { fake, bot } = await start();
    fake.setChatMember(GROUP, 9, { status: 'member', user: { id: 9, is_bot: false, first_name: 'M' } });
    fake.pushMessage({ text: '/filter include oil', chatId: GROUP, chatType: 'supergroup', fromId: 9, topicId: TOPIC });
    await fake.waitFor((sent) => sent.some((m) => inTopic(m) && /Only this chat’s admins/.test(m.text ?? '')));
    expect(await bot.subscriptions.list()).toEqual([]);
  });
});

describe('the Telegram delivery sender', () => {
  it('sends into the topic, with the article’s link preview only when the subscription wants previews', async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    const sender = telegramSender({ token: fake.token, apiRoot: fake.apiRoot, defaultLanguage: 'en' });
    const summary = { articleId: 'a1', title: 'Port reopens', language: 'en' as const, sentences: ['Ships sail again.'], url: 'https://news.example/port' };
    const target = { platform: 'telegram', chatId: String(GROUP), kind: 'group' as const, threadId: String(TOPIC) };
    expect(await sender.send(target, { kind: 'article', summary, style: { format: 'summary', previews: true } })).toEqual({ kind: 'sent' });
    expect(await sender.send({ platform: target.platform, chatId: target.chatId, kind: target.kind }, { kind: 'article', summary })).toEqual({ kind: 'sent' });
    expect(fake.sent.map((m) => [m.payload['message_thread_id'], m.payload['link_preview_options']])).toEqual([
      [TOPIC, { is_disabled: false, url: 'https://news.example/port' }],
      [undefined, { is_disabled: true }],
    ]);
  });
});
