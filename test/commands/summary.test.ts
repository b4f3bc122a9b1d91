/**
 * /summary [id] and /latest: an article's summary, linked to its page when it has one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../support/fixtures.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('/summary and /latest', () => {
  it('summarise the newest article, or the one an id prefix names, and explain an unknown id', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const reader = asker();
    expect(shown(await run(s, reader, 'latest'))).toBe('No articles are stored yet. An admin can add one with /post.');
    const flood = await s.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt'), url: 'https://news.example/flood' }, { kind: 'operator' });
    await s.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });

    const latest = await run(s, reader, 'latest');
    expect(latest.blocks[0]).toMatchObject({ kind: 'summary', title: expect.stringMatching(/^Rail workers/) });
    const byId = await run(s, reader, 'summary', flood.article.id.slice(0, 6));
    expect(byId.blocks[0]).toMatchObject({ kind: 'summary', articleId: flood.article.id, url: 'https://news.example/flood' });
    expect(shown(byId).split('\n').filter((line) => line.startsWith('• ')).length).toBeGreaterThanOrEqual(3);
    expect(shown(await run(s, reader, 'summary', 'deadbeef'))).toBe('There is no article with the id "deadbeef". Send /articles to see the ids.');
  });
});
