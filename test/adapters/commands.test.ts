import { describe, expect, it } from 'vitest';
import { parseSubscribeArgs } from '../../src/adapters/commands.js';

describe('/subscribe arguments', () => {
  it.each([
    ['', { mode: 'each' }],
    ['each ar', { mode: 'each', language: 'ar' }],
    ['digest 08:00', { mode: 'digest', digestTime: '08:00' }],
    ['digest 7:30 en', { mode: 'digest', digestTime: '07:30', language: 'en' }],
    ['ملخص 21:15', { mode: 'digest', digestTime: '21:15' }],
    ['18:00', { mode: 'digest', digestTime: '18:00' }],
  ])('%j means %j', (text, options) => {
    expect(parseSubscribeArgs(text)).toEqual({ ok: true, options });
  });

  it.each([['digest'], ['digest 25:00'], ['hourly'], ['each fr']])('refuses %j and names the word', (text) => {
    const parsed = parseSubscribeArgs(text);
    expect(parsed.ok).toBe(false);
  });
});
