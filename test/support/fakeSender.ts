/**
 * A fake platform for delivery tests: records what arrives and when, and answers with whatever
 * outcome a test scripts for a chat.
 */
import type { DeliveryMessage, DeliveryTarget, SendOutcome, Sender } from '../../src/core/delivery/index.js';

export interface Received {
  readonly chatId: string;
  /** Where in the chat it went (a topic, a forum); absent in records a test writes itself. */
  readonly target?: DeliveryTarget;
  readonly at: number;
  readonly message: DeliveryMessage;
}

export interface FakeSender extends Sender {
  readonly received: Received[];
  /** Scripted answers per chat id, used first to last before answering `sent`. */
  readonly script: Map<string, (SendOutcome | 'hang')[]>;
  readonly calls: { chatId: string; at: number }[];
}

/** A fake sender for `platform`; `clock` stamps what arrives (a test's fake time, or the real one). */
export function fakeSender(platform = 'telegram', clock: () => number = Date.now): FakeSender {
  const received: Received[] = [];
  const calls: { chatId: string; at: number }[] = [];
  const script = new Map<string, (SendOutcome | 'hang')[]>();
  return {
    platform,
    received,
    script,
    calls,
    async send(target: DeliveryTarget, message: DeliveryMessage): Promise<SendOutcome> {
      const at = clock();
      calls.push({ chatId: target.chatId, at });
      const next = script.get(target.chatId)?.shift() ?? script.get('*')?.[0];
      if (next === 'hang') {
        received.push({ chatId: target.chatId, target, at, message });
        return new Promise<SendOutcome>(() => {});
      }
      if (next && next.kind !== 'sent') return next;
      received.push({ chatId: target.chatId, target, at, message });
      return { kind: 'sent' };
    },
  };
}
