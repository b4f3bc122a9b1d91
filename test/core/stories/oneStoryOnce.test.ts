import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../../src/core/delivery/index.js';
import type { NewsDesk } from '../../../src/core/newsDesk.js';
import { NO_FILTERS } from '../../../src/core/filters.js';
import type { Subscriptions } from '../../../src/core/subscriptions.js';
import type { Actor } from '../../../src/core/types.js';
import { articlePageView } from '../../../src/commands/views.js';
import { messages } from '../../../src/i18n/messages.js';
import { openStorage } from '../../../src/storage/index.js';
import { openTestDesk } from '../../support/desk.js';
import type { FakeSender } from '../../support/fakeSender.js';
import { sampleArticle } from '../../support/fixtures.js';
import { startTelegramDelivery } from '../../support/delivery.js';

const operator: Actor = { kind: 'operator' };
const seed = sampleArticle('ar-solar-plant.txt');
const oneLine = seed.replace(/\s*\n\s*/gu, ' ');

interface Rig {
  desk: NewsDesk;
  subscriptions: Subscriptions;
  sender: FakeSender;
  delivery: DeliveryService;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig(options: { storyWindowHours?: number; now?: () => Date } = {}): Promise<Rig> {
  const storage = await openStorage('memory://');
  const { desk } = await openTestDesk({
    storage,
    changePollMs: 0,
    ...(options.now ? { now: options.now } : {}),
    ...(options.storyWindowHours === undefined ? {} : { settings: { storyWindowHours: options.storyWindowHours } }),
  });
  const { subscriptions, sender, delivery } = await startTelegramDelivery(storage, desk);
  stops.push(async () => {
    await delivery.stop();
    await desk.close();
    await storage.close();
  });
  return { desk, subscriptions, sender, delivery };
}

async function post(r: Rig, text: string, url?: string) {
  const result = await r.desk.postArticle({ text, ...(url ? { url } : {}) }, operator);
  await r.delivery.settled();
  await r.delivery.worker.idle();
  return result;
}

async function subscribe(r: Rig, chatIds: string[], options: { storyUpdates?: boolean; language?: 'ar' | 'en' } = {}) {
  for (const chatId of chatIds) await r.subscriptions.subscribe({ platform: 'telegram', chatId, kind: 'private' }, { mode: 'each', ...options }, new Date());
}

/** What one chat was sent, in order: an article's id, or `update <outlet> <article id>`. */
function sentTo(r: Rig, chatId: string): string[] {
  return r.sender.received
    .filter((m) => m.chatId === chatId)
    .map((m) => (m.message.kind === 'update' ? `update ${m.message.outlet} ${m.message.summary.articleId}` : m.message.kind === 'article' ? m.message.summary.articleId : 'digest'));
}

describe('one story, once', () => {
  it('stores the seed article reflowed onto one line as part of its story, and each subscriber receives the story once', async () => {
    const r = await rig();
    await subscribe(r, ['10', '11']);
    const first = await post(r, seed);
    const again = await post(r, oneLine);
    // Stored, not refused: nothing the outlet sent is lost.
    expect(again.duplicate).toBe(false);
    expect(again.article.id).not.toBe(first.article.id);
    expect(again.article.storyId).toBe(first.article.id);
    expect((await r.desk.getArticle(again.article.id)).storyId).toBe(first.article.id);
    expect(r.sender.received.map((m) => m.chatId).sort()).toEqual(['10', '11']);
    expect(r.sender.received.every((m) => m.message.kind === 'article' && m.message.summary.articleId === first.article.id)).toBe(true);
  });

  it('lists a story once in /articles, with the outlets that reported it', async () => {
    const r = await rig();
    await post(r, seed, 'https://www.desert-news.example/solar');
    await post(r, oneLine, 'https://oasis-times.example/2026/solar-plant');
    await post(r, sampleArticle('ar-book-fair.txt'));
    const page = await r.desk.listArticles();
    expect(page.total).toBe(2);
    expect(page.items.map((item) => item.joined.length)).toEqual([0, 1]);
    const view = articlePageView(page, 1, messages('en'));
    const lines = view.blocks.flatMap((block) => (block.kind === 'items' ? block.items.map((item) => item.text) : []));
    expect(lines[1]).toMatch(/ — desert-news\.example, oasis-times\.example$/u);
  });

  it('sends the story to a chat that subscribed after its first article, once', async () => {
    const r = await rig();
    await subscribe(r, ['10']);
    await post(r, seed);
    await subscribe(r, ['20']);
    await post(r, oneLine);
    await post(r, oneLine.replace('200 ميغاواط', '200 ميغاواط تقريبا'));
    expect(r.sender.received.map((m) => m.chatId).sort()).toEqual(['10', '20']);
  });

  it('keeps another article on another subject a story of its own, sent to everyone', async () => {
    const r = await rig();
    await subscribe(r, ['10']);
    await post(r, seed);
    const other = await post(r, sampleArticle('ar-book-fair.txt'));
    expect(other.article.storyId).toBeUndefined();
    expect(r.sender.received).toHaveLength(2);
  });

  it('starts a new story when the first was stored longer ago than STORY_WINDOW_HOURS, and never merges with the window at 0', async () => {
    let now = Date.parse('2026-03-01T08:00:00Z');
    const later = await rig({ storyWindowHours: 24, now: () => new Date(now) });
    await post(later, seed);
    now += 25 * 3_600_000;
    expect((await post(later, oneLine)).article.storyId).toBeUndefined();

    const off = await rig({ storyWindowHours: 0 });
    await post(off, seed);
    expect((await post(off, oneLine)).article.storyId).toBeUndefined();
  });

  it('sends a chat that asked for updates one "also reported by" note per new outlet of a story it had, and nothing to one that did not', async () => {
    const r = await rig();
    await subscribe(r, ['10'], { storyUpdates: true });
    await subscribe(r, ['11']);
    const first = await post(r, seed, 'https://www.desert-news.example/solar');
    const second = await post(r, oneLine, 'https://oasis-times.example/2026/solar-plant');
    // The same outlet again, and the first outlet again: neither is news of another outlet.
    await post(r, oneLine.replace('200 ميغاواط', '200 ميغاواط تقريبا'), 'https://oasis-times.example/2026/solar-plant-update');
    await post(r, oneLine.replace('200 ميغاواط', 'مئتي ميغاواط'), 'https://desert-news.example/solar-2');
    const third = await post(r, `${oneLine}\n\nتحديث.`, 'https://gulf-wire.example/solar');
    expect([second, third].map((p) => p.article.storyId)).toEqual([first.article.id, first.article.id]);
    expect(sentTo(r, '10')).toEqual([first.article.id, `update oasis-times.example ${second.article.id}`, `update gulf-wire.example ${third.article.id}`]);
    expect(sentTo(r, '11')).toEqual([first.article.id]);
    const note = r.sender.received.find((m) => m.chatId === '10' && m.message.kind === 'update')!.message;
    expect(note).toMatchObject({ summary: { title: second.article.title, url: second.article.url } });
  });

  it('writes the note in the language the chat asked for, and sends it once however often the fan-out runs', async () => {
    const r = await rig();
    await subscribe(r, ['12'], { storyUpdates: true, language: 'en' });
    await post(r, seed, 'https://desert-news.example/solar');
    const second = await post(r, oneLine, 'https://oasis-times.example/solar');
    await r.delivery.fanOut(second.article);
    await r.delivery.worker.idle();
    const notes = r.sender.received.filter((m) => m.message.kind === 'update');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatchObject({ kind: 'update', summary: { language: 'en' } });
  });

  it('sends no note for a joining article without a link (no outlet to name)', async () => {
    const r = await rig();
    await subscribe(r, ['13'], { storyUpdates: true });
    const first = await post(r, seed, 'https://desert-news.example/solar');
    await post(r, oneLine);
    expect(sentTo(r, '13')).toEqual([first.article.id]);
  });
  it('sends each forum topic that asked for updates its own note, into that topic', async () => {
    const r = await rig();
    for (const threadId of ['7', '8']) {
      await r.subscriptions.subscribe({ platform: 'telegram', chatId: '-100', kind: 'group', threadId }, { mode: 'each', storyUpdates: true }, new Date());
    }
    const first = await post(r, seed, 'https://desert-news.example/solar');
    const second = await post(r, oneLine, 'https://oasis-times.example/solar');
    const into = (kind: string) => r.sender.received.filter((m) => m.message.kind === kind).map((m) => [m.target?.threadId, m.message.kind === 'digest' || m.message.kind === 'follow-update' ? '' : m.message.summary.articleId]);
    expect(into('article').sort()).toEqual([['7', first.article.id], ['8', first.article.id]]);
    expect(into('update').sort()).toEqual([['7', second.article.id], ['8', second.article.id]]);
  });

  it('counts a chat as having a story only if its filters let an earlier report through, and sends no note of a report they keep out', async () => {
    const r = await rig();
    await subscribe(r, ['20', '21', '22'], { storyUpdates: true });
    await r.subscriptions.setFilters('telegram:20', { ...NO_FILTERS, include: ['تحديث'] }, new Date());
    await r.subscriptions.setFilters('telegram:21', { ...NO_FILTERS, exclude: ['تحديث'] }, new Date());
    const first = await post(r, seed, 'https://desert-news.example/solar');
    const later = await post(r, `${oneLine}\n\nتحديث.`, 'https://gulf-wire.example/solar');
    expect(later.article.storyId).toBe(first.article.id);
    // 20 kept the first report out, so the story is news to it; 21 had it and keeps this one out; 22 had it.
    expect(sentTo(r, '20')).toEqual([later.article.id]);
    expect(sentTo(r, '21')).toEqual([first.article.id]);
    expect(sentTo(r, '22')).toEqual([first.article.id, `update gulf-wire.example ${later.article.id}`]);
  });
});
