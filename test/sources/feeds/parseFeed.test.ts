import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AkhbarError } from '../../../src/core/errors.js';
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed, repairXml } from '../../../src/sources/feeds/parseFeed.js';
import { htmlToText } from '../../../src/sources/web/htmlText.js';

const BASE = 'http://feeds.test';
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/web/${name}`, import.meta.url)), 'utf8').replaceAll('{{base}}', BASE);

function invalid(xml: string): AkhbarError {
  try {
    parseFeed(xml, `${BASE}/feed.xml`);
  } catch (error) {
    if (error instanceof AkhbarError) return error;
    throw error;
  }
  throw new Error('expected FEED_INVALID');
}

describe('parseFeed', () => {
  it('reads an Arabic RSS 2.0 feed: GUIDs, links without tracking, dates, authors, full content and the language', () => {
    const feed = parseFeed(fixture('ar-feed.xml'), `${BASE}/ar-feed.xml`);
    expect(feed.title).toBe('أخبار الواحة - محليات');
    expect(feed.language).toBe('ar');
    expect(feed.items).toHaveLength(5);
    const [festival, , bridge, library] = feed.items;
    expect(festival).toMatchObject({
      id: 'alwaha-2026-0316-dates',
      link: `${BASE}/news/ar-dates-festival.html`,
      title: 'انطلاق مهرجان التمور السنوي في الساحة الكبرى',
      summary: 'انطلق صباح الاثنين مهرجان التمور السنوي بمشاركة مئة وخمسين منتجا.',
      publishedAt: '2026-03-16T08:00:00.000Z',
      author: 'سامي الطيب',
      language: 'ar',
    });
    expect(htmlToText(festival!.content).split('\n\n')).toHaveLength(4);
    // A teaser: the description is all there is.
    expect(htmlToText(bridge!.content)).toBe('افتتح محافظ مدينة النخيل جسر وادي الرمال الجديد. التفاصيل');
    // No GUID: the link identifies the item.
    expect(library!.id).toBe(`${BASE}/news/ar-library-hours.html`);
    expect(htmlToText(library!.content).length).toBeGreaterThan(600);
  });

  it('reads an English Atom feed, resolving relative links against the feed URL', () => {
    const feed = parseFeed(fixture('en-atom.xml'), `${BASE}/en-atom.xml`);
    expect(feed).toMatchObject({ title: 'The Harbour Gazette', language: 'en' });
    expect(feed.items.map((item) => item.id)).toEqual([
      'tag:gazette.example,2026:ferry-timetable',
      'tag:gazette.example,2026:lifeboat-kayakers',
      'tag:gazette.example,2026:bakery',
    ]);
    expect(feed.items[0]).toMatchObject({ link: `${BASE}/news/ferry-timetable`, publishedAt: '2026-02-05T18:00:00.000Z', author: 'Priya Shah' });
    expect(htmlToText(feed.items[0]!.content)).toMatch(/^The island ferry will run a new timetable from Monday/);
  });

  it('identifies an item with neither GUID nor link by a hash of its title and content', () => {
    const rss = (title: string) => `<rss version="2.0"><channel><title>t</title><item><title>${title}</title><description>Body text.</description></item></channel></rss>`;
    const [a] = parseFeed(rss('One'), `${BASE}/f`).items;
    const [b] = parseFeed(rss('One'), `${BASE}/f`).items;
    const [c] = parseFeed(rss('Two'), `${BASE}/f`).items;
    expect(a!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a!.id).toBe(b!.id);
    expect(a!.id).not.toBe(c!.id);
  });

  it('refuses broken XML with FEED_INVALID, saying where for the logs', () => {
    const error = invalid(fixture('broken-feed.xml'));
    expect(error.details).toMatchObject({ code: 'FEED_INVALID', url: `${BASE}/feed.xml` });
    expect(error.message).toMatch(/line \d+/);
  });

  it('reads a sloppy feed whose slips have one reading: a BOM and blank lines before the declaration, bare ampersands, HTML entities', () => {
    const xml = fixture('sloppy-feed.xml');
    expect(XMLValidator.validate(xml)).not.toBe(true);
    const feed = parseFeed(xml, `${BASE}/sloppy.xml`);
    expect(feed).toMatchObject({ title: 'Harbour & Coast Gazette', language: 'en', repaired: true });
    const [tides, ferry] = feed.items;
    expect(tides).toMatchObject({ id: 'gazette-tides', title: 'Tides & turbines: the council votes\u00a0yes', link: `${BASE}/news/tides?a=1&b=2` });
    // CDATA is left to the parser as it was: its ampersands are not escaped a second time.
    expect(tides!.content).toBe('<p>Kept as written: R&D, & and all.</p>');
    expect(ferry).toMatchObject({ title: 'Ferry timetable © the port authority', content: 'Fares go up by 5% & the first boat leaves at six.' });
  });

  it('repairs only bare ampersands and what stands before the declaration, and leaves entities and CDATA alone', () => {
    expect(repairXml('\uFEFF \n<?xml version="1.0"?><a>R&D &amp; &#38; &#x26; &nbsp; &copy</a>')).toBe('<?xml version="1.0"?><a>R&amp;D &amp; &#38; &#x26; &nbsp; &amp;copy</a>');
    expect(repairXml('<a><![CDATA[a & b]]> & </a>')).toBe('<a><![CDATA[a & b]]> &amp; </a>');
  });

  it('reads the channel’s <ttl> in minutes, and no item’s', () => {
    expect(parseFeed(fixture('sloppy-feed.xml'), `${BASE}/f`).ttlMinutes).toBe(180);
    expect(parseFeed(fixture('ar-feed.xml'), `${BASE}/f`).ttlMinutes).toBeUndefined();
    const itemTtl = '<rss version="2.0"><channel><title>t</title><item><title>a</title><guid>1</guid><ttl>30</ttl></item></channel></rss>';
    expect(parseFeed(itemTtl, `${BASE}/f`).ttlMinutes).toBeUndefined();
  });

  it('still refuses a feed whose repair leaves it broken (an unclosed element beside a bare ampersand)', () => {
    // broken-feed.xml has "Tides & turbines" in a description that never closes.
    expect(invalid(fixture('broken-feed.xml')).message).toMatch(/line \d+/);
  });

  it.each([
    ['a truncated document', '<rss version="2.0"><channel><title>t</title><item><title>a</ti'],
    ['an HTML page', '<!DOCTYPE html><html><body><p>Hello<br></p></body></html>'],
    ['well-formed XML that is no feed', '<?xml version="1.0"?><note><to>you</to></note>'],
    ['entity declarations', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel><title>&a;</title></channel></rss>'],
    ['an empty body', ''],
  ])('refuses %s', (_what, xml) => {
    expect(invalid(xml).code).toBe('FEED_INVALID');
  });
});
