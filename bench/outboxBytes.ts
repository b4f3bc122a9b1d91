/**
 * How many bytes the outbox takes in a store, for the benchmarks that ask "bytes per delivery":
 * the deliveries table with its indexes, and the tables beside it that exist for deliveries only
 * (the messages stored once per article and language, a digest's items, the counters). On SQLite
 * the pages of each b-tree are summed from the dbstat virtual table, so free pages and the WAL do
 * not count; on PostgreSQL each table's pg_total_relation_size (heap, TOAST, free-space and
 * visibility maps, indexes), dead row versions included until a vacuum reclaims them.
 */
import type { Storage } from '../src/core/ports.js';
import type { PostgresStorage, SqliteStorage } from '../src/storage/index.js';

/** The tables counted, on every backend. */
export const OUTBOX_TABLES = ['deliveries', 'delivery_messages', 'delivery_items', 'delivery_counts'] as const;
/** PostgreSQL's one row per chat ever delivered to: outbox storage too, but paid once per chat, not per delivery. */
const PER_CHAT_TABLES = ['delivery_chats'] as const;

/** One measurement. */
export interface OutboxBytes {
  /** How the bytes were counted. */
  readonly method: string;
  /** Rows in `deliveries` when measured. */
  readonly deliveries: number;
  /** Of them, still pending. */
  readonly pending: number;
  /** Bytes of the OUTBOX_TABLES with their indexes. */
  readonly total: number;
  /** The same bytes by table or index name (a table's own name is its rows). */
  readonly parts: Readonly<Record<string, number>>;
  /** Bytes of per-chat tables, kept apart from `total` (PostgreSQL only). */
  readonly perChat: number;
}

/** Measures the outbox of a SQLite or PostgreSQL store; for another backend, the reason it cannot. */
export async function measureOutboxBytes(storage: Storage): Promise<OutboxBytes | { readonly unavailable: string }> {
  if (storage.kind === 'sqlite') return sqliteBytes(storage as SqliteStorage);
  if (storage.kind === 'postgres') return postgresBytes(storage as PostgresStorage);
  return { unavailable: `a ${storage.kind} store has no size on disk` };
}

async function sqliteBytes(storage: SqliteStorage): Promise<OutboxBytes | { readonly unavailable: string }> {
  const db = storage.database;
  const dbstat = db.prepare("SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'").get();
  if (!dbstat) return { unavailable: 'this SQLite build has no dbstat virtual table (SQLITE_ENABLE_DBSTAT_VTAB)' };
  const tables = JSON.stringify(OUTBOX_TABLES);
  // Every b-tree of those tables: the table's own and each index, automatic ones (UNIQUE) included.
  const rows = db
    .prepare<[string], { name: string; bytes: number }>(
      `SELECT s.name, s.pgsize AS bytes FROM dbstat('main', 1) s
       JOIN sqlite_schema m ON m.name = s.name
       WHERE m.tbl_name IN (SELECT value FROM json_each(?)) AND m.type IN ('table', 'index')
       ORDER BY s.pgsize DESC`,
    )
    .all(tables);
  return {
    method: 'SQLite dbstat: the pages of each b-tree',
    deliveries: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deliveries').get()!.n,
    pending: (await storage.outbox.counts()).pending,
    total: rows.reduce((sum, row) => sum + row.bytes, 0),
    parts: Object.fromEntries(rows.map((row) => [row.name, row.bytes])),
    perChat: 0,
  };
}

async function postgresBytes(storage: PostgresStorage): Promise<OutboxBytes> {
  const { rows } = await storage.pool.query<{ name: string; bytes: string; per_chat: boolean }>(
    `SELECT c.relname AS name, pg_table_size(c.oid) AS bytes, c.relname = ANY($2::text[]) AS per_chat FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[] || $2::text[])
     UNION ALL
     SELECT i.relname, pg_relation_size(i.oid), t.relname = ANY($2::text[]) FROM pg_index x
     JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[] || $2::text[])`,
    [[...OUTBOX_TABLES], [...PER_CHAT_TABLES]],
  );
  const own = rows.filter((row) => !row.per_chat).sort((a, b) => Number(b.bytes) - Number(a.bytes));
  return {
    method: 'PostgreSQL pg_table_size of each table (heap, TOAST, maps) and pg_relation_size of each index, dead row versions included',
    deliveries: Number((await storage.pool.query<{ n: string }>('SELECT count(*) AS n FROM deliveries')).rows[0]!.n),
    pending: (await storage.outbox.counts()).pending,
    total: own.reduce((sum, row) => sum + Number(row.bytes), 0),
    parts: Object.fromEntries(own.map((row) => [row.name, Number(row.bytes)])),
    perChat: rows.filter((row) => row.per_chat).reduce((sum, row) => sum + Number(row.bytes), 0),
  };
}

/** Bytes per delivery of a measurement. */
export function perDelivery(bytes: OutboxBytes): number {
  return bytes.deliveries === 0 ? 0 : bytes.total / bytes.deliveries;
}
