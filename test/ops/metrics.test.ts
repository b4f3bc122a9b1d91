/**
 * The Prometheus side of telemetry: what the LLM engine costs and how often it fails, read as
 * Prometheus would, and metrics kept per process instance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.js';
import { openTestDesk } from '../support/desk.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI.js';
import { sampleArticle } from '../support/fixtures.js';
import { fakeLlmEngine } from '../support/llm.js';
import { parseExposition, sampleValue } from '../support/prometheus.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const reply = (value: unknown) => ({ kind: 'json' as const, content: JSON.stringify(value), usage: { prompt_tokens: 120, completion_tokens: 30 } });

describe('metrics', () => {
  it("reports the LLM's tokens from the engine's own totals at scrape time, and each LLM failure the fallback answered", async () => {
    fake = await startFakeOpenAI();
    const metrics = createMetrics();
    const engine = fakeLlmEngine(fake, { fallback: true, telemetry: metrics.telemetry });
    metrics.observe({ engineUsage: () => engine.usage?.() });
    const { desk } = await openTestDesk({ engine, telemetry: metrics.telemetry });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });

    fake.enqueue(reply({ found: true, answer: 'They close in 25 minutes.', citations: ['P1'] }));
    expect(await desk.ask('How quickly can the gates be closed?')).toMatchObject({ found: true, engine: 'openai:test-model' });
    let body = (await metrics.render()).body;
    expect(sampleValue(body, 'akhbar_llm_tokens_total', { kind: 'prompt' })).toBe(120);
    expect(sampleValue(body, 'akhbar_llm_tokens_total', { kind: 'completion' })).toBe(30);
    expect(sampleValue(body, 'akhbar_llm_requests_total')).toBe(1);
    expect(sampleValue(body, 'akhbar_llm_errors_total', { engine: 'openai:test-model', task: 'answer' })).toBeUndefined();

    fake.enqueue({ kind: 'status', status: 500 });
    expect(await desk.ask('How much did the flood barrier cost?')).toMatchObject({ engine: 'embedded' });
    body = (await metrics.render()).body;
    expect(sampleValue(body, 'akhbar_llm_errors_total', { engine: 'openai:test-model', task: 'answer' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'fallback' })).toBe(1);
    expect(sampleValue(body, 'akhbar_answers_total', { outcome: 'answered' })).toBe(1);
    // A request that failed used no tokens.
    expect(sampleValue(body, 'akhbar_llm_tokens_total', { kind: 'prompt' })).toBe(120);
  });

  it('keeps the metrics of each process instance apart, each in its own registry', async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.telemetry.delivered('telegram', 'sent');
    one.telemetry.delivered('telegram', 'sent');
    two.telemetry.delivered('discord', 'dropped');
    const first = (await one.render()).body;
    const second = (await two.render()).body;
    expect(sampleValue(first, 'akhbar_deliveries_total', { platform: 'telegram', outcome: 'sent' })).toBe(2);
    expect(sampleValue(first, 'akhbar_deliveries_total', { platform: 'discord', outcome: 'dropped' })).toBeUndefined();
    expect(sampleValue(second, 'akhbar_deliveries_total', { platform: 'discord', outcome: 'dropped' })).toBe(1);
    expect(sampleValue(second, 'akhbar_deliveries_total', { platform: 'telegram', outcome: 'sent' })).toBeUndefined();
  });

  it('reports the outbox depth as unknown rather than zero while the database cannot be read', async () => {
    const metrics = createMetrics();
    const away = () => Promise.reject(new Error('database away'));
    metrics.observe({ outbox: { counts: away, oldestPendingAt: away }, platforms: ['telegram'] });
    const samples = parseExposition((await metrics.render()).body);
    expect(samples.find((s) => s.name === 'akhbar_outbox_pending')?.value).toBeNaN();
    expect(samples.find((s) => s.name === 'akhbar_outbox_oldest_pending_age_seconds')?.value).toBeNaN();
  });
});
