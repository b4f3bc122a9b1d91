/**
 * Starting and stopping the Discord adapter, its delivery sender, and command registration.
 */
import { once } from 'node:events';
import { Events, REST, Routes, type Client, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Sender } from '../../core/delivery/index.js';
import { holdExclusiveRole } from '../../core/exclusive.js';
import { redactSecret } from '../../core/logger.js';
import type { Leases } from '../../core/ports.js';
import type { UiLanguage } from '../../i18n/messages.js';
import { createDiscordClient, type DiscordBotOptions } from './client.js';
import { discordCommands } from './commands/index.js';
import { createDeliveryRest, createDiscordSender } from './sender.js';

export { createDiscordClient } from './client.js';
export { classifyDiscordError, createDiscordSender } from './sender.js';

/** Every slash command's definition, as registration sends them. */
export function slashCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...discordCommands().values()].map((module) => module.data.toJSON());
}

/** A running Discord adapter. */
export interface DiscordAdapter {
  stop(): Promise<void>;
}

function rest(token: string, restApi?: string): REST {
  return new REST(restApi ? { api: restApi } : {}).setToken(token);
}

/** The delivery sender for Discord: its own REST client, which leaves rate limits and retries to the delivery engine. */
export function discordSender(options: { token: string; restApi?: string; defaultLanguage: UiLanguage }): Sender {
  return createDiscordSender(createDeliveryRest(options.token, options.restApi), options.defaultLanguage);
}

/** Several processes on one database: only the holder of the `discord-gateway` lease connects. */
export interface DiscordGatewayLease {
  readonly leases: Pick<Leases, 'acquire' | 'renew' | 'release'>;
  readonly owner: string;
  readonly leaseMs?: number;
  readonly renewMs?: number;
}

/** The lease that one process at a time holds to keep the gateway connection. */
export const DISCORD_GATEWAY_LEASE = 'discord-gateway';

/**
 * Logs in and resolves once the client is ready. With `gateway`, only while this process holds the
 * gateway lease (Discord would deliver every interaction to each connection, answered twice);
 * otherwise it resolves at once and stands by, taking over if the holder goes.
 */
export async function startDiscord(options: DiscordBotOptions & { readonly token: string; readonly gateway?: DiscordGatewayLease }): Promise<DiscordAdapter> {
  redactSecret(options.token);
  let client: Client | undefined;
  const connect = async () => {
    const connecting = createDiscordClient(options);
    client = connecting;
    const ready = once(connecting, Events.ClientReady);
    await connecting.login(options.token);
    await ready;
    options.logger.info('discord client ready', { user: connecting.user?.tag });
  };
  const disconnect = async () => {
    const current = client;
    client = undefined;
    await current?.destroy();
  };
  const { gateway } = options;
  if (!gateway) {
    await connect();
    return { stop: disconnect };
  }
  const role = holdExclusiveRole({
    leases: gateway.leases,
    key: DISCORD_GATEWAY_LEASE,
    owner: gateway.owner,
    logger: options.logger,
    ...(gateway.leaseMs !== undefined ? { leaseMs: gateway.leaseMs } : {}),
    ...(gateway.renewMs !== undefined ? { renewMs: gateway.renewMs } : {}),
    start: async () => {
      try {
        await connect();
      } catch (error) {
        await disconnect();
        throw error;
      }
    },
    stop: disconnect,
    onRefused: (first) => {
      if (first) options.logger.info('discord gateway held by another instance; this one sends deliveries only and takes over if that one stops');
    },
  });
  await role.ready;
  return { stop: () => role.stop() };
}

/** Registers the slash commands: in one guild when `guildId` is given (instant), else globally. */
export async function registerDiscordCommands(options: { token: string; appId: string; guildId?: string; restApi?: string }): Promise<number> {
  const route = options.guildId ? Routes.applicationGuildCommands(options.appId, options.guildId) : Routes.applicationCommands(options.appId);
  const registered = (await rest(options.token, options.restApi).put(route, { body: slashCommands() })) as unknown[];
  return registered.length;
}
