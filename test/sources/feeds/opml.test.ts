import { describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import { parseOpml, writeOpml } from '../../../src/sources/feeds/opml.js';
import { hundredFeeds } from '../../support/opmlFeeds.js';

function refusal(text: string, limits?: Parameters<typeof parseOpml>[1]): AkhbarError {
  try {
    parseOpml(text, limits);
  } catch (error) {
    if (error instanceof AkhbarError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('OPML', () => {
  it('gives back 100 feeds exactly as written: title, feed URL and site URL', () => {
    const feeds = hundredFeeds();
    const text = writeOpml(feeds, { title: 'akhbar feeds', createdAt: new Date('2026-03-17T08:00:00Z') });
    expect(text).toContain('<opml version="2.0">');
    expect(parseOpml(text)).toEqual(feeds);
  });

  it('reads feeds nested in categories, by title or else text, each URL once, and skips outlines that are no feed', () => {
    const text = `<?xml version="1.0"?>
      <opml version="1.0"><head><title>Exported</title></head><body>
        <outline text="World">
          <outline text="Reuters &amp; co" type="rss" xmlUrl="https://World.example/feed?utm_source=x" htmlUrl="https://world.example/"/>
          <outline text="Regional"><outline title="Al Waha" text="ignored" xmlUrl="https://alwaha.example/rss"/></outline>
        </outline>
        <outline text="A link, not a feed" url="https://example.com/"/>
        <outline text="again" xmlUrl="https://world.example/feed"/>
      </body></opml>`;
    expect(parseOpml(text)).toEqual([
      { url: 'https://world.example/feed', title: 'Reuters & co', siteUrl: 'https://world.example/' },
      { url: 'https://alwaha.example/rss', title: 'Al Waha' },
    ]);
  });

  it.each([
    ['broken XML', '<opml version="2.0"><body><outline xmlUrl="https://a.example/f"></body></opml>', /line/],
    ['a document that is no OPML', '<?xml version="1.0"?><rss version="2.0"><channel/></rss>', /no <opml>/],
    ['OPML without a body', '<opml version="2.0"><head/></opml>', /no <body>/],
    ['OPML that lists no feed', '<opml version="2.0"><body><outline text="empty"/></body></opml>', /no feeds/],
    ['a feed that is not http(s)', '<opml version="2.0"><body><outline xmlUrl="https://a.example/f"/><outline xmlUrl="file:///etc/passwd"/></body></opml>', /file:\/\/\/etc\/passwd/],
    ['entity declarations', '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="https://a.example/&a;"/></body></opml>', /entities/],
  ])('refuses %s as a whole', (_what, text, cause) => {
    const error = refusal(text);
    expect(error.code).toBe('OPML_INVALID');
    expect((error.details as { cause: string }).cause).toMatch(cause);
  });

  it('refuses a file listing more feeds than allowed, saying how many it lists, and one larger than allowed', () => {
    const text = writeOpml(hundredFeeds(), { title: 't', createdAt: new Date(0) });
    expect(refusal(text, { maxFeeds: 40, maxChars: 1_000_000 }).details).toEqual({ code: 'OPML_TOO_LARGE', feeds: 100, maxFeeds: 40 });
    expect(refusal(text, { maxFeeds: 500, maxChars: 1_000 }).code).toBe('OPML_INVALID');
  });
});
