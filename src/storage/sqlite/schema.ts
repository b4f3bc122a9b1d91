/**
 * The SQLite schema as numbered migrations. A migration is never edited once released: a change
 * is a new entry, so every file, however old, reaches the same schema.
 */
import type Database from 'better-sqlite3';

/** One step of the schema. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles, summaries, subscriptions, outbox, feeds, leases, changes',
    sql: `
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT UNIQUE,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        posted_at TEXT NOT NULL,
        posted_by TEXT NOT NULL,
        source TEXT,
        byline TEXT,
        published_at TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX articles_newest ON articles (posted_at DESC, id);

      CREATE TABLE summaries (
        key TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX summaries_article ON summaries (article_id);

      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        chat_kind TEXT NOT NULL,
        name TEXT,
        mode TEXT NOT NULL,
        digest_time TEXT,
        time_zone TEXT,
        language TEXT,
        active INTEGER NOT NULL,
        inactive_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        digest_covered_until TEXT
      );
      CREATE INDEX subscriptions_active ON subscriptions (active, mode);

      -- The summary a subscriber receives, once per article and language however many receive it.
      CREATE TABLE delivery_messages (
        article_id TEXT NOT NULL,
        language TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (article_id, language)
      ) WITHOUT ROWID;

      -- One small row per message to one chat. seq orders the queue; times are epoch ms.
      CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        subscription_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        chat_kind TEXT NOT NULL,
        kind TEXT NOT NULL,
        language TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        claimed_until INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        last_error TEXT
      );
      -- Partial indexes hold pending rows only, so a million finished rows cost a claim nothing.
      CREATE INDEX deliveries_queue ON deliveries (seq) WHERE status = 'pending';
      CREATE INDEX deliveries_chat ON deliveries (platform, chat_id, seq) WHERE status = 'pending';
      CREATE INDEX deliveries_article ON deliveries (article_id) WHERE status = 'pending';
      CREATE INDEX deliveries_subscription ON deliveries (subscription_id) WHERE status = 'pending';
      CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE status <> 'pending';

      -- A digest's articles; an article delivery names its one article in deliveries.article_id.
      CREATE TABLE delivery_items (
        delivery_seq INTEGER NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        language TEXT NOT NULL,
        PRIMARY KEY (delivery_seq, position)
      ) WITHOUT ROWID;
      CREATE INDEX delivery_items_article ON delivery_items (article_id);

      -- Counters kept beside the rows: '' is the totals; rowid order is the order articles were first queued.
      CREATE TABLE delivery_counts (
        article_id TEXT NOT NULL UNIQUE,
        pending INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        dead INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE fan_outs (
        article_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        claimed_by TEXT,
        claimed_until INTEGER NOT NULL DEFAULT 0,
        requested_at INTEGER NOT NULL
      );
      CREATE INDEX fan_outs_pending ON fan_outs (requested_at) WHERE state = 'pending';

      CREATE TABLE feeds (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        next_check_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX feeds_due ON feeds (next_check_at);

      CREATE TABLE leases (
        key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        until INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- AUTOINCREMENT: a seq is never reused, even after the newest changes are pruned.
      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        op TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX changes_at ON changes (at);
    `,
  },
  {
    version: 2,
    name: 'search index snapshot',
    sql: `
      -- At most one row: the latest snapshot; format names what made the bytes.
      CREATE TABLE index_snapshots (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        format TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        saved_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'smaller delivery rows',
    sql: `
      -- A broadcast writes a row per subscriber, so each byte of one is paid 10,000 times. Rebuilt:
      -- no subscription id (it is platform:chat_id), no kind (a digest has no article_id), numbers for
      -- status and chat kind, and a 64-bit key instead of the id in the unique index. The items are
      -- rebuilt too: dropping the old table would otherwise delete them through ON DELETE CASCADE.
      CREATE TABLE deliveries_next (
        seq INTEGER PRIMARY KEY,
        -- deliveryKey(id) (storage/rows.ts); NULL for rows queued before this migration, and for an id
        -- whose key another id already has: those are found by id.
        key INTEGER,
        -- NULL when it is a:<article_id>:<platform>:<chat_id>, which the row spells out.
        id TEXT,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        -- 0 private, 1 group, 2 channel.
        chat_kind INTEGER NOT NULL,
        language TEXT NOT NULL,
        -- NULL for a digest, whose articles are in delivery_items.
        article_id TEXT,
        -- 0 pending, 1 sent, 2 failed, 3 dead.
        status INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        claimed_until INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        last_error TEXT,
        CHECK (id IS NOT NULL OR (key IS NOT NULL AND article_id IS NOT NULL))
      );
      INSERT INTO deliveries_next (seq, key, id, platform, chat_id, chat_kind, language, article_id, status, attempts, not_before,
                                   claimed_by, claimed_until, created_at, finished_at, last_error)
      SELECT seq, NULL, id, platform, chat_id,
             CASE chat_kind WHEN 'private' THEN 0 WHEN 'group' THEN 1 WHEN 'channel' THEN 2 END,
             language, CASE kind WHEN 'article' THEN article_id END,
             CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'dead' THEN 3 END,
             attempts, not_before, claimed_by, claimed_until, created_at, finished_at, last_error
      FROM deliveries;

      CREATE TABLE delivery_items_next (
        delivery_seq INTEGER NOT NULL REFERENCES deliveries_next (seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        language TEXT NOT NULL,
        PRIMARY KEY (delivery_seq, position)
      ) WITHOUT ROWID;
      INSERT INTO delivery_items_next (delivery_seq, position, article_id, language)
      SELECT delivery_seq, position, article_id, language FROM delivery_items;

      DROP TABLE delivery_items;
      DROP TABLE deliveries;
      -- Renaming also points delivery_items_next's foreign key at the new name.
      ALTER TABLE deliveries_next RENAME TO deliveries;
      ALTER TABLE delivery_items_next RENAME TO delivery_items;

      -- Still a rowid table: every index below points at a row by its seq in a few bytes, where
      -- WITHOUT ROWID would make each carry the whole primary key.
      CREATE UNIQUE INDEX deliveries_key ON deliveries (key) WHERE key IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_unkeyed ON deliveries (id) WHERE key IS NULL;
      -- Partial indexes hold pending rows only, so a million finished rows cost a claim nothing.
      CREATE INDEX deliveries_queue ON deliveries (seq) WHERE status = 0;
      CREATE INDEX deliveries_chat ON deliveries (platform, chat_id, seq) WHERE status = 0;
      CREATE INDEX deliveries_article ON deliveries (article_id) WHERE status = 0 AND article_id IS NOT NULL;
      CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE status <> 0;
      CREATE INDEX delivery_items_article ON delivery_items (article_id);
    `,
  },
  {
    version: 4,
    name: 'stories',
    sql: `
      -- The first article of the story an article joined; NULL when it started its own.
      ALTER TABLE articles ADD COLUMN story_id TEXT;
      CREATE INDEX articles_story ON articles (story_id) WHERE story_id IS NOT NULL;
      `,
    },
    {
    version: 5,
    name: 'paused feeds',
    sql: `
      -- Paused feeds (FEED_MAX_FAILURES checks failed in a row) are left out of the due list until an
      -- admin resumes them; a column, not only a field of data, so the due query skips them by index.
      ALTER TABLE feeds ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
      DROP INDEX feeds_due;
      CREATE INDEX feeds_due ON feeds (next_check_at) WHERE paused = 0;
      `,
    },
    {
    version: 6,
    name: 'subscription topics, filters and styles',
    sql: `
      -- A subscription's forum topic, filters and delivery style, as JSON: read whole with the
      -- subscription and never queried by, and NULL for the many subscriptions that set none.
      ALTER TABLE subscriptions ADD COLUMN options TEXT;
      -- A chat that is gone stops its topics' subscriptions too: found by chat, not by a scan.
      CREATE INDEX subscriptions_chat ON subscriptions (platform, chat_id);
      -- A delivery's topic or forum and style, as JSON; NULL (nothing stored) for a plain delivery.
      ALTER TABLE deliveries ADD COLUMN presentation TEXT;
    `,
  },
  {
    // 5 and 6 are other features' (numbered when they were planned); the runner applies what is above the store's version.
    version: 7,
    name: 'story updates',
    sql: `
      -- 1 when the chat wants one "also reported by" note per outlet of a story it already had.
      ALTER TABLE subscriptions ADD COLUMN story_updates INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    name: 'article vectors',
    sql: `
      -- An embedding model's vector of each article (float32, little-endian), made once; it goes
      -- with its article. Keyed by model: after a change of model the old vectors are not compared.
      CREATE TABLE article_vectors (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (article_id, model)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'followed questions',
    sql: `
      -- A chat's followed questions. The terms are also kept one per row in follow_terms, so a new
      -- article finds the questions that share a term with it by index, not by reading every follow.
      CREATE TABLE follows (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        chat_kind TEXT NOT NULL,
        -- The forum topic it was followed in, whose updates go there; NULL for the chat itself.
        thread_id TEXT,
        question TEXT NOT NULL,
        terms TEXT NOT NULL,
        language TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX follows_chat ON follows (platform, chat_id, created_at);
      CREATE TABLE follow_terms (
        term TEXT NOT NULL,
        follow_id TEXT NOT NULL REFERENCES follows (id) ON DELETE CASCADE,
        PRIMARY KEY (term, follow_id)
      ) WITHOUT ROWID;
      CREATE INDEX follow_terms_follow ON follow_terms (follow_id);
      -- A follow update's answer, written for one chat only, so it travels in its delivery row;
      -- NULL (no bytes) on every other delivery.
      ALTER TABLE deliveries ADD COLUMN body TEXT;
    `,
  },
  {
    version: 10,
    name: 'last answers',
    sql: `
      -- Each chat's last answered question with its answer and evidence (JSON), for /why from any
      -- process and after a restart; the next answer replaces it, the retention job prunes old ones.
      CREATE TABLE last_answers (
        chat TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        answered_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX last_answers_at ON last_answers (answered_at);
    `,
  },
];

/**
 * Brings the file up to the newest migration. Each step runs in an immediate transaction that
 * re-reads the version inside it, so two processes starting at once apply each step once.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  const applied = current.get()?.v ?? 0;
  if (applied > newest) {
    throw new Error(`the store's schema is version ${applied}, newer than this program knows (${newest}); upgrade akhbar`);
  }
  for (const migration of migrations) {
    db.transaction(() => {
      if ((current.get()?.v ?? 0) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
  return current.get()?.v ?? 0;
}
