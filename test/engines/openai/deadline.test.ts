/**
 * An LLM that sends its headers and then stalls, or dribbles its answer out for ever, must not
 * hold a user or a broadcast: the first-token and total deadlines cancel the request and the
 * embedded engine answers instead. The client's own timeout (10 s here) only covers the headers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk } from '../../support/desk.js';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI, type Reply } from '../../support/fakeOpenAI.js';
import { sampleArticle } from '../../support/fixtures.js';
import { fakeLlmEngine, recordingLogger } from '../../support/llm.js';
import { startTelegramDelivery } from '../../support/delivery.js';

let fake: FakeOpenAI | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await fake?.close();
  fake = undefined;
});

// Far beyond the deadlines, so an answer that arrives at all arrived through them.
const CLIENT_TIMEOUT_MS = 10_000;
const FIRST_TOKEN_MS = 300;
const DEADLINE_MS = 600;
// A spec that waits for the client timeout has failed; it should not also hold the suite for it.
const SPEC_TIMEOUT_MS = 5_000;

const chunks = (n: number) => ['{"found": true, "answer": "The gates', ...Array.from({ length: n }, () => ' and')];

async function llmDesk(server: FakeOpenAI) {
  const { logger, lines } = recordingLogger();
  const engine = fakeLlmEngine(server, { timeout: CLIENT_TIMEOUT_MS, firstTokenMs: FIRST_TOKEN_MS, deadlineMs: DEADLINE_MS, fallback: true, logger });
  const { desk, storage } = await openTestDesk({ engine });
  await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
  return { desk, storage, lines };
}

const fallbackReasons = (lines: Record<string, unknown>[]) => lines.filter((l) => /from the fallback engine/.test(String(l.msg))).map((l) => String(l.error));

async function cancelled(request: ChatRequest): Promise<boolean> {
  for (let i = 0; i < 100 && !request.cancelled; i++) await new Promise((r) => setTimeout(r, 10));
  return request.cancelled;
}

describe('LLM deadlines', () => {
  it('answers from the embedded engine when the LLM sends headers and then nothing, and hangs up on it', { timeout: SPEC_TIMEOUT_MS }, async () => {
    fake = await startFakeOpenAI();
    const { desk, lines } = await llmDesk(fake);
    fake.enqueue({ kind: 'stall' });
    const answer = await desk.ask('How quickly can the gates be closed?');
    expect(answer).toMatchObject({ found: true, engine: 'embedded', cached: false });
    expect(answer.text).toContain('25 minutes');
    expect(fallbackReasons(lines)).toEqual([expect.stringMatching(/no first token within 300 ms/)]);
    expect(await cancelled(fake.requests[0]!)).toBe(true);
  });

  it('gives up on an answer that keeps trickling past the total deadline, replacing what was streamed so far', { timeout: SPEC_TIMEOUT_MS }, async () => {
    fake = await startFakeOpenAI();
    const { desk, lines } = await llmDesk(fake);
    // First token at once, then a word every 50 ms for ten seconds.
    fake.enqueue({ kind: 'trickle', chunks: chunks(200), everyMs: 50 });
    const partials: string[] = [];
    const answer = await desk.ask('How quickly can the gates be closed?', undefined, { onPartial: (text) => partials.push(text) });
    expect(partials[0]).toBe('The gates');
    expect(answer).toMatchObject({ found: true, engine: 'embedded' });
    expect(answer.text).toContain('25 minutes');
    expect(fallbackReasons(lines)).toEqual([expect.stringMatching(/not complete within 600 ms/)]);
    expect(await cancelled(fake.requests[0]!)).toBe(true);
  });

  it('still counts the tokens of the requests that did finish, and logs the ones that did not', { timeout: SPEC_TIMEOUT_MS }, async () => {
    fake = await startFakeOpenAI();
    const { desk, lines } = await llmDesk(fake);
    fake.enqueue({ kind: 'json', content: JSON.stringify({ found: true, answer: 'In 25 minutes.', citations: ['P1'] }), usage: { prompt_tokens: 120, completion_tokens: 30 } }, { kind: 'stall' });
    await desk.ask('How quickly can the gates be closed?');
    await desk.ask('How many residents will the gates protect?');
    expect(desk.engineUsage()).toEqual({ requests: 1, promptTokens: 120, completionTokens: 30 });
    expect(lines.find((l) => l.msg === 'llm request failed')).toMatchObject({ level: 'warn', purpose: 'answer', error: expect.stringMatching(/first token/) });
  });

  it('does not hold a second user behind the first one’s stalled request', { timeout: SPEC_TIMEOUT_MS }, async () => {
    fake = await startFakeOpenAI();
    const { desk } = await llmDesk(fake);
    const stalled: Reply = { kind: 'stall' };
    const answered: Reply = { kind: 'json', content: JSON.stringify({ found: true, answer: 'About 40,000 residents.', citations: ['P1'] }) };
    fake.fallback = (request) => (JSON.stringify(request.body.messages[1]).includes('closed') ? stalled : answered);
    const first = desk.ask('How quickly can the gates be closed?');
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const second = await desk.ask('How many residents will the gates protect?');
    expect(second).toMatchObject({ engine: 'openai:test-model', text: 'About 40,000 residents.' });
    expect(await first).toMatchObject({ engine: 'embedded', found: true });
  });

  it('delivers a new article’s summary to subscribers from the embedded engine when the LLM stalls', { timeout: SPEC_TIMEOUT_MS }, async () => {
    fake = await startFakeOpenAI();
    fake.fallback = () => ({ kind: 'stall' });
    const engine = fakeLlmEngine(fake, { timeout: CLIENT_TIMEOUT_MS, firstTokenMs: FIRST_TOKEN_MS, deadlineMs: DEADLINE_MS, fallback: true });
    const { desk, storage } = await openTestDesk({ engine });
    const { subscriptions, sender, delivery } = await startTelegramDelivery(storage, desk, { pollMs: 50 });
    cleanup.push(() => delivery.stop());
    await subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date());
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    await delivery.settled();
    await delivery.worker.idle();
    expect(sender.received).toHaveLength(1);
    const message = sender.received[0]!.message;
    expect(message.kind).toBe('article');
    const { desk: embedded } = await openTestDesk();
    await embedded.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    expect(message.kind === 'article' && message.summary.sentences).toEqual((await embedded.summarize()).sentences);
    expect(await cancelled(fake.requests[0]!)).toBe(true);
  });
});
