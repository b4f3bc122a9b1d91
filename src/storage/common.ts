/**
 * What every storage backend shares: turning a database failure into the core's typed error, and
 * putting a delivery's message back together from the messages stored once per article and language.
 */
import { AkhbarError, isAkhbarError } from '../core/errors.js';
import type { DeliveredAnswer, DeliveredSummary, DeliveryKind, DeliveryMessage } from '../core/delivery/types.js';
import { outletOf } from '../core/stories/index.js';
import type { OutboxItem, StatusCounts } from '../core/ports.js';
import type { DeliveryStyle } from '../core/subscriptions.js';
import type { Language } from '../core/types.js';

/** The typed outage error for a failed `operation`, keeping the driver's error as the cause. */
export function storeUnavailable(operation: string, error: unknown): AkhbarError {
  if (isAkhbarError(error, 'STORE_UNAVAILABLE')) return error;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  // A driver's code is a string (pg's SQLSTATE, SQLite's SQLITE_BUSY) or a number (errno); anything else says nothing.
  const label = typeof code === 'string' || typeof code === 'number' ? String(code) : error instanceof Error ? error.name : '';
  const reason = error instanceof Error ? `${label}: ${error.message}` : String(error);
  return new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: `${operation} failed (${reason})` }, { cause: error });
}

/** The message a delivery carries, from the stored summaries; a summary gone with its deleted article is left out. */
export function assembleMessage(
  kind: DeliveryKind,
  language: Language,
  items: readonly OutboxItem[],
  lookup: (articleId: string, language: Language) => DeliveredSummary | undefined,
  style?: DeliveryStyle,
  answer?: DeliveredAnswer,
): DeliveryMessage {
  const styled = style ? { style } : {};
  if (kind === 'follow-update') return { kind, language, answer: answer ?? { question: '', text: '', language, citations: [] }, ...styled };
  const summaries = items.map((item) => lookup(item.articleId, item.language)).filter((s): s is DeliveredSummary => s !== undefined);
  if (kind !== 'digest') {
    const item = items[0];
    // Only a delivery of a deleted article can lack its message, and deleting removes pending ones;
    // a finished one read back still needs a shape.
    const summary = summaries[0] ?? { articleId: item?.articleId ?? '', title: '', language: item?.language ?? language, sentences: [] };
    if (kind === 'article') return { kind, summary, ...styled };
    // An update is queued only for an article with a link, which names its outlet.
    return { kind, summary, outlet: outletOf({ ...(summary.url ? { url: summary.url } : {}), postedBy: '' }) ?? '', ...styled };
  }
  return { kind: 'digest', language, summaries, ...styled };
}

/** Zero counts, to add to. */
export function zeroCounts(): { -readonly [K in keyof StatusCounts]: number } {
  return { pending: 0, sent: 0, failed: 0, dead: 0 };
}

/** True when every count is zero: such a per-article row says nothing and is not shown. */
export function isEmptyCount(counts: StatusCounts): boolean {
  return counts.pending === 0 && counts.sent === 0 && counts.failed === 0 && counts.dead === 0;
}

/** Clamps a page request the same way in every backend. */
export function pageBounds(page: { offset?: number; limit?: number } = {}, maxLimit = 1_000): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const limit = Math.min(maxLimit, Math.max(0, Math.floor(page.limit ?? 10)));
  return { offset, limit };
}

/** Checks what enqueue is given: a caller bug here would store a delivery that can never be sent. */
export function checkNewDelivery(delivery: { id: string; kind: DeliveryKind; language: Language; items: readonly OutboxItem[]; answer?: DeliveredAnswer }): void {
  if (delivery.kind === 'follow-update' && delivery.answer === undefined) {
    throw new RangeError(`follow update ${delivery.id} must carry its answer`);
  }
  if (delivery.kind !== 'digest' && delivery.items.length !== 1) {
    throw new RangeError(`${delivery.kind} delivery ${delivery.id} must carry exactly one article, not ${delivery.items.length}`);
  }
  if (delivery.kind !== 'digest' && delivery.items[0]!.language !== delivery.language) {
    throw new RangeError(`article delivery ${delivery.id} is in ${delivery.language} but its summary is in ${delivery.items[0]!.language}`);
  }
  if (delivery.kind === 'digest' && delivery.items.length === 0) throw new RangeError(`digest delivery ${delivery.id} carries no article`);
}

/** Whether enqueue must find a stored message for the delivery's items: a follow update carries its own. */
export function needsStoredMessages(delivery: { kind: DeliveryKind }): boolean {
  return delivery.kind !== 'follow-update';
}

/** A stored vector's bytes as float32s, copied: a driver's buffer may not sit on a 4-byte boundary. */
export function float32Of(bytes: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(bytes).buffer);
}
