/**
 * The answer cache's keyv, by CACHE_URL: `memory://` (one process) or `redis://…` (shared by
 * instances). Only cached answers live here: anything lost from it is made again, so it stays on
 * keyv while every record lives in the database behind the storage ports.
 */
import Keyv from 'keyv';
import type { CachedAnswer } from '../core/answerCache.js';
import { AkhbarError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** An opened answer cache. */
export interface AnswerCacheStore {
  readonly kind: 'memory' | 'redis';
  readonly keyv: Keyv<CachedAnswer>;
  close(): Promise<void>;
}

/** Opens the cache at `url`; in Redis its keys start with `prefix:answers`, so one server can serve several bots. */
export async function openAnswerCacheStore(url: string, logger: Logger, prefix = 'akhbar'): Promise<AnswerCacheStore> {
  if (url === 'memory://') return { kind: 'memory', keyv: watchErrors(new Keyv<CachedAnswer>({ namespace: 'answers' }), logger), close: async () => {} };
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // The Redis client is loaded only for a shared cache; a process on memory:// never needs it.
    const [{ default: KeyvRedis }, { closeRedis, connectRedis }] = await Promise.all([import('@keyv/redis'), import('./redis.js')]);
    const client = await connectRedis(url, logger, 'the answer cache');
    const namespace = `${prefix}:answers`;
    const adapter = new KeyvRedis(client, { namespace, keyPrefixSeparator: ':' });
    const keyv = watchErrors(new Keyv<CachedAnswer>({ store: adapter, namespace, useKeyPrefix: false }), logger);
    return { kind: 'redis', keyv, close: () => closeRedis(client) };
  }
  throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `unsupported answer cache URL ${url.slice(0, 20)}` });
}

function watchErrors(keyv: Keyv<CachedAnswer>, logger: Logger): Keyv<CachedAnswer> {
  // Without a listener keyv rethrows adapter errors as unhandled events and the process dies.
  keyv.on('error', (error: unknown) => logger.warn('answer cache error', { error: String(error) }));
  return keyv;
}
