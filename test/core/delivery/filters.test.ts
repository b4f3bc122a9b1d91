/**
 * Subscription filters at fan-out, on a feed of 50 items: three chats with different filters each
 * receive exactly the items their filters describe, and nothing else. The items are written with
 * what they are about known beforehand (America in either Arabic spelling, sport, the language), so
 * what each chat should get is read from how the feed was built, not from the filter code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleLimits, TELEGRAM_LIMITS } from '../../../src/core/delivery/pacing.js';
import { NO_FILTERS } from '../../../src/core/filters.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Actor } from '../../../src/core/types.js';
import { createFeedRegistry } from '../../../src/sources/feeds/feedRegistry.js';
import { startFeedPoller } from '../../../src/sources/feeds/poller.js';
import { parseAllowList } from '../../../src/sources/web/addressGuard.js';
import { createFetcher } from '../../../src/sources/web/fetchResource.js';
import { fakeSender } from '../../support/fakeSender.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixtureServer.js';
import { startCore } from '../../support/services.js';

const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1' };
const RSS = 'application/rss+xml; charset=utf-8';

/** One feed item and what it is about, known by construction. */
interface FixtureItem {
  readonly title: string;
  readonly text: string;
  readonly language: 'ar' | 'en';
  /** Mentions America in Arabic, in either spelling (أمريكي or أميركي). */
  readonly america: boolean;
  /** Is about sport (الرياضة, sports). */
  readonly sport: boolean;
}

const CITIES_AR = ['الرباط', 'تونس', 'عمّان', 'الدوحة', 'بيروت', 'مسقط', 'الجزائر', 'القاهرة', 'الكويت', 'المنامة', 'جدة', 'صنعاء', 'بغداد'];
const CITIES_EN = ['Leeds', 'Oslo', 'Lyon', 'Porto', 'Turin', 'Ghent', 'Bergen', 'Graz', 'Malmo', 'Cork', 'Basel', 'Split'];

/** 50 items: Arabic and English; some about America (in both Arabic spellings), some about sport, some both, some neither. */
function fixtureItems(): FixtureItem[] {
  const items: FixtureItem[] = [];
  for (let i = 0; i < 26; i++) {
    const city = CITIES_AR[i % CITIES_AR.length]!;
    const day = i + 1;
    const america = i % 3 === 0;
    const sport = i % 4 === 1 || i === 12;
    // Half the American items spell it أميركي, half أمريكي; the subscriber types a third form.
    const us = i % 2 === 0 ? 'الأمريكية' : 'الأميركية';
    const topic = sport ? `افتتح وزير الرياضة في ${city} ملعبا جديدا يتسع لعشرين ألف متفرج` : `أعلنت بلدية ${city} عن خطة لتوسيع شبكة الحافلات في الأحياء الشرقية`;
    const extra = america ? ` بحضور وفد من السفارة ${us} ورجال أعمال من الولايات المتحدة.` : ' بحضور ممثلين عن السكان وجمعيات الأحياء.';
    items.push({
      title: sport ? `ملعب جديد في ${city} (${day})` : `خطة للنقل في ${city} (${day})`,
      text: `${topic} في اليوم ${day} من الشهر${extra} وقال المسؤولون إن الأشغال ستنتهي قبل نهاية العام، وإن الكلفة ستغطى من ميزانية المدينة.`,
      language: 'ar',
      america,
      sport,
    });
  }
  for (let i = 0; i < 24; i++) {
    const city = CITIES_EN[i % CITIES_EN.length]!;
    const day = i + 1;
    const sport = i % 3 === 0;
    items.push({
      title: sport ? `${city} opens a new stadium (${day})` : `${city} extends its tram lines (${day})`,
      text: sport
        ? `The sports minister opened a stadium in ${city} on day ${day}, with seats for twenty thousand. Officials said the clubs of the region would share it from next season.`
        : `${city} will extend its tram lines to the eastern districts, the council said on day ${day}. Work starts in spring and is paid for from the city budget.`,
      language: 'en',
      america: false,
      sport,
    });
  }
  return items;
}

function rss(base: string, items: readonly FixtureItem[]): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const entries = items.map(
    (item, n) => `  <item>
    <title>${escape(item.title)}</title>
    <link>${base}/filters/${n}.html</link>
    <guid isPermaLink="false">filters-${n}</guid>
    <pubDate>${new Date(Date.UTC(2026, 2, 1, 8, n)).toUTCString()}</pubDate>
    <description>${escape(item.text)}</description>
  </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n  <title>Filters fixture</title>\n  <link>${base}/</link>\n  <description>50 items</description>\n${entries.join('\n')}\n</channel>\n</rss>\n`;
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

async function rig() {
  const sender = fakeSender();
  // The items are built from a few templates, so the story check would rightly take many of them
  // for one story told twice; this spec is about filters, so every item is its own story here.
  const core = await startCore({ adminId: 'telegram:1', sender, limits: scaleLimits(TELEGRAM_LIMITS, 50), env: { STORY_WINDOW_HOURS: '0' } });
  const registry = createFeedRegistry({ feeds: core.storage.feeds, isAdmin: (actor) => core.desk.isAdmin(actor) });
  const poller = startFeedPoller({
    registry,
    desk: core.desk,
    leases: core.storage.leases,
    fetch: createFetcher({ timeoutMs: 2_000, maxBytes: 1024 * 1024, maxRedirects: 5, allow: parseAllowList(['127.0.0.1']) }),
    logger: silentLogger,
    intervalMs: 15 * 60_000,
    firstPollItems: 50,
    // Each item's description is its whole text: its page (not served) is not asked for.
    teaserChars: 50,
    maxItemsPerPoll: 50,
    checkEveryMs: 0,
    owner: 'test',
  });
  /** Titles each chat received, once everything queued is sent. */
  const receivedBy = async (chatId: string) => {
    await core.delivery.settled();
    // idle() can resolve while a chat's next delivery waits out the per-chat gap in the database
    // (50 messages go into one chat here), so the outbox itself is asked until nothing is pending.
    do await core.delivery.worker.idle();
    while ((await core.delivery.report()).pending > 0);
    return sender.received
      .filter((r) => r.chatId === chatId)
      .flatMap((r) => (r.message.kind === 'digest' ? r.message.summaries.map((s) => s.title) : r.message.kind === 'follow-update' ? [] : [r.message.summary.title]))
      .sort();
  };
  return { ...core, poller, sender, receivedBy };
}

const titles = (items: readonly FixtureItem[]) => items.map((item) => item.title).sort();

describe('filters on a feed of 50 items', () => {
  it('give each of three subscriptions exactly its items: an Arabic word in another spelling, an excluded word, English only', async () => {
    const items = fixtureItems();
    expect(items).toHaveLength(50);
    const r = await rig();
    const chat = (chatId: string) => ({ platform: 'telegram', chatId, kind: 'private' as const });
    for (const chatId of ['america', 'no-sport', 'english', 'everything']) await r.subscriptions.subscribe(chat(chatId), { mode: 'each' }, new Date());
    // Typed أمريكي with neither the article's ال nor its ة: each item spells it الأمريكية or الأميركية.
    await r.subscriptions.setFilters('telegram:america', { ...NO_FILTERS, include: ['أمريكي'] }, new Date());
    await r.subscriptions.setFilters('telegram:no-sport', { ...NO_FILTERS, exclude: ['رياضة', 'sport'] }, new Date());
    await r.subscriptions.setFilters('telegram:english', { ...NO_FILTERS, languages: ['en'] }, new Date());

    server.serve('/feeds/fifty.xml', rss(server.base, items), RSS);
    const { result } = await r.poller.addFeed(server.url('/feeds/fifty.xml'), admin);
    expect(result).toMatchObject({ posted: 50 });

    expect(await r.receivedBy('everything')).toEqual(titles(items));
    expect(await r.receivedBy('america')).toEqual(titles(items.filter((item) => item.america)));
    expect(await r.receivedBy('no-sport')).toEqual(titles(items.filter((item) => !item.sport)));
    expect(await r.receivedBy('english')).toEqual(titles(items.filter((item) => item.language === 'en')));
    // The spelling variant is really exercised: both spellings are among what the first chat got.
    const america = items.filter((item) => item.america);
    expect(america.some((item) => item.text.includes('الأميركية')) && america.some((item) => item.text.includes('الأمريكية'))).toBe(true);
    await r.poller.stop();
  });

  it('keep a blocked article out of a digest too, and let a feed filter take only that feed', async () => {
    const r = await rig();
    const digestChat = { platform: 'telegram', chatId: 'digest', kind: 'private' as const };
    const subscribedAt = new Date(Date.now() - 60_000);
    await r.subscriptions.subscribe(digestChat, { mode: 'digest', digestTime: '00:00' }, subscribedAt);
    await r.subscriptions.setFilters('telegram:digest', { ...NO_FILTERS, exclude: ['sport'], feeds: [new URL(server.base).host] }, subscribedAt);
    const items = fixtureItems().filter((item) => item.language === 'en').slice(0, 6);
    server.serve('/feeds/six.xml', rss(server.base, items), RSS);
    await r.poller.addFeed(server.url('/feeds/six.xml'), admin);
    // A pasted article is from no feed: the feed filter keeps it out.
    await r.desk.postArticle({ text: 'The tram lines of Hull will reach the harbour next year, the council said. Work begins in May.' }, admin);
    await r.delivery.settled();
    // The next midnight slot after the articles were posted.
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 30, 0);
    expect(await r.delivery.runDigests(tomorrow.getTime())).toBe(1);
    expect(await r.receivedBy('digest')).toEqual(titles(items.filter((item) => !item.sport)));
    await r.poller.stop();
  });
});
