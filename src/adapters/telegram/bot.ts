/**
 * The Telegram adapter: grammY handlers that translate commands into news-desk calls and results
 * into HTML messages. No business rules here beyond who may do what in a chat.
 */
import { Bot, InlineKeyboard, type Context } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import type { UserFromGetMe } from 'grammy/types';
import { AkhbarError, isAkhbarError } from '../../core/errors.js';
import { actorId } from '../../core/articles.js';
import { errorFields } from '../../core/logger.js';
import type { ChatKind, ChatRef } from '../../core/subscriptions.js';
import { detectLanguage } from '../../core/text/index.js';
import type { Actor } from '../../core/types.js';
import { parseSubscribeArgs } from '../../commands/subscribe.js';
import { helpText } from '../../commands/help.js';
import { commandsFor } from '../../commands/registry.js';
import { linkToPost } from '../../sources/index.js';
import { runFeedCommand } from '../feedCommand.js';
import type { ChatAdapterOptions } from '../options.js';
import { errorText } from '../../i18n/errors.js';
import { messages, uiLanguage, type UiLanguage } from '../../i18n/messages.js';
import { answerHtml, escapeHtml, htmlToPlain, splitHtml, summaryHtml } from './format.js';
import { sendHtml } from './sender.js';

/** What the Telegram adapter talks to. */
export interface TelegramBotOptions extends ChatAdapterOptions {
  readonly token: string;
  readonly apiRoot?: string;
  /** Skips getMe (tests that call handleUpdate directly). */
  readonly botInfo?: UserFromGetMe;
}

// Telegram's user id for "Group Anonymous Bot": messages of anonymous group admins come from it.
const ANONYMOUS_ADMIN_ID = 1087968824;
const ADMIN_CACHE_MS = 60_000;
const PAGE_SIZE = 10;

/** The bot's commands with their descriptions, for setMyCommands. */
export function commandList(language: UiLanguage): { command: string; description: string }[] {
  const ar = language === 'ar';
  return [
    { command: 'help', description: ar ? 'ما يستطيعه البوت' : 'What the bot can do' },
    { command: 'ask', description: ar ? 'سؤال عن المقالات المخزنة' : 'Ask about the stored articles' },
    { command: 'latest', description: ar ? 'ملخص أحدث مقال' : 'Summary of the newest article' },
    { command: 'summary', description: ar ? 'ملخص مقال بمعرفه' : 'Summary of an article by id' },
    { command: 'articles', description: ar ? 'المقالات المخزنة' : 'The stored articles' },
    { command: 'subscribe', description: ar ? 'الاشتراك في الملخصات' : 'Receive summaries here' },
    { command: 'unsubscribe', description: ar ? 'إيقاف الملخصات' : 'Stop receiving summaries' },
    { command: 'post', description: ar ? 'نشر مقال (للمشرفين)' : 'Post an article (admins)' },
    { command: 'delete', description: ar ? 'حذف مقال بمعرفه (للمشرفين)' : 'Delete an article by id (admins)' },
    { command: 'status', description: ar ? 'أرقام التوصيل (للمشرفين)' : 'Delivery figures (admins)' },
    { command: 'feed', description: ar ? 'متابعة خلاصات RSS/Atom (للمشرفين)' : 'Follow RSS/Atom feeds (admins)' },
  ];
}

/** Builds the grammY bot with every handler; starting it is the caller's (long polling or webhook). */
export function createTelegramBot(options: TelegramBotOptions): Bot {
  const { desk, subscriptions, delivery } = options;
  const logger = options.logger.child({ adapter: 'telegram' });
  const bot = new Bot(options.token, {
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const adminCache = new Map<string, { admin: boolean; until: number }>();

  const languageOf = (ctx: Context): UiLanguage => uiLanguage(ctx.from?.language_code, options.defaultLanguage);
  const actorOf = (ctx: Context): Actor => ({
    kind: 'user',
    platform: 'telegram',
    userId: String(ctx.from?.id ?? ctx.chat?.id ?? 0),
    language: languageOf(ctx),
  });

  const reply = (ctx: Context, html: string) => sendHtml(ctx.api, ctx.chat!.id, html);

  async function guarded(ctx: Context, language: UiLanguage, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const text = errorText(error, language);
      if (!isAkhbarError(error)) logger.error('telegram command failed', { update: ctx.update.update_id, ...errorFields(error) });
      else logger.info('telegram command refused', { update: ctx.update.update_id, reason: error instanceof Error ? error.message : String(error) });
      if (ctx.chat) await reply(ctx, escapeHtml(text)).catch((e: unknown) => logger.warn('could not send the error message', errorFields(e)));
    }
  }

  async function isChatAdmin(ctx: Context): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat) return false;
    if (chat.type === 'private' || chat.type === 'channel') return true;
    const from = ctx.from;
    if (!from) return false;
    // An anonymous admin writes as the group itself.
    if (from.id === ANONYMOUS_ADMIN_ID && ctx.msg?.sender_chat?.id === chat.id) return true;
    const key = `${chat.id}:${from.id}`;
    const cached = adminCache.get(key);
    if (cached && cached.until > Date.now()) return cached.admin;
    const member = await ctx.api.getChatMember(chat.id, from.id);
    const admin = member.status === 'creator' || member.status === 'administrator';
    adminCache.set(key, { admin, until: Date.now() + ADMIN_CACHE_MS });
    return admin;
  }

  function chatRef(ctx: Context): ChatRef {
    const chat = ctx.chat!;
    const kind: ChatKind = chat.type === 'private' ? 'private' : chat.type === 'channel' ? 'channel' : 'group';
    const name = 'title' in chat ? chat.title : 'username' in chat ? chat.username : undefined;
    return { platform: 'telegram', chatId: String(chat.id), kind, ...(name ? { name } : {}) };
  }

  async function ask(ctx: Context, question: string): Promise<void> {
    const language = uiLanguage(detectLanguage(question), languageOf(ctx));
    await guarded(ctx, language, async () => {
      await ctx.replyWithChatAction('typing').catch(() => undefined);
      const stream = options.streamAnswers ? streamingMessage(ctx) : undefined;
      const answer = await desk.ask(question, actorOf(ctx), stream ? { onPartial: stream.update } : {});
      const html = answerHtml(answer, uiLanguage(answer.language, language), desk.engineName);
      if (stream) await stream.finish(html);
      else await reply(ctx, html);
    });
  }

  /**
   * A message that grows with a streaming answer: sent with the first words, edited no faster than
   * Telegram allows for the chat, and replaced by the formatted answer at the end.
   */
  function streamingMessage(ctx: Context): { update(text: string): void; finish(html: string): Promise<void> } {
    const chatId = ctx.chat!.id;
    const interval = options.streamEditIntervalMs ?? (ctx.chat!.type === 'private' ? 1_100 : 3_100);
    let messageId: number | undefined;
    let lastEdit = 0;
    let shown = '';
    let chain = Promise.resolve();
    const push = (text: string) => {
      chain = chain
        .then(async () => {
          const plainText = text.slice(0, 4_000);
          if (messageId === undefined) messageId = (await ctx.api.sendMessage(chatId, plainText)).message_id;
          else await ctx.api.editMessageText(chatId, messageId, plainText);
        })
        .catch((error: unknown) => logger.warn('streaming edit failed', errorFields(error)));
    };
    return {
      update(text) {
        const now = Date.now();
        if (text.trim() === '' || text === shown || now - lastEdit < interval) return;
        lastEdit = now;
        shown = text;
        push(`${text} …`);
      },
      async finish(html) {
        await chain;
        if (messageId === undefined) return sendHtml(ctx.api, chatId, html);
        const [first, ...rest] = splitHtml(html);
        try {
          await ctx.api.editMessageText(chatId, messageId, first ?? '', { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
        } catch {
          await ctx.api.editMessageText(chatId, messageId, htmlToPlain(first ?? ''));
        }
        for (const part of rest) await sendHtml(ctx.api, chatId, part);
      },
    };
  }

  async function articleText(ctx: Context): Promise<string | undefined> {
    const inline = typeof ctx.match === 'string' ? ctx.match.trim() : (ctx.msg?.caption ?? '').replace(/^\/post(@\w+)?/u, '').trim();
    if (inline !== '') return inline;
    const source = ctx.msg?.reply_to_message ?? ctx.msg;
    const text = source?.text ?? source?.caption;
    const document = source?.document;
    if (document && (document.mime_type === 'text/plain' || /\.(txt|md)$/i.test(document.file_name ?? ''))) {
      // A 4-byte UTF-8 character per character is the most a valid post can take.
      if ((document.file_size ?? 0) > options.maxArticleChars * 4) return 'x'.repeat(options.maxArticleChars + 1);
      const file = await ctx.api.getFile(document.file_id);
      const root = options.apiRoot ?? 'https://api.telegram.org';
      const response = await fetch(`${root}/file/bot${options.token}/${file.file_path}`, { signal: AbortSignal.timeout(20_000) });
      if (!response.ok) throw new Error(`file download failed with HTTP ${response.status}`);
      return await response.text();
    }
    if (source !== ctx.msg && text) return text;
    return undefined;
  }

  // One update at a time per chat, so a chat's commands are answered in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));

  bot.command(['start', 'help'], async (ctx) => {
    await guarded(ctx, languageOf(ctx), () => reply(ctx, escapeHtml(helpText(commandsFor('telegram'), 'telegram', languageOf(ctx)))));
  });

  async function post(ctx: Context): Promise<void> {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      const actor = actorOf(ctx);
      // Refuse before downloading anything for someone who may not post.
      if (!desk.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
      const text = await articleText(ctx);
      const link = linkToPost(text);
      const result = link ? await options.sources.postLink(link, actor) : await desk.postArticle({ text: text ?? '' }, actor);
      const m = messages(language);
      const { id, title } = result.article;
      await reply(ctx, escapeHtml(result.duplicate ? m.duplicate(id, title) : m.posted(id, title)));
    });
  }

  bot.command('post', post);

  bot.command('delete', async (ctx) => {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      const m = messages(language);
      const ref = ctx.match.trim();
      // The desk refuses a non-admin too; checked first so a stranger is not told the usage either.
      if (!desk.isAdmin(actorOf(ctx))) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actorOf(ctx)), action: 'delete' });
      if (ref === '') return void (await reply(ctx, escapeHtml(m.deleteUsage)));
      const article = await desk.deleteArticle(ref, actorOf(ctx));
      await reply(ctx, escapeHtml(m.deleted(article.id, article.title)));
    });
  });

  bot.command('feed', async (ctx) => {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      const text = await runFeedCommand(options.sources, typeof ctx.match === 'string' ? ctx.match : '', actorOf(ctx), language);
      await reply(ctx, escapeHtml(text));
    });
  });
  // grammY's command() reads message text; a file sent with "/post" as its caption lands here.
  bot.on('message:document', async (ctx, next) => {
    if (/^\/post(@\w+)?(\s|$)/u.test(ctx.msg.caption ?? '')) return post(ctx);
    return next();
  });

  bot.command('summary', async (ctx) => {
    await guarded(ctx, languageOf(ctx), async () => {
      const summary = await desk.summarize(ctx.match.trim() === '' ? undefined : ctx.match.trim());
      const article = await desk.getArticle(summary.articleId);
      await reply(ctx, summaryHtml(summary, article.url));
    });
  });

  bot.command('latest', async (ctx) => {
    await guarded(ctx, languageOf(ctx), async () => {
      const summary = await desk.summarize();
      const article = await desk.getArticle(summary.articleId);
      await reply(ctx, summaryHtml(summary, article.url));
    });
  });

  async function articlePage(page: number, language: UiLanguage): Promise<{ html: string; keyboard?: InlineKeyboard }> {
    const m = messages(language);
    const listing = await desk.listArticles({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    if (listing.total === 0) return { html: escapeHtml(m.noArticlesYet) };
    const from = listing.offset + 1;
    const to = listing.offset + listing.items.length;
    const rows = listing.items.map((item) => `<code>${escapeHtml(item.id)}</code> ${escapeHtml(item.title)}`);
    const keyboard = new InlineKeyboard();
    if (page > 1) keyboard.text('‹', `articles:${page - 1}`);
    if (to < listing.total) keyboard.text('›', `articles:${page + 1}`);
    return { html: [`<b>${escapeHtml(m.articlesHeader(from, to, listing.total))}</b>`, ...rows].join('\n'), keyboard };
  }

  bot.command('articles', async (ctx) => {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      const page = Math.max(1, Number.parseInt(ctx.match, 10) || 1);
      const { html, keyboard } = await articlePage(page, language);
      await ctx.reply(html, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
    });
  });

  bot.callbackQuery(/^articles:(\d+)$/, async (ctx) => {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      const { html, keyboard } = await articlePage(Number(ctx.match[1]), language);
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(html, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
    });
  });

  bot.command('ask', async (ctx) => ask(ctx, ctx.match));

  bot.command('subscribe', async (ctx) => {
    const language = languageOf(ctx);
    const m = messages(language);
    await guarded(ctx, language, async () => {
      const words = ctx.match.trim().split(/\s+/u).filter((w) => w !== '');
      let target: ChatRef | undefined;
      if (ctx.chat.type === 'private' && words[0] && /^(@\w{4,}|-100\d+)$/u.test(words[0])) {
        target = await channelForAdmin(ctx, words.shift()!);
        if (!target) return;
      } else {
        if (!(await isChatAdmin(ctx))) return void (await reply(ctx, escapeHtml(messages(language).chatAdminsOnly)));
        target = chatRef(ctx);
      }
      const parsed = parseSubscribeArgs(words.join(' '));
      if (!parsed.ok) return void (await reply(ctx, escapeHtml(m.badSubscribeArgs(parsed.problem))));
      const subscription = await subscriptions.subscribe(target, { ...parsed.options, timeZone: options.timeZone }, new Date());
      const text = subscription.mode === 'digest' ? m.subscribedDigest(subscription.digestTime!, subscription.timeZone!) : m.subscribedEach;
      await reply(ctx, escapeHtml(target.chatId === String(ctx.chat.id) ? text : `${target.name ?? target.chatId}: ${text}`));
    });
  });

  bot.command('unsubscribe', async (ctx) => {
    const language = languageOf(ctx);
    const m = messages(language);
    await guarded(ctx, language, async () => {
      let target: ChatRef | undefined = chatRef(ctx);
      const named = ctx.match.trim();
      if (ctx.chat.type === 'private' && /^(@\w{4,}|-100\d+)$/u.test(named)) target = await channelForAdmin(ctx, named);
      else if (!(await isChatAdmin(ctx))) return void (await reply(ctx, escapeHtml(messages(language).chatAdminsOnly)));
      if (!target) return;
      await reply(ctx, escapeHtml((await subscriptions.unsubscribe(target)) ? m.unsubscribed : m.notSubscribed));
    });
  });

  /** A channel an admin names in a private chat, once both they and the bot are shown to be admins there. */
  async function channelForAdmin(ctx: Context, ref: string): Promise<ChatRef | undefined> {
    const language = languageOf(ctx);
    const chat = await ctx.api.getChat(ref).catch(() => undefined);
    if (!chat || chat.type !== 'channel') {
      await reply(ctx, escapeHtml(messages(language).channelNotFound(ref)));
      return undefined;
    }
    const user = await ctx.api.getChatMember(chat.id, ctx.from!.id).catch(() => undefined);
    if (!user || (user.status !== 'creator' && user.status !== 'administrator')) {
      await reply(ctx, escapeHtml(messages(language).chatAdminsOnly));
      return undefined;
    }
    const me = await ctx.api.getChatMember(chat.id, ctx.me.id).catch(() => undefined);
    if (!me || me.status !== 'administrator' || !me.can_post_messages) {
      await reply(
        ctx,
        escapeHtml(messages(language).botCannotPost(ref)),
      );
      return undefined;
    }
    return { platform: 'telegram', chatId: String(chat.id), kind: 'channel', ...(chat.title ? { name: chat.title } : {}) };
  }

  bot.command('status', async (ctx) => {
    const language = languageOf(ctx);
    await guarded(ctx, language, async () => {
      if (!desk.isAdmin(actorOf(ctx))) return void (await reply(ctx, escapeHtml(messages(language).notAdmin)));
      const report = await delivery.report();
      const all = await subscriptions.list();
      const usage = desk.engineUsage();
      const m = messages(language);
      const active = all.filter((s) => s.active).length;
      const lines = [
        `<b>${escapeHtml(m.statusTitle)}</b>: ${escapeHtml(m.statusLine(report.pending, report.sent, report.failed, report.dead))}`,
        escapeHtml(m.subscribersLine(active, all.length - active)),
        ...(usage ? [escapeHtml(m.usageLine(usage.requests, usage.promptTokens, usage.completionTokens))] : []),
        ...report.byArticle.slice(-10).map((row) => `<code>${escapeHtml(row.articleId)}</code> ${escapeHtml(m.statusLine(row.pending, row.sent, row.failed, row.dead))}`),
      ];
      await reply(ctx, lines.join('\n'));
    });
  });

  bot.on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/')) {
      if (ctx.chat.type === 'private') return reply(ctx, escapeHtml(messages(languageOf(ctx)).unknownCommand(ctx.msg.text.split(/\s/u)[0]!)));
      return next();
    }
    const actor = actorOf(ctx);
    // An admin forwarding a news message to the bot posts it.
    if (ctx.chat.type === 'private' && ctx.msg.forward_origin && desk.isAdmin(actor)) {
      const language = languageOf(ctx);
      return guarded(ctx, language, async () => {
        const result = await desk.postArticle({ text: ctx.msg.text }, actor);
        const m = messages(language);
        await reply(ctx, escapeHtml(result.duplicate ? m.duplicate(result.article.id, result.article.title) : m.posted(result.article.id, result.article.title)));
      });
    }
    if (ctx.chat.type === 'private') return ask(ctx, ctx.msg.text);
    // In groups: only a mention of the bot or a reply to one of its messages is a question.
    const mention = `@${ctx.me.username}`;
    if (ctx.msg.text.includes(mention)) return ask(ctx, ctx.msg.text.split(mention).join(' ').trim());
    if (ctx.msg.reply_to_message?.from?.id === ctx.me.id) return ask(ctx, ctx.msg.text);
    return next();
  });

  bot.catch((error) => {
    // The boundary for anything a handler did not catch: log it and keep the bot running.
    logger.error('telegram update failed', { update: error.ctx.update.update_id, ...errorFields(error.error) });
    if (error.ctx.chat) {
      const language = languageOf(error.ctx);
      void sendHtml(error.ctx.api, error.ctx.chat.id, escapeHtml(messages(language).internalError)).catch(() => undefined);
    }
  });

  return bot;
}

