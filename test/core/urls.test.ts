import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../src/core/urls.js';

describe('normalizeUrl', () => {
  it.each([
    ['https://News.Example/a/b?utm_source=tw&utm_medium=social&id=7#comments', 'https://news.example/a/b?id=7'],
    ['https://news.example/a?fbclid=XYZ', 'https://news.example/a'],
    ['https://news.example/a?gclid=1&mc_cid=2&UTM_Campaign=3', 'https://news.example/a'],
    ['http://news.example:80/a/', 'http://news.example/a/'],
    ['https://news.example/%D8%AE%D8%A8%D8%B1?page=2&ref=home', 'https://news.example/%D8%AE%D8%A8%D8%B1?page=2&ref=home'],
    ['  https://news.example/a?  ', 'https://news.example/a'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeUrl(raw)).toBe(expected);
  });

  it.each(['javascript:alert(1)', 'ftp://news.example/a', 'file:///etc/hosts', 'not a url', ''])('refuses %j', (raw) => {
    expect(normalizeUrl(raw)).toBeUndefined();
  });
});
