/**
 * /feed: admins follow RSS and Atom feeds, list them and stop following them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../support/fixtureServer.js';
import type { FileInput } from '../../src/commands/types.js';
import type { FeedRecord } from '../../src/core/types.js';
import { parseOpml, writeOpml } from '../../src/sources/feeds/opml.js';
import { asker, commandServices, run, shown } from '../support/commands.js';
import { hundredFeeds } from '../support/opmlFeeds.js';

function file(name: string, text: string): FileInput {
  return { name, size: Buffer.byteLength(text), contentType: 'text/x-opml', read: async () => text };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('/feed', () => {
  it('adds, lists and removes a feed for an admin, explains its usage, and refuses anyone else', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const web = await startFixtureServer();
    stops.push(() => web.close());
    const admin = asker({ admin: true });
    // The refusal names what was refused (it said "Only admins can post articles.").
    expect(shown(await run(s, asker(), 'feed', 'list'))).toBe('Only admins can list, follow or remove feeds.');
    expect(shown(await run(s, asker({ language: 'ar' }), 'feed', 'list'))).toBe('عرض المصادر ومتابعتها وحذفها للمشرفين فقط.');
    expect(shown(await run(s, admin, 'feed'))).toBe('No feeds are followed. Add one with /feed add <url>.');
    expect(shown(await run(s, admin, 'feed', 'add'))).toBe('Usage: /feed add <url>, /feed list, /feed remove <id>, /feed resume <id>, /feed import (with an OPML file), /feed export');
    expect(shown(await run(s, admin, 'feed', 'frobnicate'))).toBe('Usage: /feed add <url>, /feed list, /feed remove <id>, /feed resume <id>, /feed import (with an OPML file), /feed export');

    const added = shown(await run(s, admin, 'feed', `add ${web.url('/ar-feed.xml')}`));
    const id = /^Following feed ([0-9a-f]{8}): /.exec(added)?.[1];
    expect(id).toBeDefined();
    const list = await run(s, admin, 'feed', 'list');
    expect(shown(list).split('\n')[0]).toBe('Followed feeds (1):');
    expect(list.blocks[1]).toMatchObject({ kind: 'items', items: [{ id, text: expect.stringContaining(web.url('/ar-feed.xml')) }] });
    expect(shown(await run(s, admin, 'feed', `remove ${id}`))).toBe(`Stopped following feed ${id}: ${web.url('/ar-feed.xml')}`);
    expect(shown(await run(s, admin, 'feed', `remove ${id}`))).toBe(`No followed feed matches "${id}".`);
  });

  it('imports 100 feeds from an OPML file and exports them again with nothing lost; an import of the same file keeps them all', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const admin = asker({ admin: true });
    const opml = writeOpml(hundredFeeds(), { title: 'elsewhere', createdAt: new Date('2026-03-01T00:00:00Z') });
    expect(shown(await run(s, admin, 'feed', { text: 'import', file: file('feeds.opml', opml) }))).toBe(
      'Following 100 new feed(s) from the OPML file. They are checked soon.',
    );
    const exported = await run(s, admin, 'feed', 'export');
    expect(shown(exported)).toBe('The 100 followed feed(s), as OPML.');
    expect(exported.attachment).toMatchObject({ name: 'akhbar-feeds.opml', contentType: 'text/x-opml' });
    // The same 100 feeds, field for field; listed oldest first, and among feeds added at once by id.
    const byUrl = (a: { url: string }, b: { url: string }) => a.url.localeCompare(b.url);
    expect(parseOpml(exported.attachment!.content).sort(byUrl)).toEqual(hundredFeeds().sort(byUrl));
    // Where they were added from is where the admins will be told, if one is paused.
    expect((await s.storage.feeds.list())[0]).toMatchObject({ addedBy: 'telegram:1', addedIn: { platform: 'telegram', chatId: '100', kind: 'private', language: 'en' } });
    expect(shown(await run(s, admin, 'feed', { text: 'import', file: file('again.opml', exported.attachment!.content) }))).toBe(
      'Following 0 new feed(s) from the OPML file; 100 were followed already and are kept as they are. They are checked soon.',
    );
    expect(await s.storage.feeds.list()).toHaveLength(100);
  });

  it('refuses a malformed OPML file, one with a feed that is not http(s), and one of too many feeds, storing nothing', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const admin = asker({ admin: true });
    const good = writeOpml(hundredFeeds().slice(0, 3), { title: 't', createdAt: new Date(0) });
    const broken = good.replace('</body>', '');
    expect(shown(await run(s, admin, 'feed', { text: 'import', file: file('broken.opml', broken) }))).toMatch(/^That is not a usable OPML file \(.+\)\. No feed was added\.$/);
    const ftp = good.replace('</body>', '<outline text="x" xmlUrl="ftp://files.example/feed"/></body>');
    expect(shown(await run(s, admin, 'feed', { text: 'import', file: file('ftp.opml', ftp) }))).toContain('ftp://files.example/feed');
    const many = Array.from({ length: 501 }, (_, n) => ({ url: `https://many-${n}.example/rss` }));
    expect(shown(await run(s, asker({ admin: true, language: 'ar' }), 'feed', { text: 'import', file: file('many.opml', writeOpml(many, { title: 't', createdAt: new Date(0) })) }))).toBe(
      'في ملف OPML ‏501 خلاصة؛ ويمكن استيراد 500 على الأكثر دفعة واحدة. لم تُضف أي خلاصة.',
    );
    expect(shown(await run(s, admin, 'feed', 'import'))).toBe('Send the OPML file with /feed import as its caption, or reply /feed import to it.');
    expect(shown(await run(s, asker(), 'feed', { text: 'import', file: file('good.opml', good) }))).toBe('Only admins can list, follow or remove feeds.');
    expect(await s.storage.feeds.list()).toEqual([]);
  });

  it('lists each feed’s last success, articles posted and last error, and a paused feed as paused with how to resume it', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const base = { addedBy: 'telegram:1', addedAt: '2026-03-01T08:00:00.000Z', nextCheckAt: '2026-03-17T08:00:00.000Z', seen: [] };
    const error = { at: '2026-03-17T07:45:00.000Z', code: 'LINK_UNREACHABLE' as const, details: { code: 'LINK_UNREACHABLE' as const, url: 'https://down.example/rss', reason: 'http-status' as const, status: 503 } };
    const healthy: FeedRecord = { ...base, id: 'aaaa0001', url: 'https://up.example/rss', title: 'Up', failures: 0, lastCheckedAt: '2026-03-17T07:30:00.000Z', itemsPosted: 12, lastError: { ...error, at: '2026-03-10T06:00:00.000Z' } };
    const paused: FeedRecord = { ...base, id: 'bbbb0002', url: 'https://down.example/rss', failures: 10, lastError: error, paused: { at: error.at, failures: 10, error } };
    await s.storage.feeds.insertMany([healthy, paused]);
    const lines = shown(await run(s, asker({ admin: true }), 'feed', 'list')).split('\n');
    expect(lines[1]).toMatch(/^aaaa0001 Up — https:\/\/up\.example\/rss {2}\(last read 2026-03-17 07:30 · 12 article\(s\) posted · last error 2026-03-10 06:00: .*503.*\)$/);
    expect(lines[2]).toMatch(/^bbbb0002 https:\/\/down\.example\/rss {2}\(PAUSED since 2026-03-17 07:45 after 10 failed checks; \/feed resume bbbb0002 · not checked yet · last error 2026-03-17 07:45: .*503.*\)$/);
    const arabic = shown(await run(s, asker({ admin: true, language: 'ar' }), 'feed', 'list'));
    expect(arabic).toContain('موقوفة منذ 2026-03-17 07:45 بعد 10 من المحاولات الفاشلة');
  });
});
