/**
 * Feeds through the real grammY bot against the fake Bot API: an admin imports an OPML document,
 * exports the followed feeds as one, and is told once, in the chat the feed was added from, when
 * a feed that keeps failing is paused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseOpml, writeOpml } from '../../../src/sources/feeds/opml.js';
import { startFakeTelegram, type SentMessage } from '../../support/fakeTelegram.js';
import { startFixtureServer } from '../../support/fixtureServer.js';
import { hundredFeeds } from '../../support/opmlFeeds.js';
import { startTelegramBot, until } from '../../support/telegramBot.js';

const ADMIN = 1;
const GROUP = -100777;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot(options: { feedMaxFailures?: number } = {}) {
  const fake = await startFakeTelegram();
  cleanup.push(() => fake.close());
  const bot = await startTelegramBot(fake, {}, { adminId: `telegram:${ADMIN}`, feedCheckEveryMs: 20, ...options });
  cleanup.push(() => bot.stop());
  return { fake, ...bot };
}

const document = (fileId: string, name: string) => ({ file_id: fileId, file_unique_id: fileId, file_name: name, mime_type: 'text/x-opml', file_size: 40_000 });
const texts = (sent: readonly SentMessage[], chatId: number) => sent.filter((m) => m.chatId === String(chatId)).map((m) => m.text ?? '');

describe('Telegram feeds end to end', () => {
  it('follows the feeds of an OPML document sent with /feed import as its caption, and sends them back as an OPML document', async () => {
    const { fake, storage } = await startBot();
    fake.setFile('opml-1', writeOpml(hundredFeeds(), { title: 'elsewhere', createdAt: new Date(0) }));
    fake.pushUpdate({
      message: {
        message_id: 70,
        date: 0,
        chat: { id: ADMIN, type: 'private' },
        from: { id: ADMIN, is_bot: false, first_name: 'Admin', language_code: 'en' },
        document: document('opml-1', 'feeds.opml'),
        caption: '/feed import',
        caption_entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    });
    await fake.waitFor((sent) => texts(sent, ADMIN).includes('Following 100 new feed(s) from the OPML file. They are checked soon.'));
    expect(await storage.feeds.list()).toHaveLength(100);

    fake.pushMessage({ text: '/feed export', fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => sent.some((m) => m.method === 'sendDocument'));
    const sent = fake.sent.find((m) => m.method === 'sendDocument')!;
    expect(sent.chatId).toBe(String(ADMIN));
    // grammY uploads a file as a multipart part of its own, which the document field names as attach://<part>.
    const part = String(sent.payload.document).replace(/^attach:\/\//u, '');
    const file = sent.payload[part] as { filename: string; content: string };
    expect(file.filename).toBe('akhbar-feeds.opml');
    const byUrl = (a: { url: string }, b: { url: string }) => a.url.localeCompare(b.url);
    expect(parseOpml(file.content).sort(byUrl)).toEqual(hundredFeeds().sort(byUrl));
    expect(texts(fake.sent, ADMIN)).toContain('The 100 followed feed(s), as OPML.');
  });

  it('takes /feed import sent as a reply to the document, and refuses a broken one with nothing stored, in Arabic', async () => {
    const { fake, storage } = await startBot();
    fake.setFile('opml-broken', writeOpml(hundredFeeds().slice(0, 5), { title: 't', createdAt: new Date(0) }).replace('</body>', ''));
    const original = { message_id: 80, date: 0, chat: { id: ADMIN, type: 'private' }, from: { id: ADMIN, is_bot: false, first_name: 'Admin' }, document: document('opml-broken', 'broken.opml') };
    fake.pushMessage({ text: '/feed import', fromId: ADMIN, chatId: ADMIN, languageCode: 'ar', replyToMessage: original });
    await fake.waitFor((sent) => texts(sent, ADMIN).some((t) => t.startsWith('هذا ليس ملف OPML صالحا') && t.endsWith('لم تُضف أي خلاصة.')));
    expect(await storage.feeds.list()).toEqual([]);
  });

  it('pauses a feed after FEED_MAX_FAILURES failed checks, tells the admin once in the group it was added from, and /feed list shows why', async () => {
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    const { fake, storage } = await startBot({ feedMaxFailures: 10 });
    web.serve('/feeds/failing.xml', web.fixture('ar-feed.xml'), 'application/rss+xml');
    fake.pushMessage({ text: `/feed add ${web.url('/feeds/failing.xml')}`, fromId: ADMIN, chatId: GROUP, chatType: 'supergroup', chatTitle: 'Newsroom' });
    await fake.waitFor((sent) => texts(sent, GROUP).some((t) => t.startsWith('Following feed ')));
    const [feed] = await storage.feeds.list();
    expect(feed!.addedIn).toMatchObject({ platform: 'telegram', chatId: String(GROUP), kind: 'group' });

    web.route('/feeds/failing.xml', (_req, res) => res.writeHead(503).end());
    // Each failure backs off for minutes; the spec brings the next check forward instead of waiting.
    for (let failures = 1; failures <= 10; failures++) {
      const current = (await storage.feeds.get(feed!.id))!;
      await storage.feeds.update({ ...current, nextCheckAt: new Date(0).toISOString() });
      await until(() => web.hits('/feeds/failing.xml') > failures, `failed check ${failures}`);
      let lastFailures = 0;
      const deadline = Date.now() + 5_000;
      while (lastFailures < failures && Date.now() < deadline) {
        lastFailures = (await storage.feeds.get(feed!.id))!.failures;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(lastFailures).toBe(failures);
    }
    const notice = (t: string) => t.includes('failed 10 checks in a row and is paused');
    await fake.waitFor((sent) => texts(sent, GROUP).some(notice));
    const told = texts(fake.sent, GROUP).filter(notice);
    expect(told).toEqual([
      `The feed أخبار الواحة - محليات — ${web.url('/feeds/failing.xml')} (${feed!.id}) failed 10 checks in a row and is paused: ${web.url('/feeds/failing.xml')} answered with an error (HTTP 503). Check the address. Once it works again, send /feed resume ${feed!.id}.`,
    ]);

    // Paused: no more checks, however due it would be, and nobody is told again.
    const hits = web.hits('/feeds/failing.xml');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(web.hits('/feeds/failing.xml')).toBe(hits);
    fake.pushMessage({ text: '/feed list', fromId: ADMIN, chatId: ADMIN });
    await fake.waitFor((sent) => texts(sent, ADMIN).some((t) => t.includes('PAUSED since')));
    const list = texts(fake.sent, ADMIN).find((t) => t.includes('PAUSED since'))!;
    expect(list).toContain(`after 10 failed checks; /feed resume ${feed!.id}`);
    expect(list).toContain('HTTP 503');
    expect(texts(fake.sent, GROUP).filter(notice)).toHaveLength(1);
  });
});
