/**
 * The webhook over real HTTP on 127.0.0.1: only Telegram (the secret) gets in, a body too large
 * for any update is refused before it fills memory, and an update that cannot be read is dropped
 * with 200 and logged, so Telegram does not send it again and again.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { opsRoute, type OpsRoute } from '../../../src/adapters/http/ops.js';
import { telegramWebhookHandler, type UpdateHandler } from '../../../src/adapters/telegram/webhook.js';
import { createLogger, silentLogger } from '../../../src/core/logger.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { sampleValue } from '../../support/prometheus.js';

const SECRET = 'correct-horse-battery-staple';
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
    server.closeAllConnections();
    await once(server, 'close');
  }
});

async function serve(bot: UpdateHandler, options: { maxBodyBytes?: number; answerWithinMs?: number; ops?: OpsRoute } = {}) {
  const logs: { level: string; msg: string }[] = [];
  const logger = createLogger('debug', {}, (line) => logs.push(JSON.parse(line) as { level: string; msg: string }));
  const handle = telegramWebhookHandler(bot, { secret: SECRET, logger, ...options });
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers }, body });
  return { url, post, logs };
}

function recordingBot(handle: (update: Update) => Promise<void> = async () => undefined) {
  const updates: Update[] = [];
  return {
    updates,
    handleUpdate: async (update: Update) => {
      updates.push(update);
      await handle(update);
    },
  };
}

const update = { update_id: 7, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'hi' } };

describe('the Telegram webhook', () => {
  it('hands a well-formed update with the right secret to the bot and answers 200', async () => {
    const bot = recordingBot();
    const { post } = await serve(bot);
    expect((await post(JSON.stringify(update))).status).toBe(200);
    expect(bot.updates).toEqual([update]);
  });

  it('refuses a wrong or missing secret with 401, and anything but POST with 405, without reading it', async () => {
    const bot = recordingBot();
    const { url, post } = await serve(bot);
    expect((await post(JSON.stringify(update), { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body: JSON.stringify(update) })).status).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    expect(bot.updates).toEqual([]);
  });

  it('refuses a body larger than any update with 413, whether its length is declared or not', async () => {
    const bot = recordingBot();
    const { url, post, logs } = await serve(bot, { maxBodyBytes: 10_000 });
    expect((await post('x'.repeat(50_000))).status).toBe(413);
    // Chunked, with no Content-Length: counted as it arrives.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('y'.repeat(1_000));
      req.end();
    });
    expect(status).toBe(413);
    expect(bot.updates).toEqual([]);
    expect(logs.filter((l) => l.msg === 'webhook body refused: too large')).toHaveLength(2);
  });

  it('drops an update that is not JSON or has no update_id with 200, and logs it, so Telegram does not retry it', async () => {
    const bot = recordingBot();
    const { post, logs } = await serve(bot);
    expect((await post('{"update_id": 8, "message": ')).status).toBe(200);
    expect((await post('{"message": {}}')).status).toBe(200);
    expect(bot.updates).toEqual([]);
    expect(logs.filter((l) => l.level === 'warn' && l.msg === 'malformed webhook update dropped')).toHaveLength(2);
    // The next good update is handled as usual.
    expect((await post(JSON.stringify(update))).status).toBe(200);
    expect(bot.updates).toHaveLength(1);
  });

  it('serves /healthz, /readyz and /metrics on the webhook port before looking for the secret, and still takes updates', async () => {
    const metrics = createMetrics();
    metrics.telemetry.delivered('telegram', 'sent');
    const ops = opsRoute({ logger: silentLogger, metrics: () => metrics.render(), readiness: async () => ({ ready: true, checks: [{ name: 'store', ok: true }] }) });
    const bot = recordingBot();
    const { url, post } = await serve(bot, { ops });
    expect((await fetch(`${url}healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}readyz`)).json()).toEqual({ ready: true, checks: [{ name: 'store', ok: true }] });
    const scraped = await fetch(`${url}metrics`);
    expect(scraped.status).toBe(200);
    expect(sampleValue(await scraped.text(), 'akhbar_deliveries_total', { platform: 'telegram', outcome: 'sent' })).toBe(1);
    // Everything else is still the webhook's.
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(`${url}metrics`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await post(JSON.stringify(update))).status).toBe(200);
    expect(bot.updates).toEqual([update]);
  });

  it('answers 200 once the update is handled, or after the deadline while it still runs, and logs a handler failure', async () => {
    let release: () => void = () => undefined;
    const slow = recordingBot((u) => (u.update_id === 9 ? new Promise<void>((resolve) => (release = resolve)) : Promise.reject(new Error('boom'))));
    const { post, logs } = await serve(slow, { answerWithinMs: 50 });
    expect((await post(JSON.stringify({ ...update, update_id: 9 }))).status).toBe(200);
    release();
    expect((await post(JSON.stringify({ ...update, update_id: 10 }))).status).toBe(200);
    expect(logs.filter((l) => l.level === 'error' && l.msg === 'webhook update failed')).toHaveLength(1);
  });
});
