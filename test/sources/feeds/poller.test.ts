import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scaleLimits, TELEGRAM_LIMITS } from '../../../src/core/delivery/pacing.js';
import { AkhbarError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { noTelemetry } from '../../../src/core/telemetry.js';
import type { Actor, FeedRecord } from '../../../src/core/types.js';
import { createFeedRegistry } from '../../../src/sources/feeds/feedRegistry.js';
import { startFeedPoller, type FeedPollerOptions } from '../../../src/sources/feeds/poller.js';
import { parseAllowList } from '../../../src/sources/web/addressGuard.js';
import { createFetcher } from '../../../src/sources/web/fetchResource.js';
import { fakeSender } from '../../support/fakeSender.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixtureServer.js';
import { startCore } from '../../support/services.js';

const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1' };
const stranger: Actor = { kind: 'user', platform: 'telegram', userId: '2' };
const RSS = 'application/rss+xml; charset=utf-8';
const INTERVAL_MS = 15 * 60_000;

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fetch = createFetcher({ timeoutMs: 2_000, maxBytes: 1024 * 1024, maxRedirects: 5, allow: parseAllowList(['127.0.0.1']) });

/** Desk, delivery to one subscribed chat, a feed registry and a poller with a settable clock. */
async function rig(options: Partial<FeedPollerOptions> = {}) {
  const sender = fakeSender();
  const core = await startCore({ adminId: 'telegram:1', sender, limits: scaleLimits(TELEGRAM_LIMITS, 20) });
  await core.subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date());
  const clock = { now: Date.parse('2026-03-17T08:00:00Z') };
  const now = () => new Date(clock.now);
  const registry = createFeedRegistry({ feeds: core.storage.feeds, isAdmin: (actor) => core.desk.isAdmin(actor), now });
  const poller = startFeedPoller({
    registry,
    desk: core.desk,
    leases: core.storage.leases,
    fetch,
    logger: silentLogger,
    intervalMs: INTERVAL_MS,
    firstPollItems: 3,
    checkEveryMs: 0,
    owner: 'test',
    now,
    ...options,
  });
  const delivered = async () => {
    await core.delivery.settled();
    await core.delivery.worker.idle();
    return sender.received.map((r) => (r.message.kind === 'article' ? r.message.summary.title : r.message.kind));
  };
  return { ...core, sender, clock, registry, poller, delivered };
}

async function failure(promise: Promise<unknown>): Promise<AkhbarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AkhbarError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const withNewItem = (feed: string) => feed.replace('  <item>', `${server.fixture('ar-feed-new-item.txt')}  <item>`);

describe('following an Arabic RSS feed', () => {
  it('posts only the newest items on the first poll, reading the teaser’s page, and delivers them in order', async () => {
    const r = await rig();
    server.serve('/feeds/first.xml', server.fixture('ar-feed.xml'), RSS);
    const pageHits = server.hits('/ar-news.html');
    const { feed, result } = await r.poller.addFeed(server.url('/feeds/first.xml'), admin);
    expect(result).toMatchObject({ status: 'checked', posted: 3, passedOver: 2, failedItems: 0 });
    expect(r.desk.articleCount).toBe(3);
    // The bridge item is a one-line teaser: its page was fetched and read instead.
    expect(server.hits('/ar-news.html')).toBe(pageHits + 1);
    const bridge = (await r.desk.listArticles()).items.find((a) => a.title.includes('جسر'))!;
    const bridgeArticle = await r.desk.getArticle(bridge.id);
    expect(bridgeArticle).toMatchObject({ url: 'https://akhbar-alwaha.example/news/2026/03/bridge', source: 'feed', byline: 'ليلى حداد', postedBy: `feed:127.0.0.1:${server.port}` });
    expect(bridgeArticle.text).toContain('ويبلغ طول الجسر ستمئة وأربعين مترا');
    // Oldest of the three first, as published.
    expect(await r.delivered()).toEqual([
      'افتتاح جسر وادي الرمال يربط شطري مدينة النخيل',
      'جامعة النخيل تفتتح مختبرا لتحلية المياه بالطاقة الشمسية',
      'انطلاق مهرجان التمور السنوي في الساحة الكبرى',
    ]);
    expect(feed).toMatchObject({ title: 'أخبار الواحة - محليات', failures: 0, lastCheckedAt: '2026-03-17T08:00:00.000Z', nextCheckAt: '2026-03-17T08:15:00.000Z' });
    expect(feed.etag).toBeDefined();
    // Every item of the feed is remembered, posted or passed over, so none of them comes later.
    expect(feed.seen).toHaveLength(5);
    expect((await r.registry.find(feed.id)).seen).toEqual(feed.seen);
  });

  it('posts nothing when the second poll gets 304, then posts and delivers only a new item, by GUID', async () => {
    const r = await rig();
    const base = server.fixture('ar-feed.xml');
    server.serve('/feeds/later.xml', base, RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/later.xml'), admin);
    await r.delivered();
    r.sender.received.length = 0;

    r.clock.now += INTERVAL_MS;
    expect((await r.registry.due(new Date(r.clock.now))).map((f) => f.id)).toEqual([feed.id]);
    const unchanged = await r.poller.pollDue();
    expect(unchanged).toMatchObject([{ feedId: feed.id, status: 'not-modified', posted: 0 }]);
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe(feed.etag);
    expect(r.desk.articleCount).toBe(3);

    // A new item; and a known GUID whose title and link were edited is still the same item.
    const edited = withNewItem(base).replace('انطلاق مهرجان التمور السنوي', 'انطلاق مهرجان التمور السنوي (محدث)').replace('ar-dates-festival.html', 'ar-dates-festival-2.html');
    server.serve('/feeds/later.xml', edited, RSS);
    r.clock.now += INTERVAL_MS;
    const next = await r.poller.pollOnce(feed.id);
    expect(next).toMatchObject({ status: 'checked', posted: 1, passedOver: 0 });
    expect(r.desk.articleCount).toBe(4);
    expect(await r.delivered()).toEqual(['بلدية النخيل تطلق مسابقة لتصميم الحديقة المركزية']);
    expect((await r.registry.find(feed.id)).seen).toHaveLength(6);
  });

  it('reports each check of a feed to monitoring by its status: not modified, checked, failed', async () => {
    const statuses: string[] = [];
    const r = await rig({ telemetry: { ...noTelemetry, feedFetched: (status) => statuses.push(status) } });
    server.serve('/feeds/counted.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/counted.xml'), admin);
    await r.poller.pollOnce(feed.id);
    server.serve('/feeds/counted.xml', withNewItem(server.fixture('ar-feed.xml')), RSS);
    await r.poller.pollOnce(feed.id);
    server.serve('/feeds/counted.xml', server.fixture('broken-feed.xml'), RSS);
    await r.poller.pollOnce(feed.id);
    expect(statuses).toEqual(['not-modified', 'checked', 'failed']);
  });

  it('records a feed whose XML breaks, backs off exponentially, stores nothing, and recovers', async () => {
    const r = await rig();
    server.serve('/feeds/flaky.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/flaky.xml'), admin);
    server.serve('/feeds/flaky.xml', server.fixture('broken-feed.xml'), RSS);

    r.clock.now += INTERVAL_MS;
    const broken = await r.poller.pollOnce(feed.id);
    expect(broken).toMatchObject({ status: 'failed', posted: 0 });
    expect(broken.error?.code).toBe('FEED_INVALID');
    const once = await r.registry.find(feed.id);
    expect(once).toMatchObject({ failures: 1, lastError: { code: 'FEED_INVALID', at: '2026-03-17T08:15:00.000Z' }, nextCheckAt: '2026-03-17T08:45:00.000Z' });
    expect(once.seen).toEqual(feed.seen);
    expect(r.desk.articleCount).toBe(3);

    r.clock.now = Date.parse(once.nextCheckAt);
    await r.poller.pollDue();
    expect(await r.registry.find(feed.id)).toMatchObject({ failures: 2, nextCheckAt: '2026-03-17T09:45:00.000Z' });

    server.serve('/feeds/flaky.xml', withNewItem(server.fixture('ar-feed.xml')), RSS);
    r.clock.now = Date.parse('2026-03-17T09:45:00Z');
    expect(await r.poller.pollOnce(feed.id)).toMatchObject({ status: 'checked', posted: 1 });
    const healthy = await r.registry.find(feed.id);
    expect(healthy.failures).toBe(0);
    // The last error stays on record for /feed list; no failures in a row says it is over.
    expect(healthy.lastError).toMatchObject({ code: 'FEED_INVALID', at: '2026-03-17T08:45:00.000Z' });
    expect(healthy.nextCheckAt).toBe('2026-03-17T10:00:00.000Z');
  });

  it('caps the backoff', async () => {
    const r = await rig({ backoffCapMs: 60 * 60_000 });
    const feed = await r.registry.add(server.url('/missing-feed.xml'), admin);
    for (let i = 0; i < 4; i++) await r.poller.pollOnce(feed.id);
    const failing = await r.registry.find(feed.id);
    expect(failing).toMatchObject({ failures: 4, lastError: { code: 'LINK_UNREACHABLE', details: { reason: 'http-status', status: 404 } } });
    expect(Date.parse(failing.nextCheckAt) - r.clock.now).toBe(60 * 60_000);
  });
});

describe('following an English Atom feed', () => {
  it('posts every entry when the first-poll limit allows, in English, as feed:<host>', async () => {
    const r = await rig({ firstPollItems: 10 });
    const { result } = await r.poller.addFeed(server.url('/en-atom.xml'), admin);
    expect(result).toMatchObject({ posted: 3, passedOver: 0 });
    const articles = await Promise.all((await r.desk.listArticles()).items.map((item) => r.desk.getArticle(item.id)));
    expect(articles.map((a) => a.language)).toEqual(['en', 'en', 'en']);
    expect(articles.find((a) => a.title === 'Ferry timetable changes from next week')).toMatchObject({
      url: server.url('/news/ferry-timetable'),
      byline: 'Priya Shah',
      publishedAt: '2026-02-05T18:00:00.000Z',
      postedBy: `feed:127.0.0.1:${server.port}`,
    });
    expect(await r.delivered()).toHaveLength(3);
  });
});

describe('adding a feed', () => {
  it.each([
    ['broken XML', '/broken-feed.xml', 'FEED_INVALID'],
    ['an HTML page', '/en-news.html', 'FEED_INVALID'],
    ['a dead link', '/no-such-feed.xml', 'LINK_UNREACHABLE'],
    ['a redirect loop', '/redirect/loop-a', 'LINK_TOO_MANY_REDIRECTS'],
  ])('refuses %s and stores nothing', async (_what, path, code) => {
    const r = await rig();
    expect((await failure(r.poller.addFeed(server.url(path), admin))).code).toBe(code);
    expect(await r.registry.list()).toEqual([]);
    expect(r.desk.articleCount).toBe(0);
  });

  it('refuses a feed already followed, and anyone but an admin, before fetching', async () => {
    const r = await rig();
    server.serve('/feeds/once.xml', server.fixture('ar-feed.xml'), RSS);
    await r.poller.addFeed(server.url('/feeds/once.xml'), admin);
    const hits = server.hits('/feeds/once.xml');
    expect((await failure(r.poller.addFeed(server.url('/feeds/once.xml?utm_source=x'), admin))).code).toBe('FEED_EXISTS');
    expect((await failure(r.poller.addFeed(server.url('/en-atom.xml'), stranger))).code).toBe('NOT_ADMIN');
    expect(server.hits('/feeds/once.xml')).toBe(hits);
    expect(await r.registry.list()).toHaveLength(1);
  });
});

describe('polling', () => {
  it('posts the other items when one item’s page fails, tries that page at the next polls, and takes the teaser after the third try', async () => {
    const r = await rig({ firstPollItems: 10 });
    const atom = server.fixture('en-atom.xml');
    // A second entry becomes a one-line teaser whose page is gone: too short to post on its own.
    const teaser = atom.replace(/<content type="html">&lt;p&gt;Volunteers[\s\S]*?<\/content>/, '<summary>Three kayakers rescued.</summary>').replace('/news/lifeboat-kayakers', '/gone.html');
    server.serve('/feeds/partial.xml', teaser, 'application/atom+xml');
    const { result } = await r.poller.addFeed(server.url('/feeds/partial.xml'), admin);
    expect(result).toMatchObject({ posted: 2, failedItems: 0, retryLater: 1 });
    expect(server.hits('/gone.html')).toBe(1);
    // Not seen yet: the next poll selects it again.
    const first = (await r.registry.list())[0]!;
    expect(first.seen).toHaveLength(2);
    expect(first.retryItems).toEqual([{ id: expect.any(String), tries: 1 }]);

    r.clock.now += INTERVAL_MS;
    expect(await r.poller.pollOnce(first.id)).toMatchObject({ posted: 0, retryLater: 1 });
    expect((await r.registry.find(first.id)).retryItems).toEqual([{ id: first.retryItems![0]!.id, tries: 2 }]);
    r.clock.now += INTERVAL_MS;
    // The third try: the page is still gone, the teaser is all there is, and it is too short to post.
    expect(await r.poller.pollOnce(first.id)).toMatchObject({ posted: 0, failedItems: 1 });
    expect(server.hits('/gone.html')).toBe(3);
    const settled = await r.registry.find(first.id);
    expect(settled.seen).toHaveLength(3);
    expect(settled.retryItems).toBeUndefined();
    r.clock.now += INTERVAL_MS;
    await r.poller.pollOnce(first.id);
    expect(server.hits('/gone.html')).toBe(3);
  });

  it('posts an item whose page failed once when the page is back at the next poll', async () => {
    const r = await rig({ firstPollItems: 10 });
    let pageUp = false;
    server.route('/flaky-page.html', (_req, res) => {
      if (pageUp) res.writeHead(200, { 'content-type': 'text/html' }).end(server.fixture('en-news.html'));
      else res.writeHead(503).end();
    });
    const atom = server.fixture('en-atom.xml');
    const teaser = atom.replace(/<content type="html">&lt;p&gt;Volunteers[\s\S]*?<\/content>/, '<summary>Three kayakers rescued.</summary>').replace('/news/lifeboat-kayakers', '/flaky-page.html');
    server.serve('/feeds/flaky-page.xml', teaser, 'application/atom+xml');
    const { feed, result } = await r.poller.addFeed(server.url('/feeds/flaky-page.xml'), admin);
    expect(result).toMatchObject({ posted: 2, retryLater: 1 });
    pageUp = true;
    r.clock.now += INTERVAL_MS;
    expect(await r.poller.pollOnce(feed.id)).toMatchObject({ posted: 1, failedItems: 0 });
    const after = await r.registry.find(feed.id);
    expect(after).toMatchObject({ itemsPosted: 3, lastPostedAt: new Date(r.clock.now).toISOString() });
    expect(after.seen).toHaveLength(3);
  });

  it('skips a feed another process is polling', async () => {
    const r = await rig();
    const feed = await r.registry.add(server.url('/en-atom.xml'), admin);
    expect(await r.storage.leases.acquire(`feed-poll:${feed.id}`, 'other-process', 60_000)).toBe(true);
    const hits = server.hits('/en-atom.xml');
    expect(await r.poller.pollOnce(feed.id)).toMatchObject({ status: 'busy', posted: 0 });
    expect(server.hits('/en-atom.xml')).toBe(hits);
  });

  it('polls due feeds on its own timer until stopped', async () => {
    const r = await rig({ checkEveryMs: 20 });
    await r.registry.add(server.url('/en-atom.xml'), admin);
    await vi.waitFor(() => expect(r.desk.articleCount).toBe(3), { timeout: 5_000, interval: 20 });
    await r.poller.stop();
    const hits = server.hits('/en-atom.xml');
    r.clock.now += INTERVAL_MS;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.hits('/en-atom.xml')).toBe(hits);
  });
});

describe('feed health', () => {
  it('pauses a feed after its tenth failed check in a row, tells the admins once, polls it no more, and resumes it on request', async () => {
    const told: FeedRecord[] = [];
    const r = await rig({ maxFailures: 10, onPaused: async (feed) => void told.push(feed) });
    server.serve('/feeds/dying.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/dying.xml'), admin);
    server.route('/feeds/dying.xml', (_req, res) => res.writeHead(500).end());
    for (let i = 1; i <= 9; i++) {
      r.clock.now = Date.parse((await r.registry.find(feed.id)).nextCheckAt);
      expect(await r.poller.pollDue()).toMatchObject([{ status: 'failed' }]);
    }
    expect(told).toEqual([]);
    r.clock.now = Date.parse((await r.registry.find(feed.id)).nextCheckAt);
    expect(await r.poller.pollDue()).toMatchObject([{ status: 'failed', paused: true }]);
    const paused = await r.registry.find(feed.id);
    expect(paused).toMatchObject({ failures: 10, paused: { failures: 10, error: { code: 'LINK_UNREACHABLE', details: { status: 500 } } } });
    expect(told.map((f) => f.id)).toEqual([feed.id]);

    // Not due any more, however long one waits; a check by hand that fails again tells nobody again.
    const hits = server.hits('/feeds/dying.xml');
    r.clock.now += 7 * 24 * 60 * 60_000;
    expect(await r.poller.pollDue()).toEqual([]);
    expect(server.hits('/feeds/dying.xml')).toBe(hits);
    await r.poller.pollOnce(feed.id);
    expect(told).toHaveLength(1);

    server.serve('/feeds/dying.xml', withNewItem(server.fixture('ar-feed.xml')), RSS);
    expect(await failure(r.poller.resume(feed.id, stranger))).toMatchObject({ code: 'NOT_ADMIN' });
    const { feed: resumed, result } = await r.poller.resume(feed.id, admin);
    expect(result).toMatchObject({ status: 'checked', posted: 1 });
    expect(resumed.paused).toBeUndefined();
    expect(resumed.failures).toBe(0);
    expect((await r.registry.due(new Date(Date.parse(resumed.nextCheckAt)))).map((f) => f.id)).toEqual([feed.id]);
  });

  it('resumes a paused feed that an admin adds again', async () => {
    const r = await rig({ maxFailures: 1 });
    server.serve('/feeds/readd.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/readd.xml'), admin);
    server.route('/feeds/readd.xml', (_req, res) => res.writeHead(404).end());
    await r.poller.pollOnce(feed.id);
    expect((await r.registry.find(feed.id)).paused).toBeDefined();
    server.serve('/feeds/readd.xml', server.fixture('ar-feed.xml'), RSS);
    const again = await r.poller.addFeed(server.url('/feeds/readd.xml'), admin);
    expect(again).toMatchObject({ resumed: true, feed: { id: feed.id, failures: 0 } });
    expect(again.feed.paused).toBeUndefined();
  });

  it('waits as long as a server’s Retry-After asks, capped at a day, and never less than its own backoff', async () => {
    const r = await rig();
    let retryAfter = '7200';
    server.route('/feeds/busy.xml', (_req, res) => res.writeHead(429, { 'retry-after': retryAfter }).end());
    const feed = await r.registry.add(server.url('/feeds/busy.xml'), admin);
    await r.poller.pollOnce(feed.id);
    expect(Date.parse((await r.registry.find(feed.id)).nextCheckAt) - r.clock.now).toBe(2 * 60 * 60_000);
    retryAfter = String(3 * 24 * 60 * 60);
    await r.poller.pollOnce(feed.id);
    expect(Date.parse((await r.registry.find(feed.id)).nextCheckAt) - r.clock.now).toBe(24 * 60 * 60_000);
    // Three failures back off 8 intervals (2 h): a Retry-After of a minute does not shorten that.
    retryAfter = '60';
    await r.poller.pollOnce(feed.id);
    expect(Date.parse((await r.registry.find(feed.id)).nextCheckAt) - r.clock.now).toBe(8 * INTERVAL_MS);
  });

  it('checks a feed no sooner than its <ttl> asks, and never sooner than the poll interval', async () => {
    const r = await rig();
    const withTtl = (minutes: number) => server.fixture('ar-feed.xml').replace('<channel>', `<channel>\n  <ttl>${minutes}</ttl>`);
    server.serve('/feeds/ttl.xml', withTtl(180), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/ttl.xml'), admin);
    expect(Date.parse(feed.nextCheckAt) - r.clock.now).toBe(180 * 60_000);
    server.serve('/feeds/ttl.xml', withTtl(5), RSS);
    r.clock.now += 180 * 60_000;
    await r.poller.pollOnce(feed.id);
    expect(Date.parse((await r.registry.find(feed.id)).nextCheckAt) - r.clock.now).toBe(INTERVAL_MS);
    server.serve('/feeds/ttl.xml', withTtl(60 * 24 * 30), RSS);
    await r.poller.pollOnce(feed.id);
    expect(Date.parse((await r.registry.find(feed.id)).nextCheckAt) - r.clock.now).toBe(24 * 60 * 60_000);
  });

  it('follows a feed at its new address after a permanent redirect, and stays at its address after a temporary one', async () => {
    const r = await rig();
    server.serve('/feeds/new-home.xml', server.fixture('ar-feed.xml'), RSS);
    server.serve('/feeds/old-home.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed } = await r.poller.addFeed(server.url('/feeds/old-home.xml'), admin);
    server.route('/feeds/old-home.xml', (_req, res) => res.writeHead(301, { location: '/feeds/new-home.xml' }).end());
    r.clock.now += INTERVAL_MS;
    await r.poller.pollOnce(feed.id);
    const moved = await r.registry.find(feed.id);
    expect(moved).toMatchObject({ id: feed.id, url: server.url('/feeds/new-home.xml'), movedFrom: server.url('/feeds/old-home.xml'), failures: 0 });
    expect((await r.registry.findByUrl(server.url('/feeds/new-home.xml')))?.id).toBe(feed.id);
    const oldHits = server.hits('/feeds/old-home.xml');
    r.clock.now += INTERVAL_MS;
    await r.poller.pollOnce(feed.id);
    expect(server.hits('/feeds/old-home.xml')).toBe(oldHits);

    server.serve('/feeds/stays.xml', server.fixture('ar-feed.xml'), RSS);
    const { feed: staying } = await r.poller.addFeed(server.url('/feeds/stays.xml'), admin);
    server.route('/feeds/stays.xml', (_req, res) => res.writeHead(302, { location: '/feeds/new-home.xml' }).end());
    r.clock.now += INTERVAL_MS;
    expect((await r.poller.pollOnce(staying.id)).status).not.toBe('failed');
    expect((await r.registry.find(staying.id)).url).toBe(server.url('/feeds/stays.xml'));
  });

  it('reads a feed with bare ampersands and a BOM before its declaration, and posts its items', async () => {
    const r = await rig({ firstPollItems: 10, teaserChars: 10 });
    // Long enough to be articles: each description says its piece in a few sentences, ampersands and all.
    // Two different stories: a shared padding would make the two items one story, listed once.
    const ferries = ' The harbour board & the town council met on Monday. Ferries & buses will run to a new timetable from April, and fares rise a little.';
    const turbines = ' Three turbines & a battery store are planned off the point. The vote was close & the work starts after the summer storms.';
    const sloppy = server.fixture('sloppy-feed.xml').replace('and all.</p>', `and all.${turbines}</p>`).replace('leaves at six.', `leaves at six.${ferries}`);
    server.serve('/feeds/sloppy.xml', sloppy, RSS);
    const { result } = await r.poller.addFeed(server.url('/feeds/sloppy.xml'), admin);
    expect(result).toMatchObject({ status: 'checked', posted: 2 });
    expect((await r.desk.listArticles()).items.map((a) => a.title).sort()).toEqual(['Ferry timetable © the port authority', expect.stringMatching(/^Tides & turbines: the council votes\s?yes$/u)]);
  });
});
