import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isAkhbarError } from '../../src/core/errors.js';
import type { NewDelivery, Storage } from '../../src/core/ports.js';
import { openStorage } from '../../src/storage/index.js';
import { MIGRATIONS, migrate } from '../../src/storage/sqlite/schema.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { article, storageContract } from './contract.js';
import {
  expectFollowsAfterUpgrade,
  expectUpgradedFeeds,
  expectUpgradedOutbox,
  expectUpgradedSubscription,
  expectUpgradedVectors,
  OLD_ARTICLE,
  OLD_COUNTS,
  OLD_FEED,
  OLD_SUBSCRIPTION,
  OLD_DELIVERIES,
  OLD_DIGEST_ITEMS,
  OLD_MESSAGES,
  PRE_FOLLOW_DELIVERY,
  UPGRADE_NOW,
} from './upgrade.js';

// No two ids with one 64-bit key are known, so two made-up ids are given one here.
vi.mock('../../src/storage/rows.js', async (importOriginal) => {
  const rows = await importOriginal<typeof import('../../src/storage/rows.js')>();
  return { ...rows, deliveryKey: (id: string) => rows.deliveryKey(id === 'same-key-2' ? 'same-key-1' : id) };
});

const dir = mkdtempSync(join(tmpdir(), 'akhbar-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.sqlite`);

storageContract('sqlite', async (clock) => {
  const file = freshFile();
  // A short busy timeout: the failure spec holds the write lock from another connection.
  const url = `sqlite://${file}?busy_timeout=50`;
  const storage = await openStorage(url, { clock });
  const handles: Storage[] = [storage];
  return {
    storage,
    async another() {
      const handle = await openStorage(url, { clock });
      handles.push(handle);
      return handle;
    },
    async breakWrites() {
      // Another process in the middle of a long write: ours wait out the busy timeout and get SQLITE_BUSY.
      const blocker = new Database(file);
      blocker.exec('BEGIN IMMEDIATE');
      return async () => {
        blocker.exec('ROLLBACK');
        blocker.close();
      };
    },
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
    },
  };
});

describe('SQLite storage', () => {
  it('opens in WAL mode with a busy timeout and records its schema version', async () => {
    const s = openSqliteStorage(freshFile(), { busyTimeoutMs: 1_234 });
    expect(s.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.database.pragma('busy_timeout', { simple: true })).toBe(1_234);
    const versions = s.database.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    await s.close();
  });

  it('keeps what was stored across a reopen, applying no migration twice', async () => {
    const file = freshFile();
    const first = await openStorage(`sqlite://${file}`);
    await first.articles.insert(article(1));
    await first.close();
    const second = openSqliteStorage(file);
    expect(await second.articles.get(article(1).id)).toEqual(article(1));
    expect(second.database.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    await second.close();
  });

  it('refuses a file whose schema is newer than this program', async () => {
    const file = freshFile();
    await (await openStorage(`sqlite://${file}`)).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    raw.close();
    const error = await openStorage(`sqlite://${file}`).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(String(error)).toMatch(/newer/);
  });

  it('upgrades a file from schema version 2 keeping every delivery, and sends each pending one once', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 2));
    // As version 2 of the outbox wrote them.
    for (const m of OLD_MESSAGES) {
      old.prepare('INSERT INTO delivery_messages (article_id, language, data, created_at) VALUES (?, ?, ?, ?)').run(m.articleId, m.language, JSON.stringify(m), 0);
    }
    const insert = old.prepare(
      `INSERT INTO deliveries (id, subscription_id, platform, chat_id, chat_kind, kind, language, article_id, status, attempts, not_before,
                               claimed_by, claimed_until, created_at, finished_at, last_error)
       VALUES (@id, @subscription_id, @platform, @chat_id, @chat_kind, @kind, @language, @article_id, @status, @attempts, @not_before,
               @claimed_by, @claimed_until, @created_at, @finished_at, @last_error)`,
    );
    const seqs = new Map(OLD_DELIVERIES.map((d) => [d.id, insert.run(d).lastInsertRowid]));
    for (const item of OLD_DIGEST_ITEMS) {
      old.prepare('INSERT INTO delivery_items (delivery_seq, position, article_id, language) VALUES (?, ?, ?, ?)').run(seqs.get(item.delivery), item.position, item.article_id, item.language);
    }
    for (const c of OLD_COUNTS) {
      old.prepare('INSERT INTO delivery_counts (article_id, pending, sent, failed, dead) VALUES (?, ?, ?, ?, ?)').run(c.article_id, c.pending, c.sent, c.failed, c.dead);
    }
    old.close();

    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    expect(s.database.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(s.database.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(OLD_DELIVERIES.length);
    await expectUpgradedOutbox(s);
    await s.close();
  });

  it('upgrades a file from schema version 3 keeping its articles, each its own story, and stores stories from then on', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 3));
    old
      .prepare('INSERT INTO articles (id, url, title, language, posted_at, posted_by, source, byline, published_at, body) VALUES (?, NULL, ?, ?, ?, ?, ?, NULL, NULL, ?)')
      .run('old1', 'Rail strike', 'en', '2026-03-01T08:00:00.000Z', 'operator', 'paste', 'Trains stopped.');
    old.close();

    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    expect(await s.articles.get('old1')).not.toHaveProperty('storyId');
    expect((await s.articles.list({ storiesOnly: true })).map((a) => a.id)).toEqual(['old1']);
    await s.articles.insert({ id: 'new1', title: 'Rail strike ends', text: 'Trains stopped. Then ran.', language: 'en', postedAt: '2026-03-01T08:30:00.000Z', postedBy: 'operator', storyId: 'old1' });
    expect((await s.articles.get('new1'))?.storyId).toBe('old1');
    expect(await s.articles.count({ storiesOnly: true })).toBe(1);
    await s.close();
  });

  it('upgrades a file from before story updates keeping its subscriptions, none wanting notes, and stores the choice from then on', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 7));
    old
      .prepare(
        `INSERT INTO subscriptions (id, platform, chat_id, chat_kind, name, mode, digest_time, time_zone, language, active, inactive_reason, created_at, updated_at, digest_covered_until)
         VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, ?, 1, NULL, ?, ?, NULL)`,
      )
      .run('telegram:7', 'telegram', '7', 'private', 'each', 'ar', '2026-03-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z');
    old.close();

    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    expect(await s.subscriptions.get('telegram:7')).toMatchObject({ mode: 'each', language: 'ar', active: true });
    expect(await s.subscriptions.get('telegram:7')).not.toHaveProperty('storyUpdates');
    const current = (await s.subscriptions.get('telegram:7'))!;
    await s.subscriptions.put({ ...current, storyUpdates: true });
    expect(await s.subscriptions.get('telegram:7')).toEqual({ ...current, storyUpdates: true });
    await s.close();
  });

  it('upgrades a file from before paused feeds: its feeds stay followed and due, and can be paused', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 3));
    old
      .prepare('INSERT INTO feeds (id, url, added_at, next_check_at, data) VALUES (?, ?, ?, ?, ?)')
      .run(OLD_FEED.id, OLD_FEED.url, OLD_FEED.addedAt, OLD_FEED.nextCheckAt, JSON.stringify(OLD_FEED));
    old.close();
    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    await expectUpgradedFeeds(s);
    await s.close();
  });

  it('upgrades a file from before subscription options keeping each subscription as it was', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 6));
    old
      .prepare(
        `INSERT INTO subscriptions (id, platform, chat_id, chat_kind, name, mode, digest_time, time_zone, language, active, inactive_reason, created_at, updated_at, digest_covered_until)
         VALUES (@id, @platform, @chat_id, @chat_kind, @name, @mode, @digest_time, @time_zone, @language, 1, NULL, @created_at, @updated_at, @digest_covered_until)`,
      )
      .run(OLD_SUBSCRIPTION);
    old.close();
    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    await expectUpgradedSubscription(s);
    await s.close();
  });

  it('upgrades a file from before article vectors: its articles are kept and get their vectors once made', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 8));
    old
      .prepare(
        `INSERT INTO articles (id, url, title, language, posted_at, posted_by, source, byline, published_at, body, story_id)
         VALUES (@id, @url, @title, @language, @posted_at, @posted_by, @source, @byline, @published_at, @body, @story_id)`,
      )
      .run(OLD_ARTICLE);
    old.close();
    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    await expectUpgradedVectors(s);
    await s.close();
  });

  it('upgrades a file from before followed questions: its pending deliveries are kept as they were, and chats can follow questions', async () => {
    const file = freshFile();
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 9));
    const m = OLD_MESSAGES[0]!;
    old.prepare('INSERT INTO delivery_messages (article_id, language, data, created_at) VALUES (?, ?, ?, ?)').run(m.articleId, m.language, JSON.stringify(m), 0);
    old
      .prepare('INSERT INTO deliveries (id, platform, chat_id, chat_kind, language, article_id, status, created_at) VALUES (@id, @platform, @chat_id, @chat_kind, @language, @article_id, 0, @created_at)')
      .run(PRE_FOLLOW_DELIVERY);
    old.close();
    const s = openSqliteStorage(file, { clock: () => UPGRADE_NOW });
    await expectFollowsAfterUpgrade(s);
    await s.close();
  });

  it('queues, finds and deduplicates a delivery whose 64-bit key another id already has', async () => {
    const s = openSqliteStorage(freshFile());
    await s.outbox.putMessage({ articleId: 'art1', title: 'T', language: 'en', sentences: ['S.'] });
    const delivery = (id: string, chatId: string): NewDelivery => ({
      id,
      target: { platform: 'telegram', chatId, kind: 'private' },
      kind: 'article',
      language: 'en',
      items: [{ articleId: 'art1', language: 'en' }],
      createdAt: new Date().toISOString(),
    });
    expect(await s.outbox.enqueue([delivery('same-key-1', '1')])).toBe(1);
    expect(await s.outbox.enqueue([delivery('same-key-2', '2')])).toBe(1);
    // The later one is kept unkeyed, under its id.
    expect(s.database.prepare("SELECT id FROM deliveries WHERE key IS NULL").pluck().all()).toEqual(['same-key-2']);
    expect(await s.outbox.enqueue([delivery('same-key-2', '2'), delivery('same-key-1', '1')])).toBe(0);
    expect((await s.outbox.get('same-key-1'))?.target.chatId).toBe('1');
    expect((await s.outbox.get('same-key-2'))?.target.chatId).toBe('2');
    const claimed = await s.outbox.claim({ owner: 'p1', leaseMs: 60_000, limit: 10, platforms: ['telegram'] });
    expect(claimed.map((d) => d.id)).toEqual(['same-key-1', 'same-key-2']);
    expect((await s.outbox.renew(['same-key-1', 'same-key-2'], 'p1', 60_000)).sort()).toEqual(['same-key-1', 'same-key-2']);
    for (const d of claimed) expect(await s.outbox.settle(d.id, 'p1', { kind: 'sent' })).toBe(true);
    expect(await s.outbox.counts()).toMatchObject({ pending: 0, sent: 2 });
    await s.close();
  });

  it('surfaces a full disk (SQLITE_FULL) instead of confirming the write', async () => {
    const s = openSqliteStorage(freshFile());
    await s.articles.insert(article(1));
    const pages = s.database.pragma('page_count', { simple: true }) as number;
    s.database.pragma(`max_page_count = ${pages}`);
    const error = await s.articles.insert(article(2, { text: 'x'.repeat(200_000) })).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/FULL/);
    expect(await s.articles.get(article(2).id)).toBeUndefined();
    await s.close();
  });

  it('names a file that cannot be opened', async () => {
    // A regular file where a directory should be.
    const notADirectory = freshFile();
    writeFileSync(notADirectory, 'not a directory');
    const error = await openStorage(`sqlite://${join(notADirectory, 'x.sqlite')}`).catch((e: unknown) => e);
    expect(isAkhbarError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(isAkhbarError(await openStorage('sqlite://x.sqlite?busy_timeout=soon').catch((e: unknown) => e), 'STORE_UNAVAILABLE')).toBe(true);
    expect(isAkhbarError(await openStorage('mysql://localhost/x').catch((e: unknown) => e), 'STORE_UNAVAILABLE')).toBe(true);
  });

  it('several processes on one file never claim the same delivery, and one of them gets a lease they all ask for', async () => {
    const file = freshFile();
    const s = await openStorage(`sqlite://${file}`);
    const chats = 400;
    await s.outbox.putMessage({ articleId: 'art1', title: 'T', language: 'en', sentences: ['S.'] });
    await s.outbox.putMessage({ articleId: 'art2', title: 'T', language: 'en', sentences: ['S.'] });
    const deliveries: NewDelivery[] = [];
    for (const articleId of ['art1', 'art2']) {
      for (let chat = 0; chat < chats; chat++) {
        deliveries.push({
          id: `a:${articleId}:telegram:${chat}`,
          target: { platform: 'telegram', chatId: String(chat), kind: 'private' },
          kind: 'article',
          language: 'en',
          items: [{ articleId, language: 'en' }],
          createdAt: new Date().toISOString(),
        });
      }
    }
    expect(await s.outbox.enqueue(deliveries)).toBe(2 * chats);

    // The claimers start together: each waits, once its database is open, for the go file.
    const go = `${file}.go`;
    const started = ['w1', 'w2', 'w3', 'w4'].map((owner) => runClaimer(file, owner, go));
    await Promise.all(started.map((run) => run.ready));
    writeFileSync(go, '');
    const runs = await Promise.all(started.map((run) => run.done));
    const claimedBy = new Map<string, string>();
    for (const run of runs) {
      expect(run.lost, `${run.owner} found its claims taken by another process`).toEqual([]);
      for (const id of run.claimed) {
        expect(claimedBy.get(id), `${id} claimed by ${claimedBy.get(id)} and ${run.owner}`).toBeUndefined();
        claimedBy.set(id, run.owner);
      }
    }
    expect(claimedBy.size).toBe(2 * chats);
    expect(runs.filter((run) => run.leased).length).toBe(1);
    // Every process got work, so the claims really raced.
    expect(runs.filter((run) => run.claimed.length > 0).length).toBeGreaterThan(1);
    const counts = await s.outbox.counts();
    expect({ pending: counts.pending, sent: counts.sent }).toEqual({ pending: 0, sent: 2 * chats });
    expect(await s.outbox.recount()).toEqual({ ...counts, byArticle: [...counts.byArticle] });
    await s.close();
  }, 60_000);
});

interface ClaimerRun {
  readonly owner: string;
  readonly leased: boolean;
  readonly claimed: string[];
  readonly lost: string[];
}

function runClaimer(file: string, owner: string, go: string): { ready: Promise<void>; done: Promise<ClaimerRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'claimer.ts'), file, owner, go], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) signalReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve)).then((code) => {
    signalReady();
    if (code !== 0) throw new Error(`claimer ${owner} exited ${code}: ${err}`);
    return { owner, ...(JSON.parse(out.slice('ready\n'.length)) as Omit<ClaimerRun, 'owner'>) };
  });
  return { ready, done };
}
