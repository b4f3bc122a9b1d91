import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AkhbarError } from '../../src/core/errors.js';
import { openMemoryStorage } from '../../src/storage/memory/index.js';
import type { Actor } from '../../src/core/types.js';
import { openTestDesk } from '../support/desk.js';
import { sampleArticle } from '../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1' };
const stranger: Actor = { kind: 'user', platform: 'telegram', userId: '2' };
const dir = mkdtempSync(join(tmpdir(), 'akhbar-desk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AkhbarError ? error.code : `not a domain error: ${String(error)}`;
  }
  return undefined;
}

async function deskWithSamples() {
  const opened = await openTestDesk();
  for (const name of ['ar-solar-plant.txt', 'ar-book-fair.txt', 'en-flood-barrier.txt', 'en-rail-strike.txt'] as const) {
    await opened.desk.postArticle({ text: sampleArticle(name) }, operator);
  }
  return opened;
}

describe('posting', () => {
  it('lets admins and the operator post, and refuses anyone else without storing anything', async () => {
    const { desk } = await openTestDesk();
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, admin);
    expect(await codeOf(desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, stranger))).toBe('NOT_ADMIN');
    expect(desk.articleCount).toBe(1);
    expect(desk.isAdmin(operator)).toBe(true);
    expect(desk.isAdmin(stranger)).toBe(false);
  });

  it('returns the stored article when the same text is posted again, even at the same moment', async () => {
    const { desk } = await openTestDesk();
    const text = sampleArticle('ar-solar-plant.txt');
    const [a, b] = await Promise.all([desk.postArticle({ text }, operator), desk.postArticle({ text }, operator)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const again = await desk.postArticle({ text: `\n${text}\n\n` }, admin);
    expect(again.duplicate).toBe(true);
    expect(again.article.id).toBe(a.article.id);
    expect(desk.articleCount).toBe(1);
  });

  it('keeps what is stored when the store fails during a post, and says the store is unavailable', async () => {
    const storage = openMemoryStorage();
    const { desk } = await openTestDesk({ storage });
    const first = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    storage.simulateOutage(true);
    expect(await codeOf(desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator))).toBe('STORE_UNAVAILABLE');
    storage.simulateOutage(false);
    expect(desk.articleCount).toBe(1);
    expect((await desk.getArticle(first.article.id)).title).toBe(first.article.title);
    // The failed article can be posted again once the store is back.
    expect((await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator)).duplicate).toBe(false);
  });

  it('treats the same URL, tracking parameters aside, as one article even when the text changed', async () => {
    const { desk } = await openTestDesk();
    const url = 'https://news.example/2026/rail-strike?utm_source=newsletter#top';
    const first = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt'), url, source: 'link' }, operator);
    expect(first.article.url).toBe('https://news.example/2026/rail-strike');
    // The page was edited between two posts: still the same article.
    const edited = `${sampleArticle('en-rail-strike.txt')}\n\nUpdated: talks resume on Monday.`;
    const again = await desk.postArticle({ text: edited, url: 'https://news.example/2026/rail-strike?fbclid=abc' }, admin);
    expect(again).toMatchObject({ duplicate: true, article: { id: first.article.id } });
    // Two posts of one URL at the same moment: one is new.
    const [a, b] = await Promise.all([
      desk.postArticle({ text: sampleArticle('ar-book-fair.txt'), url: 'https://news.example/fair' }, operator),
      desk.postArticle({ text: sampleArticle('ar-solar-plant.txt'), url: 'https://news.example/fair?utm_medium=x' }, operator),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(desk.articleCount).toBe(2);
    expect((await desk.findByUrl('https://news.example/fair#x'))?.id).toBe(a.duplicate ? b.article.id : a.article.id);
    expect(await desk.findByUrl('https://news.example/other')).toBeUndefined();
  });

  it('keeps byline, publication date and source, and remembers URLs across a restart', async () => {
    const storeUrl = `sqlite://${join(dir, 'urls.sqlite')}`;
    const first = await openTestDesk({ storeUrl });
    const posted = await first.desk.postArticle(
      { text: sampleArticle('en-flood-barrier.txt'), url: 'https://news.example/flood', byline: '  By Sam Reed ', publishedAt: '2026-03-01T09:30:00+01:00', source: 'link' },
      operator,
    );
    expect(posted.article).toMatchObject({ byline: 'By Sam Reed', publishedAt: '2026-03-01T08:30:00.000Z', source: 'link' });
    await first.desk.close();
    await first.storage.close();
    const second = await openTestDesk({ storeUrl });
    const again = await second.desk.postArticle({ text: sampleArticle('en-rail-strike.txt'), url: 'https://news.example/flood' }, operator);
    expect(again).toMatchObject({ duplicate: true, article: { id: posted.article.id } });
    await second.desk.close();
    await second.storage.close();
  });

  it('drops a publication date that does not parse, and marks pasted text as pasted', async () => {
    const { desk } = await openTestDesk();
    const { article } = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt'), publishedAt: 'yesterday-ish' }, operator);
    expect(article.publishedAt).toBeUndefined();
    expect(article.source).toBe('paste');
  });

  it('lets a followed feed post, as feed:<host>', async () => {
    const { desk } = await openTestDesk();
    const feed = { kind: 'feed', feedId: '1a2b3c4d', host: 'news.example' } as const;
    expect(desk.isAdmin(feed)).toBe(true);
    const { article } = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt'), source: 'feed' }, feed);
    expect(article.postedBy).toBe('feed:news.example');
  });

  it('lists articles newest first and finds them by a unique id prefix', async () => {
    let clock = Date.parse('2026-11-01T00:00:00Z');
    const { desk } = await openTestDesk({ now: () => new Date((clock += 60_000)) });
    const older = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const newer = await desk.postArticle({ text: sampleArticle('ar-book-fair.txt') }, operator);
    const page = await desk.listArticles();
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.id)).toEqual([newer.article.id, older.article.id]);
    expect((await desk.latestArticle()).id).toBe(newer.article.id);
    expect((await desk.getArticle(older.article.id.slice(0, 6))).id).toBe(older.article.id);
  });

  it('finds an article by an id pasted with a hidden bidi mark or typed with Arabic-Indic digits', async () => {
    const { desk } = await openTestDesk();
    const { article } = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const prefix = article.id.slice(0, 6);
    const arabicDigits = prefix.replace(/[0-9]/gu, (d) => String.fromCharCode(0x0660 + Number(d)));
    for (const typed of [`\u202e${prefix}`, `${prefix}\u200f`, `\u2066#${prefix.toUpperCase()}\u2069`, arabicDigits]) {
      expect((await desk.getArticle(typed)).id).toBe(article.id);
    }
    // An unknown id is reported without the invisible characters, which would scramble the reply.
    const unknown = await desk.getArticle('\u202edeadbeef').catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 'ARTICLE_NOT_FOUND', details: { id: 'deadbeef' } });
  });

  it('takes the article posted last as the latest even when two posts fall in the same millisecond', async () => {
    const instant = new Date('2026-11-01T00:00:00Z');
    // Both orders: whichever way the ids sort, the last one posted must come first.
    for (const [first, second] of [
      ['en-rail-strike.txt', 'en-flood-barrier.txt'],
      ['en-flood-barrier.txt', 'en-rail-strike.txt'],
    ] as const) {
      const { desk } = await openTestDesk({ now: () => instant });
      await desk.postArticle({ text: sampleArticle(first) }, operator);
      const last = await desk.postArticle({ text: sampleArticle(second) }, operator);
      expect((await desk.latestArticle()).id).toBe(last.article.id);
      expect((await desk.listArticles()).items[0]!.id).toBe(last.article.id);
    }
  });
});

describe('a store that outlives the process', () => {
  it('still has every article, its summary and answers after a restart', async () => {
    const storeUrl = `sqlite://${join(dir, 'restart.sqlite')}`;
    const first = await openTestDesk({ storeUrl });
    const posted = await first.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    const summary = await first.desk.summarize(posted.article.id);
    await first.desk.close();
    await first.storage.close();

    const second = await openTestDesk({ storeUrl });
    expect(second.desk.articleCount).toBe(1);
    expect((await second.desk.getArticle(posted.article.id)).text).toBe(posted.article.text);
    expect(await second.desk.summarize(posted.article.id)).toEqual(summary);
    const answer = await second.desk.ask('ما هي قدرة محطة الطاقة الشمسية الجديدة؟');
    expect(answer.found).toBe(true);
    expect(answer.text).toContain('200 ميغاواط');
    await second.desk.close();
    await second.storage.close();
  });
});

describe('summaries', () => {
  it('summarises an Arabic article in 3–5 of its own sentences, in article order', async () => {
    const { desk } = await deskWithSamples();
    const solar = (await desk.listArticles({ limit: 10 })).items.find((i) => i.title.includes('الشمسية'))!;
    const summary = await desk.summarize(solar.id);
    const article = await desk.getArticle(solar.id);
    expect(summary.language).toBe('ar');
    expect(summary.sentences.length).toBeGreaterThanOrEqual(3);
    expect(summary.sentences.length).toBeLessThanOrEqual(5);
    const positions = summary.sentences.map((s) => article.text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The lead that says what happened is in it.
    expect(summary.text).toContain('افتتح وزير الطاقة');
  });

  it('summarises the latest article when no id is given', async () => {
    const { desk } = await deskWithSamples();
    const summary = await desk.summarize();
    expect(summary.articleId).toBe((await desk.listArticles()).items[0]!.id);
    expect(summary.language).toBe('en');
  });
});

describe('answers', () => {
  it.each([
    ['ما هي قدرة محطة الطاقة الشمسية الجديدة؟', '200 ميغاواط', 'الشمسية'],
    ['من هو مدير مشروع المحطة؟', 'كريم بن صالح', 'الشمسية'],
    ['كم دار نشر تشارك في هذه الدورة من معرض الكتاب؟', '1100 دار نشر', 'معرض الكتاب'],
    ['How long does it take to close the flood gates?', '25 minutes', 'flood barrier'],
    ['What raise do the rail drivers get this year?', '6 percent', 'strike'],
  ])('answers %s with the sentence that holds it, citing its article', async (question, expected, titlePart) => {
    const { desk } = await deskWithSamples();
    const answer = await desk.ask(question);
    expect(answer.found).toBe(true);
    expect(answer.text).toContain(expected);
    expect(answer.citations[0]!.title).toContain(titlePart);
    expect(answer.citations[0]!.quote).toContain(expected);
    expect(answer.language).toBe(/[a-z]/i.test(question) ? 'en' : 'ar');
  });

  it.each([
    ['What is the population of Tokyo?', 'en'],
    ['ما هي عاصمة اليابان؟', 'ar'],
    ['Who won the football World Cup final?', 'en'],
  ])('declines %s honestly in the question’s language, leaving the words to the adapters', async (question, language) => {
    const { desk } = await deskWithSamples();
    const answer = await desk.ask(question);
    expect(answer.found).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.language).toBe(language);
    expect(answer.text).toBe('');
  });

  it('refuses empty, overlong and premature questions with a reason', async () => {
    const empty = await openTestDesk();
    expect(await codeOf(empty.desk.ask('Who opened the barrier?'))).toBe('NO_ARTICLES');
    expect(await codeOf(empty.desk.summarize())).toBe('NO_ARTICLES');
    const { desk } = await deskWithSamples();
    expect(await codeOf(desk.ask('   '))).toBe('EMPTY_QUESTION');
    expect(await codeOf(desk.ask('why '.repeat(500)))).toBe('QUESTION_TOO_LONG');
    expect(await codeOf(desk.summarize('ffffffffffff'))).toBe('ARTICLE_NOT_FOUND');
    expect(await codeOf(desk.summarize('zz'))).toBe('ARTICLE_NOT_FOUND');
  });
});

describe('the answer cache', () => {
  it('answers a second asker in their own language when the question has none of its own', async () => {
    const { desk } = await deskWithSamples();
    // Digits and Cyrillic are neither Arabic nor English: the answer is in the asker's language.
    const question = 'Тебун 2026?';
    const arabicReader: Actor = { kind: 'user', platform: 'telegram', userId: '5', language: 'ar' };
    const englishReader: Actor = { kind: 'user', platform: 'telegram', userId: '6', language: 'en' };
    expect((await desk.ask(question, arabicReader)).language).toBe('ar');
    const second = await desk.ask(question, englishReader);
    expect(second.language).toBe('en');
    expect((await desk.ask(question, { ...englishReader, userId: '7' })).cached).toBe(true);
  });

  it('serves a repeated question, however it is typed, from the cache', async () => {
    const { desk } = await deskWithSamples();
    const first = await desk.ask('How long does it take to close the flood gates?');
    const second = await desk.ask('how long does it take to close the flood gates');
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.text).toBe(first.text);
    expect(second.citations).toEqual(first.citations);
  });

  it('keeps answers when an unrelated article arrives, and drops them when a new article changes the evidence', async () => {
    const { desk } = await openTestDesk();
    await desk.postArticle({ text: sampleArticle('ar-book-fair.txt') }, operator);
    const question = 'كم عدد زوار معرض الكتاب الدولي؟';
    const before = await desk.ask(question);
    expect(before.found).toBe(true);

    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    expect((await desk.ask(question)).cached).toBe(true);

    const followUp = [
      'معرض الكتاب الدولي يختتم دورته بمليون زائر',
      '',
      'اختتم معرض الكتاب الدولي دورته الخامسة والعشرين مساء الأحد، وبلغ عدد زوار معرض الكتاب الدولي مليون زائر في أسبوعين، بحسب الأرقام النهائية للإدارة.',
      '',
      'وقالت الإدارة إن الدورة المقبلة ستقام في الموعد نفسه من العام القادم.',
    ].join('\n');
    const posted = await desk.postArticle({ text: followUp }, operator);
    const after = await desk.ask(question);
    expect(after.cached).toBe(false);
    expect(after.citations.map((c) => c.articleId)).toContain(posted.article.id);
  });
});

describe('news desk: summarizing a text it does not store', () => {
  it('summarizes anyone’s text in its own language, and stores nothing', async () => {
    const { desk } = await openTestDesk();
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const summary = await desk.summarizeText({ text: sampleArticle('ar-solar-plant.txt') }, stranger);
    expect(summary.title).toBe('افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة');
    expect(summary.language).toBe('ar');
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(desk.articleCount).toBe(1);
    expect(await codeOf(desk.getArticle(summary.articleId))).toBe('ARTICLE_NOT_FOUND');
  });

  it('refuses a text too short to be an article, as a post would be', async () => {
    const { desk } = await openTestDesk();
    expect(await codeOf(desk.summarizeText({ text: 'Nice one\nso true' }, stranger))).toBe('ARTICLE_TOO_SHORT');
  });
});
