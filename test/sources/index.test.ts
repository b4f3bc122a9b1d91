/**
 * Who is told when a feed is paused: the chat it was added from, else every Telegram admin in a
 * private chat (a feed added at the console or CLI).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DeliveryTarget, Notice } from '../../src/core/delivery/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { openNewsDesk } from '../../src/core/newsDesk.js';
import type { FeedRecord } from '../../src/core/types.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { fetcherFromSettings, openSources, type Sources } from '../../src/sources/index.js';
import { openStorage } from '../../src/storage/index.js';
import { startFixtureServer } from '../support/fixtureServer.js';
import { until } from '../support/telegramBot.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function pausedNotices(addedIn: FeedRecord['addedIn']): Promise<{ target: DeliveryTarget; notice: Notice }[]> {
  const web = await startFixtureServer();
  stops.push(() => web.close());
  const config = loadConfig({ ADMIN_IDS: 'telegram:11,telegram:12,discord:13', FEED_MAX_FAILURES: '1' });
  const storage = await openStorage('memory://');
  const desk = await openNewsDesk({ storage, engine: createExtractiveEngine(), logger: silentLogger, settings: config });
  const told: { target: DeliveryTarget; notice: Notice }[] = [];
  const sources: Sources = openSources({
    desk,
    storage,
    logger: silentLogger,
    fetch: fetcherFromSettings({ ...config, fetchAllowHosts: ['127.0.0.1'] }),
    settings: config,
    owner: 'spec',
    checkEveryMs: 10,
    adminIds: config.adminIds,
    notify: async (target, notice) => {
      told.push({ target, notice });
      return { kind: 'sent' };
    },
  });
  stops.push(() => sources.stop());
  await storage.feeds.insert({
    id: 'feed0001',
    url: web.url('/gone-feed.xml'),
    addedBy: addedIn ? `${addedIn.platform}:11` : 'operator',
    addedAt: new Date(0).toISOString(),
    ...(addedIn ? { addedIn } : {}),
    nextCheckAt: new Date(0).toISOString(),
    failures: 0,
    seen: [],
  });
  await until(() => told.length > 0, 'a paused-feed notice');
  // One round more: nobody is told twice.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return told;
}

describe('the paused-feed notice', () => {
  it('goes to the chat the feed was added from, in that chat’s language', async () => {
    const told = await pausedNotices({ platform: 'discord', chatId: '900', kind: 'channel', language: 'ar' });
    expect(told).toEqual([{ target: { platform: 'discord', chatId: '900', kind: 'channel', language: 'ar' }, notice: expect.objectContaining({ kind: 'feed-paused', language: 'ar' }) }]);
    expect(told[0]!.notice.feed).toMatchObject({ id: 'feed0001', failures: 1, paused: { failures: 1 } });
  });

  it('goes to each Telegram admin’s private chat when the feed was added at the console or CLI', async () => {
    const told = await pausedNotices(undefined);
    expect(told.map((t) => t.target)).toEqual([
      { platform: 'telegram', chatId: '11', kind: 'private' },
      { platform: 'telegram', chatId: '12', kind: 'private' },
    ]);
  });
});
