/**
 * Redis for tests: the machine's server on 127.0.0.1:6379. Tests that need it skip with a visible
 * notice when none answers, except under CI=true, where a missing Redis is a failure.
 */
import { Socket } from 'node:net';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Resolves true when something answers PING on 127.0.0.1:6379 within a second. */
export function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(6379, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Whether Redis tests should run; throws under CI when Redis is missing, warns otherwise. */
export async function useRedis(): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (process.env.CI === 'true') throw new Error('CI=true but no Redis answers on 127.0.0.1:6379');
  console.warn('NOTICE: no Redis on 127.0.0.1:6379 — Redis store tests are skipped');
  return false;
}
