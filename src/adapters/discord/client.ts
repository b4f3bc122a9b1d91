/**
 * The Discord adapter in discord.js's idiom: the slash and message-menu command modules in Collections, each
 * interaction dispatched by its command's name; form submissions and buttons name their command
 * too. Commands answer with views; what reaches the catch here is a failed reply or a bug.
 */
import { Client, Events, GatewayIntentBits, MessageFlags, type Interaction } from 'discord.js';
import { findCommand } from '../../commands/registry.js';
import { errorFields } from '../../core/logger.js';
import { messages, uiLanguage } from '../../i18n/messages.js';
import type { ChatAdapterOptions } from '../options.js';
import { discordCommands } from './commands/index.js';
import { discordMessageCommands } from './commands/messageMenu.js';
import { NO_MENTIONS } from './format.js';
import { formSubmission, runButton, runInteraction, type DiscordDeps } from './interaction.js';
import { parseButtonId } from './render.js';

/** What the Discord adapter talks to. */
export interface DiscordBotOptions extends ChatAdapterOptions {
  /** REST calls go here instead of Discord (a rate-limit proxy, or the tests' fake). */
  readonly restApi?: string;
}

/** Creates the discord.js client with the interaction handlers; logging in is the caller's. */
export function createDiscordClient(options: DiscordBotOptions): Client {
  const logger = options.logger.child({ adapter: 'discord' });
  // Slash commands need no privileged intents: Guilds is enough.
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...(options.restApi ? { rest: { api: options.restApi } } : {}) });
  const commands = discordCommands();
  const messageCommands = discordMessageCommands();
  const deps: DiscordDeps = {
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
    defaultLanguage: options.defaultLanguage,
    streamAnswers: options.streamAnswers ?? false,
    ...(options.streamEditIntervalMs !== undefined ? { streamEditIntervalMs: options.streamEditIntervalMs } : {}),
  };

  async function dispatch(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return commands.get(interaction.commandName)?.autocomplete?.(interaction, deps);
    if (interaction.isChatInputCommand()) {
      const module = commands.get(interaction.commandName);
      if (module) return module.execute(interaction, deps);
      const m = messages(uiLanguage(interaction.locale, options.defaultLanguage));
      return void (await interaction.reply({ content: m.unknownCommand(`/${interaction.commandName}`), allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral }));
    }
    if (interaction.isMessageContextMenuCommand()) return messageCommands.get(interaction.commandName)?.execute(interaction, deps);
    if (interaction.isModalSubmit()) {
      const submitted = formSubmission(interaction);
      const command = submitted && findCommand(submitted.command, 'discord', deps.services);
      if (submitted && command) return runInteraction(interaction, command, { text: submitted.text }, deps);
      return;
    }
    if (interaction.isButton()) {
      const pressed = parseButtonId(interaction.customId);
      const command = pressed && findCommand(pressed.command, 'discord', deps.services);
      if (pressed && command) return runButton(interaction, command, pressed.args, deps);
    }
  }

  async function apologise(interaction: Interaction, error: unknown): Promise<void> {
    logger.error('discord interaction failed', { interaction: interaction.id, ...errorFields(error) });
    if (!interaction.isRepliable()) return;
    const content = messages(uiLanguage(interaction.locale, options.defaultLanguage)).internalError;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
      else await interaction.reply({ content, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      logger.warn('could not tell the user about the error', errorFields(replyError));
    }
  }

  client.on(Events.InteractionCreate, (interaction) => {
    dispatch(interaction).catch((error: unknown) => apologise(interaction, error));
  });
  // Without a listener, a REST or gateway error event would end the process.
  client.on(Events.Error, (error) => logger.error('discord client error', errorFields(error)));
  client.on(Events.Warn, (message) => logger.warn('discord warning', { message }));
  return client;
}
