/**
 * /post: admins store articles from text, a link or a text file; anyone else is refused, and an
 * admin given nothing is told how to post on their surface (or the surface collects a paste).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileInput } from '../../src/commands/types.js';
import { sampleArticle } from '../support/fixtures.js';
import { startFixtureServer } from '../support/fixtureServer.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function services() {
  const s = await commandServices();
  stops.push(() => s.stop());
  return s;
}

function file(name: string, text: string, extra: Partial<FileInput> = {}): FileInput & { reads: number } {
  const f: FileInput & { reads: number } = {
    name,
    size: Buffer.byteLength(text),
    reads: 0,
    read: async () => {
      f.reads++;
      return text;
    },
    ...extra,
  };
  return f;
}

const admin = asker({ admin: true });

describe('/post', () => {
  it('stores the text after the command once, and says so again for the same text', async () => {
    const s = await services();
    const first = await run(s, admin, 'post', sampleArticle('en-rail-strike.txt'));
    expect(shown(first)).toMatch(/^Stored article [0-9a-f]{12}: Rail workers/);
    expect(first.outcome).toBe('ok');
    expect(shown(await run(s, admin, 'post', sampleArticle('en-rail-strike.txt')))).toMatch(/^Already stored as article [0-9a-f]{12}/);
    expect(s.desk.articleCount).toBe(1);
  });

  it('refuses anyone but an admin, and stores nothing', async () => {
    const s = await services();
    const view = await run(s, asker(), 'post', sampleArticle('en-rail-strike.txt'));
    expect(shown(view)).toBe('Only admins can post articles.');
    expect(view.outcome).toBe('refused');
    expect(s.desk.articleCount).toBe(0);
  });

  it('fetches the article at a link', async () => {
    const s = await services();
    const web = await startFixtureServer();
    stops.push(() => web.close());
    expect(shown(await run(s, admin, 'post', web.url('/en-news.html')))).toMatch(/^Stored article [0-9a-f]{12}: /);
  });

  it('given nothing on Telegram or Discord, tells the admin the ways to post there', async () => {
    const s = await services();
    const telegram = await run(s, admin, 'post');
    expect(shown(telegram)).toBe(
      'To post an article, send it after the command (/post <text>), reply /post to a message that holds it, send a .txt file with /post as its caption, or send /post <link>.',
    );
    expect(telegram.collect).toBeUndefined();
    expect(shown(await run(s, asker({ platform: 'discord', admin: true }), 'post'))).toMatch(/text option.*file option/);
  });

  it('given nothing where the surface can collect a paste, asks for it', async () => {
    const s = await services();
    const view = await run(s, asker({ platform: 'console', collects: true }), 'post');
    expect(shown(view)).toMatch(/^Paste the article/);
    expect(view.collect).toMatchObject({ command: 'post', title: 'Post an article', label: 'Article text' });
  });

  it('stores the article in a text file', async () => {
    const s = await services();
    const sent = file('fair.txt', sampleArticle('ar-book-fair.txt'), { contentType: 'text/plain' });
    expect(shown(await run(s, admin, 'post', { text: '', file: sent }))).toMatch(/^Stored article [0-9a-f]{12}: معرض الكتاب الدولي/);
  });

  it('refuses a file too large for an article by its real size, without reading it', async () => {
    const s = await services();
    const huge = file('archive.txt', 'x', { size: 812_345, contentType: 'text/plain' });
    const view = await run(s, admin, 'post', { text: '', file: huge });
    expect(shown(view)).toBe(`The file archive.txt is 812,345 bytes, too large for an article (at most ${s.maxArticleChars.toLocaleString('en')} characters).`);
    expect(huge.reads).toBe(0);
    const ar = await run(s, asker({ admin: true, language: 'ar' }), 'post', { text: '', file: huge });
    expect(shown(ar)).toContain('812,345');
  });

  it('refuses a file that is not text', async () => {
    const s = await services();
    const pdf = file('report.pdf', '%PDF', { contentType: 'application/pdf' });
    expect(shown(await run(s, admin, 'post', { text: '', file: pdf }))).toBe('report.pdf is not a text file. Send the article as a .txt or .md file, or paste its text.');
  });

  it('refuses a .txt file whose bytes are not text, and stores nothing', async () => {
    const s = await services();
    // 4 KB of random bytes, as a file download decodes them.
    const noise = new TextDecoder().decode(randomBytes(4096));
    expect(shown(await run(s, admin, 'post', { text: '', file: file('notes.txt', noise) }))).toMatch(/^This is not text: it looks like binary data/u);
    expect((await s.desk.listArticles()).total).toBe(0);
  });
});
