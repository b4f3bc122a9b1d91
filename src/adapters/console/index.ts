/**
 * The local console: a terminal conversation with the news desk, for trying akhbar without any
 * chat platform. Deliveries for the console chat are printed above the prompt, which is drawn
 * again under them; Ctrl-C leaves paste mode (and quits otherwise), Tab completes command names.
 */
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { completions } from '../../commands/registry.js';
import type { DeliveryMessage, SendOutcome, Sender } from '../../core/delivery/index.js';
import type { Logger } from '../../core/logger.js';
import type { NewsDesk } from '../../core/newsDesk.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';
import type { Sources } from '../../sources/index.js';
import { renderDelivery } from './render.js';
import type { LastAnswers } from '../../core/lastAnswers.js';
import { createConsoleSession, type ConsoleDelivery, type ConsoleSession } from './session.js';

export { CONSOLE_CHAT } from './session.js';

const PROMPT = 'akhbar> ';

/** Where the console writes; text printed while the prompt waits goes above it, and the prompt comes back under it. */
export interface ConsoleScreen {
  readonly output: Writable;
  print(text: string): void;
  /** The prompt to draw again after printing (none while a paste goes on). */
  attach(rl: Interface, session: Pick<ConsoleSession, 'pasting'>): void;
  detach(): void;
}

/** The screen over `output` (standard output by default). */
export function createConsoleScreen(output: Writable = process.stdout): ConsoleScreen {
  let attached: { rl: Interface; session: Pick<ConsoleSession, 'pasting'> } | undefined;
  const tty = 'isTTY' in output && Boolean((output as { isTTY?: boolean }).isTTY);
  return {
    output,
    print(text) {
      if (!attached) return void output.write(`\n${text}\n`);
      // Over the half-typed line: clear it, print, then draw the prompt and what was typed again.
      if (tty) {
        clearLine(output, 0);
        cursorTo(output, 0);
      } else {
        output.write('\n');
      }
      output.write(`${text}\n`);
      if (!attached.session.pasting) attached.rl.prompt(true);
    },
    attach(rl, session) {
      attached = { rl, session };
    },
    detach() {
      attached = undefined;
    },
  };
}

/** Where the console reads and writes. */
export interface ConsoleOptions {
  readonly desk: NewsDesk;
  /** The language of the console's own words: DEFAULT_LANGUAGE. */
  readonly language: UiLanguage;
  readonly logger: Logger;
  readonly input?: Readable;
  /** Where to write; deliveries printed on the same screen keep the prompt under them. */
  readonly screen?: ConsoleScreen;
  readonly output?: Writable;
  /** Read keys (Ctrl-C, Tab) rather than lines; on when the output is a terminal. */
  readonly terminal?: boolean;
  readonly delivery?: ConsoleDelivery;
  readonly sources?: Sources;
  readonly maxArticleChars?: number;
  /** The chat's last answer, for /why. */
  readonly lastAnswers?: LastAnswers;
}

/** A sender that prints deliveries for the console chat on the screen. */
export function createConsoleSender(language: UiLanguage, screen: ConsoleScreen | Writable = createConsoleScreen()): Sender {
  const target = 'print' in screen ? screen : createConsoleScreen(screen);
  return {
    platform: 'console',
    async send(_target, message: DeliveryMessage): Promise<SendOutcome> {
      target.print(renderDelivery(message, language));
      return { kind: 'sent' };
    },
  };
}

/** Runs the console until the input ends (Ctrl-D), /quit, or Ctrl-C outside paste mode; resolves when it is closed. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const screen = options.screen ?? createConsoleScreen(options.output);
  const output = screen.output;
  const session = createConsoleSession({
    desk: options.desk,
    language: options.language,
    logger: options.logger,
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.maxArticleChars !== undefined ? { maxArticleChars: options.maxArticleChars } : {}),
    ...(options.lastAnswers ? { lastAnswers: options.lastAnswers } : {}),
  });
  const terminal = options.terminal ?? ('isTTY' in output && Boolean((output as { isTTY?: boolean }).isTTY));
  const names = completions({
    ...(options.delivery ? { subscriptions: options.delivery.subscriptions, delivery: options.delivery.delivery } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
  });
  const rl = createInterface({
    input,
    output,
    terminal,
    prompt: PROMPT,
    completer: (line: string): [string[], string] => {
      if (!/^\/\S*$/u.test(line)) return [[], line];
      const hits = names.filter((name) => name.startsWith(line));
      return [hits.length > 0 ? hits : names, line];
    },
  });
  const write = (text: string) => {
    if (text !== '') output.write(`${text}\n`);
  };
  screen.attach(rl, session);

  write(messages(options.language).consoleWelcome(options.desk.articleCount, options.desk.engineName));
  rl.prompt();
  // Lines are handled one at a time, in order, even when a paste arrives faster than answers.
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if (session.quits(line)) return void rl.close();
        write(await session.handle(line));
        if (!session.pasting) rl.prompt();
      });
    });
    rl.on('SIGINT', () => {
      queue = queue.then(() => {
        const left = session.interrupt();
        if (left === undefined) return void rl.close();
        write(`\n${left}`);
        rl.prompt();
      });
    });
    rl.on('close', () => {
      queue = queue
        .then(async () => write(await session.finish()))
        .finally(() => {
          screen.detach();
          resolve();
        });
    });
  });
}
