/**
 * Starting and stopping the Discord adapter, its delivery sender, and command registration.
 */
import { once } from 'node:events';
import { Events, REST, Routes } from 'discord.js';
import type { Sender } from '../../core/delivery/index.js';
import { redactSecret } from '../../core/logger.js';
import type { UiLanguage } from '../messages.js';
import { createDiscordClient, type DiscordBotOptions } from './bot.js';
import { slashCommands } from './commands.js';
import { createDiscordSender } from './sender.js';

export { createDiscordClient } from './bot.js';
export { classifyDiscordError, createDiscordSender } from './sender.js';
export { slashCommands } from './commands.js';

/** A running Discord adapter. */
export interface DiscordAdapter {
  stop(): Promise<void>;
}

function rest(token: string, restApi?: string): REST {
  return new REST(restApi ? { api: restApi } : {}).setToken(token);
}

/** The delivery sender for Discord. */
export function discordSender(options: { token: string; restApi?: string; defaultLanguage: UiLanguage }): Sender {
  return createDiscordSender(rest(options.token, options.restApi), options.defaultLanguage);
}

/** Logs in and resolves once the client is ready. */
export async function startDiscord(options: DiscordBotOptions & { readonly token: string }): Promise<DiscordAdapter> {
  redactSecret(options.token);
  const client = createDiscordClient(options);
  const ready = once(client, Events.ClientReady);
  await client.login(options.token);
  await ready;
  options.logger.info('discord client ready', { user: client.user?.tag });
  return {
    async stop() {
      await client.destroy();
    },
  };
}

/** Registers the slash commands: in one guild when `guildId` is given (instant), else globally. */
export async function registerDiscordCommands(options: { token: string; appId: string; guildId?: string; restApi?: string }): Promise<number> {
  const route = options.guildId ? Routes.applicationGuildCommands(options.appId, options.guildId) : Routes.applicationCommands(options.appId);
  const registered = (await rest(options.token, options.restApi).put(route, { body: slashCommands() })) as unknown[];
  return registered.length;
}
