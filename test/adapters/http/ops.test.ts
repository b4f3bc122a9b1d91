/**
 * /healthz, /readyz and /metrics over real HTTP on 127.0.0.1, served over the services a bot runs
 * (openServices with the metrics telemetry, as main.ts wires them): what an operator's probe and
 * Prometheus see after posts, answers and deliveries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../../src/adapters/http/ops.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Actor } from '../../../src/core/types.js';
import { openServices, operations, type Services } from '../../../src/main.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import type { MemoryStorage } from '../../../src/storage/memory/index.js';
import { fakeSender, type FakeSender } from '../../support/fakeSender.js';
import { sampleArticle } from '../../support/fixtures.js';
import { sampleValue } from '../../support/prometheus.js';

const operator: Actor = { kind: 'operator' };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A bot's services over a memory database, sending to a fake Telegram, with its ops endpoints on 127.0.0.1. */
async function startBot(options: { env?: Record<string, string>; platforms?: string[] } = {}) {
  const sender: FakeSender = fakeSender('telegram');
  const config = loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent', ...options.env });
  const metrics = createMetrics();
  const services: Services = await openServices(config, silentLogger, new Map([['telegram', sender]]), { telemetry: metrics.telemetry });
  cleanup.push(() => services.close());
  const ops = operations(services, metrics, options.platforms ?? ['telegram']);
  const server = await startOpsServer({ host: '127.0.0.1', port: 0, route: ops.route, logger: silentLogger });
  cleanup.push(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const readyz = async () => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, body: (await response.json()) as { ready: boolean; failing?: string[]; checks: { name: string; ok: boolean; detail?: string }[] } };
  };
  const scrape = async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  return { services, sender, ops, base, readyz, scrape, storage: services.storage as MemoryStorage };
}

describe('health and metrics over HTTP', () => {
  it('answers /healthz with 200 and leaves other paths alone with 404', async () => {
    const { base } = await startBot();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect((await fetch(`${base}/webhook`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('answers /readyz with 200 and each check when the store answers, the platform is connected and the outbox is current', async () => {
    const { ops, readyz } = await startBot();
    ops.platformState('telegram', () => true);
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.checks.map((check) => [check.name, check.ok])).toEqual([
      ['store', true],
      ['telegram', true],
      ['outbox', true],
    ]);
  });

  it('answers /readyz with 503 naming the store while the database is away', async () => {
    const { ops, readyz, storage } = await startBot();
    ops.platformState('telegram', () => true);
    storage.simulateOutage(true);
    cleanup.push(async () => storage.simulateOutage(false));
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.failing).toContain('store');
    expect(body.checks.find((check) => check.name === 'store')).toMatchObject({ ok: false, detail: expect.stringMatching(/unavailable|outage/i) });
  });

  it('answers /readyz with 503 naming a platform that has not connected yet, or lost its connection', async () => {
    const { ops, readyz } = await startBot();
    expect(await readyz()).toMatchObject({ status: 503, body: { ready: false, failing: ['telegram'] } });
    let connected = true;
    ops.platformState('telegram', () => connected);
    expect((await readyz()).status).toBe(200);
    connected = false;
    expect(await readyz()).toMatchObject({ status: 503, body: { failing: ['telegram'] } });
  });

  it('answers /readyz with 503 naming the outbox once a delivery has waited longer than READY_MAX_OUTBOX_LAG_MS', async () => {
    // Discord has no sender in these processes, so what is queued for it waits in the outbox.
    const withDelivery = async (minutesAgo: number) => {
      const bot = await startBot({ env: { READY_MAX_OUTBOX_LAG_MS: '60000' }, platforms: ['discord'] });
      bot.ops.platformState('discord', () => true);
      const { outbox } = bot.services.storage;
      await outbox.putMessage({ articleId: 'art1', title: 'T', language: 'en', sentences: ['S.'] });
      await outbox.enqueue([
        {
          id: 'a:art1:discord:1',
          target: { platform: 'discord', chatId: '1', kind: 'channel' },
          kind: 'article',
          language: 'en',
          items: [{ articleId: 'art1', language: 'en' }],
          createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        },
      ]);
      return bot.readyz();
    };
    expect((await withDelivery(0)).status).toBe(200);
    const { status, body } = await withDelivery(2);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['outbox']);
    expect(body.checks.find((check) => check.name === 'outbox')?.detail).toMatch(/12\d s old \(bound 60 s\)/);
  });

  it('counts a posted article under its language and source, and not a duplicate of it', async () => {
    const { services, scrape } = await startBot();
    const labels = { language: 'ar', source: 'paste' };
    expect(sampleValue(await scrape(), 'akhbar_articles_ingested_total', labels)).toBeUndefined();
    await services.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    expect(sampleValue(await scrape(), 'akhbar_articles_ingested_total', labels)).toBe(1);
    await services.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    await services.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const body = await scrape();
    expect(sampleValue(body, 'akhbar_articles_ingested_total', labels)).toBe(1);
    expect(sampleValue(body, 'akhbar_articles_ingested_total', { language: 'en', source: 'paste' })).toBe(1);
  });

  it('counts answers by outcome with their latency: answered, then the same question from the cache, and a declined one', async () => {
    const { services, scrape } = await startBot();
    await services.desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    const answer = await services.desk.ask('من هو مدير المشروع؟', operator);
    expect(answer.found).toBe(true);
    let body = await scrape();
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'answered' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answer_duration_seconds_count', { outcome: 'answered' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answer_duration_seconds_bucket', { outcome: 'answered', le: '+Inf' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answer_duration_seconds_sum', { outcome: 'answered' })).toBeGreaterThan(0);
    await services.desk.ask('من هو مدير المشروع؟', operator);
    await services.desk.ask('What is the population of Tokyo?', operator);
    body = await scrape();
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'answered' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'cached' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'declined' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answer_duration_seconds_count', { outcome: 'declined' })).toBe(1);
  });

  it('counts deliveries by platform and outcome, and the 429 waits a platform asked for', async () => {
    const { services, sender, scrape } = await startBot();
    const { subscriptions, delivery, desk } = services;
    await subscriptions.subscribe({ platform: 'telegram', chatId: '1', kind: 'private' }, { mode: 'each' }, new Date());
    await subscriptions.subscribe({ platform: 'telegram', chatId: '2', kind: 'private' }, { mode: 'each' }, new Date());
    sender.script.set('2', [{ kind: 'rate-limited', retryAfterMs: 5 }]);
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await delivery.settled();
    await delivery.worker.idle();
    expect(sender.received.map((r) => r.chatId).sort()).toEqual(['1', '2']);
    const body = await scrape();
    expect(sampleValue(body, 'akhbar_deliveries_total', { platform: 'telegram', outcome: 'sent' })).toBe(2);
    expect(sampleValue(body, 'akhbar_rate_limit_waits_total', { platform: 'telegram' })).toBe(1);
    expect(sampleValue(body, 'akhbar_rate_limit_wait_seconds_total', { platform: 'telegram' })).toBe(0.005);
    expect(sampleValue(body, 'akhbar_outbox_pending')).toBe(0);
    expect(sampleValue(body, 'akhbar_outbox_oldest_pending_age_seconds', { platform: 'telegram' })).toBe(0);
  });

  it('reports the outbox depth and the age of its oldest pending delivery at scrape time', async () => {
    const { services, scrape } = await startBot({ platforms: ['telegram', 'discord'] });
    // No Discord sender here: the delivery to the Discord channel waits in the outbox.
    await services.subscriptions.subscribe({ platform: 'discord', chatId: '7', kind: 'channel' }, { mode: 'each' }, new Date());
    await services.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    await services.delivery.settled();
    const body = await scrape();
    expect(sampleValue(body, 'akhbar_outbox_pending')).toBe(1);
    const age = sampleValue(body, 'akhbar_outbox_oldest_pending_age_seconds', { platform: 'discord' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    expect(sampleValue(body, 'akhbar_outbox_oldest_pending_age_seconds', { platform: 'telegram' })).toBe(0);
  });
});
