/**
 * Opening a storage backend by URL: `memory://` (private), `memory://name` (shared within the
 * process), `sqlite://relative/path.sqlite`, `sqlite:///absolute/path.sqlite`; a SQLite URL may
 * carry `?busy_timeout=MS`; `postgres://user@host:port/database` (or `postgresql://`), whose
 * parameters go to the pg client (`lock_timeout=MS`, `sslmode`, `options=-c search_path=...`).
 */
import { AkhbarError } from '../core/errors.js';
import type { Storage, StorageOptions } from '../core/ports.js';
import { openMemoryStorage } from './memory/index.js';

export type { MemoryStorage } from './memory/index.js';
export type { SqliteStorage } from './sqlite/index.js';
export type { PostgresStorage } from './postgres/index.js';

/** Opens the storage a URL names; a URL no backend speaks is a STORE_UNAVAILABLE error naming it. */
export async function openStorage(url: string, options: StorageOptions = {}): Promise<Storage> {
  if (url.startsWith('memory://')) return openMemoryStorage(url.slice('memory://'.length), options);
  if (url.startsWith('sqlite://')) {
    const rest = url.slice('sqlite://'.length);
    const queryAt = rest.indexOf('?');
    const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
    const params = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
    const busy = params.get('busy_timeout');
    const busyTimeoutMs = busy === null ? undefined : Number(busy);
    if (path === '' || (busyTimeoutMs !== undefined && !(Number.isInteger(busyTimeoutMs) && busyTimeoutMs >= 0))) {
      throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `not a usable SQLite URL: ${url}` });
    }
    // Each backend is loaded when its URL is opened: a SQLite process never loads pg, nor the reverse.
    const { openSqliteStorage } = await import('./sqlite/index.js');
    return openSqliteStorage(path, { ...options, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { openPostgresStorage } = await import('./postgres/index.js');
    return openPostgresStorage(url, options);
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? url.slice(0, 20);
  throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `no storage backend for ${scheme}` });
}
