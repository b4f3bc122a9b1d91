import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { classifyTelegramError } from '../../../src/adapters/telegram/sender.js';

function apiError(error_code: number, description: string, parameters: Record<string, number> = {}) {
  return new GrammyError(`Call to 'sendMessage' failed!`, { ok: false, error_code, description, parameters }, 'sendMessage', {});
}

describe('Telegram errors as delivery outcomes', () => {
  it.each([
    [apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), { kind: 'rate-limited', retryAfterMs: 7_000, scope: 'chat' }],
    [apiError(403, 'Forbidden: bot was blocked by the user'), { kind: 'chat-gone', reason: 'Forbidden: bot was blocked by the user' }],
    [apiError(403, 'Forbidden: bot was kicked from the supergroup chat'), { kind: 'chat-gone', reason: 'Forbidden: bot was kicked from the supergroup chat' }],
    [apiError(400, 'Bad Request: chat not found'), { kind: 'chat-gone', reason: 'Bad Request: chat not found' }],
    [apiError(400, 'Bad Request: need administrator rights in the channel chat'), { kind: 'chat-gone', reason: 'Bad Request: need administrator rights in the channel chat' }],
    [apiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }), { kind: 'migrated', newChatId: '-1001234' }],
    [apiError(502, 'Bad Gateway'), { kind: 'transient', error: '502 Bad Gateway' }],
    [apiError(400, 'Bad Request: message is too long'), { kind: 'rejected', error: '400 Bad Request: message is too long' }],
  ])('%s', (error, outcome) => {
    expect(classifyTelegramError(error)).toEqual(outcome);
  });

  it('treats a network failure as transient', () => {
    expect(classifyTelegramError(new HttpError('Network request failed', new Error('ECONNRESET'))).kind).toBe('transient');
  });
});
