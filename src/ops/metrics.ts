/**
 * The Telemetry port counted in Prometheus metrics (prom-client). One Registry per process
 * instance, never prom-client's global one, so tests (and benchmarks) can run several side by side.
 * Figures the database or the engine already keeps (outbox depth and age, LLM tokens) are read at
 * scrape time, so nothing here has to follow them as they change.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineUsage } from '../core/engine.js';
import type { OutboxRepo } from '../core/ports.js';
import type { Telemetry } from '../core/telemetry.js';

/** What the scrape-time gauges read; given once the services they come from are open. */
export interface MetricsSources {
  /** The engine's running totals (the LLM engine counts requests and tokens; the embedded one does not). */
  readonly engineUsage?: () => EngineUsage | undefined;
  readonly outbox?: Pick<OutboxRepo, 'counts' | 'oldestPendingAt'>;
  /** Platforms whose queue age is reported: those this process sends to. */
  readonly platforms?: readonly string[];
  /** Epoch ms; Date.now by default. */
  readonly clock?: () => number;
}

/** The metrics of one process. */
export interface Metrics {
  /** What the core calls as things happen. */
  readonly telemetry: Telemetry;
  readonly registry: Registry;
  /** Names what scrape-time gauges read from; until then they report nothing. */
  observe(sources: MetricsSources): void;
  /** The exposition, in Prometheus text format. */
  render(): Promise<{ readonly contentType: string; readonly body: string }>;
}

// From the embedded engine's answers (p50 about 4–7 ms in bench -- scale, up to 10k articles) up to
// an LLM's, which take seconds and are cut off at OPENAI_TIMEOUT_MS (30 s by default): fine steps
// below 50 ms tell a slow index from a normal one, coarse ones above 1 s tell a slow model apart.
const ANSWER_BUCKETS_SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A fresh registry with every akhbar metric, and the Telemetry that counts into it. */
export function createMetrics(options: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  let sources: MetricsSources = {};
  const registers = [registry];

  const articles = new Counter({
    name: 'akhbar_articles_ingested_total',
    help: 'New articles stored (duplicates not counted), by language and how they arrived (paste, link, feed).',
    labelNames: ['language', 'source'] as const,
    registers,
  });
  const answers = new Counter({
    name: 'akhbar_answers_total',
    help: 'Questions answered, by outcome: answered, declined (not in the articles), cached, fallback (the LLM failed).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'akhbar_answer_duration_seconds',
    help: 'Time to answer a question, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: ANSWER_BUCKETS_SECONDS,
    registers,
  });
  const deliveries = new Counter({
    name: 'akhbar_deliveries_total',
    help: 'Sends of deliveries to subscribers, by platform and outcome: sent, retried, failed (given up or refused), dropped (chat gone), migrated.',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const rateLimitWaits = new Counter({
    name: 'akhbar_rate_limit_waits_total',
    help: 'Sends a platform answered with 429 (too many requests), by platform.',
    labelNames: ['platform'] as const,
    registers,
  });
  const rateLimitSeconds = new Counter({
    name: 'akhbar_rate_limit_wait_seconds_total',
    help: 'Seconds the platforms asked to wait in their 429 answers (retry_after), by platform.',
    labelNames: ['platform'] as const,
    registers,
  });
  const feedFetches = new Counter({
    name: 'akhbar_feed_fetches_total',
    help: 'Checks of followed feeds, by status: checked, not-modified, failed, removed.',
    labelNames: ['status'] as const,
    registers,
  });
  const llmErrors = new Counter({
    name: 'akhbar_llm_errors_total',
    help: 'LLM requests that failed and were answered by the embedded engine instead, by engine and task (summary, answer).',
    labelNames: ['engine', 'task'] as const,
    registers,
  });

  new Gauge({
    name: 'akhbar_outbox_pending',
    help: 'Deliveries waiting in the outbox, over every platform and process sharing the database.',
    registers,
    async collect() {
      if (!sources.outbox) return;
      try {
        this.set((await sources.outbox.counts({ articles: 1 })).pending);
      } catch {
        // The store is away: unknown, not zero (readiness names the store).
        this.set(Number.NaN);
      }
    },
  });
  new Gauge({
    name: 'akhbar_outbox_oldest_pending_age_seconds',
    help: 'Age of the pending delivery queued first, by platform this process sends to; 0 when none waits.',
    labelNames: ['platform'] as const,
    registers,
    async collect() {
      const { outbox, platforms = [] } = sources;
      if (!outbox) return;
      const now = (sources.clock ?? Date.now)();
      await Promise.all(
        platforms.map(async (platform) => {
          const at = await outbox.oldestPendingAt(platform).catch(() => Number.NaN);
          this.set({ platform }, at === undefined ? 0 : Math.max(0, (now - at) / 1000));
        }),
      );
    },
  });
  new Counter({
    name: 'akhbar_llm_requests_total',
    help: 'Requests made to the LLM since the process started.',
    registers,
    collect() {
      const usage = sources.engineUsage?.();
      if (!usage) return;
      this.reset();
      this.inc(usage.requests);
    },
  });
  new Counter({
    name: 'akhbar_llm_tokens_total',
    help: 'LLM tokens used since the process started, by kind: prompt, completion.',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const usage = sources.engineUsage?.();
      if (!usage) return;
      // The engine keeps running totals; the counter shows them as they stand.
      this.reset();
      this.inc({ kind: 'prompt' }, usage.promptTokens);
      this.inc({ kind: 'completion' }, usage.completionTokens);
    },
  });

  const telemetry: Telemetry = {
    articleIngested: (language, source) => articles.inc({ language, source }),
    answered(outcome, seconds) {
      answers.inc({ outcome });
      answerSeconds.observe({ outcome }, seconds);
    },
    delivered: (platform, outcome) => deliveries.inc({ platform, outcome }),
    rateLimited(platform, seconds) {
      rateLimitWaits.inc({ platform });
      rateLimitSeconds.inc({ platform }, Math.max(0, seconds));
    },
    feedFetched: (status) => feedFetches.inc({ status }),
    engineFailed: (engine, task) => llmErrors.inc({ engine, task }),
  };

  return {
    telemetry,
    registry,
    observe(given) {
      sources = given;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
