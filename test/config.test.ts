import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('gives working defaults with an empty environment: a SQLite file under ./data, no admins', () => {
    const config = loadConfig({});
    expect(config.storeUrl).toBe('sqlite://data/akhbar.sqlite');
    expect(config.adminIds.size).toBe(0);
    expect(config.summaryMinSentences).toBe(3);
    expect(config.summaryMaxSentences).toBe(5);
    expect(config.maxArticleChars).toBe(100_000);
  });

  it('reads platform-qualified admin ids', () => {
    const config = loadConfig({ ADMIN_IDS: 'telegram:123, discord:456' });
    expect([...config.adminIds]).toEqual(['telegram:123', 'discord:456']);
  });

  it.each([
    ['STORE_URL', 'mysql://db/akhbar'],
    ['CACHE_URL', 'sqlite://cache.sqlite'],
    ['CHANGE_POLL_MS', '0'],
    ['DELIVERY_RETENTION_DAYS', '0'],
    ['ARTICLE_RETENTION_DAYS', '-1'],
    ['ADMIN_IDS', '123'],
    ['SUMMARY_MAX_SENTENCES', 'five'],
    ['MAX_ARTICLE_CHARS', '10'],
    ['LOG_LEVEL', 'loud'],
    ['DEFAULT_LANGUAGE', 'fr'],
  ])('fails at start naming %s when it is %j', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('takes a database in STORE_URL and keeps cached answers apart, in CACHE_URL', () => {
    expect(loadConfig({})).toMatchObject({ cacheUrl: 'memory://', changePollMs: 1_000 });
    for (const url of ['sqlite:///var/lib/akhbar.sqlite', 'postgres://akhbar@db/akhbar', 'postgresql://db/akhbar', 'memory://', 'memory://shared']) {
      expect(loadConfig({ STORE_URL: url }).storeUrl).toBe(url);
    }
    expect(loadConfig({ CACHE_URL: 'redis://127.0.0.1:6379', CHANGE_POLL_MS: '250' })).toMatchObject({ cacheUrl: 'redis://127.0.0.1:6379', changePollMs: 250 });
  });

  it('keeps finished deliveries 30 days and every article by default; 0 or empty keeps articles', () => {
    expect(loadConfig({})).toMatchObject({ deliveryRetentionDays: 30, articleRetentionDays: 0 });
    expect(loadConfig({ DELIVERY_RETENTION_DAYS: '7', ARTICLE_RETENTION_DAYS: '365' })).toMatchObject({ deliveryRetentionDays: 7, articleRetentionDays: 365 });
    expect(loadConfig({ ARTICLE_RETENTION_DAYS: '' }).articleRetentionDays).toBe(0);
  });

  it('refuses Redis as the store, saying where Redis goes now and how to bring old data over', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://cache.example:6380']) {
      const error = (() => {
        try {
          loadConfig({ STORE_URL: url });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/^STORE_URL: /);
      expect((error as ConfigError).message).toContain('CACHE_URL');
      expect((error as ConfigError).message).toContain('akhbar migrate');
    }
  });

  it('gives the fetch and feed defaults, and reads an allow-list', () => {
    expect(loadConfig({})).toMatchObject({
      fetchTimeoutMs: 10_000,
      fetchMaxBytes: 5 * 1024 * 1024,
      fetchMaxRedirects: 5,
      fetchAllowHosts: [],
      feedPollIntervalMinutes: 15,
      feedFirstPollItems: 3,
      feedMaxFailures: 10,
    });
    expect(loadConfig({ FETCH_ALLOW_HOSTS: ' 127.0.0.1, localhost ,10.0.0.0/8,' }).fetchAllowHosts).toEqual(['127.0.0.1', 'localhost', '10.0.0.0/8']);
  });

  it.each([
    ['FETCH_TIMEOUT_MS', '10s'],
    ['FETCH_MAX_BYTES', '0'],
    ['FETCH_MAX_REDIRECTS', '50'],
    ['FETCH_ALLOW_HOSTS', '127.0.0.1,10.0.0.0/40'],
    ['FETCH_ALLOW_HOSTS', 'http://intranet'],
    ['FEED_POLL_INTERVAL_MINUTES', '0'],
    ['FEED_FIRST_POLL_ITEMS', '-1'],
    ['FEED_MAX_FAILURES', '0'],
  ])('fails at start naming %s when it is %j', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('serves no health or metrics port unless HEALTH_PORT is set, and then binds it to 127.0.0.1 unless HEALTH_HOST says otherwise', () => {
    expect(loadConfig({}).health).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: '9464' }).health).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ HEALTH_PORT: '9464', HEALTH_HOST: '0.0.0.0' }).health).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(loadConfig({ HEALTH_PORT: '9464', HEALTH_HOST: 'akhbar.internal' }).health).toEqual({ host: 'akhbar.internal', port: 9464 });
  });

  it('fails /readyz on an outbox 15 minutes behind by default, or READY_MAX_OUTBOX_LAG_MS', () => {
    expect(loadConfig({}).readyMaxOutboxLagMs).toBe(15 * 60_000);
    expect(loadConfig({ READY_MAX_OUTBOX_LAG_MS: '60000' }).readyMaxOutboxLagMs).toBe(60_000);
  });

  it.each([
    ['HEALTH_PORT', '0'],
    ['HEALTH_PORT', '70000'],
    ['HEALTH_PORT', 'http'],
    ['HEALTH_HOST', 'not a host'],
    ['READY_MAX_OUTBOX_LAG_MS', '0'],
    ['READY_MAX_OUTBOX_LAG_MS', '15m'],
  ])('fails at start naming %s when it is %j', (variable, value) => {
    expect(() => loadConfig({ HEALTH_PORT: '9464', [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('refuses HEALTH_PORT on the Telegram webhook port, which serves the same endpoints already', () => {
    const webhook = {
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example/telegram',
      TELEGRAM_WEBHOOK_SECRET: 'correct-horse-battery-staple',
    };
    expect(() => loadConfig({ ...webhook, HEALTH_PORT: '8080' })).toThrow(/^HEALTH_PORT: 8080 is TELEGRAM_WEBHOOK_PORT/);
    expect(loadConfig({ ...webhook, HEALTH_PORT: '9464' }).health).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('refuses HEALTH_HOST without HEALTH_PORT, which would serve nothing', () => {
    expect(() => loadConfig({ HEALTH_HOST: '0.0.0.0' })).toThrow(/^HEALTH_HOST: .*HEALTH_PORT/);
  });

  it('gives a Telegram request 15 s to be answered unless TELEGRAM_TIMEOUT_MS says otherwise, and refuses less than 1 s', () => {
    const token = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }).telegram?.timeoutMs).toBe(15_000);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_TIMEOUT_MS: '5000' }).telegram?.timeoutMs).toBe(5_000);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_TIMEOUT_MS: '10' })).toThrow(/^TELEGRAM_TIMEOUT_MS:/);
  });

  it('makes an inline query wait 400 ms for the reader to type on with the LLM engine and not at all with the embedded one, unless TELEGRAM_INLINE_WAIT_MS says otherwise', () => {
    const token = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }).telegram?.inlineWaitMs).toBe(0);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).telegram?.inlineWaitMs).toBe(400);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', TELEGRAM_INLINE_WAIT_MS: '0' }).telegram?.inlineWaitMs).toBe(0);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_INLINE_WAIT_MS: '60000' })).toThrow(/^TELEGRAM_INLINE_WAIT_MS:/);
  });

  it('merges an article into a story stored up to 72 hours before it unless STORY_WINDOW_HOURS says otherwise; 0 turns stories off', () => {
    expect(loadConfig({}).storyWindowHours).toBe(72);
    expect(loadConfig({ STORY_WINDOW_HOURS: '24' }).storyWindowHours).toBe(24);
    expect(loadConfig({ STORY_WINDOW_HOURS: '0' }).storyWindowHours).toBe(0);
    expect(() => loadConfig({ STORY_WINDOW_HOURS: '-1' })).toThrow(/^STORY_WINDOW_HOURS:/);
  });

  it('refuses a summary maximum below the minimum', () => {
    expect(() => loadConfig({ SUMMARY_MIN_SENTENCES: '4', SUMMARY_MAX_SENTENCES: '3' })).toThrow(/SUMMARY_MAX_SENTENCES/);
  });

  it('gives the LLM 10 s for its first token and 30 s for the whole answer, and reads both', () => {
    const key = { OPENAI_API_KEY: 'sk-test' };
    expect(loadConfig(key).openai).toMatchObject({ firstTokenMs: 10_000, deadlineMs: 30_000 });
    expect(loadConfig({ ...key, OPENAI_FIRST_TOKEN_MS: '2000', OPENAI_DEADLINE_MS: '8000' }).openai).toMatchObject({ firstTokenMs: 2_000, deadlineMs: 8_000 });
  });

  it('turns hybrid retrieval on with an embedding model, with a similarity bar of 0.5 unless set', () => {
    const key = { OPENAI_API_KEY: 'sk-test' };
    expect(loadConfig(key).openai?.embedding).toBeUndefined();
    expect(loadConfig({ ...key, OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' }).openai?.embedding).toEqual({ model: 'text-embedding-3-small', minSimilarity: 0.5 });
    expect(loadConfig({ ...key, OPENAI_EMBEDDING_MODEL: 'bge-m3', OPENAI_EMBEDDING_MIN_SIMILARITY: '.72' }).openai?.embedding).toEqual({ model: 'bge-m3', minSimilarity: 0.72 });
    expect(loadConfig({ OPENAI_EMBEDDING_MODEL: 'bge-m3' }).openai).toBeUndefined();
  });

  it.each([
    ['OPENAI_EMBEDDING_MIN_SIMILARITY', { OPENAI_EMBEDDING_MODEL: 'm', OPENAI_EMBEDDING_MIN_SIMILARITY: '1.5' }],
    ['OPENAI_EMBEDDING_MIN_SIMILARITY', { OPENAI_EMBEDDING_MODEL: 'm', OPENAI_EMBEDDING_MIN_SIMILARITY: 'high' }],
    ['OPENAI_FIRST_TOKEN_MS', { OPENAI_FIRST_TOKEN_MS: '10s' }],
    ['OPENAI_DEADLINE_MS', { OPENAI_DEADLINE_MS: '0' }],
    ['OPENAI_DEADLINE_MS', { OPENAI_FIRST_TOKEN_MS: '20000', OPENAI_DEADLINE_MS: '15000' }],
  ])('fails at start naming %s when the LLM deadlines are %j', (variable, env) => {
    expect(() => loadConfig({ OPENAI_API_KEY: 'sk-test', ...env })).toThrow(new RegExp(`^${variable}:`));
  });
});
