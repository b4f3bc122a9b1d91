/**
 * The one place that reads the environment. Everything else receives a typed `Config`.
 * Invalid values fail at start with a message that names the variable.
 */
import { isIP } from 'node:net';
import { config as loadDotenv } from 'dotenv';
import type { LogLevel } from './core/logger.js';
import { parseAllowList } from './sources/web/addressGuard.js';

/** The validated settings of one akhbar process. */
export interface Config {
  /** The database (see storage/index.ts openStorage): sqlite://relative.sqlite, sqlite:///absolute.sqlite, postgres://…, memory:// */
  readonly storeUrl: string;
  /** Where cached answers are kept: memory:// (this process) or redis://… (shared by instances). */
  readonly cacheUrl: string;
  /** How often a process reads the changes other processes made (articles posted or deleted elsewhere). */
  readonly changePollMs: number;
  /** Platform-qualified ids allowed to post, e.g. `telegram:123`. */
  readonly adminIds: ReadonlySet<string>;
  /** Language of system messages when a user's own language is unknown. */
  readonly defaultLanguage: 'ar' | 'en';
  readonly summaryMinSentences: number;
  readonly summaryMaxSentences: number;
  readonly answerMaxSentences: number;
  /** Lifetime of a cached answer; 0 keeps answers until the question's evidence changes. */
  readonly answerCacheTtlSeconds: number;
  readonly minArticleChars: number;
  /** STORY_WINDOW_HOURS: a new article joins a story whose articles were stored at most this long before it; 0 turns stories off. */
  readonly storyWindowHours: number;
  readonly maxArticleChars: number;
  readonly maxQuestionChars: number;
  readonly logLevel: LogLevel;
  /** Show LLM answers in Telegram and Discord as they are written (message edits at the platform's pace). */
  readonly streamAnswers: boolean;
  /** Time zone of digest times that do not name one. */
  readonly deliveryTimeZone: string;
  /** Sends in flight at once, over all chats. */
  readonly deliveryConcurrency: number;
  /** Tries for a failing delivery (429s do not count) before it is given up. */
  readonly deliveryMaxAttempts: number;
  /** Sent, failed and dead deliveries are pruned this many days after they finished (pending ones never). */
  readonly deliveryRetentionDays: number;
  /** Articles posted more than this many days ago are deleted; 0 keeps every article. */
  readonly articleRetentionDays: number;
  readonly telegramMessagesPerSecond: number;
  readonly telegramPrivateChatIntervalMs: number;
  readonly telegramGroupChatIntervalMs: number;
  readonly discordRequestsPerSecond: number;
  readonly discordChannelIntervalMs: number;
  /** Deadline of one page or feed fetch, redirects included. */
  readonly fetchTimeoutMs: number;
  /** Largest page or feed body read (after decompression); larger ones are refused. */
  readonly fetchMaxBytes: number;
  readonly fetchMaxRedirects: number;
  /**
   * Host names, addresses and networks the fetcher may reach although they are not public
   * (sources/web/addressGuard.ts parseAllowList); empty: public addresses only.
   */
  readonly fetchAllowHosts: readonly string[];
  /** Time between checks of a followed feed that is healthy. */
  readonly feedPollIntervalMinutes: number;
  /** Newest items posted when a feed is first followed; the older ones are only marked seen. */
  readonly feedFirstPollItems: number;
  /** Failed checks in a row after which a feed is paused and the admins are told. */
  readonly feedMaxFailures: number;
  /**
   * Where /healthz, /readyz and /metrics get a port of their own; absent, they are served only on
   * the Telegram webhook's port in webhook mode, and not at all otherwise.
   */
  readonly health?: HealthConfig;
  /** /readyz fails once the oldest pending delivery to a platform this process sends to is older than this. */
  readonly readyMaxOutboxLagMs: number;
  /** Present when the Telegram adapter is switched on. */
  readonly telegram?: TelegramConfig;
  /** Present when the Discord adapter is switched on. */
  readonly discord?: DiscordConfig;
  /** The LLM engine's settings when it is in use; the embedded engine otherwise. */
  readonly openai?: OpenAIConfig;
}

/** The address of the health and metrics server. */
export interface HealthConfig {
  readonly host: string;
  readonly port: number;
}

/** Settings of the LLM engine (any OpenAI-compatible chat-completions endpoint). */
export interface OpenAIConfig {
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly model: string;
  /** The client's per-attempt timeout; it stops counting once the response headers are in. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** An answer whose first text has not arrived this long after the request is given up for the fallback's. */
  readonly firstTokenMs: number;
  /** An answer not complete this long after the request (retries included) is given up for the fallback's. */
  readonly deadlineMs: number;
  /** Article text beyond this many characters is cut before it is sent. */
  readonly maxInputChars: number;
  readonly maxOutputTokens: number;
  /** With an embedding model the endpoint serves, retrieval is hybrid (BM25 and vectors). */
  readonly embedding?: {
    readonly model: string;
    /** An article this near the question (cosine) is evidence even with no term in common. */
    readonly minSimilarity: number;
  };
}

/** Settings of the Discord adapter. */
export interface DiscordConfig {
  readonly token: string;
  readonly appId: string;
  /** Commands are registered in this guild only (instant) instead of globally. */
  readonly guildId?: string;
  /** REST calls go through this base URL (a shared rate-limit proxy, or the tests' fake). */
  readonly restApi?: string;
}

/** Settings of the Telegram adapter. */
export interface TelegramConfig {
  readonly token: string;
  /** A self-hosted Bot API server (or the tests' fake); Telegram's own when absent. */
  readonly apiRoot?: string;
  /** How long a Bot API request may go unanswered before it is given up (and retried); a long poll gets its wait on top. */
  readonly timeoutMs: number;
  /** Webhook mode when set; long polling otherwise. */
  readonly webhook?: { readonly url: string; readonly secret: string; readonly port: number };
  /** How long an inline query waits for the same reader's next one before it is answered; 0, at once. */
  readonly inlineWaitMs: number;
}

/** Thrown when an environment variable is missing or invalid; the message names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const STORE_URL_FORMS = /^(sqlite:\/\/.+|postgres(ql)?:\/\/.+|memory:\/\/.*)$/;
const CACHE_URL_FORMS = /^(rediss?:\/\/.+|memory:\/\/)$/;
const ADMIN_ID_FORM = /^(telegram|discord):-?\d+$/;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Parses and validates settings from `env` (process.env plus `.env` by default). */
export function loadConfig(env: Env = readEnvironment()): Config {
  const summaryMinSentences = integer(env, 'SUMMARY_MIN_SENTENCES', 3, 1, 10);
  const summaryMaxSentences = integer(env, 'SUMMARY_MAX_SENTENCES', 5, 1, 10);
  if (summaryMaxSentences < summaryMinSentences) {
    throw new ConfigError('SUMMARY_MAX_SENTENCES', `must be at least SUMMARY_MIN_SENTENCES (${summaryMinSentences})`);
  }
  const minArticleChars = integer(env, 'MIN_ARTICLE_CHARS', 80, 1, 10_000);
  const maxArticleChars = integer(env, 'MAX_ARTICLE_CHARS', 100_000, 1_000, 10_000_000);
  if (maxArticleChars <= minArticleChars) {
    throw new ConfigError('MAX_ARTICLE_CHARS', `must be greater than MIN_ARTICLE_CHARS (${minArticleChars})`);
  }
  const engine = openai(env);
  const platforms = { ...telegram(env, engine.openai !== undefined), ...discord(env) };
  const ops = health(env);
  if (ops.health && ops.health.port === platforms.telegram?.webhook?.port) {
    throw new ConfigError('HEALTH_PORT', `${ops.health.port} is TELEGRAM_WEBHOOK_PORT, which serves /healthz, /readyz and /metrics already: leave HEALTH_PORT empty or pick another port`);
  }
  return {
    storeUrl: storeUrl(env),
    cacheUrl: cacheUrl(env),
    changePollMs: integer(env, 'CHANGE_POLL_MS', 1_000, 50, 60_000),
    adminIds: adminIds(env),
    defaultLanguage: oneOf(env, 'DEFAULT_LANGUAGE', ['ar', 'en'] as const, 'en'),
    summaryMinSentences,
    summaryMaxSentences,
    answerMaxSentences: integer(env, 'ANSWER_MAX_SENTENCES', 2, 1, 5),
    answerCacheTtlSeconds: integer(env, 'ANSWER_CACHE_TTL_SECONDS', 86_400, 0, 365 * 86_400),
    minArticleChars,
    maxArticleChars,
    storyWindowHours: integer(env, 'STORY_WINDOW_HOURS', 72, 0, 24 * 30),
    maxQuestionChars: integer(env, 'MAX_QUESTION_CHARS', 1_000, 10, 100_000),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    streamAnswers: oneOf(env, 'STREAM_ANSWERS', ['true', 'false'] as const, 'true') === 'true',
    deliveryTimeZone: timeZone(env, 'DELIVERY_TIME_ZONE', 'UTC'),
    deliveryConcurrency: integer(env, 'DELIVERY_CONCURRENCY', 64, 1, 10_000),
    deliveryMaxAttempts: integer(env, 'DELIVERY_MAX_ATTEMPTS', 8, 1, 100),
    deliveryRetentionDays: integer(env, 'DELIVERY_RETENTION_DAYS', 30, 1, 3_650),
    articleRetentionDays: integer(env, 'ARTICLE_RETENTION_DAYS', 0, 0, 36_500),
    telegramMessagesPerSecond: integer(env, 'TELEGRAM_MESSAGES_PER_SECOND', 29, 1, 10_000),
    telegramPrivateChatIntervalMs: integer(env, 'TELEGRAM_PRIVATE_CHAT_INTERVAL_MS', 1_050, 0, 3_600_000),
    telegramGroupChatIntervalMs: integer(env, 'TELEGRAM_GROUP_CHAT_INTERVAL_MS', 3_100, 0, 3_600_000),
    discordRequestsPerSecond: integer(env, 'DISCORD_REQUESTS_PER_SECOND', 45, 1, 10_000),
    discordChannelIntervalMs: integer(env, 'DISCORD_CHANNEL_INTERVAL_MS', 1_050, 0, 3_600_000),
    fetchTimeoutMs: integer(env, 'FETCH_TIMEOUT_MS', 10_000, 1_000, 120_000),
    fetchMaxBytes: integer(env, 'FETCH_MAX_BYTES', 5 * 1024 * 1024, 10_000, 100 * 1024 * 1024),
    fetchMaxRedirects: integer(env, 'FETCH_MAX_REDIRECTS', 5, 0, 20),
    fetchAllowHosts: allowHosts(env),
    feedPollIntervalMinutes: integer(env, 'FEED_POLL_INTERVAL_MINUTES', 15, 1, 1_440),
    feedFirstPollItems: integer(env, 'FEED_FIRST_POLL_ITEMS', 3, 0, 100),
    // 10: with the backoff (2, 4, 8… intervals, at most 6 h) that is about two days of failing at the
    // default interval, past a weekend outage of a small outlet, short of weeks of useless fetches.
    feedMaxFailures: integer(env, 'FEED_MAX_FAILURES', 10, 1, 1_000),
    // 15 min: longer than one delivery's whole backoff (2 s doubling for 8 tries, about 8.5 min) and
    // than a 10k-subscriber broadcast at Telegram's 29/s (about 6 min), so only a stuck queue trips it.
    readyMaxOutboxLagMs: integer(env, 'READY_MAX_OUTBOX_LAG_MS', 15 * 60_000, 1_000, 7 * 86_400_000),
    ...ops,
    ...platforms,
    ...engine,
  };
}

/** process.env with `.env` from the working directory loaded underneath it (the process env wins). */
export function readEnvironment(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function storeUrl(env: Env): string {
  const raw = value(env, 'STORE_URL') ?? 'sqlite://data/akhbar.sqlite';
  // Older versions kept everything in Redis; starting on it now would look like an empty store.
  if (/^rediss?:\/\//i.test(raw)) {
    throw new ConfigError(
      'STORE_URL',
      'Redis no longer holds the store. Set STORE_URL to sqlite://path.sqlite (one machine) or postgres://… (several), ' +
        'put the Redis URL in CACHE_URL to share cached answers, and run `akhbar migrate` to move what an older version stored in Redis',
    );
  }
  if (!STORE_URL_FORMS.test(raw)) {
    throw new ConfigError(
      'STORE_URL',
      `"${raw}" is not one of sqlite://path.sqlite, sqlite:///absolute/path.sqlite, postgres://user@host/database, memory://`,
    );
  }
  return raw;
}

function cacheUrl(env: Env): string {
  const raw = value(env, 'CACHE_URL') ?? 'memory://';
  if (!CACHE_URL_FORMS.test(raw)) throw new ConfigError('CACHE_URL', `"${raw}" is not one of memory://, redis://host:port, rediss://host:port`);
  return raw;
}

function adminIds(env: Env): ReadonlySet<string> {
  const raw = value(env, 'ADMIN_IDS');
  if (!raw) return new Set();
  const ids = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const id of ids) {
    if (!ADMIN_ID_FORM.test(id)) {
      throw new ConfigError('ADMIN_IDS', `"${id}" is not a platform-qualified id such as telegram:123 or discord:456`);
    }
  }
  return new Set(ids);
}

function allowHosts(env: Env): readonly string[] {
  const entries = (value(env, 'FETCH_ALLOW_HOSTS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  try {
    parseAllowList(entries);
  } catch (error) {
    throw new ConfigError('FETCH_ALLOW_HOSTS', error instanceof Error ? error.message : String(error));
  }
  return entries;
}

function health(env: Env): { health?: HealthConfig } {
  const host = value(env, 'HEALTH_HOST');
  if (host !== undefined && isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) {
    throw new ConfigError('HEALTH_HOST', `"${host}" is not an IP address or a host name`);
  }
  if (value(env, 'HEALTH_PORT') === undefined) {
    // A host alone serves nothing; saying so beats a monitor that probes a port nobody listens on.
    if (host !== undefined) throw new ConfigError('HEALTH_HOST', 'is set but HEALTH_PORT is not: set the port to serve /healthz, /readyz and /metrics on');
    return {};
  }
  // Loopback unless asked: metrics tell more about the bot than the internet needs to know.
  return { health: { host: host ?? '127.0.0.1', port: integer(env, 'HEALTH_PORT', 0, 1, 65_535) } };
}

function telegram(env: Env, llm: boolean): { telegram?: TelegramConfig } {
  const token = value(env, 'TELEGRAM_BOT_TOKEN');
  if (!token) return {};
  if (!/^\d+:[\w-]{20,}$/.test(token)) throw new ConfigError('TELEGRAM_BOT_TOKEN', 'does not look like a token from BotFather (123456:ABC…)');
  const apiRoot = httpUrl(env, 'TELEGRAM_API_ROOT');
  const webhookUrl = httpUrl(env, 'TELEGRAM_WEBHOOK_URL');
  let webhook: TelegramConfig['webhook'];
  if (webhookUrl) {
    const secret = value(env, 'TELEGRAM_WEBHOOK_SECRET');
    if (!secret || !/^[A-Za-z0-9_-]{16,256}$/.test(secret)) {
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'webhook mode needs a secret of 16–256 letters, digits, _ or -');
    }
    webhook = { url: webhookUrl, secret, port: integer(env, 'TELEGRAM_WEBHOOK_PORT', 8080, 1, 65_535) };
  }
  // The Bot API answers in well under a second, in a few when slow; a request never answered holds a
  // chat and a delivery slot this long (grammY alone waits 500 s). As DEFAULT_TELEGRAM_TIMEOUT_MS.
  const timeoutMs = integer(env, 'TELEGRAM_TIMEOUT_MS', 15_000, 1_000, 600_000);
  // Telegram sends an inline query at each pause in typing. With the LLM engine each answer is a
  // model call, so a query waits 400 ms (not tuned: about a pause between two typed words) and is
  // dropped if the reader typed on; the embedded engine answers in milliseconds and does not wait.
  const inlineWaitMs = integer(env, 'TELEGRAM_INLINE_WAIT_MS', llm ? 400 : 0, 0, 5_000);
  return { telegram: { token, timeoutMs, inlineWaitMs, ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, '') } : {}), ...(webhook ? { webhook } : {}) } };
}

function openai(env: Env): { openai?: OpenAIConfig } {
  const engine = oneOf(env, 'ENGINE', ['embedded', 'openai', 'auto'] as const, 'auto');
  const apiKey = value(env, 'OPENAI_API_KEY');
  const baseURL = httpUrl(env, 'OPENAI_BASE_URL');
  if (engine === 'embedded' || (engine === 'auto' && !apiKey && !baseURL)) return {};
  if (engine === 'openai' && !apiKey && !baseURL) throw new ConfigError('ENGINE', 'openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  // Hosted models send their first token within a second or two, so 10 s means the server is in
  // trouble, not busy (a local server loading its model may need more: raise it there). 30 s is a
  // full 600-token reply (OPENAI_MAX_OUTPUT_TOKENS) at 20 tokens a second, a slow local model's pace;
  // past that a reader or a broadcast is better served by the embedded engine.
  const firstTokenMs = integer(env, 'OPENAI_FIRST_TOKEN_MS', 10_000, 100, 600_000);
  const deadlineMs = integer(env, 'OPENAI_DEADLINE_MS', 30_000, 100, 600_000);
  if (deadlineMs < firstTokenMs) throw new ConfigError('OPENAI_DEADLINE_MS', `must be at least OPENAI_FIRST_TOKEN_MS (${firstTokenMs})`);
  return {
    openai: {
      // Local servers (Ollama, llama.cpp, vLLM) accept any key; the client insists on one.
      apiKey: apiKey ?? 'not-needed',
      ...(baseURL ? { baseURL } : {}),
      model: value(env, 'OPENAI_MODEL') ?? 'gpt-4o-mini',
      timeoutMs: integer(env, 'OPENAI_TIMEOUT_MS', 30_000, 1_000, 600_000),
      maxRetries: integer(env, 'OPENAI_MAX_RETRIES', 1, 0, 5),
      firstTokenMs,
      deadlineMs,
      maxInputChars: integer(env, 'OPENAI_MAX_INPUT_CHARS', 24_000, 1_000, 1_000_000),
      maxOutputTokens: integer(env, 'OPENAI_MAX_OUTPUT_TOKENS', 600, 50, 32_000),
      ...embedding(env),
    },
  };
}

function embedding(env: Env): { embedding?: { model: string; minSimilarity: number } } {
  const model = value(env, 'OPENAI_EMBEDDING_MODEL');
  // Not tuned on any data: cosine scales differ from model to model, so 0.5 is a cautious start
  // (a higher bar answers fewer questions that share no word with their article) to set per model.
  const minSimilarity = fraction(env, 'OPENAI_EMBEDDING_MIN_SIMILARITY', 0.5);
  return model ? { embedding: { model, minSimilarity } } : {};
}

function discord(env: Env): { discord?: DiscordConfig } {
  const token = value(env, 'DISCORD_TOKEN');
  if (!token) return {};
  const appId = value(env, 'DISCORD_APP_ID');
  if (!appId || !/^\d{5,25}$/.test(appId)) throw new ConfigError('DISCORD_APP_ID', 'the application id (digits) is needed with DISCORD_TOKEN');
  const guildId = value(env, 'DISCORD_GUILD_ID');
  if (guildId !== undefined && !/^\d{5,25}$/.test(guildId)) throw new ConfigError('DISCORD_GUILD_ID', `"${guildId}" is not a server id (digits)`);
  const restApi = httpUrl(env, 'DISCORD_REST_API_URL');
  return { discord: { token, appId, ...(guildId ? { guildId } : {}), ...(restApi ? { restApi: restApi.replace(/\/+$/, '') } : {}) } };
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  throw new ConfigError(name, `"${raw}" is not an http(s) URL`);
}

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = value(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `"${raw}" is not a time zone such as UTC or Africa/Algiers`);
  }
  return raw;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `"${raw}" is not a whole number`);
  const parsed = Number(raw);
  if (parsed < min || parsed > max) throw new ConfigError(name, `${parsed} is outside ${min}..${max}`);
  return parsed;
}

function fraction(env: Env, name: string, fallback: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!/^(?:0|1|0?\.\d+|1\.0*)$/.test(raw)) throw new ConfigError(name, `"${raw}" is not a number from 0 to 1`);
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase() as T;
  if (!allowed.includes(lower)) throw new ConfigError(name, `"${raw}" is not one of ${allowed.join(', ')}`);
  return lower;
}
