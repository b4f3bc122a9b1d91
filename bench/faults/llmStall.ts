/**
 * Fault: the LLM sends its headers and then stalls, or trickles its answer a word at a time. The
 * real `openai` client talks to the fake OpenAI server; a question, a streamed question and a
 * subscriber's summary each must be answered by the embedded engine within about the deadline,
 * with the LLM request cancelled.
 */
import { openTestDesk } from '../../test/support/desk.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/support/fakeOpenAI.js';
import { sampleArticle } from '../../test/support/fixtures.js';
import { fakeLlmEngine } from '../../test/support/llm.js';
import type { FaultCase, FaultOutcome } from './types.js';
import { startTelegramDelivery } from '../../test/support/delivery.js';

// Short deadlines (the defaults are 10 s and 30 s) so the row takes about a second; the client's
// own timeout is far beyond them, as in production, so only the deadlines can end the wait.
const FIRST_TOKEN_MS = 300;
const DEADLINE_MS = 600;
const CLIENT_TIMEOUT_MS = 20_000;
// Past this the answer counts as held: the deadline plus room for the embedded engine and a busy machine.
const HELD_AFTER_MS = DEADLINE_MS + 1_500;
// How long the harness waits for an answer before calling it "never came".
const GIVE_UP_MS = 8_000;

const QUESTION = 'How quickly can the gates be closed?';

/** `work`'s result and how long it took, or `undefined` when it did not settle within GIVE_UP_MS. */
async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number } | undefined> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), GIVE_UP_MS)));
  try {
    return await Promise.race([work.then((value) => ({ value, ms: Date.now() - started })), giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

async function wasCancelled(fake: FakeOpenAI): Promise<boolean> {
  for (let i = 0; i < 100 && fake.requests.some((r) => !r.cancelled); i++) await new Promise((r) => setTimeout(r, 10));
  return fake.requests.length > 0 && fake.requests.every((r) => r.cancelled);
}

function engine(fake: FakeOpenAI) {
  return fakeLlmEngine(fake, { timeout: CLIENT_TIMEOUT_MS, firstTokenMs: FIRST_TOKEN_MS, deadlineMs: DEADLINE_MS, fallback: true });
}

/** One question against an LLM that behaves as `reply`; what came back, how soon, and whether the request was cancelled. */
async function ask(kind: 'stall' | 'trickle'): Promise<{ said: string; ok: boolean }> {
  const fake = await startFakeOpenAI();
  try {
    fake.fallback = () =>
      kind === 'stall' ? { kind: 'stall' } : { kind: 'trickle', chunks: ['{"found": true, "answer": "The gates', ...Array.from({ length: 400 }, () => ' and')], everyMs: 50 };
    const { desk } = await openTestDesk({ engine: engine(fake) });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    const answer = await timed(desk.ask(QUESTION, undefined, { onPartial: () => undefined }));
    if (!answer) return { said: `${kind}: no answer after ${GIVE_UP_MS} ms`, ok: false };
    const cancelled = await wasCancelled(fake);
    const ok = answer.value.engine === 'embedded' && answer.value.found && answer.ms <= HELD_AFTER_MS && cancelled;
    await desk.close();
    return { said: `${kind}: ${answer.value.engine} answer in ${answer.ms} ms${cancelled ? ', request cancelled' : ', request left open'}`, ok };
  } finally {
    await fake.close();
  }
}

/** A new article's fan-out to one subscriber while the LLM stalls. */
async function broadcast(): Promise<{ said: string; ok: boolean }> {
  const fake = await startFakeOpenAI();
  fake.fallback = () => ({ kind: 'stall' });
  const { desk, storage } = await openTestDesk({ engine: engine(fake) });
  const { subscriptions, sender, delivery } = await startTelegramDelivery(storage, desk, { owner: 'faults' });
  try {
    await subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date());
    const started = Date.now();
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    const sent = await timed(
      (async () => {
        while (sender.received.length === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
    );
    if (!sent) return { said: `broadcast: nothing delivered after ${GIVE_UP_MS} ms`, ok: false };
    const ms = Date.now() - started;
    const cancelled = await wasCancelled(fake);
    return { said: `broadcast: summary delivered in ${ms} ms${cancelled ? ', request cancelled' : ', request left open'}`, ok: ms <= HELD_AFTER_MS && cancelled };
  } finally {
    await fake.close();
    await delivery.stop();
    await desk.close();
  }
}

/** Issue 15's row: the LLM sends headers, then stalls or trickles bytes. */
export const llmStall: FaultCase = {
  fault: 'LLM sends headers, then stalls, or trickles bytes',
  required: `the embedded engine answers within about the deadline (here first token ${FIRST_TOKEN_MS} ms, total ${DEADLINE_MS} ms), the LLM request is cancelled, and a broadcast summary is not held`,
  async run(): Promise<FaultOutcome> {
    const rows = [await ask('stall'), await ask('trickle'), await broadcast()];
    return { result: rows.map((row) => row.said).join('; '), ok: rows.every((row) => row.ok) };
  },
};
