/**
 * /articles [page]: the stored articles, newest first, ten to a page, with buttons either side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { distinctArticle } from '../support/fixtures.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function withArticles(count: number) {
  const s = await commandServices();
  stops.push(() => s.stop());
  for (let i = 0; i < count; i++) {
    await s.desk.postArticle({ text: distinctArticle(i) }, { kind: 'operator' });
  }
  return s;
}

describe('/articles', () => {
  it('says when nothing is stored yet', async () => {
    const s = await withArticles(0);
    expect(shown(await run(s, asker(), 'articles'))).toBe('No articles are stored yet. An admin can add one with /post.');
  });

  it('numbers the first page from 1 and offers the next one', async () => {
    const s = await withArticles(12);
    const view = await run(s, asker(), 'articles');
    expect(shown(view).split('\n')[0]).toBe('Articles 1–10 of 12:');
    expect(view.blocks[1]).toMatchObject({ kind: 'items', items: expect.any(Array) });
    expect(view.buttons).toEqual([{ label: '›', command: 'articles', args: '2' }]);
    const second = await run(s, asker(), 'articles', '2');
    expect(shown(second).split('\n')[0]).toBe('Articles 11–12 of 12:');
    expect(second.buttons).toEqual([{ label: '‹', command: 'articles', args: '1' }]);
  });

  it('says a page past the end is not there, with the right count, and offers the last page', async () => {
    const s = await withArticles(8);
    expect(shown(await run(s, asker(), 'articles', '1')).split('\n')[0]).toBe('Articles 1–8 of 8:');
    const past = await run(s, asker(), 'articles', '2');
    expect(shown(past)).toBe('There is no page 2: the 8 stored article(s) fill 1 page(s).');
    expect(past.buttons).toEqual([{ label: '‹', command: 'articles', args: '1' }]);
    expect(shown(await run(s, asker({ language: 'ar' }), 'articles', '5'))).toBe('لا توجد صفحة 5: المقالات المخزنة (8) تملأ 1 من الصفحات.');
  });

  it('reads anything but a whole number from 1 as the first page', async () => {
    const s = await withArticles(3);
    for (const words of ['', '0', '-2', 'next']) expect(shown(await run(s, asker(), 'articles', words)).split('\n')[0]).toBe('Articles 1–3 of 3:');
  });
});
