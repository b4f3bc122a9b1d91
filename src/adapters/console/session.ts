/**
 * The console's command handling, separate from the terminal so it can be driven line by line:
 * the same commands as the chat adapters, run as the local operator.
 */
import { readFile } from 'node:fs/promises';
import type { NewsDesk } from '../../core/newsDesk.js';
import type { DeliveryService } from '../../core/delivery/index.js';
import type { ChatRef, Subscriptions } from '../../core/subscriptions.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Actor } from '../../core/types.js';
import { detectLanguage } from '../../core/text/index.js';
import { isAkhbarError } from '../../core/errors.js';
import { errorText } from '../../i18n/errors.js';
import { messages, uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { parseSubscribeArgs } from '../../commands/subscribe.js';
import { helpText } from '../../commands/help.js';
import { commandsFor } from '../../commands/registry.js';
import { linkToPost, type Sources } from '../../sources/index.js';
import { runFeedCommand } from '../feedCommand.js';
import { renderAnswer, renderArticleList, renderPosted, renderStatus, renderSummary } from './render.js';

/** One console conversation. */
export interface ConsoleSession {
  /** Handles one input line; returns what to print (empty when waiting for more pasted lines). */
  handle(line: string): Promise<string>;
  /** Ends a paste in progress (the terminal closed); returns what to print. */
  finish(): Promise<string>;
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

const PAGE_SIZE = 10;
const END_OF_PASTE = new Set(['.', '/end']);

/** A console session over the news desk, acting as the local operator. */
export function createConsoleSession(
  desk: NewsDesk,
  language: UiLanguage,
  logger: Logger,
  delivery?: ConsoleDelivery,
  sources?: Sources,
): ConsoleSession {
  const actor: Actor = { kind: 'operator' };
  let paste: string[] | undefined;

  async function guarded(replyLanguage: UiLanguage, action: () => Promise<string>): Promise<string> {
    try {
      return await action();
    } catch (error) {
      // One bad command never ends the session; bugs are logged with their stack.
      if (!isAkhbarError(error)) {
        logger.error('console command failed', errorFields(error));
      } else {
        logger.info('console command refused', { reason: error instanceof Error ? error.message : String(error) });
      }
      return errorText(error, replyLanguage);
    }
  }

  const post = (text: string) => guarded(language, async () => renderPosted(await desk.postArticle({ text }, actor), language));

  async function command(name: string, rest: string): Promise<string> {
    const m = messages(language);
    switch (name) {
      case '/help':
      case '/start':
        return helpText(commandsFor('console', { ...(delivery ? { subscriptions: delivery.subscriptions, delivery: delivery.delivery } : {}), ...(sources ? { sources } : {}) }), 'console', language);
      case '/post': {
        const file = /^--file\s+(.+)$/u.exec(rest);
        if (file) {
          const path = file[1]!.trim();
          const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
            logger.info('console could not read file', { path, code: error.code });
            return undefined;
          });
          return text === undefined ? m.cannotReadFile(path) : post(text);
        }
        if (rest === '') {
          paste = [];
          return m.pasteArticle;
        }
        const link = sources ? linkToPost(rest) : undefined;
        if (link && sources) return guarded(language, async () => renderPosted(await sources.postLink(link, actor), language));
        return post(rest);
      }
      case '/delete':
        if (rest === '') return m.deleteUsage;
        return guarded(language, async () => {
          const article = await desk.deleteArticle(rest, actor);
          return m.deleted(article.id, article.title);
        });
      case '/feed':
        if (!sources) return messages(language).unknownCommand(name);
        return guarded(language, () => runFeedCommand(sources, rest, actor, language));
      case '/summary':
        return guarded(language, async () => renderSummary(await desk.summarize(rest === '' ? undefined : rest)));
      case '/latest':
        return guarded(language, async () => renderSummary(await desk.summarize()));
      case '/articles': {
        const page = Math.max(1, Number.parseInt(rest, 10) || 1);
        return guarded(language, async () => renderArticleList(await desk.listArticles({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }), language));
      }
      case '/ask':
        return ask(rest);
      case '/subscribe': {
        if (!delivery) return m.unknownCommand(name);
        const parsed = parseSubscribeArgs(rest);
        if (!parsed.ok) return m.badSubscribeArgs(parsed.problem);
        return guarded(language, async () => {
          const subscription = await delivery.subscriptions.subscribe(
            CONSOLE_CHAT,
            { ...parsed.options, timeZone: delivery.timeZone },
            new Date(),
          );
          return subscription.mode === 'digest' ? m.subscribedDigest(subscription.digestTime!, subscription.timeZone!) : m.subscribedEach;
        });
      }
      case '/unsubscribe':
        if (!delivery) return m.unknownCommand(name);
        return guarded(language, async () => ((await delivery.subscriptions.unsubscribe(CONSOLE_CHAT)) ? m.unsubscribed : m.notSubscribed));
      case '/status':
        if (!delivery) return m.unknownCommand(name);
        return guarded(language, async () =>
          renderStatus(await delivery.delivery.report(), await delivery.subscriptions.list(), language, desk.engineUsage()),
        );
      default:
        return m.unknownCommand(name);
    }
  }

  function ask(question: string): Promise<string> {
    const replyLanguage = uiLanguage(detectLanguage(question), language);
    return guarded(replyLanguage, async () => renderAnswer(await desk.ask(question, actor), replyLanguage, desk.engineName));
  }

  return {
    get pasting() {
      return paste !== undefined;
    },
    async handle(line) {
      if (paste !== undefined) {
        if (!END_OF_PASTE.has(line.trim())) {
          paste.push(line);
          return '';
        }
        const text = paste.join('\n');
        paste = undefined;
        return post(text);
      }
      const trimmed = line.trim();
      if (trimmed === '') return '';
      const match = /^(\/[a-z_]+)(?:@\S+)?\s*([\s\S]*)$/iu.exec(trimmed);
      // Plain text is a question, as in a private chat with the bot.
      if (!match) return ask(trimmed);
      return command(match[1]!.toLowerCase(), match[2]!.trim());
    },
    async finish() {
      if (paste === undefined || paste.join('').trim() === '') return '';
      const text = paste.join('\n');
      paste = undefined;
      return post(text);
    },
  };
}
