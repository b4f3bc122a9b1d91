import { describe, expect, it } from 'vitest';
import { latestDailySlot } from '../../../src/core/delivery/schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('latestDailySlot', () => {
  it('finds today’s slot once it has passed, yesterday’s before', () => {
    expect(new Date(latestDailySlot(at('2026-11-29T07:30:00Z'), '08:00', 'Africa/Algiers')).toISOString()).toBe('2026-11-29T07:00:00.000Z');
    expect(new Date(latestDailySlot(at('2026-11-29T06:59:00Z'), '08:00', 'Africa/Algiers')).toISOString()).toBe('2026-11-28T07:00:00.000Z');
  });

  it('keeps the local time across a daylight-saving change', () => {
    // New York: 08:00 is 13:00Z in winter and 12:00Z in summer (clocks went forward on 8 March 2026).
    expect(new Date(latestDailySlot(at('2026-03-07T20:00:00Z'), '08:00', 'America/New_York')).toISOString()).toBe('2026-03-07T13:00:00.000Z');
    expect(new Date(latestDailySlot(at('2026-03-09T20:00:00Z'), '08:00', 'America/New_York')).toISOString()).toBe('2026-03-09T12:00:00.000Z');
  });

  it('handles a slot just before midnight in a zone ahead of UTC', () => {
    expect(new Date(latestDailySlot(at('2026-11-29T21:00:00Z'), '23:30', 'Asia/Riyadh')).toISOString()).toBe('2026-11-29T20:30:00.000Z');
  });
});
