import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/i18n/errors.js';
import { messages } from '../../src/i18n/messages.js';
import { AkhbarError, type AkhbarErrorDetails } from '../../src/core/errors.js';

const url = 'https://news.example/2025/11/solar-plant?utm_source=x';

const linkAndFeedErrors: AkhbarErrorDetails[] = [
  { code: 'LINK_UNREACHABLE', url, reason: 'dns', cause: 'getaddrinfo ENOTFOUND news.example' },
  { code: 'LINK_UNREACHABLE', url, reason: 'refused', cause: 'connect ECONNREFUSED 203.0.113.9:443' },
  { code: 'LINK_UNREACHABLE', url, reason: 'timeout' },
  { code: 'LINK_UNREACHABLE', url, reason: 'http-status', status: 404 },
  { code: 'LINK_UNREACHABLE', url, reason: 'network', cause: 'socket hang up' },
  { code: 'LINK_BLOCKED', url, host: '10.1.2.3', reason: 'private-address' },
  { code: 'LINK_BLOCKED', url: 'file:///etc/passwd', host: '', reason: 'scheme' },
  { code: 'LINK_NOT_HTML', url, contentType: 'application/pdf' },
  { code: 'LINK_TOO_LARGE', url, maxBytes: 5 * 1_048_576 },
  { code: 'LINK_TOO_MANY_REDIRECTS', url, maxRedirects: 5, loop: true },
  { code: 'LINK_TOO_MANY_REDIRECTS', url, maxRedirects: 5, loop: false },
  { code: 'LINK_NO_ARTICLE', url },
  { code: 'FEED_INVALID', url, cause: "Expected closing tag 'item' at line 7" },
  { code: 'FEED_NOT_FOUND', ref: 'abcd' },
  { code: 'FEED_EXISTS', url, id: '1a2b3c4d' },
];

describe('errorText for links and feeds', () => {
  it.each(linkAndFeedErrors.map((d) => [d.code, d] as const))('explains %s in Arabic and English without log detail', (_code, details) => {
    for (const language of ['ar', 'en'] as const) {
      const text = errorText(new AkhbarError(details), language);
      expect(text).not.toBe(messages(language).internalError);
      // Resolver and parser messages are for the logs, not for the admin.
      if ('cause' in details && details.cause) expect(text).not.toContain(details.cause);
      expect(text).not.toContain('10.1.2.3');
    }
  });

  it('names the HTTP status, the size limit in MB and the redirect limit', () => {
    expect(errorText(new AkhbarError(linkAndFeedErrors[3]!), 'en')).toContain('HTTP 404');
    expect(errorText(new AkhbarError(linkAndFeedErrors[8]!), 'en')).toContain('5 MB');
    expect(errorText(new AkhbarError(linkAndFeedErrors[10]!), 'ar')).toContain('5');
  });

  it('shortens a very long URL', () => {
    const long = `https://news.example/${'a'.repeat(500)}`;
    expect(errorText(new AkhbarError({ code: 'LINK_NO_ARTICLE', url: long }), 'en').length).toBeLessThan(200);
  });
});
