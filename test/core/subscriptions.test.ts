import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { createSubscriptions } from '../../src/core/subscriptions.js';

const dir = mkdtempSync(join(tmpdir(), 'akhbar-subs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chat = { platform: 'telegram', chatId: '-1001', kind: 'channel' as const, name: '@news' };

describe('subscriptions', () => {
  it('subscribes, changes mode and language, lists, and unsubscribes — durably', async () => {
    const url = `sqlite://${join(dir, 'subs.sqlite')}`;
    const storage = await openStorage(url);
    const subs = createSubscriptions(storage.subscriptions, 'Africa/Algiers');
    const created = await subs.subscribe(chat, { mode: 'each' }, new Date('2026-11-01T00:00:00Z'));
    expect(created).toMatchObject({ id: 'telegram:-1001', mode: 'each', active: true });
    const changed = await subs.subscribe(chat, { mode: 'digest', digestTime: '07:30', language: 'en' }, new Date('2026-11-02T00:00:00Z'));
    expect(changed).toMatchObject({ mode: 'digest', digestTime: '07:30', timeZone: 'Africa/Algiers', language: 'en', createdAt: created.createdAt });
    await storage.close();

    const reopened = createSubscriptions((await openStorage(url)).subscriptions, 'UTC');
    expect(await reopened.list()).toHaveLength(1);
    expect(await reopened.unsubscribe(chat)).toBe(true);
    expect(await reopened.unsubscribe(chat)).toBe(false);
    expect(await reopened.list()).toEqual([]);
  });

  it('refuses a digest without a valid time', async () => {
    const subs = createSubscriptions((await openStorage('memory://')).subscriptions, 'UTC');
    await expect(subs.subscribe(chat, { mode: 'digest', digestTime: '25:00' }, new Date())).rejects.toThrow(/HH:MM/);
  });

  it('reactivates a deactivated chat that subscribes again', async () => {
    const subs = createSubscriptions((await openStorage('memory://')).subscriptions, 'UTC');
    await subs.subscribe(chat, { mode: 'each' }, new Date());
    await subs.deactivate('telegram:-1001', 'Forbidden: bot was kicked', new Date());
    expect(await subs.get('telegram:-1001')).toMatchObject({ active: false, inactiveReason: 'Forbidden: bot was kicked' });
    expect(await subs.subscribe(chat, { mode: 'each' }, new Date())).toMatchObject({ active: true });
    expect((await subs.get('telegram:-1001'))!.inactiveReason).toBeUndefined();
  });
});
