/**
 * /status: the admins' delivery figures, with the counts of the newest articles first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../support/fixtures.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('/status', () => {
  it('is for admins, and names what it refused', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    expect(shown(await run(s, asker(), 'status'))).toBe('Only admins can see the delivery figures.');
  });

  it('shows the totals, the subscribers and each article’s counts, newest article first', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    await s.subscriptions!.subscribe({ platform: 'telegram', chatId: '9', kind: 'private' }, { mode: 'each' }, new Date());
    const older = await s.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await s.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const lines = async () => shown(await run(s, asker({ admin: true }), 'status')).split('\n');
    const queued = (report: string[]) => [older, newer].every(({ article }) => report.some((line) => line.startsWith(article.id)));
    for (let i = 0; i < 100 && !queued(await lines()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const report = await lines();
    expect(report[0]).toMatch(/^Delivery: pending \d+ · sent \d+ · failed 0 · chat gone 0$/);
    expect(report[1]).toBe('subscribers: 1 active, 0 stopped');
    expect(report[2]).toBe('Newest articles:');
    expect(report[3]).toMatch(new RegExp(`^${newer.article.id} pending`));
    expect(report[4]).toMatch(new RegExp(`^${older.article.id} pending`));
  });
});
