import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../../src/adapters/console/index.js';
import { createConsoleSession } from '../../../src/adapters/console/session.js';
import { silentLogger } from '../../../src/core/logger.js';
import { openTestDesk } from '../../support/desk.js';
import { sampleArticle } from '../../support/fixtures.js';

describe('console session', () => {
  it('posts a pasted article, summarises it, and answers a plain-text question with its source', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'en', logger: silentLogger });
    expect(await session.handle('/post')).toContain('Paste the article');
    for (const line of sampleArticle('ar-solar-plant.txt').split('\n')) expect(await session.handle(line)).toBe('');
    const posted = await session.handle('.');
    expect(posted).toMatch(/^Stored article [0-9a-f]{12}: افتتاح أكبر محطة/);

    const summary = await session.handle('/latest');
    expect(summary.split('\n').filter((line) => line.startsWith('• ')).length).toBeGreaterThanOrEqual(3);

    const answer = await session.handle('من هو مدير المشروع؟');
    expect(answer).toContain('كريم بن صالح');
    expect(answer).toContain('المصادر:');
    expect(await session.handle('من هو مدير المشروع؟')).toContain('من الذاكرة المؤقتة');
  });

  it('answers bad input with a clear message and keeps going', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'en', logger: silentLogger });
    expect(await session.handle('/ask Who opened it?')).toBe('No articles are stored yet. An admin can add one with /post.');
    expect(await session.handle('/post Too short.')).toMatch(/too short/);
    expect(await session.handle('/frobnicate')).toMatch(/Unknown command \/frobnicate/);
    expect(await session.handle('/post --file /no/such/file.txt')).toBe(
      'Cannot read the file /no/such/file.txt. Check the path and try again.',
    );
    expect(await session.handle(`/post ${sampleArticle('en-rail-strike.txt')}`)).toMatch(/^Stored article/);
    expect(await session.handle('/summary 0000ffff')).toMatch(/no article with the id "0000ffff"/);
    expect(await session.handle('/articles')).toMatch(/Articles 1–1 of 1:\n[0-9a-f]{12}/);
  });

  it('says an answer is not in the stored articles in the language of the question', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'en', logger: silentLogger });
    await session.handle(`/post ${sampleArticle('en-rail-strike.txt')}`);
    expect(await session.handle('What is the population of Tokyo?')).toBe('That is not in the stored articles.');
    expect(await session.handle('ما هي عاصمة اليابان؟')).toBe('لم أجد إجابة لهذا السؤال في المقالات المخزنة.');
  });
});

describe('console /delete', () => {
  it('deletes an article by a short id, after which it is not cited; asks for the id when none is given', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'en', logger: silentLogger });
    await session.handle(`/post ${sampleArticle('en-flood-barrier.txt')}`);
    await session.handle(`/post ${sampleArticle('en-rail-strike.txt')}`);
    const { items } = await desk.listArticles();
    const flood = items.find((item) => item.title.startsWith('Marlow Bay'))!;
    expect(await session.handle('How quickly can the gates be closed?')).toContain(flood.id);

    expect(await session.handle('/delete')).toBe('Usage: /delete <id> (send /articles to see the ids)');
    expect(await session.handle(`/delete ${flood.id.slice(0, 5)}`)).toBe(`Deleted article ${flood.id}: ${flood.title}. It will not be delivered or cited again.`);
    expect(await session.handle('How quickly can the gates be closed?')).not.toContain(flood.id);
    expect(await session.handle(`/delete ${flood.id}`)).toBe(`There is no article with the id "${flood.id}". Send /articles to see the ids.`);
    expect(await session.handle('/help')).toContain('/delete <id>');
  });
});

describe('console terminal', () => {
  it('reads commands line by line until the input ends', async () => {
    const { desk } = await openTestDesk();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const done = runConsole({ desk, language: 'en', logger: silentLogger, input, output });
    input.write('/help\n');
    input.write(`/post ${sampleArticle('en-rail-strike.txt').replace(/\n+/g, ' ')}\n`);
    input.write('Who is the union leader?\n');
    input.end();
    await done;
    expect(printed).toContain('/ask <question>');
    expect(printed).toContain('Stored article');
    expect(printed).toContain('Tom Brandt');
  });
});

describe('console subscriptions', () => {
  it('subscribes the console, prints each new article’s summary as it is delivered, and reports status', async () => {
    const { openServices } = await import('../../../src/main.js');
    const { loadConfig } = await import('../../../src/config.js');
    const { createConsoleSender } = await import('../../../src/adapters/console/index.js');
    const printed = new PassThrough();
    let deliveredText = '';
    printed.on('data', (chunk: Buffer) => (deliveredText += chunk.toString()));
    const services = await openServices(
      loadConfig({ STORE_URL: 'memory://' }),
      silentLogger,
      new Map([['console', createConsoleSender('en', printed)]]),
    );
    const session = createConsoleSession({
      desk: services.desk,
      language: 'en',
      logger: silentLogger,
      delivery: { subscriptions: services.subscriptions, delivery: services.delivery, timeZone: 'UTC' },
    });
    expect(await session.handle('/subscribe tomorrow')).toMatch(/did not understand "tomorrow"/);
    expect(await session.handle('/subscribe')).toBe('Subscribed: a summary of every new article will arrive here.');
    await session.handle(`/post ${sampleArticle('en-flood-barrier.txt')}`);
    await services.delivery.settled();
    await services.delivery.worker.idle();
    expect(deliveredText).toMatch(/📰 New article: Marlow Bay opens its new flood barrier/);
    expect(deliveredText).toMatch(/• MARLOW BAY — The city of Marlow Bay opened/);
    expect(await session.handle('/status')).toMatch(/pending 0 · sent 1 · failed 0 · chat gone 0\nsubscribers: 1 active, 0 stopped/);
    expect(await session.handle('/subscribe digest 7:30 ar')).toBe(
      'Subscribed: a digest of new articles will arrive here every day at 07:30 (UTC).',
    );
    expect(await session.handle('/unsubscribe')).toMatch(/^Unsubscribed/);
    expect(await session.handle('/unsubscribe')).toBe('This chat is not subscribed.');
    await services.close();
  });
});

describe('console paste mode', () => {
  it('leaves paste mode on /cancel without posting, and keeps the console going', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'en', logger: silentLogger });
    await session.handle('/post');
    await session.handle('Half an article');
    expect(await session.handle('/cancel')).toBe('Paste cancelled; nothing was posted.');
    expect(session.pasting).toBe(false);
    expect(desk.articleCount).toBe(0);
    expect(await session.handle('/cancel')).toBe('No article is being pasted, so there is nothing to cancel.');
    expect(await session.handle('/articles')).toBe('No articles are stored yet. An admin can add one with /post.');
  });

  it('leaves paste mode on Ctrl-C without quitting, and quits on Ctrl-C at the prompt', async () => {
    const { desk } = await openTestDesk();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    let closed = false;
    const done = runConsole({ desk, language: 'en', logger: silentLogger, input, output, terminal: true }).then(() => (closed = true));
    input.write('/post\r');
    input.write('Half an article\r');
    await until(() => printed.includes('Half an article'));
    input.write('\x03');
    await until(() => printed.includes('Paste cancelled; nothing was posted.'));
    expect(closed).toBe(false);
    input.write('/articles\r');
    await until(() => printed.includes('No articles are stored yet'));
    expect(desk.articleCount).toBe(0);
    input.write('\x03');
    await done;
  });
});

describe('console names', () => {
  it('takes the Arabic names of the commands, and never takes a slash alone or /مساعدة for a question', async () => {
    const { desk } = await openTestDesk();
    const session = createConsoleSession({ desk, language: 'ar', logger: silentLogger });
    expect(await session.handle('/')).toMatch(/^أخبار: مكتب أخبار\. الأوامر:/);
    expect(await session.handle('/مساعدة')).toMatch(/^أخبار: مكتب أخبار\. الأوامر:/);
    expect(await session.handle(`/انشر ${sampleArticle('ar-solar-plant.txt')}`)).toMatch(/^حُفظ المقال/);
    expect(await session.handle('/اسال من هو مدير المشروع؟')).toContain('كريم بن صالح');
    expect(await session.handle('/الأحدث')).toContain('افتتاح أكبر محطة للطاقة الشمسية');
    expect(await session.handle('/مجهول')).toBe('الأمر /مجهول غير معروف. أرسل ‎/help‎ لقائمة الأوامر.');
    expect(session.quits('/خروج')).toBe(true);
  });
});

describe('console deliveries', () => {
  it('prints a delivery above the prompt and draws the prompt again under it', async () => {
    const { openServices } = await import('../../../src/main.js');
    const { loadConfig } = await import('../../../src/config.js');
    const { createConsoleScreen, createConsoleSender } = await import('../../../src/adapters/console/index.js');
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const screen = createConsoleScreen(output);
    const services = await openServices(loadConfig({ STORE_URL: 'memory://' }), silentLogger, new Map([['console', createConsoleSender('en', screen)]]));
    const done = runConsole({
      desk: services.desk,
      language: 'en',
      logger: silentLogger,
      input,
      screen,
      delivery: { subscriptions: services.subscriptions, delivery: services.delivery, timeZone: 'UTC' },
    });
    input.write('/subscribe\n');
    await until(() => printed.includes('Subscribed'));
    await services.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    await until(() => printed.includes('📰 New article'));
    await until(() => printed.endsWith('akhbar> '));
    expect(printed.slice(printed.indexOf('📰 New article'))).toMatch(/Marlow Bay[\s\S]*\nakhbar> $/);
    input.end();
    await done;
    await services.close();
  });
});

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
