import { describe, expect, it } from 'vitest';
import { requestDeadlineMs } from '../../../src/adapters/telegram/client.js';

describe('Bot API request deadlines', () => {
  it('gives every call the request timeout, and a long poll its wait on top', () => {
    expect(requestDeadlineMs('sendMessage', { chat_id: 1, text: 'x' }, 15_000)).toBe(15_000);
    expect(requestDeadlineMs('getUpdates', { timeout: 30, offset: 5 }, 15_000)).toBe(45_000);
    expect(requestDeadlineMs('getUpdates', { offset: 5 }, 15_000)).toBe(15_000);
    expect(requestDeadlineMs('getMe', undefined, 2_000)).toBe(2_000);
  });
});
