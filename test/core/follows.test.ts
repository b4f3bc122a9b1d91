/**
 * Following a question: a later article that changes the answer sends the following chat one
 * update with its new source; an unrelated article sends nothing; the same article twice, once.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFollows } from '../../src/core/follows.js';
import { silentLogger } from '../../src/core/logger.js';
import { terms } from '../../src/core/text/index.js';
import type { Actor } from '../../src/core/types.js';
import { openTestDesk } from '../support/desk.js';
import { fakeSender, type FakeSender } from '../support/fakeSender.js';
import { DEAL, FESTIVAL, FOOTBALL, TALKS } from '../support/followArticles.js';
import { startCore } from '../support/services.js';

const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1', language: 'en' };
const reader: Actor = { kind: 'user', platform: 'telegram', userId: '7', language: 'en' };
const chat = { platform: 'telegram', chatId: '700', kind: 'private' } as const;

const QUESTION = 'What grain tariff was set for Port Ellery?';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

async function core(): Promise<{ sender: FakeSender } & Awaited<ReturnType<typeof startCore>>> {
  const sender = fakeSender('telegram');
  const started = await startCore({ adminId: 'telegram:1', sender, limits: { perSecond: 1000, chatIntervalMs: { private: 0, group: 0, channel: 0 } } });
  stops.push(async () => {
    await started.sources.stop();
    await started.delivery.stop();
  });
  return { ...started, sender };
}

async function post(c: Awaited<ReturnType<typeof core>>, text: string) {
  const result = await c.desk.postArticle({ text }, admin);
  await c.delivery.settled();
  await c.delivery.worker.idle();
  return result;
}

describe('a followed question', () => {
  it('sends the following chat the new answer with its new source, once, when a later article changes it', async () => {
    const c = await core();
    const first = await post(c, TALKS);
    const followed = await c.follows.follow(chat, QUESTION, reader);
    expect(followed.outcome).toBe('added');
    expect(followed.answer.citations.map((citation) => citation.articleId)).toEqual([first.article.id]);

    const deal = await post(c, DEAL);
    expect(c.sender.received).toHaveLength(1);
    const [update] = c.sender.received;
    expect(update!.chatId).toBe('700');
    expect(update!.message.kind).toBe('follow-update');
    if (update!.message.kind !== 'follow-update') return;
    expect(update!.message.answer.question).toBe(QUESTION);
    expect(update!.message.answer.citations.map((citation) => citation.articleId)).toContain(deal.article.id);
    expect(update!.message.answer.text).toMatch(/one and a half percent/);

    // Posted again it is a duplicate; fanned out again (a sweep, another process) it is done already.
    expect((await post(c, DEAL)).duplicate).toBe(true);
    expect(await c.delivery.fanOut(deal.article)).toBe(0);
    // Asked again, the answer rests on the evidence already sent: no second update.
    expect(await c.follows.updatesFor(deal.article)).toEqual([]);
    expect(c.sender.received).toHaveLength(1);
  });

  it('sends the update into the forum topic the question was followed in, as that topic subscribed to read its news', async () => {
    const c = await core();
    await post(c, TALKS);
    const topic = { platform: 'telegram', chatId: '-100', kind: 'group', threadId: '12' } as const;
    // The topic reads headlines without previews; the chat itself takes no news, only the follow.
    await c.subscriptions.subscribe(topic, { mode: 'digest', digestTime: '23:59', format: 'headline', previews: false }, new Date());
    expect((await c.follows.follow(topic, QUESTION, reader)).outcome).toBe('added');

    await post(c, DEAL);
    const updates = c.sender.received.filter((r) => r.message.kind === 'follow-update');
    expect(updates.map((r) => [r.chatId, r.target?.threadId])).toEqual([['-100', '12']]);
    expect(updates[0]!.message.style).toEqual({ format: 'headline', previews: false });
  });

  it('sends the update when the article that answers is in the other language: an English question, an Arabic article naming the same people and place', async () => {
    const c = await core();
    await post(c, TALKS);
    const question = 'Who did General Townsend meet in Algeria?';
    const followed = await c.follows.follow(chat, question, reader);
    expect(followed.answer.found).toBe(false);

    const africom = await post(c, readFileSync(new URL('../fixtures/crosslang/ar-africom.txt', import.meta.url), 'utf8'));
    const updates = c.sender.received.filter((r) => r.message.kind === 'follow-update');
    expect(updates).toHaveLength(1);
    const [update] = updates;
    if (update!.message.kind !== 'follow-update') return;
    expect(update!.message.answer.question).toBe(question);
    expect(update!.message.answer.citations.map((citation) => citation.articleId)).toEqual([africom.article.id]);
  });

  it('sends nothing for an article unrelated to the question', async () => {
    const c = await core();
    await post(c, TALKS);
    await c.follows.follow(chat, QUESTION, reader);
    const football = await post(c, FOOTBALL);
    expect(await c.follows.updatesFor(football.article)).toEqual([]);
    expect(c.sender.received).toEqual([]);
  });

  it('sends nothing for an article that shares the question’s words but does not change its answer', async () => {
    const c = await core();
    await post(c, TALKS);
    await c.follows.follow(chat, QUESTION, reader);
    const festival = await post(c, FESTIVAL);
    // It shares "Port Ellery", so the question is asked again; the answer still quotes the talks.
    expect((await c.storage.follows.matching(terms(festival.article.title))).map((f) => f.question)).toEqual([QUESTION]);
    expect(await c.follows.updatesFor(festival.article)).toEqual([]);
    expect(c.sender.received).toEqual([]);
  });

  it('is kept per chat: another chat following the same question gets its own update, a chat not following gets none', async () => {
    const c = await core();
    await post(c, TALKS);
    await c.follows.follow(chat, QUESTION, reader);
    await c.follows.follow({ ...chat, chatId: '701' }, QUESTION, reader);
    await post(c, DEAL);
    expect(c.sender.received.map((received) => received.chatId).sort()).toEqual(['700', '701']);
  });

  it('asks again only the follows that share a term with the new article, however many chats follow other questions', async () => {
    // No delivery here: only this service asks, and the test counts it.
    const { desk, storage } = await openTestDesk();
    await desk.postArticle({ text: TALKS }, admin);
    let asked = 0;
    const counting = createFollows({
      repo: storage.follows,
      desk: { ask: (...args) => (asked++, desk.ask(...args)), catchUp: () => desk.catchUp() },
      logger: silentLogger,
    });
    await counting.follow(chat, QUESTION, reader);
    // A thousand chats following questions about other things than either article.
    for (let i = 0; i < 1_000; i++) await counting.follow({ ...chat, chatId: String(10_000 + i) }, `Who scored the winner for Riverside in round ${i}?`, reader);
    asked = 0;
    const deal = await desk.postArticle({ text: DEAL }, admin);
    expect((await counting.updatesFor(deal.article)).map((update) => update.follow.chatId)).toEqual(['700']);
    expect(asked).toBe(1);
  });

  it('forgets the follows of a chat that is gone (the bot was blocked) once an update to it fails so', async () => {
    const c = await core();
    await post(c, TALKS);
    await c.follows.follow(chat, QUESTION, reader);
    c.sender.script.set('700', [{ kind: 'chat-gone', reason: '403 Forbidden: bot was blocked by the user' }]);
    await post(c, DEAL);
    expect(c.sender.received).toEqual([]);
    expect(await c.follows.list(chat)).toEqual([]);
  });

  it('follows a group that became a supergroup to its new id, and sends the update there', async () => {
    const c = await core();
    await post(c, TALKS);
    const group = { platform: 'telegram', chatId: '-700', kind: 'group' } as const;
    await c.follows.follow(group, QUESTION, reader);
    c.sender.script.set('-700', [{ kind: 'migrated', newChatId: '-100700' }]);
    await post(c, DEAL);
    await expect.poll(() => c.sender.received.map((received) => received.chatId)).toEqual(['-100700']);
    expect(await c.follows.list(group)).toEqual([]);
    expect((await c.follows.list({ ...group, chatId: '-100700' })).map((f) => f.question)).toEqual([QUESTION]);
  });

  it('stops when the chat unfollows, and counts against a limit per chat', async () => {
    const c = await core();
    await post(c, TALKS);
    await c.follows.follow(chat, QUESTION, reader);
    expect((await c.follows.unfollow(chat, '1'))?.question).toBe(QUESTION);
    await post(c, DEAL);
    expect(c.sender.received).toEqual([]);
    for (let i = 0; i < c.follows.maxPerChat; i++) expect((await c.follows.follow(chat, `Grain tariff question number ${i}?`, reader)).outcome).toBe('added');
    expect((await c.follows.follow(chat, 'One grain question too many?', reader)).outcome).toBe('full');
  });
});
