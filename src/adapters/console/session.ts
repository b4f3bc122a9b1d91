/**
 * The console's conversation, separate from the terminal so it can be driven line by line: the
 * registry's commands (by their Latin or Arabic names) run as the local operator, a plain line is
 * a question, and /post alone collects a pasted article until a line holding only "." (or /end);
 * /cancel (or Ctrl-C) leaves paste mode without posting.
 */
import type { LastAnswers } from '../../core/lastAnswers.js';
import { stat, readFile } from 'node:fs/promises';
import { findCommand } from '../../commands/registry.js';
import { runCommand } from '../../commands/run.js';
import type { Command, CommandContext, CommandInput, CommandServices, FileInput } from '../../commands/types.js';
import type { DeliveryService } from '../../core/delivery/index.js';
import { AkhbarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { NewsDesk } from '../../core/newsDesk.js';
import type { ChatRef, Subscriptions } from '../../core/subscriptions.js';
import { messages, type UiLanguage } from '../../i18n/messages.js';
import type { Sources } from '../../sources/index.js';
import { viewText } from './view.js';

/** One console conversation. */
export interface ConsoleSession {
  /** Handles one input line; returns what to print (empty while a paste goes on). */
  handle(line: string): Promise<string>;
  /** Ends a paste in progress because the input closed (Ctrl-D), posting it; returns what to print. */
  finish(): Promise<string>;
  /** Ctrl-C: leaves paste mode and says so; undefined when nothing was being pasted. */
  interrupt(): string | undefined;
  /** Whether `line` asks to leave the console (/quit, /exit, /خروج); never while pasting. */
  quits(line: string): boolean;
  /** True while an article is being pasted. */
  readonly pasting: boolean;
}

/** The console is one chat: subscribing it makes new summaries appear in the terminal. */
export const CONSOLE_CHAT: ChatRef = { platform: 'console', chatId: 'local', kind: 'private', name: 'console' };

/** Subscriptions and delivery, when the console has them. */
export interface ConsoleDelivery {
  readonly subscriptions: Subscriptions;
  readonly delivery: DeliveryService;
  readonly timeZone: string;
}

/** What a console session runs on. */
export interface ConsoleSessionOptions {
  readonly desk: NewsDesk;
  /** The language of the console's own words: DEFAULT_LANGUAGE. */
  readonly language: UiLanguage;
  readonly logger: Logger;
  readonly delivery?: ConsoleDelivery;
  readonly sources?: Sources;
  /** Largest article accepted, to refuse a big file before reading it (no limit when absent). */
  readonly maxArticleChars?: number;
  /** The chat's last answer, for /why; absent, /why is not offered. */
  readonly lastAnswers?: LastAnswers;
}

const END_OF_PASTE = new Set(['.', '/end']);
const COMMAND_LINE = /^\/(\S*)\s*([\s\S]*)$/u;
const FILE_ARGUMENT = /^--file\s+(.+)$/u;

/** A file on this machine, as the command layer sees a file: its size first, its text when read. */
async function localFile(path: string): Promise<FileInput> {
  const size = await stat(path).then(
    (info) => info.size,
    () => undefined,
  );
  return {
    name: path,
    ...(size !== undefined ? { size } : {}),
    read: () =>
      readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new AkhbarError({ code: 'FILE_UNREADABLE', path, ...(error.code ? { cause: error.code } : {}) });
      }),
  };
}

/** A console session over the news desk, acting as the local operator. */
export function createConsoleSession(options: ConsoleSessionOptions): ConsoleSession {
  const { desk, language, logger, delivery, sources } = options;
  const m = messages(language);
  const services: CommandServices = {
    desk,
    ...(delivery ? { subscriptions: delivery.subscriptions, delivery: delivery.delivery } : {}),
    ...(sources ? { sources } : {}),
    ...(options.lastAnswers ? { lastAnswers: options.lastAnswers } : {}),
    timeZone: delivery?.timeZone ?? 'UTC',
    maxArticleChars: options.maxArticleChars ?? Number.POSITIVE_INFINITY,
    logger: logger.child({ adapter: 'console' }),
  };
  const ctx: CommandContext = { platform: 'console', actor: { kind: 'operator' }, language, chat: { ref: CONSOLE_CHAT, canManage: async () => true }, collects: true };
  const command = (name: string): Command | undefined => findCommand(name.split('@')[0]!, 'console', services);
  const post = command('post')!;
  const ask = command('ask')!;
  const help = command('help')!;
  let paste: string[] | undefined;

  async function run(target: Command, input: CommandInput): Promise<string> {
    const view = await runCommand(target, input, ctx, services);
    if (view.collect) paste = [];
    return viewText(view);
  }

  function interrupt(): string | undefined {
    if (paste === undefined) return undefined;
    paste = undefined;
    return m.pasteCancelled;
  }

  async function endPaste(): Promise<string> {
    const text = (paste ?? []).join('\n');
    paste = undefined;
    return text.trim() === '' ? m.pasteCancelled : run(post, { text });
  }

  return {
    get pasting() {
      return paste !== undefined;
    },
    quits(line) {
      const match = COMMAND_LINE.exec(line.trim());
      return paste === undefined && match !== null && command(match[1]!)?.name === 'quit';
    },
    interrupt,
    async handle(line) {
      const trimmed = line.trim();
      if (paste !== undefined) {
        if (END_OF_PASTE.has(trimmed)) return endPaste();
        const asked = COMMAND_LINE.exec(trimmed);
        if (asked && command(asked[1]!)?.name === 'cancel') return interrupt() ?? '';
        paste.push(line);
        return '';
      }
      if (trimmed === '') return '';
      const asked = COMMAND_LINE.exec(trimmed);
      // Plain text is a question, as in a private chat with the bot.
      if (!asked) return run(ask, { text: trimmed });
      const [, name = '', rest = ''] = asked;
      // A slash alone asks what there is, as Telegram's command menu opens on one.
      if (name === '') return run(help, { text: '' });
      const target = command(name);
      if (!target) return m.unknownCommand(`/${name}`);
      const file = target === post ? FILE_ARGUMENT.exec(rest.trim()) : null;
      if (file) return run(post, { text: '', file: await localFile(file[1]!.trim()) });
      return run(target, { text: rest.trim() });
    },
    async finish() {
      if (paste === undefined || paste.join('').trim() === '') return '';
      return endPaste();
    },
  };
}
