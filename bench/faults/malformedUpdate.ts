/**
 * Malformed update JSON with the right secret: the real adapter in webhook mode (against the fake
 * Bot API) gets bodies that are not an update, then a good one. Telegram sends an update again for
 * as long as its webhook answers anything but 2xx, so a 200 is what drops it.
 */
import { telegramOnFake } from './bots.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

const SECRET = 'correct-horse-battery-staple';

const MALFORMED: readonly (string | Buffer)[] = [
  '{"update_id": 8, "message": ',
  '{"message": {"message_id": 1, "date": 0, "text": "no update_id"}}',
  '[1, 2, 3]',
  'not json at all',
  '',
  Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]),
];

/** Row 6 of the table. */
export const malformedUpdate: FaultCase = {
  fault: 'Malformed update JSON with the right secret',
  required: '200 and logged (dropped, not retried)',
  run: () =>
    withCleanup(async (defer): Promise<FaultOutcome> => {
      const { fake, adapter, lines } = await telegramOnFake(defer, { webhookSecret: SECRET });
      const post = async (body: string | Buffer) => {
        const response = await fetch(`http://127.0.0.1:${adapter.port!}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body,
        });
        return response.status;
      };

      const statuses: number[] = [];
      for (const body of MALFORMED) statuses.push(await post(body));
      const dropped = lines.filter((line) => line.msg === 'malformed webhook update dropped').length;
      const failures = lines.filter((line) => line.level === 'error').length;
      // The next good update is handled as usual.
      const good = {
        update_id: 500,
        message: { message_id: 1, date: 0, chat: { id: 11, type: 'private' }, from: { id: 11, is_bot: false, first_name: 'W' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] },
      };
      const goodStatus = await post(JSON.stringify(good));
      const answered = await until(() => fake.sent.some((m) => m.chatId === '11'), 5_000);

      const counts = [...new Set(statuses)].map((status) => `${statuses.filter((s) => s === status).length}× ${status}`).join(', ');
      const result =
        `${MALFORMED.length} malformed bodies (cut JSON, no update_id, an array, not JSON, empty, invalid UTF-8): ${counts}; ` +
        `${dropped} 'malformed webhook update dropped' lines, ${failures} errors; next good update ${goodStatus}, ${answered ? 'answered' : 'not answered'}`;
      return { result, ok: statuses.every((s) => s === 200) && dropped === MALFORMED.length && goodStatus === 200 && answered };
    }),
};
