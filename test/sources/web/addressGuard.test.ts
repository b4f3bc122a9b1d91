import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseAllowList, PUBLIC_ONLY, refusedAddress } from '../../../src/sources/web/addressGuard.js';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['172.31.255.254', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['192.0.2.10', false],
    ['198.18.0.1', false],
    ['240.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:a00:1::1', false],
    ['2001::1', false],
    ['not an address', false],
    ['8.8.8.8', true],
    ['172.32.0.1', true],
    ['2001:4860:4860::8888', true],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::808:808', true],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('the allow-list', () => {
  it('matches host names, wildcard subdomains, addresses and networks', () => {
    const allow = parseAllowList(['localhost', '*.intranet.example', '127.0.0.1', '10.0.0.0/8', 'fd00::/8', ' ']);
    expect(allow.empty).toBe(false);
    expect(allow.allowsHost('LOCALHOST')).toBe(true);
    expect(allow.allowsHost('news.intranet.example')).toBe(true);
    expect(allow.allowsHost('intranet.example.evil')).toBe(false);
    expect(allow.allowsHost('127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('10.20.30.40')).toBe(true);
    expect(allow.allowsAddress('::ffff:10.20.30.40')).toBe(true);
    expect(allow.allowsAddress('fd12::1')).toBe(true);
    expect(allow.allowsAddress('127.0.0.2')).toBe(false);
    expect(allow.allowsAddress('192.168.0.1')).toBe(false);
  });

  it('is empty with no entries', () => {
    expect(PUBLIC_ONLY.empty).toBe(true);
    expect(parseAllowList(['', '  ']).empty).toBe(true);
  });

  it.each(['10.0.0.0/99', 'http://intranet', 'a b', 'under_score.example', '*'])('refuses the entry %j', (entry) => {
    expect(() => parseAllowList([entry])).toThrow(entry.trim());
  });
});

describe('refusedAddress', () => {
  it('refuses a name when any of its addresses is not public', () => {
    expect(refusedAddress('news.example', ['8.8.8.8', '2001:4860:4860::8888'], PUBLIC_ONLY)).toBeUndefined();
    expect(refusedAddress('news.example', ['8.8.8.8', '10.0.0.7'], PUBLIC_ONLY)).toBe('10.0.0.7');
    expect(refusedAddress('localhost', ['127.0.0.1', '::1'], PUBLIC_ONLY)).toBe('127.0.0.1');
  });

  it('lets an allow-listed name or network through, and nothing else', () => {
    expect(refusedAddress('localhost', ['127.0.0.1', '::1'], parseAllowList(['localhost']))).toBeUndefined();
    const loopbackOnly = parseAllowList(['127.0.0.1']);
    expect(refusedAddress('127.0.0.1', ['127.0.0.1'], loopbackOnly)).toBeUndefined();
    // localhost also resolves to ::1, which is not on the list.
    expect(refusedAddress('localhost', ['127.0.0.1', '::1'], loopbackOnly)).toBe('::1');
    expect(refusedAddress('db.internal', ['10.1.1.1'], parseAllowList(['10.0.0.0/8']))).toBeUndefined();
    expect(refusedAddress('db.internal', ['10.1.1.1', '192.168.1.1'], parseAllowList(['10.0.0.0/8']))).toBe('192.168.1.1');
  });
});
