/**
 * The one form of a web address that articles are matched by, so the same page reached through
 * a share button, a newsletter or a feed is one article.
 */

// Parameters that say who sent the reader, never which page it is.
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid)$/i;

/** `raw` as an http(s) URL without fragment or tracking parameters; undefined when it is not http(s). */
export function normalizeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  // Collect first: deleting while iterating URLSearchParams skips entries.
  const tracking = [...url.searchParams.keys()].filter((key) => TRACKING_PARAM.test(key));
  for (const key of tracking) url.searchParams.delete(key);
  // URL keeps a bare "?" once the last parameter is gone; the page is the same without it.
  if (url.search === '?' || url.searchParams.size === 0) url.search = '';
  return url.toString();
}
