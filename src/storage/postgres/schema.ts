/**
 * The PostgreSQL schema as numbered migrations, recorded in `schema_migrations`. A migration is
 * never edited once released: a change is a new entry, so every database, however old, reaches the
 * same schema. Tables are created unqualified, in the first schema of the connection's search_path.
 */
import type pg from 'pg';

/** One step of the schema. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Every migration, in order. Text that is sorted or compared by range (ids, ISO times) is
 * `COLLATE "C"`: byte order, as the other backends compare, whatever the database's locale.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles, summaries, subscriptions, outbox, feeds, leases, changes',
    sql: `
      CREATE TABLE articles (
        id TEXT COLLATE "C" PRIMARY KEY,
        url TEXT COLLATE "C" UNIQUE,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        posted_at TEXT COLLATE "C" NOT NULL,
        posted_by TEXT NOT NULL,
        source TEXT,
        byline TEXT,
        published_at TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX articles_newest ON articles (posted_at DESC, id);

      CREATE TABLE summaries (
        key TEXT COLLATE "C" PRIMARY KEY,
        article_id TEXT COLLATE "C" NOT NULL,
        data JSONB NOT NULL
      );
      CREATE INDEX summaries_article ON summaries (article_id);

      CREATE TABLE subscriptions (
        id TEXT COLLATE "C" PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        chat_kind TEXT NOT NULL,
        name TEXT,
        mode TEXT NOT NULL,
        digest_time TEXT,
        time_zone TEXT,
        language TEXT,
        active BOOLEAN NOT NULL,
        inactive_reason TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT NOT NULL,
        digest_covered_until TEXT
      );
      CREATE INDEX subscriptions_active ON subscriptions (active, mode);

      -- The summary a subscriber receives, once per article and language however many receive it.
      CREATE TABLE delivery_messages (
        article_id TEXT COLLATE "C" NOT NULL,
        language TEXT COLLATE "C" NOT NULL,
        data JSONB NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (article_id, language)
      );

      -- One row per chat ever delivered to: the row claimers lock (FOR NO KEY UPDATE SKIP LOCKED),
      -- so two claims never work on one chat at once and its messages leave in order.
      CREATE TABLE delivery_chats (
        platform TEXT COLLATE "C" NOT NULL,
        chat_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (platform, chat_id)
      );

      -- One small row per message to one chat. seq orders the queue; times are epoch ms.
      CREATE TABLE deliveries (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        subscription_id TEXT COLLATE "C" NOT NULL,
        platform TEXT COLLATE "C" NOT NULL,
        chat_id TEXT COLLATE "C" NOT NULL,
        chat_kind TEXT NOT NULL,
        kind TEXT NOT NULL,
        language TEXT COLLATE "C" NOT NULL,
        article_id TEXT COLLATE "C",
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before BIGINT NOT NULL DEFAULT 0,
        claimed_by TEXT,
        claimed_until BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        finished_at BIGINT,
        last_error TEXT,
        FOREIGN KEY (platform, chat_id) REFERENCES delivery_chats (platform, chat_id)
      );
      -- Partial indexes hold pending rows only, so a million finished rows cost a claim nothing.
      CREATE INDEX deliveries_queue ON deliveries (seq) WHERE status = 'pending';
      CREATE INDEX deliveries_chat ON deliveries (platform, chat_id, seq) WHERE status = 'pending';
      -- The only rows that can hold a chat back (claimed, or not due at once): a handful, whatever the
      -- queue's length, so the claim's "nothing earlier is held" check reads this and not the queue.
      CREATE INDEX deliveries_held ON deliveries (platform, chat_id, seq)
        WHERE status = 'pending' AND (not_before > 0 OR claimed_until > 0);
      CREATE INDEX deliveries_article ON deliveries (article_id) WHERE status = 'pending';
      CREATE INDEX deliveries_subscription ON deliveries (subscription_id) WHERE status = 'pending';
      CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE status <> 'pending';

      -- A digest's articles; an article delivery names its one article in deliveries.article_id.
      CREATE TABLE delivery_items (
        delivery_seq BIGINT NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        article_id TEXT COLLATE "C" NOT NULL,
        language TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (delivery_seq, position)
      );
      CREATE INDEX delivery_items_article ON delivery_items (article_id);

      -- Counters kept beside the rows: '' is the totals; pos is the order articles were first queued.
      CREATE TABLE delivery_counts (
        pos BIGSERIAL NOT NULL,
        article_id TEXT COLLATE "C" PRIMARY KEY,
        pending BIGINT NOT NULL DEFAULT 0,
        sent BIGINT NOT NULL DEFAULT 0,
        failed BIGINT NOT NULL DEFAULT 0,
        dead BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX delivery_counts_recent ON delivery_counts (pos);

      CREATE TABLE fan_outs (
        article_id TEXT COLLATE "C" PRIMARY KEY,
        state TEXT NOT NULL,
        claimed_by TEXT,
        claimed_until BIGINT NOT NULL DEFAULT 0,
        requested_at BIGINT NOT NULL
      );
      CREATE INDEX fan_outs_pending ON fan_outs (requested_at, article_id) WHERE state = 'pending';

      CREATE TABLE feeds (
        id TEXT COLLATE "C" PRIMARY KEY,
        url TEXT COLLATE "C" NOT NULL UNIQUE,
        added_at TEXT COLLATE "C" NOT NULL,
        next_check_at TEXT COLLATE "C" NOT NULL,
        data JSONB NOT NULL
      );
      CREATE INDEX feeds_due ON feeds (next_check_at);

      CREATE TABLE leases (
        key TEXT COLLATE "C" PRIMARY KEY,
        owner TEXT NOT NULL,
        until BIGINT NOT NULL
      );

      -- A sequence never hands out a number twice, even after the newest changes are pruned.
      -- Writers take a lock on this table before taking a seq (see logChanges), so seq order is commit order.
      CREATE TABLE changes (
        seq BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        op TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX changes_at ON changes (at);
    `,
  },
  {
    version: 2,
    name: 'index snapshot',
    sql: `
      -- One row: the search index as bytes, so an instance starts from it instead of a full scan.
      CREATE TABLE index_snapshots (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        format TEXT NOT NULL,
        seq BIGINT NOT NULL,
        bytes BYTEA NOT NULL,
        saved_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'sharded delivery counters',
    sql: `
      -- Every settle bumps the totals and its article's counters; one row each made every instance's
      -- settles wait for one another. Spread over shards, they are summed when read.
      ALTER TABLE delivery_counts DROP CONSTRAINT delivery_counts_pkey;
      ALTER TABLE delivery_counts ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
      ALTER TABLE delivery_counts ADD PRIMARY KEY (article_id, shard);
    `,
  },
  {
    version: 4,
    name: 'smaller delivery rows',
    sql: `
      -- A broadcast writes a row per subscriber, so each byte of one is paid 10,000 times. Rebuilt as
      -- SQLite's migration 3 rebuilds it: no subscription id (it is platform:chat_id), no kind (a digest
      -- has no article_id), numbers for status and chat kind, a 64-bit key instead of the id in the
      -- unique index; fixed-width columns first, widest first, so no byte goes to alignment padding.
      -- The sequence is kept, so seqs keep rising across the rebuild.
      ALTER SEQUENCE deliveries_seq_seq OWNED BY NONE;
      ALTER TABLE delivery_items DROP CONSTRAINT delivery_items_delivery_seq_fkey;
      ALTER TABLE deliveries RENAME TO deliveries_v3;
      ALTER INDEX deliveries_pkey RENAME TO deliveries_v3_pkey;
      CREATE TABLE deliveries (
        seq BIGINT PRIMARY KEY DEFAULT nextval('deliveries_seq_seq'),
        -- deliveryKey(id) (storage/rows.ts); NULL for rows queued before this migration, and for an id
        -- whose key another id already has: those are found by id.
        key BIGINT,
        not_before BIGINT NOT NULL DEFAULT 0,
        claimed_until BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        finished_at BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0,
        -- 0 pending, 1 sent, 2 failed, 3 dead.
        status SMALLINT NOT NULL,
        -- 0 private, 1 group, 2 channel.
        chat_kind SMALLINT NOT NULL,
        platform TEXT COLLATE "C" NOT NULL,
        chat_id TEXT COLLATE "C" NOT NULL,
        language TEXT COLLATE "C" NOT NULL,
        -- NULL for a digest, whose articles are in delivery_items.
        article_id TEXT COLLATE "C",
        -- NULL when it is a:<article_id>:<platform>:<chat_id>, which the row spells out.
        id TEXT COLLATE "C",
        claimed_by TEXT,
        last_error TEXT,
        FOREIGN KEY (platform, chat_id) REFERENCES delivery_chats (platform, chat_id),
        CHECK (id IS NOT NULL OR (key IS NOT NULL AND article_id IS NOT NULL))
      );
      ALTER SEQUENCE deliveries_seq_seq OWNED BY deliveries.seq;
      INSERT INTO deliveries (seq, key, not_before, claimed_until, created_at, finished_at, attempts, status, chat_kind, platform, chat_id,
                              language, article_id, id, claimed_by, last_error)
      SELECT seq, NULL, not_before, claimed_until, created_at, finished_at, attempts,
             CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'dead' THEN 3 END,
             CASE chat_kind WHEN 'private' THEN 0 WHEN 'group' THEN 1 WHEN 'channel' THEN 2 END,
             platform, chat_id, language, CASE kind WHEN 'article' THEN article_id END, id, claimed_by, last_error
      FROM deliveries_v3;
      DROP TABLE deliveries_v3;
      ALTER TABLE delivery_items ADD CONSTRAINT delivery_items_delivery_seq_fkey
        FOREIGN KEY (delivery_seq) REFERENCES deliveries (seq) ON DELETE CASCADE;

      CREATE UNIQUE INDEX deliveries_key ON deliveries (key) WHERE key IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_unkeyed ON deliveries (id) WHERE key IS NULL;
      -- Partial indexes hold pending rows only, so a million finished rows cost a claim nothing.
      CREATE INDEX deliveries_queue ON deliveries (seq) WHERE status = 0;
      CREATE INDEX deliveries_chat ON deliveries (platform, chat_id, seq) WHERE status = 0;
      -- The only rows that can hold a chat back (claimed, or not due at once): see migration 1.
      CREATE INDEX deliveries_held ON deliveries (platform, chat_id, seq)
        WHERE status = 0 AND (not_before > 0 OR claimed_until > 0);
      CREATE INDEX deliveries_article ON deliveries (article_id) WHERE status = 0 AND article_id IS NOT NULL;
      CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE status <> 0;
    `,
  },
  {
    version: 5,
    name: 'stories',
    sql: `
      -- The first article of the story an article joined; NULL when it started its own.
      ALTER TABLE articles ADD COLUMN story_id TEXT;
      CREATE INDEX articles_story ON articles (story_id) WHERE story_id IS NOT NULL;
      `,
    },
    {
    version: 6,
    name: 'paused feeds',
    sql: `
      -- Paused feeds (FEED_MAX_FAILURES checks failed in a row) are left out of the due list until an
      -- admin resumes them; a column, not only a field of data, so the due query skips them by index.
      ALTER TABLE feeds ADD COLUMN paused BOOLEAN NOT NULL DEFAULT false;
      DROP INDEX feeds_due;
      CREATE INDEX feeds_due ON feeds (next_check_at) WHERE NOT paused;
      `,
    },
    {
    version: 7,
    name: 'subscription topics, filters and styles',
    sql: `
      -- As SQLite's migration 6: a subscription's forum topic, filters and delivery style as JSON
      -- text, read whole and never queried by; NULL for the many that set none.
      ALTER TABLE subscriptions ADD COLUMN options TEXT;
      -- A chat that is gone stops its topics' subscriptions too: found by chat, not by a scan.
      CREATE INDEX subscriptions_chat ON subscriptions (platform, chat_id);
      -- A delivery's topic or forum and style, as JSON; NULL for a plain one, so a broadcast's rows
      -- stay the size they were (a NULL costs a bit in the row's null map).
      ALTER TABLE deliveries ADD COLUMN presentation TEXT;
    `,
  },
  {
    // 6 and 7 are other features' (numbered when they were planned); the runner applies what is above the store's version.
    version: 8,
    name: 'story updates',
    sql: `
      -- True when the chat wants one "also reported by" note per outlet of a story it already had.
      ALTER TABLE subscriptions ADD COLUMN story_updates BOOLEAN NOT NULL DEFAULT false;
    `,
  },
  {
    version: 9,
    name: 'article vectors',
    sql: `
      -- An embedding model's vector of each article (float32, little-endian), made once; it goes
      -- with its article. Keyed by model: after a change of model the old vectors are not compared.
      CREATE TABLE article_vectors (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BYTEA NOT NULL,
        PRIMARY KEY (article_id, model)
      );
    `,
  },
  {
    version: 10,
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
      );
      CREATE INDEX follow_terms_follow ON follow_terms (follow_id);
      -- A follow update's answer, written for one chat only, so it travels in its delivery row;
      -- NULL (no bytes) on every other delivery.
      ALTER TABLE deliveries ADD COLUMN body TEXT;
    `,
  },
  {
    version: 11,
    name: 'last answers',
    sql: `
      -- Each chat's last answered question with its answer and evidence (JSON), for /why from any
      -- process and after a restart; the next answer replaces it, the retention job prunes old ones.
      CREATE TABLE last_answers (
        chat TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        answered_at BIGINT NOT NULL
      );
      CREATE INDEX last_answers_at ON last_answers (answered_at);
    `,
  },
];

/**
 * The advisory lock key migrations are applied under: one database-wide number, so two processes
 * starting at once migrate one after the other. Chosen once; changing it lets old and new versions
 * migrate side by side.
 */
export const MIGRATION_LOCK_KEY = 0x616b6862; // 'akhb'

/**
 * Brings the database up to the newest migration on `client` (a connection of its own: the lock is
 * held by the session). Returns the schema version reached.
 */
export async function migrate(client: pg.ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  // Waiting here is waiting for another process's migration to finish, however long that takes.
  await client.query('SET lock_timeout = 0');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    // Inside the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalogue.
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const newest = migrations[migrations.length - 1]?.version ?? 0;
    const current = async () => Number((await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0);
    const applied = await current();
    if (applied > newest) {
      throw new Error(`the store's schema is version ${applied}, newer than this program knows (${newest}); upgrade akhbar`);
    }
    for (const migration of migrations) {
      if (migration.version <= applied) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        // The migration's own error is the one to report; a connection too broken to roll back is closed by the caller.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return await current();
  } finally {
    // If unlocking fails the connection is gone, and the session's lock with it.
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}
