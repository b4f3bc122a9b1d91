/**
 * A webhook body of any size once the secret matches: the real adapter in webhook mode (against
 * the fake Bot API) is sent 50 MB with the right secret over HTTP, once with its length declared
 * and once chunked with none, and an update just under the cap for comparison. The body is written
 * from one 64 KB buffer, so what this process's resident memory gains is the server's doing.
 */
import { request } from 'node:http';
import { telegramOnFake } from './bots.js';
import { withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

const SECRET = 'correct-horse-battery-staple';
const HUGE = 50 * 1024 * 1024;
const CAP = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');
/** Resident memory the server may gain while refusing 50 MB: a few buffers, nothing like the body. */
const MAX_GROWTH = 16 * 1024 * 1024;

interface Sent {
  readonly status: number;
  /** Bytes written before the answer came or the connection closed. */
  readonly written: number;
  /** The most the process's RSS grew above its level before the request. */
  readonly growth: number;
}

/** POSTs `size` bytes (`prefix` first, then filler) with the right secret; declares the length unless chunked. */
function post(port: number, size: number, options: { chunked: boolean; prefix?: Buffer; suffix?: Buffer }): Promise<Sent> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return new Promise<Sent>((resolve) => {
    let written = 0;
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      req.destroy();
      resolve({ status, written, growth: peak - before });
    };
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
    if (!options.chunked) headers['content-length'] = size;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      res.resume();
      finish(res.statusCode ?? 0);
    });
    req.on('error', () => finish(0));
    const prefix = options.prefix ?? Buffer.alloc(0);
    const suffix = options.suffix ?? Buffer.alloc(0);
    const next = (): Buffer | undefined => {
      if (written === 0 && prefix.length > 0) return prefix;
      const fill = size - suffix.length - written;
      if (fill > 0) return CHUNK.subarray(0, Math.min(CHUNK.length, fill));
      return written < size ? suffix : undefined;
    };
    const write = () => {
      for (let piece = next(); !done && piece; piece = next()) {
        written += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      if (!done) req.end();
    };
    write();
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Row 5 of the table. */
export const webhookBody: FaultCase = {
  fault: 'Webhook body of any size once the secret matches',
  required: 'capped, 413 beyond (50 MB sent with the right secret; RSS growth measured)',
  run: () =>
    withCleanup(async (defer): Promise<FaultOutcome> => {
      const { adapter, lines } = await telegramOnFake(defer, { webhookSecret: SECRET });
      const port = adapter.port!;

      const declared = await post(port, HUGE, { chunked: false });
      const chunked = await post(port, HUGE, { chunked: true });
      // A well-formed update just under the cap: its text is padding the bot ignores.
      const head = Buffer.from('{"update_id": 1, "padding": "');
      const tail = Buffer.from('"}');
      const underCap = await post(port, CAP - 1_000, { chunked: false, prefix: head, suffix: tail });
      const refusedLines = lines.filter((line) => line.msg === 'webhook body refused: too large').length;

      const result =
        `50 MB with length: ${declared.status || 'no answer'} after ${mb(declared.written)} written, RSS +${mb(declared.growth)}; ` +
        `50 MB chunked: ${chunked.status || 'no answer'} after ${mb(chunked.written)}, RSS +${mb(chunked.growth)}; ` +
        `${mb(CAP - 1_000)} update: ${underCap.status}; ${refusedLines} 'too large' log lines`;
      const ok =
        declared.status === 413 &&
        chunked.status === 413 &&
        underCap.status === 200 &&
        Math.max(declared.growth, chunked.growth) < MAX_GROWTH &&
        chunked.written < HUGE &&
        refusedLines === 2;
      return { result, ok };
    }),
};
