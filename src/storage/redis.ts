/**
 * Connecting to Redis the same way wherever akhbar uses it (the shared answer cache, and reading a
 * store an older version kept in Redis): fail at once when the first connect fails, reconnect after.
 */
import { createClient } from '@keyv/redis';
import { AkhbarError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

function newClient(url: string, connected: () => boolean) {
  return createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      // Keep reconnecting after a Redis restart, but fail at once when the first connect fails:
      // a wrong URL should stop the start, not hang it.
      reconnectStrategy: (retries: number, cause: Error) => (connected() ? Math.min(100 * 2 ** retries, 5_000) : cause),
    },
  });
}

/** A connected client of the `redis` package, as @keyv/redis creates it. */
export type RedisClient = ReturnType<typeof newClient>;

/** Connects to `url`; a server that does not answer within 10 s is a STORE_UNAVAILABLE error naming `what`. */
export async function connectRedis(url: string, logger: Logger, what: string): Promise<RedisClient> {
  let connectedOnce = false;
  const client = newClient(url, () => connectedOnce);
  client.on('error', (error: unknown) => logger.warn('redis connection error', { error: String(error) }));
  try {
    await withTimeout(client.connect(), 10_000, 'connecting to Redis');
    connectedOnce = true;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `cannot reach ${what} at ${redactUrl(url)}: ${String(error)}` }, { cause: error });
  }
  return client;
}

/** Closes a client politely, or at once when the server is gone. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.isOpen) await client.quit().catch(() => client.destroy());
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
