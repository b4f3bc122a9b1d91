/**
 * The Telegram adapter in grammY's idiom: a context flavor carrying the asker, one Composer per
 * feature (the registry's commands, posting by caption or forward, buttons, plain messages), and
 * one error boundary around them. The features only turn updates into command input and views
 * into HTML; what a command does is the command layer's.
 */
import { Bot, type BotError } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import type { UserFromGetMe } from 'grammy/types';
import { errorFields } from '../../core/logger.js';
import { messages } from '../../i18n/messages.js';
import type { ChatAdapterOptions } from '../options.js';
import { DEFAULT_TELEGRAM_TIMEOUT_MS, requestTimeout } from './client.js';
import { askerFlavor, type AkhbarContext } from './context.js';
import { buttonsFeature } from './features/buttons.js';
import { commandsFeature, type CommandFeatureDeps } from './features/commands.js';
import { conversationFeature } from './features/conversation.js';
import { inlineFeature } from './features/inline.js';
import { postingFeature } from './features/posting.js';
import { escapeHtml } from './format.js';
import { createReplies, type Replies, type ReplyRetryOptions } from './replies.js';

/** What the Telegram adapter talks to. */
export interface TelegramBotOptions extends ChatAdapterOptions {
  readonly token: string;
  readonly apiRoot?: string;
  /** How long a Bot API request may go unanswered (TELEGRAM_TIMEOUT_MS); a long poll gets its wait on top. */
  readonly timeoutMs?: number;
  /** How replies outlast a 429 longer than auto-retry waits (tests shorten or fake the waits). */
  readonly replyRetry?: ReplyRetryOptions;
  /** Skips getMe (tests that call handleUpdate directly). */
  readonly botInfo?: UserFromGetMe;
  /** How long an inline query waits for the reader's next one before it is answered (TELEGRAM_INLINE_WAIT_MS); 0, at once. */
  readonly inlineWaitMs?: number;
}

// Long enough for a slow host; a file download that takes longer is not worth waiting for.
const DOWNLOAD_TIMEOUT_MS = 20_000;

/**
 * Builds the grammY bot with every feature; starting it is the caller's (long polling or webhook),
 * and so is stopping `replies` (which it may pass in to do so).
 */
export function createTelegramBot(options: TelegramBotOptions, given?: Replies): Bot<AkhbarContext> {
  const logger = options.logger.child({ adapter: 'telegram' });
  const replies = given ?? createReplies(logger, options.defaultLanguage, options.replyRetry);
  const bot = new Bot<AkhbarContext>(options.token, {
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // First, so it is innermost: every attempt auto-retry makes gets the whole time again.
  bot.api.config.use(requestTimeout(options.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS));
  const root = options.apiRoot ?? 'https://api.telegram.org';
  const deps: CommandFeatureDeps = {
    services: {
      desk: options.desk,
      subscriptions: options.subscriptions,
      delivery: options.delivery,
      sources: options.sources,
      ...(options.follows ? { follows: options.follows } : {}),
      lastAnswers: options.lastAnswers,
      timeZone: options.timeZone,
      maxArticleChars: options.maxArticleChars,
      logger,
    },
    logger,
    adminCache: new Map(),
    replies,
    streamAnswers: options.streamAnswers ?? false,
    inlineWaitMs: options.inlineWaitMs ?? 0,
    ...(options.streamEditIntervalMs !== undefined ? { streamEditIntervalMs: options.streamEditIntervalMs } : {}),
    async download(filePath) {
      const response = await fetch(`${root}/file/bot${options.token}/${filePath}`, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`file download failed with HTTP ${response.status}`);
      return response.text();
    },
  };

  // A command's own errors come back as views; what reaches here is a failed send or a bug.
  const apologise = async (error: BotError<AkhbarContext>) => {
    logger.error('telegram update failed', { update: error.ctx.update.update_id, ...errorFields(error.error) });
    const chat = error.ctx.chat;
    if (!chat) return;
    await replies.send(error.ctx, escapeHtml(messages(error.ctx.asker?.language ?? options.defaultLanguage).internalError)).catch((e: unknown) =>
      logger.warn('could not send the apology', errorFields(e)),
    );
  };

  // One update at a time per chat, so a chat's commands are answered in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(askerFlavor(options.defaultLanguage));
  bot.errorBoundary(apologise, commandsFeature(deps), postingFeature(deps), buttonsFeature(deps), inlineFeature(deps), conversationFeature(deps));
  // Only the two middlewares above run outside the boundary; nothing they throw may stop the bot.
  bot.catch((error) => logger.error('telegram update failed outside the features', { update: error.ctx.update.update_id, ...errorFields(error.error) }));
  return bot;
}
