import { describe, expect, it } from 'vitest';
import { decodeBody, detectCharset } from '../../../src/sources/web/charset.js';
import { encodeWindows1256 } from '../../support/windows1256.js';

const arabic = 'الأخبار العاجلة';
const page = (head: string) => `<!doctype html><html><head>${head}<title>${arabic}</title></head><body></body></html>`;

describe('charset detection', () => {
  it('reads windows-1256 declared in a meta tag', () => {
    const bytes = encodeWindows1256(page('<meta charset="windows-1256">'));
    expect(detectCharset(bytes, 'text/html')).toBe('windows-1256');
    expect(decodeBody(bytes, 'text/html').text).toContain(arabic);
  });

  it('reads the old http-equiv form and the cp1256 alias', () => {
    const bytes = encodeWindows1256(page('<meta http-equiv="Content-Type" content="text/html; charset=cp1256">'));
    expect(decodeBody(bytes, undefined).text).toContain(arabic);
  });

  it('lets the Content-Type header win over the document, and a BOM over both', () => {
    const bytes = encodeWindows1256(page('<meta charset="utf-8">'));
    expect(decodeBody(bytes, 'text/html; charset="Windows-1256"').text).toContain(arabic);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(page(''))]);
    const decoded = decodeBody(withBom, 'text/html; charset=windows-1256');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text.startsWith('<!doctype')).toBe(true);
    expect(decoded.text).toContain(arabic);
  });

  it('reads the XML declaration of a feed', () => {
    const xml = `<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>${arabic}</title></channel></rss>`;
    expect(decodeBody(encodeWindows1256(xml), 'application/rss+xml').text).toContain(arabic);
  });

  it('falls back to UTF-8 for unknown labels and for a UTF-16 claim in ASCII-readable bytes', () => {
    const utf8 = new TextEncoder().encode(page('<meta charset="klingon-8">'));
    expect(decodeBody(utf8, 'text/html; charset=bogus').text).toContain(arabic);
    expect(detectCharset(new TextEncoder().encode(page('<meta charset="utf-16">')), undefined)).toBe('utf-8');
  });
});
