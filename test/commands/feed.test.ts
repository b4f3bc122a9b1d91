/**
 * /feed: admins follow RSS and Atom feeds, list them and stop following them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../support/fixtureServer.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

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
    expect(shown(await run(s, admin, 'feed', 'add'))).toBe('Usage: /feed add <url>, /feed list, /feed remove <id>');
    expect(shown(await run(s, admin, 'feed', 'frobnicate'))).toBe('Usage: /feed add <url>, /feed list, /feed remove <id>');

    const added = shown(await run(s, admin, 'feed', `add ${web.url('/ar-feed.xml')}`));
    const id = /^Following feed ([0-9a-f]{8}): /.exec(added)?.[1];
    expect(id).toBeDefined();
    const list = await run(s, admin, 'feed', 'list');
    expect(shown(list).split('\n')[0]).toBe('Followed feeds (1):');
    expect(list.blocks[1]).toMatchObject({ kind: 'items', items: [{ id, text: expect.stringContaining(web.url('/ar-feed.xml')) }] });
    expect(shown(await run(s, admin, 'feed', `remove ${id}`))).toBe(`Stopped following feed ${id}: ${web.url('/ar-feed.xml')}`);
    expect(shown(await run(s, admin, 'feed', `remove ${id}`))).toBe(`No followed feed matches "${id}".`);
  });
});
