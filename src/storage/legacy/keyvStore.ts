/**
 * The store of versions before the storage ports: keyv namespaces used as a database, in a SQLite
 * file (tables akhbar_<namespace>), in Redis, or in memory. Nothing runs on it any more; it stays so
 * that `akhbar migrate` can read what those versions stored and nothing is lost on upgrade.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';
import { AkhbarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { closeRedis, connectRedis } from '../redis.js';

/** The record kinds the core keeps, each in its own keyv namespace. */
export type Namespace = 'articles' | 'summaries' | 'answers' | 'subscriptions' | 'deliveries' | 'feeds';

const NAMESPACES: readonly Namespace[] = ['articles', 'summaries', 'answers', 'subscriptions', 'deliveries', 'feeds'];

/** Keyv instances by namespace, plus how to close them. */
export interface Store {
  /** `memory`, `sqlite` or `redis`: what the data survives depends on it. */
  readonly kind: 'memory' | 'sqlite' | 'redis';
  namespace<T = unknown>(name: Namespace): Keyv<T>;
  /** Every [key, value] of a namespace, in no particular order. */
  entries<T>(name: Namespace): AsyncGenerator<[string, T]>;
  /**
   * Takes a lease on `key` for `ttlMs` unless anyone (this owner too) holds it: the one rule that keeps two
   * processes from sending the same delivery. Atomic in Redis; process-local for SQLite and memory,
   * which serve one process.
   */
  lease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives a lease back, only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  close(): Promise<void>;
}

type Leases = Pick<Store, 'lease' | 'release'>;

function localLeases(): Leases {
  const held = new Map<string, { owner: string; until: number }>();
  return {
    async lease(key, owner, ttlMs) {
      const now = Date.now();
      const current = held.get(key);
      if (current && current.until > now) return false;
      held.set(key, { owner, until: now + ttlMs });
      if (held.size > 100_000) for (const [k, v] of held) if (v.until <= now) held.delete(k);
      return true;
    },
    async release(key, owner) {
      if (held.get(key)?.owner === owner) held.delete(key);
    },
  };
}

const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Opens the store named by a keyv connection string (see Config.storeUrl). In Redis every key
 * starts with `prefix`, so one server can hold several independent stores.
 */
export async function openStore(url: string, logger: Logger, prefix = 'akhbar'): Promise<Store> {
  if (url.startsWith('memory://')) return memoryStore(logger);
  if (url.startsWith('sqlite://')) return sqliteStore(url, logger);
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return redisStore(url, logger, prefix);
  throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `unsupported store URL ${url}` });
}

function watchErrors(keyv: Keyv, name: Namespace, logger: Logger): Keyv {
  // Without a listener keyv rethrows adapter errors as unhandled events and the process dies.
  keyv.on('error', (error: unknown) => logger.error('store error', { namespace: name, error: String(error) }));
  return keyv;
}

function makeStore(kind: Store['kind'], spaces: Map<Namespace, Keyv>, close: () => Promise<void>, leases: Leases = localLeases()): Store {
  return {
    kind,
    ...leases,
    namespace<T>(name: Namespace): Keyv<T> {
      const keyv = spaces.get(name);
      if (!keyv) throw new Error(`unknown namespace ${name}`);
      return keyv as Keyv<T>;
    },
    async *entries<T>(name: Namespace): AsyncGenerator<[string, T]> {
      const keyv = spaces.get(name);
      if (!keyv?.iterator) throw new Error(`namespace ${name} cannot be iterated`);
      for await (const [key, value] of keyv.iterator(undefined)) {
        if (value !== undefined) yield [String(key), value as T];
      }
    },
    close,
  };
}

function memoryStore(logger: Logger): Store {
  const spaces = new Map<Namespace, Keyv>();
  for (const name of NAMESPACES) spaces.set(name, watchErrors(new Keyv({ namespace: name }), name, logger));
  return makeStore('memory', spaces, async () => {});
}

async function sqliteStore(url: string, logger: Logger): Promise<Store> {
  const path = url.replace(/^sqlite:\/\//, '');
  const spaces = new Map<Namespace, Keyv>();
  const adapters: KeyvSqlite[] = [];
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    for (const name of NAMESPACES) {
      // A table per namespace keeps listing one kind of record from scanning the others.
      const adapter = new KeyvSqlite({ uri: url, table: `akhbar_${name}`, busyTimeout: 10_000, iterationLimit: 1_000 });
      adapters.push(adapter);
      // WAL lets several connections (one per namespace) read while one writes.
      await adapter.query('PRAGMA journal_mode=WAL');
      await adapter.query('PRAGMA synchronous=NORMAL');
      spaces.set(name, watchErrors(new Keyv({ store: adapter, namespace: name }), name, logger));
    }
  } catch (error) {
    await Promise.allSettled(adapters.map((adapter) => adapter.disconnect()));
    throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `cannot open SQLite store ${path}: ${String(error)}` }, { cause: error });
  }
  return makeStore('sqlite', spaces, async () => {
    await Promise.allSettled(adapters.map((adapter) => adapter.disconnect()));
  });
}

async function redisStore(url: string, logger: Logger, prefix: string): Promise<Store> {
  const client = await connectRedis(url, logger, 'Redis');
  const spaces = new Map<Namespace, Keyv>();
  for (const name of NAMESPACES) {
    const adapter = new KeyvRedis(client, { namespace: `${prefix}:${name}`, keyPrefixSeparator: ':' });
    spaces.set(name, watchErrors(new Keyv({ store: adapter, namespace: `${prefix}:${name}`, useKeyPrefix: false }), name, logger));
  }
  const leases: Leases = {
    async lease(key, owner, ttlMs) {
      return (await client.set(`${prefix}:lease:${key}`, owner, { NX: true, PX: ttlMs })) === 'OK';
    },
    async release(key, owner) {
      await client.eval(RELEASE_IF_OWNER, { keys: [`${prefix}:lease:${key}`], arguments: [owner] });
    },
  };
  return makeStore(
    'redis',
    spaces,
    () => closeRedis(client),
    leases,
  );
}
