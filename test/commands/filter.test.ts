/**
 * /filter: a chat's admins choose which articles their subscription lets through, see the rules,
 * and ask why an article would arrive or not; patterns are refused in the asker's language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFilterArgs } from '../../src/commands/filter.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function services() {
  const s = await commandServices();
  stops.push(() => s.stop());
  return s;
}

const admin = { kind: 'user', platform: 'telegram', userId: '1' } as const;

describe('/filter arguments', () => {
  it.each([
    ['', { kind: 'show' }],
    ['include oil نفط', { kind: 'add', list: 'include', values: ['oil', 'نفط'] }],
    ['يستثني رياضة', { kind: 'add', list: 'exclude', values: ['رياضة'] }],
    ['language EN ar', { kind: 'add', list: 'languages', values: ['en', 'ar'] }],
    ['regex oil (price|rise)', { kind: 'regex', pattern: 'oil (price|rise)' }],
    ['clear', { kind: 'clear' }],
    ['clear exclude', { kind: 'clear', list: 'exclude' }],
    ['test 1a2b', { kind: 'test', articleId: '1a2b' }],
  ])('%j means %j', (text, action) => {
    expect(parseFilterArgs(text)).toEqual(action);
  });

  it.each([['include'], ['language fr'], ['sometimes'], ['clear everything'], ['test']])('refuses %j', (text) => {
    expect(parseFilterArgs(text).kind).toBe('bad');
  });
});

describe('/filter', () => {
  it('adds rules and shows them, and clears one list or all', async () => {
    const s = await services();
    const chat = asker({ chatId: '60' });
    expect(shown(await run(s, chat, 'filter'))).toBe('This chat is not subscribed; /subscribe first, then set its filters.');
    await run(s, chat, 'subscribe');
    expect(shown(await run(s, chat, 'filter'))).toBe('No filters: every new article arrives here.');
    await run(s, chat, 'filter', 'include oil');
    await run(s, chat, 'filter', 'include نفط oil');
    await run(s, chat, 'filter', 'exclude sport');
    await run(s, chat, 'filter', 'language en');
    expect(shown(await run(s, chat, 'filter', 'regex crude|brent'))).toBe(
      ['Filters', 'Only articles mentioning: oil, نفط', 'Never articles mentioning: sport', 'Only in: en', 'Only matching: crude|brent'].join('\n'),
    );
    await run(s, chat, 'filter', 'clear include');
    expect(await s.subscriptions!.get('telegram:60')).toMatchObject({ filters: { include: [], exclude: ['sport'], languages: ['en'], regex: 'crude|brent' } });
    await run(s, chat, 'filter', 'clear regex');
    expect((await s.subscriptions!.get('telegram:60'))?.filters).not.toHaveProperty('regex');
    expect(shown(await run(s, chat, 'filter', 'clear'))).toBe('No filters: every new article arrives here.');
  });

  it('refuses a pattern the linear-time engine cannot run, or a too long one, in the asker’s language, keeping the filters', async () => {
    const s = await services();
    const chat = asker({ chatId: '61', language: 'ar' });
    await run(s, chat, 'subscribe');
    const lookahead = await run(s, chat, 'filter', 'regex نفط(?=ية)');
    expect(lookahead.outcome).toBe('refused');
    expect(shown(lookahead)).toMatch(/^لا يمكن استخدام هذا النمط \(.+\)\. تعمل الأنماط في زمن خطي/u);
    expect(shown(await run(s, asker({ chatId: '61' }), 'filter', `regex ${'x'.repeat(201)}`))).toBe('That pattern is too long: at most 200 characters.');
    expect(shown(await run(s, asker({ chatId: '61' }), 'filter', 'include the'))).toBe('"the" is too common a word to filter by.');
    expect((await s.subscriptions!.get('telegram:61'))?.filters).toBeUndefined();
  });

  it('takes a feed by the id /feed list shows, or by its site', async () => {
    const s = await services();
    const chat = asker({ chatId: '62', admin: true });
    await run(s, chat, 'subscribe');
    await s.storage.feeds.insert({ id: 'ab12cd34', url: 'https://news.example/rss.xml', addedBy: 'telegram:1', addedAt: '2026-03-01T08:00:00.000Z', nextCheckAt: '2099-01-01T00:00:00.000Z', failures: 0, seen: [] });
    await run(s, chat, 'filter', 'feed ab12cd34 https://other.example:8443/feed');
    expect(await s.subscriptions!.get('telegram:62')).toMatchObject({ filters: { feeds: ['news.example', 'other.example:8443'] } });
    expect(shown(await run(s, chat, 'filter', 'feed nothing'))).toBe('"nothing" is neither a followed feed\'s id nor a site\'s address.');
  });

  it('explains why an article would pass or be blocked, naming the word as the article wrote it', async () => {
    const s = await services();
    const chat = asker({ chatId: '63' });
    await run(s, chat, 'subscribe');
    const sport = await s.desk.postArticle({ title: 'ملعب جديد', text: 'افتتح وزير الرياضة ملعبا جديدا في المدينة يتسع لعشرين ألف متفرج، وقال إن الأشغال انتهت قبل موعدها.' }, admin);
    const oil = await s.desk.postArticle({ title: 'Oil prices', text: 'Oil prices rose on Monday as traders weighed supply cuts announced at the weekend by producers.' }, admin);
    await run(s, chat, 'filter', 'exclude رياضة');
    await run(s, chat, 'filter', 'include oil');
    expect(shown(await run(s, chat, 'filter', `test ${oil.article.id}`))).toBe(
      [`Passes: Oil prices (${oil.article.id}) would arrive here.`, '✓ includes "oil" (matched Oil)\n✓ mentions no excluded word'].join('\n'),
    );
    expect(shown(await run(s, chat, 'filter', `test ${sport.article.id}`))).toBe(
      [`Blocked: ملعب جديد (${sport.article.id}) would not arrive here.`, '✗ mentions none of "oil"\n✗ excludes "رياضة" (matched الرياضة)'].join('\n'),
    );
  });

  it('is for those who manage the chat, and sets a topic’s filters apart from its group’s', async () => {
    const s = await services();
    expect(shown(await run(s, asker({ managesChat: false }), 'filter', 'include oil'))).toBe('Only this chat’s admins can change its subscription.');
    const group = asker({ chatId: '-1008' });
    const topic = { ...group, chat: { ...group.chat, ref: { ...group.chat.ref, threadId: '7' } } };
    await run(s, group, 'subscribe');
    await run(s, topic, 'subscribe');
    await run(s, topic, 'filter', 'include oil');
    expect((await s.subscriptions!.get('telegram:-1008'))?.filters).toBeUndefined();
    expect(await s.subscriptions!.get('telegram:-1008:7')).toMatchObject({ filters: { include: ['oil'] } });
  });
});
