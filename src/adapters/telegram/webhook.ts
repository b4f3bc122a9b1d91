/**
 * The webhook's HTTP side. grammY's own callback reads any body whole once the secret matches and
 * answers a body that is not JSON with 500, which Telegram retries for as long as it keeps
 * failing. Here the body is capped before it is read, and an update that cannot be read is logged
 * and answered 200: a bad update is dropped, not retried forever.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import { errorFields, type Logger } from '../../core/logger.js';
import type { OpsRoute } from '../http/ops.js';

/** What the handler needs from the bot. */
export interface UpdateHandler {
  handleUpdate(update: Update): Promise<void>;
}

/** Webhook settings. */
export interface WebhookOptions {
  readonly secret: string;
  readonly logger: Logger;
  /** Bodies above this many bytes are refused with 413 unread. */
  readonly maxBodyBytes?: number;
  /** Telegram waits about a minute; the answer is sent after this even while the update is still handled. */
  readonly answerWithinMs?: number;
  /** /healthz, /readyz and /metrics on the webhook's port, answered before the webhook looks at the request. */
  readonly ops?: OpsRoute;
}

// Telegram's updates are small: a message holds at most 4,096 characters of text (1,024 of caption)
// plus entities, so even a long message with every field is a few tens of KB. 1 MiB leaves room for
// any update while refusing a body meant to fill memory.
const MAX_BODY_BYTES = 1024 * 1024;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** An HTTP request handler for the webhook: secret checked, body capped, bad updates dropped with 200. */
export function telegramWebhookHandler(bot: UpdateHandler, options: WebhookOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const answerWithinMs = options.answerWithinMs ?? 10_000;
  const expected = Buffer.from(options.secret);
  const { logger } = options;

  return async (req, res) => {
    if (options.ops?.(req, res)) return;
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      req.resume();
      return void res.writeHead(401).end('secret token is wrong');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      logger.warn('webhook body refused: too large', { bytes: declared, limit });
      return void res.writeHead(413, { connection: 'close' }).end();
    }
    const body = await readCapped(req, limit);
    if (body === undefined) {
      logger.warn('webhook body refused: too large', { limit });
      return void res.writeHead(413, { connection: 'close' }).end(() => req.destroy());
    }
    const update = parseUpdate(body);
    if (update === undefined) {
      logger.warn('malformed webhook update dropped', { bytes: body.length });
      return void res.writeHead(200).end();
    }
    // The bot's error boundary answers the user; whatever still escapes is logged, never retried.
    const handled = bot.handleUpdate(update).catch((error: unknown) => logger.error('webhook update failed', { update_id: update.update_id, ...errorFields(error) }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, answerWithinMs)));
    await Promise.race([handled, late]);
    clearTimeout(timer);
    res.writeHead(200).end();
  };
}

/**
 * The body, or undefined as soon as it grows past `limit` bytes (a missing or false Content-Length).
 * Reading stops without destroying the request, so the 413 can still be sent on its socket.
 */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve(undefined);
    };
    let ended = false;
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
    // A sender that hangs up mid-body: nothing to answer, and nothing to hold on to.
    req.once('close', () => {
      if (!ended) reject(new Error('webhook request closed before its body ended'));
    });
  });
}

function parseUpdate(body: Buffer): Update | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id)) return value as Update;
  } catch {
    // Reported by the caller.
  }
  return undefined;
}
