/**
 * Notices for admins (a feed was paused) sent at once through the platform senders of this
 * process. They are not queued in the outbox: the outbox stores article messages, and a notice
 * whose platform this process cannot reach is logged instead, since the condition it reports
 * (the feed is paused) stays visible in /feed list.
 */
import type { DeliveryTarget, Notice, SendOutcome, Sender } from './types.js';

/** Sends a notice to one chat; resolves to what the platform answered. */
export type NoticeSender = (target: DeliveryTarget, notice: Notice) => Promise<SendOutcome>;

/** A notice sender over the platform senders this process has. */
export function noticeSender(senders: ReadonlyMap<string, Sender>): NoticeSender {
  return async (target, notice) => {
    const sender = senders.get(target.platform);
    if (!sender?.notify) return { kind: 'rejected', error: `no sender for ${target.platform} notices in this process` };
    return sender.notify(target, notice);
  };
}
