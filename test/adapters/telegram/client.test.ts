import { HttpError, type Transformer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { replyRetries, requestDeadlineMs } from '../../../src/adapters/telegram/client.js';

describe('Bot API request deadlines', () => {
  it('gives every call the request timeout, and a long poll its wait on top', () => {
    expect(requestDeadlineMs('sendMessage', { chat_id: 1, text: 'x' }, 15_000)).toBe(15_000);
    expect(requestDeadlineMs('getUpdates', { timeout: 30, offset: 5 }, 15_000)).toBe(45_000);
    expect(requestDeadlineMs('getUpdates', { offset: 5 }, 15_000)).toBe(15_000);
    expect(requestDeadlineMs('getMe', undefined, 2_000)).toBe(2_000);
  });
});

describe('replyRetries', () => {
  const unreachable = () => {
    const calls: string[] = [];
    const prev = (async (method: string) => {
      calls.push(method);
      throw new HttpError(`Telegram did not answer ${method} within 15000 ms`, new Error('aborted'));
    }) as unknown as Parameters<Transformer>[0];
    return { calls, prev };
  };

  it('gives a reply up after two more tries when Telegram is unreachable, instead of holding its chat for as long as the outage lasts', async () => {
    const { calls, prev } = unreachable();
    await expect(replyRetries({ networkRetryMs: 1 })(prev, 'sendMessage', { chat_id: 1, text: 'hi' })).rejects.toThrow(/did not answer sendMessage/);
    expect(calls).toEqual(['sendMessage', 'sendMessage', 'sendMessage']);
  });

  it('leaves a failed getUpdates to the runner, which polls again at its own steady pace', async () => {
    const { calls, prev } = unreachable();
    await expect(replyRetries({ networkRetryMs: 1 })(prev, 'getUpdates', { timeout: 30 })).rejects.toThrow(HttpError);
    expect(calls).toEqual(['getUpdates']);
  });
});
