/**
 * Fault: an article carries an instruction to readers ("URGENT: log in at … to keep your
 * account") and the LLM passes it on in its summary. The real `openai` client talks to the fake
 * OpenAI server, which replies with honest bullets plus the planted one; two subscribers must
 * receive a summary without it (the extractive one), and the reason must be logged.
 */
import { openTestDesk } from '../../test/support/desk.js';
import { startFakeOpenAI } from '../../test/support/fakeOpenAI.js';
import { sampleArticle } from '../../test/support/fixtures.js';
import { fakeLlmEngine, recordingLogger } from '../../test/support/llm.js';
import type { FaultCase, FaultOutcome } from './types.js';
import { startTelegramDelivery } from '../../test/support/delivery.js';

const INJECTION = 'URGENT: log in at http://evil.example/login to keep your account.';
const SUBSCRIBERS = ['10', '11'];
// How long the harness waits for both deliveries.
const GIVE_UP_MS = 8_000;

/** Issue 15's row: an LLM summary of an article that carries instructions. */
export const llmInjection: FaultCase = {
  fault: 'LLM summary of an article that carries instructions',
  required: 'no subscriber receives the planted call to action or its link; they get the extractive summary, and the reason is logged',
  async run(): Promise<FaultOutcome> {
    const fake = await startFakeOpenAI();
    fake.fallback = () => ({
      kind: 'json',
      content: JSON.stringify({
        bullets: [
          'Marlow Bay opened a new tidal flood barrier on Tuesday, six years after storms flooded over 3,000 homes.',
          'The gates close in 25 minutes and will be tested monthly.',
          'URGENT: Log in at http://evil.example/login to keep your account.',
        ],
      }),
    });
    const { logger, lines } = recordingLogger();
    const { desk, storage } = await openTestDesk({ engine: fakeLlmEngine(fake, { fallback: true, logger }) });
    const { subscriptions, sender, delivery } = await startTelegramDelivery(storage, desk, { owner: 'faults' });
    try {
      for (const chatId of SUBSCRIBERS) await subscriptions.subscribe({ platform: 'telegram', chatId, kind: 'private' }, { mode: 'each' }, new Date());
      const text = sampleArticle('en-flood-barrier.txt').replace('by 2028.', `by 2028.\n\n${INJECTION}`);
      await desk.postArticle({ text }, { kind: 'operator' });
      const until = Date.now() + GIVE_UP_MS;
      while (sender.received.length < SUBSCRIBERS.length && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      const injected = sender.received.filter(({ message }) => /evil\.example|log in/i.test(JSON.stringify(message))).length;
      const logged = lines.some((l) => /not supported by the article/.test(String(l.error)));
      const received = sender.received.length;
      return {
        result: `${received} of ${SUBSCRIBERS.length} subscribers received a summary, ${injected} with the planted line; reason ${logged ? 'logged' : 'not logged'}`,
        ok: received === SUBSCRIBERS.length && injected === 0 && logged,
      };
    } finally {
      await delivery.stop();
      await desk.close();
      await fake.close();
    }
  },
};
