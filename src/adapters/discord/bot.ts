/**
 * The Discord adapter: slash-command interactions translated into news-desk calls and results into
 * embeds. Every interaction is acknowledged at once (deferReply) and answered with an edit.
 */
import {
  ActionRowBuilder,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { AkhbarError, isAkhbarError } from '../../core/errors.js';
import { errorFields } from '../../core/logger.js';
import type { ChatRef } from '../../core/subscriptions.js';
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
import { answerMessages, escapeText, NO_MENTIONS, splitText, summaryMessage } from './format.js';

/** What the Discord adapter talks to. */
export interface DiscordBotOptions extends ChatAdapterOptions {
  /** REST calls go here instead of Discord (a rate-limit proxy, or the tests' fake). */
  readonly restApi?: string;
}

const POST_MODAL = 'akhbar-post';
const POST_FIELD = 'article';
const PAGE_SIZE = 10;

/** Creates the discord.js client with the interaction handlers; logging in is the caller's. */
export function createDiscordClient(options: DiscordBotOptions): Client {
  const { desk, subscriptions, delivery } = options;
  const logger = options.logger.child({ adapter: 'discord' });
  // Slash commands need no privileged intents: Guilds is enough.
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...(options.restApi ? { rest: { api: options.restApi } } : {}) });

  const languageOf = (interaction: Interaction): UiLanguage => uiLanguage(interaction.locale, options.defaultLanguage);
  const actorOf = (interaction: Interaction): Actor => ({ kind: 'user', platform: 'discord', userId: interaction.user.id, language: languageOf(interaction) });
  const plain = (text: string) => ({ content: splitText(escapeText(text), 2000)[0]!, allowedMentions: NO_MENTIONS });

  async function answerWith(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, payloads: { embeds?: unknown[]; content?: string }[]): Promise<void> {
    const [first, ...rest] = payloads;
    await interaction.editReply({ ...(first as object), allowedMentions: NO_MENTIONS });
    for (const payload of rest) await interaction.followUp({ ...(payload as object), allowedMentions: NO_MENTIONS });
  }

  async function post(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, text: string, url?: string): Promise<void> {
    const language = languageOf(interaction);
    const m = messages(language);
    const result = await desk.postArticle({ text, ...(url ? { url } : {}) }, actorOf(interaction));
    const { id, title } = result.article;
    await interaction.editReply(plain(result.duplicate ? m.duplicate(id, title) : m.posted(id, title)));
  }

  async function attachmentText(interaction: ChatInputCommandInteraction): Promise<string | undefined> {
    const file = interaction.options.getAttachment('file');
    if (!file) return undefined;
    if (!/\.(txt|md)$/i.test(file.name) && !(file.contentType ?? '').startsWith('text/')) {
      throw new AkhbarError({ code: 'EMPTY_ARTICLE' });
    }
    // Four bytes per character is the most a post within the limit can take.
    if (file.size > options.maxArticleChars * 4) return 'x'.repeat(options.maxArticleChars * 2 + 1);
    const response = await fetch(file.url, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) throw new Error(`attachment download failed with HTTP ${response.status}`);
    return await response.text();
  }

  function channelRef(interaction: ChatInputCommandInteraction): ChatRef {
    return {
      platform: 'discord',
      chatId: interaction.channelId,
      kind: interaction.inGuild() ? 'channel' : 'private',
      ...(interaction.channel && 'name' in interaction.channel && interaction.channel.name ? { name: `#${interaction.channel.name}` } : {}),
    };
  }

  async function command(interaction: ChatInputCommandInteraction): Promise<void> {
    const language = languageOf(interaction);
    const m = messages(language);
    const name = interaction.commandName;
    if (name === 'post') {
      if (!desk.isAdmin(actorOf(interaction))) {
        await interaction.reply({ ...plain(m.notAdmin), flags: MessageFlags.Ephemeral });
        return;
      }
      const text = interaction.options.getString('text');
      if (!text && !interaction.options.getAttachment('file')) {
        // A modal is the first answer to an interaction, so it comes before any defer.
        const field = new TextInputBuilder().setCustomId(POST_FIELD).setLabel(language === 'ar' ? 'نص المقال' : 'Article text').setStyle(TextInputStyle.Paragraph).setMaxLength(4000).setRequired(true);
        await interaction.showModal(
          new ModalBuilder().setCustomId(POST_MODAL).setTitle(language === 'ar' ? 'نشر مقال' : 'Post an article').addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(field)),
        );
        return;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const link = linkToPost(text ?? undefined);
      if (link) {
        const result = await options.sources.postLink(link, actorOf(interaction));
        const { id, title } = result.article;
        await interaction.editReply(plain(result.duplicate ? m.duplicate(id, title) : m.posted(id, title)));
        return;
      }
      await post(interaction, text ?? (await attachmentText(interaction)) ?? '', interaction.options.getString('url') ?? undefined);
      return;
    }
    if (name === 'subscribe' || name === 'unsubscribe') {
      // Server admins can override default_member_permissions, so the right is checked here again.
      if (interaction.inGuild() && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)) {
        await interaction.reply({ ...plain(m.chatAdminsOnly), flags: MessageFlags.Ephemeral });
        return;
      }
    }
    if (name === 'feed') {
      if (!desk.isAdmin(actorOf(interaction))) {
        await interaction.reply({ ...plain(m.notAdmin), flags: MessageFlags.Ephemeral });
        return;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const sub = interaction.options.getSubcommand(false) ?? 'list';
      const target = interaction.options.getString(sub === 'add' ? 'url' : 'id') ?? '';
      await interaction.editReply(plain(await runFeedCommand(options.sources, `${sub} ${target}`, actorOf(interaction), language)));
      return;
    }
    if (name === 'delete') {
      if (!desk.isAdmin(actorOf(interaction))) {
        await interaction.reply({ ...plain(m.notAdminDelete), flags: MessageFlags.Ephemeral });
        return;
      }
      // Ephemeral, like /post: the admin's housekeeping is not the channel's news.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const article = await desk.deleteArticle(interaction.options.getString('id', true), actorOf(interaction));
      await interaction.editReply(plain(m.deleted(article.id, article.title)));
      return;
    }
    if (name === 'status' && !desk.isAdmin(actorOf(interaction))) {
      await interaction.reply({ ...plain(m.notAdmin), flags: MessageFlags.Ephemeral });
      return;
    }
    const known = ['help', 'summary', 'latest', 'articles', 'ask', 'subscribe', 'unsubscribe', 'status'];
    if (!known.includes(name)) {
      await interaction.reply({ ...plain(m.unknownCommand(`/${name}`)), flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply();
    switch (name) {
      case 'help':
        return void (await interaction.editReply(plain(helpText(commandsFor('discord'), 'discord', language))));
      case 'summary':
      case 'latest': {
        const id = name === 'summary' ? interaction.options.getString('id') ?? undefined : undefined;
        const summary = await desk.summarize(id);
        const article = await desk.getArticle(summary.articleId);
        return void (await interaction.editReply(summaryMessage(summary, article.url)));
      }
      case 'articles': {
        const page = interaction.options.getInteger('page') ?? 1;
        const listing = await desk.listArticles({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
        if (listing.total === 0) return void (await interaction.editReply(plain(m.noArticlesYet)));
        const rows = listing.items.map((item) => `\`${item.id}\` ${escapeText(item.title)}`);
        const header = m.articlesHeader(listing.offset + 1, listing.offset + listing.items.length, listing.total);
        return void (await interaction.editReply({ content: splitText([header, ...rows].join('\n'), 2000)[0]!, allowedMentions: NO_MENTIONS }));
      }
      case 'ask': {
        const question = interaction.options.getString('question', true);
        const answerLanguage = uiLanguage(detectLanguage(question), language);
        let edits = Promise.resolve();
        let lastEdit = 0;
        const interval = options.streamEditIntervalMs ?? 1_200;
        const onPartial = (soFar: string) => {
          const now = Date.now();
          if (soFar.trim() === '' || now - lastEdit < interval) return;
          lastEdit = now;
          const content = splitText(`${escapeText(soFar)} …`, 2000)[0]!;
          edits = edits
            .then(async () => void (await interaction.editReply({ content, allowedMentions: NO_MENTIONS })))
            .catch((error: unknown) => logger.warn('streaming edit failed', errorFields(error)));
        };
        const answer = await desk.ask(question, actorOf(interaction), options.streamAnswers ? { onPartial } : {});
        await edits;
        const payloads = answerMessages(answer, uiLanguage(answer.language, answerLanguage), desk.engineName);
        // The streamed text was the message's content; the embed replaces it.
        return answerWith(interaction, [{ ...payloads[0]!, content: '' }, ...payloads.slice(1)]);
      }
      case 'subscribe': {
        const words = [interaction.options.getString('mode'), interaction.options.getString('time'), interaction.options.getString('lang')].filter(Boolean).join(' ');
        const parsed = parseSubscribeArgs(words);
        if (!parsed.ok) return void (await interaction.editReply(plain(m.badSubscribeArgs(parsed.problem))));
        const subscription = await subscriptions.subscribe(channelRef(interaction), { ...parsed.options, timeZone: options.timeZone }, new Date());
        return void (await interaction.editReply(plain(subscription.mode === 'digest' ? m.subscribedDigest(subscription.digestTime!, subscription.timeZone!) : m.subscribedEach)));
      }
      case 'unsubscribe':
        return void (await interaction.editReply(plain((await subscriptions.unsubscribe(channelRef(interaction))) ? m.unsubscribed : m.notSubscribed)));
      case 'status': {
        const report = await delivery.report();
        const all = await subscriptions.list();
        const active = all.filter((s) => s.active).length;
        const usage = desk.engineUsage();
        const lines = [
          `${m.statusTitle}: ${m.statusLine(report.pending, report.sent, report.failed, report.dead)}`,
          m.subscribersLine(active, all.length - active),
          ...(usage ? [m.usageLine(usage.requests, usage.promptTokens, usage.completionTokens)] : []),
        ];
        return void (await interaction.editReply(plain(lines.join('\n'))));
      }
    }
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const typed = interaction.options.getFocused().toLowerCase();
    const choices = (await desk.listArticles({ limit: 100 })).items
      .filter((item) => item.id.startsWith(typed) || item.title.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((item) => ({ name: `${item.id} · ${item.title}`.slice(0, 100), value: item.id }));
    await interaction.respond(choices);
  }

  async function fail(interaction: Interaction, error: unknown): Promise<void> {
    const language = languageOf(interaction);
    const text = errorText(error, language);
    if (!isAkhbarError(error)) logger.error('discord interaction failed', { interaction: interaction.id, ...errorFields(error) });
    else logger.info('discord interaction refused', { interaction: interaction.id, reason: error instanceof Error ? error.message : String(error) });
    if (!interaction.isRepliable()) return;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply(plain(text));
      else await interaction.reply({ ...plain(text), flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      logger.warn('could not tell the user about the error', errorFields(replyError));
    }
  }

  client.on(Events.InteractionCreate, async (interaction) => {
    try {
      if (interaction.isAutocomplete()) return await autocomplete(interaction);
      if (interaction.isModalSubmit() && interaction.customId === POST_MODAL) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        return await post(interaction, interaction.fields.getTextInputValue(POST_FIELD));
      }
      if (interaction.isChatInputCommand()) return await command(interaction);
    } catch (error) {
      await fail(interaction, error);
    }
  });
  // Without a listener, a REST or gateway error event would end the process.
  client.on(Events.Error, (error) => logger.error('discord client error', errorFields(error)));
  client.on(Events.Warn, (message) => logger.warn('discord warning', { message }));
  return client;
}
