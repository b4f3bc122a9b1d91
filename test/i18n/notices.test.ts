import { describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../src/core/types.js';
import { noticeText } from '../../src/i18n/notices.js';

const error = { at: '2026-03-17T07:45:00.000Z', code: 'FEED_INVALID' as const, details: { code: 'FEED_INVALID' as const, url: 'https://down.example/rss', cause: 'line 3' } };
const feed: FeedRecord = {
  id: 'bbbb0002',
  url: 'https://down.example/rss',
  title: 'Down Daily',
  addedBy: 'telegram:1',
  addedAt: '2026-03-01T08:00:00.000Z',
  nextCheckAt: '2026-03-17T08:00:00.000Z',
  failures: 10,
  lastError: error,
  paused: { at: error.at, failures: 10, error },
  seen: [],
};

describe('the paused-feed notice', () => {
  it('names the feed, the failures, why, and how to resume, in the chat’s language', () => {
    expect(noticeText({ kind: 'feed-paused', feed }, 'en')).toBe(
      'The feed Down Daily — https://down.example/rss (bbbb0002) failed 10 checks in a row and is paused: https://down.example/rss is not a valid RSS or Atom feed. Once it works again, send /feed resume bbbb0002.',
    );
    expect(noticeText({ kind: 'feed-paused', feed, language: 'ar' }, 'en')).toBe(
      'فشل فحص الخلاصة Down Daily — https://down.example/rss (bbbb0002) 10 مرات متتالية فأوقفت: https://down.example/rss ليس موجز RSS أو Atom صالحا. حين تعمل من جديد أرسل ‎/feed resume bbbb0002‎',
    );
  });
});
