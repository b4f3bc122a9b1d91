/**
 * Telegram faults of issue 15, through the real grammY bot (runner, auto-retry) and delivery sender
 * against the fake Bot API: a 409 Conflict while long polling, a request that is never answered,
 * and a reply hit by a 429 longer than auto-retry waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../../support/fixtures.js';
import { startFakeTelegram, type FakeTelegram } from '../../support/fakeTelegram.js';
import { fakeTime } from '../../support/fakeTime.js';
import { startTelegramBot, until, type TelegramBotOptions } from '../../support/telegramBot.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot(fake: FakeTelegram, options: TelegramBotOptions = {}) {
  const bot = await startTelegramBot(fake, options);
  cleanup.push(() => bot.stop());
  return bot;
}

async function fake(): Promise<FakeTelegram> {
  const started = await startFakeTelegram();
  cleanup.push(() => started.close());
  return started;
}

const to = (chatId: number) => (m: { chatId: string }) => m.chatId === String(chatId);
const isHelp = (m: { text?: string }) => /Commands:/.test(m.text ?? '');
const CONFLICT = { error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };

describe('Telegram: a 409 Conflict while long polling', () => {
  it('polls again with backoff while the conflict lasts, says so once, reports it, and answers a message sent afterwards', async () => {
    const api = await fake();
    api.fail('getUpdates', CONFLICT, { times: 4 });
    const { adapter, lines } = await startBot(api, { conflictRetry: { baseMs: 40, maxMs: 120 } });
    // What readiness would have read meanwhile.
    const seen = new Set<string>();
    const sample = setInterval(() => seen.add(`${adapter.status?.state}:${adapter.status?.connected}`), 2);
    cleanup.push(async () => clearInterval(sample));
    await until(() => api.calls.some((c) => c.method === 'getUpdates'), 'the first 409');

    api.pushMessage({ text: '/help', fromId: 7, chatId: 7 });
    await api.waitFor((sent) => sent.some((m) => to(7)(m) && isHelp(m)));
    expect(adapter.status).toMatchObject({ state: 'polling', connected: true });
    expect(seen).toContain('conflict:false');

    // One line when it started, one when it was over: not one per 409.
    const conflict = lines.filter((line) => /another process is polling with this bot token/.test(line.msg));
    expect(conflict).toHaveLength(1);
    expect(conflict[0]!.level).toBe('error');
    expect(conflict[0]!.msg).toMatch(/retrying.*webhook mode/);
    expect(lines.filter((line) => /long polling recovered: the other poller stopped/.test(line.msg))).toEqual([expect.objectContaining({ after: 'conflict', failures: 4 })]);

    // Waits of 40, 80, 120 and 120 ms between the five calls (the backoff doubles up to its cap).
    const at = api.calls.filter((c) => c.method === 'getUpdates').slice(0, 5).map((c) => c.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps).toHaveLength(4);
    [40, 80, 120, 120].forEach((wait, i) => expect(gaps[i]).toBeGreaterThanOrEqual(wait - 5));
    expect(gaps[3]).toBeLessThan(120 * 2 + 100);
  });

  it('outlasts another poller that uses the same token, and polls alone again once it stops', async () => {
    const api = await fake();
    const { adapter, lines } = await startBot(api, { conflictRetry: { baseMs: 20, maxMs: 50 } });
    // The other process: a bare poller that long-polls for 400 ms (each of its calls ends the bot's pending one with 409, as Telegram does).
    const until400 = Date.now() + 400;
    while (Date.now() < until400) await fetch(`${api.apiRoot}/bot${api.token}/getUpdates?timeout=1`).then((r) => r.text());
    expect(api.conflicts).toBeGreaterThan(0);
    api.pushMessage({ text: '/help', fromId: 8, chatId: 8 });
    await api.waitFor((sent) => sent.some((m) => to(8)(m) && isHelp(m)), 3_000);
    await until(() => adapter.status.state === 'polling', 'polling again');
    expect(lines.filter((line) => /another process is polling/.test(line.msg)).length).toBeGreaterThanOrEqual(1);
  });

  it('stops at once while it waits out a conflict', async () => {
    const api = await fake();
    api.fail('getUpdates', CONFLICT, { times: 1_000 });
    const bot = await startTelegramBot(api, { conflictRetry: { baseMs: 10_000 } });
    await until(() => bot.adapter.status.state === 'conflict', 'in conflict');
    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(bot.adapter.status.state).toBe('stopped');
    expect(bot.lines.filter((line) => line.level === 'error' && !/another process is polling/.test(line.msg))).toEqual([]);
  });
});

describe('Telegram: a Bot API request that is never answered', () => {
  it('gives a delivery up after the request timeout and delivers it on the retry, once', async () => {
    const api = await fake();
    const { desk, subscriptions } = await startBot(api, { timeoutMs: 300 });
    await subscriptions.subscribe({ platform: 'telegram', chatId: '5', kind: 'private' }, { mode: 'each' }, new Date());
    api.hang('sendMessage');
    const started = Date.now();
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    await api.waitFor((sent) => sent.some((m) => to(5)(m) && /New article/.test(m.text ?? '')), 8_000);
    // The delivery engine's first retry comes 1.5-2.5 s after the failure.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(api.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '5')).toHaveLength(2);
    expect(api.sent.filter((m) => to(5)(m) && /New article/.test(m.text ?? ''))).toHaveLength(1);
  });

  it("a reply that is never answered does not hold the group's next reply", async () => {
    const api = await fake();
    await startBot(api, { timeoutMs: 300 });
    const group = -4100;
    api.hang('sendMessage');
    api.pushMessage({ text: '/help', chatId: group, chatType: 'group', fromId: 41 });
    api.pushMessage({ text: '/help', chatId: group, chatType: 'group', fromId: 42 });
    // The first reply is given up after 300 ms and sent again by auto-retry (3 s later); then the second.
    await api.waitFor((sent) => sent.filter((m) => to(group)(m) && isHelp(m)).length >= 2, 8_000);
    expect(api.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(group))).toHaveLength(3);
  });

  it('leaves the long poll its own wait: a quiet spell longer than the request timeout is not a failure', async () => {
    const api = await fake();
    const { adapter, lines } = await startBot(api, { timeoutMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(api.calls.filter((c) => c.method === 'getUpdates')).toHaveLength(1);
    expect(adapter.status.state).toBe('polling');
    expect(lines.filter((line) => line.level !== 'info')).toEqual([]);
  });
});

describe('Telegram: a reply hit by a 429 longer than auto-retry waits', () => {
  it('sends the reply once Telegram allows, and answers other chats meanwhile', async () => {
    const api = await fake();
    const time = fakeTime();
    const { lines } = await startBot(api, { replyRetry: { timers: time.timers } });
    api.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 40', parameters: { retry_after: 40 } }, { chatId: 11 });
    api.pushMessage({ text: '/help', fromId: 11, chatId: 11 });
    // Held back (a timer waits), or answered some other way.
    await until(() => time.pending() === 1 || api.sent.some(to(11)), 'the reply is refused');

    api.pushMessage({ text: '/help', fromId: 12, chatId: 12 });
    // The held chat's next reply waits behind the first, in order.
    api.pushMessage({ text: 'What did the drivers get?', fromId: 11, chatId: 11 });
    await api.waitFor((sent) => sent.some((m) => to(12)(m) && isHelp(m)));
    await until(() => api.calls.some((c) => c.method === 'sendChatAction' && String(c.payload.chat_id) === '11'), 'the question is taken');
    await time.advance(39_900);
    expect(api.sent.filter(to(11))).toHaveLength(0);

    await time.advance(100);
    await api.waitFor((sent) => sent.filter(to(11)).length >= 2);
    // The replies themselves, once each and in order: no apology, nothing twice.
    expect(api.sent.filter(to(11)).map((m) => (isHelp(m) ? 'help' : 'answer'))).toEqual(['help', 'answer']);
    expect(lines.some((line) => line.msg === 'telegram update failed')).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringMatching(/reply held back by Telegram/), retryAfterMs: 40_000 }));
  });

  it('sends a short notice instead when the wait is longer than a reply is worth, in the asker’s language', async () => {
    const api = await fake();
    const time = fakeTime();
    await startBot(api, { replyRetry: { timers: time.timers, maxWaitMs: 60_000 } });
    api.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 600', parameters: { retry_after: 600 } }, { chatId: 13 });
    api.pushMessage({ text: '/help', fromId: 13, chatId: 13, languageCode: 'ar' });
    await until(() => time.pending() === 1 || api.sent.some(to(13)), 'the reply is refused');
    await time.advance(600_000);
    await api.waitFor((sent) => sent.some(to(13)));
    expect(api.sent.filter(to(13)).map((m) => m.text)).toEqual(['أوقف تيليغرام ردّي هنا مدة طويلة (رسائل كثيرة في وقت واحد)، فلم يُرسَل. اسأل مرة أخرى من فضلك.']);
  });
});

describe('Telegram: the Bot API unreachable while long polling', () => {
  const BAD_GATEWAY = { error_code: 502, description: 'Bad Gateway' };

  it('says it cannot reach Telegram at the first failed poll, reports it, keeps trying at a steady pace, and answers once Telegram is back', async () => {
    const api = await fake();
    api.fail('getUpdates', BAD_GATEWAY, { times: 6 });
    const { adapter, lines } = await startBot(api, { pollRetryMs: 50 });
    const seen = new Set<string>();
    const sample = setInterval(() => seen.add(`${adapter.status.state}:${adapter.status.connected}`), 2);
    cleanup.push(async () => clearInterval(sample));

    api.pushMessage({ text: '/help', fromId: 9, chatId: 9 });
    // Six failed polls 50 ms apart, then the answer: not minutes of growing back-off.
    await api.waitFor((sent) => sent.some((m) => to(9)(m) && isHelp(m)), 3_000);
    expect(seen).toContain('unreachable:false');
    expect(adapter.status).toMatchObject({ state: 'polling', connected: true });
    const said = lines.filter((line) => /cannot reach Telegram/.test(line.msg));
    expect(said).toHaveLength(1);
    expect(lines.filter((line) => /long polling recovered: the Bot API answers again/.test(line.msg))).toEqual([expect.objectContaining({ failures: 6 })]);
    // Each failed poll was tried once, by the runner, not again and again behind it by auto-retry.
    expect(api.calls.filter((c) => c.method === 'getUpdates').length).toBeLessThanOrEqual(8);
  });
});
