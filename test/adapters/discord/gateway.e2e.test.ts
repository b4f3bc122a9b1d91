/**
 * Several instances on one database, one Discord bot: the real discord.js Client against the fake
 * gateway, with the gateway lease on a shared SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/ports.js';
import { openStorage } from '../../../src/storage/index.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startDiscordBot } from '../../support/discordBot.js';
import { startFakeDiscord, type FakeDiscord } from '../../support/fakeDiscord.js';

const MEMBER = '500000000000000002';
const MANAGE_CHANNELS = String(1 << 4);
const LEASE_MS = 800;
const RENEW_MS = 100;
const dir = mkdtempSync(join(tmpdir(), 'akhbar-gateway-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** One instance: its own core, and the gateway lease on the shared database `db`. */
async function instance(fake: FakeDiscord, db: Storage, owner: string) {
  const bot = await startDiscordBot(fake, { gateway: { leases: db.leases, owner, leaseMs: LEASE_MS, renewMs: RENEW_MS } });
  cleanup.push(() => bot.stop());
  return bot;
}

describe('Discord gateway across instances', () => {
  it('is held by one instance; the other still delivers over REST, and takes the gateway over within the lease time when the holder dies', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const file = `sqlite://${join(dir, 'gateway.sqlite')}`;
    const dbA = await openStorage(file);
    const dbB = await openStorage(file);
    cleanup.push(() => dbB.close());

    await instance(fake, dbA, 'a');
    expect(fake.gatewayConnections).toBe(1);
    const b = await instance(fake, dbB, 'b');
    await new Promise((resolve) => setTimeout(resolve, RENEW_MS * 4));
    expect(fake.gatewayConnections).toBe(1);

    // A command is answered once, by the holder alone.
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
    await fake.waitFor(() => fake.interaction(sub.id).callbacks.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.interaction(sub.id).callbacks).toHaveLength(1);

    // The instance without the gateway sends its deliveries over REST all the same.
    await b.subscriptions.subscribe({ platform: 'discord', chatId: fake.channelId, kind: 'channel' }, { mode: 'each' }, new Date());
    await b.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    await fake.waitFor(() => fake.channelMessages.length === 1);

    // A's database goes away (as when its process dies): it cannot renew, lets go of the gateway
    // before its lease can run out, and B connects once the lease has.
    const diedAt = Date.now();
    await dbA.close();
    await fake.waitFor(() => fake.gatewayConnections === 0, LEASE_MS * 2);
    await fake.waitFor(() => fake.gatewayConnections === 1, LEASE_MS * 4);
    expect(Date.now() - diedAt).toBeLessThan(LEASE_MS + RENEW_MS + 1_500);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(LEASE_MS - RENEW_MS);
    const again = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
    await fake.waitFor(() => fake.interaction(again.id).callbacks.length > 0);
    expect(fake.mostGatewayConnections).toBe(1);
  });

  it('passes to the other instance at once when the holder stops, and the stopped one no longer counts as connected', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const file = `sqlite://${join(dir, 'handover.sqlite')}`;
    const dbA = await openStorage(file);
    const dbB = await openStorage(file);
    cleanup.push(() => dbA.close());
    cleanup.push(() => dbB.close());
    const a = await instance(fake, dbA, 'a');
    const b = await instance(fake, dbB, 'b');
    // For readiness: A's gateway is up; B has none to keep while it stands by.
    expect(a.adapter.connected()).toBe(true);
    expect(b.adapter.connected()).toBe(true);
    const stoppedAt = Date.now();
    await a.adapter.stop();
    expect(a.adapter.connected()).toBe(false);
    await fake.waitFor(() => fake.gatewayConnections === 1, LEASE_MS * 2);
    // Given back, not left to run out: the next try takes it.
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    expect(fake.mostGatewayConnections).toBe(1);
  });
});
