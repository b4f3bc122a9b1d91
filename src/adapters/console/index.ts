/**
 * The local console: a terminal conversation with the news desk, for trying akhbar without any
 * chat platform.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../core/logger.js';
import type { NewsDesk } from '../../core/newsDesk.js';
import type { DeliveryMessage, SendOutcome, Sender } from '../../core/delivery/index.js';
import type { Sources } from '../../sources/index.js';
import type { UiLanguage } from '../../i18n/messages.js';
import { renderDelivery } from './render.js';
import { createConsoleSession, type ConsoleDelivery } from './session.js';

export { CONSOLE_CHAT } from './session.js';

/** Where the console reads and writes. */
export interface ConsoleOptions {
  readonly desk: NewsDesk;
  readonly language: UiLanguage;
  readonly logger: Logger;
  readonly input?: Readable;
  readonly output?: Writable;
  readonly delivery?: ConsoleDelivery;
  readonly sources?: Sources;
}

/** A sender that prints deliveries for the console chat into the terminal. */
export function createConsoleSender(language: UiLanguage, output: Writable = process.stdout): Sender {
  return {
    platform: 'console',
    async send(_target, message: DeliveryMessage): Promise<SendOutcome> {
      output.write(`\n${renderDelivery(message, language)}\n`);
      return { kind: 'sent' };
    },
  };
}

/** Runs the console until the input ends (Ctrl-D) or /quit; resolves when it is closed. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const session = createConsoleSession(options.desk, options.language, options.logger, options.delivery, options.sources);
  const terminal = 'isTTY' in output && Boolean((output as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, terminal, prompt: 'akhbar> ' });
  const write = (text: string) => {
    if (text !== '') output.write(`${text}\n`);
  };

  write(
    `akhbar console: ${options.desk.articleCount} article(s) stored, engine ${options.desk.engineName}. ` +
      'Type /help for commands, a question to ask it, /quit to leave.',
  );
  rl.prompt();
  // Lines are handled one at a time, in order, even when a paste arrives faster than answers.
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if (!session.pasting && /^\/(quit|exit)\b/u.test(line.trim())) {
          rl.close();
          return;
        }
        write(await session.handle(line));
        if (!session.pasting) rl.prompt();
      });
    });
    rl.on('close', () => {
      queue = queue.then(async () => write(await session.finish())).finally(resolve);
    });
  });
}
