/**
 * Feed lists for the OPML specs: 100 feeds with the awkward parts real lists have (ampersands,
 * quotes, angle brackets, Arabic titles, query strings, no title, no site).
 */
import type { OpmlFeed } from '../../src/sources/feeds/opml.js';

/** 100 distinct feeds, as normalised URLs. */
export function hundredFeeds(): OpmlFeed[] {
  return Array.from({ length: 100 }, (_, n) => ({
    url: `https://outlet-${n}.example/feeds/${n % 3 === 0 ? 'rss.xml?section=world&lang=ar' : `atom-${n}.xml`}`,
    ...(n % 10 === 9 ? {} : { title: n % 2 === 0 ? `أخبار "الواحة" ${n} & <محليات>` : `Harbour & Coast 'Gazette' ${n}` }),
    ...(n % 7 === 6 ? {} : { siteUrl: `https://outlet-${n}.example/?from=opml&n=${n}` }),
  }));
}
