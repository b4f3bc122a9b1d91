/**
 * Starting and stopping the Discord adapter, its delivery sender, and command registration.
 */
import { once } from 'node:events';
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, Events, REST, Routes, type Client, type RESTPostAPIApplicationCommandsJSONBody, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Sender } from '../../core/delivery/index.js';
import { holdExclusiveRole } from '../../core/exclusive.js';
import { errorFields, redactSecret } from '../../core/logger.js';
import { attemptSignal, connectWithRetry, startupTimeout, watchStartup, type StartupOptions } from '../startup.js';
import type { Leases } from '../../core/ports.js';
import type { UiLanguage } from '../../i18n/messages.js';
import { createDiscordClient, type DiscordBotOptions } from './client.js';
import { discordCommands } from './commands/index.js';
import { discordMessageCommands } from './commands/messageMenu.js';
import { createDeliveryRest, createDiscordSender } from './sender.js';

export { createDiscordClient } from './client.js';
export { classifyDiscordError, createDiscordSender } from './sender.js';

/** Every slash command's definition, as registration sends them. */
export function slashCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...discordCommands().values()].map((module) => module.data.toJSON());
}

/** Every command registration sends: the slash commands, then the message menu's. */
export function applicationCommands(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...slashCommands(), ...[...discordMessageCommands().values()].map((module) => module.data.toJSON())];
}

/** A running Discord adapter. */
export interface DiscordAdapter {
  /**
   * Whether the part this process plays on Discord is up: its gateway connection is ready. A
   * process standing by while another instance holds the gateway lease sends over REST only, has no
   * connection to keep, and counts as connected.
   */
  connected(): boolean;
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
export async function startDiscord(
  options: DiscordBotOptions & {
    readonly token: string;
    readonly gateway?: DiscordGatewayLease;
    /** How long to wait for Discord before saying it cannot be reached (it is tried again meanwhile). */
    readonly startup?: StartupOptions;
  },
): Promise<DiscordAdapter> {
  redactSecret(options.token);
  const watch = watchStartup('discord', `Discord at ${options.restApi ?? 'https://discord.com/api'}`, options.logger, options.startup);
  let client: Client | undefined;
  // One try: log in and wait for READY; a failed or given-up try leaves no client behind.
  const connect = async (signal: AbortSignal) => {
    const connecting = createDiscordClient(options);
    client = connecting;
    try {
      const login = connecting.login(options.token);
      // Its failure is seen through Promise.all; a login given up on must not reject unheard.
      login.catch(() => undefined);
      await Promise.all([login, once(connecting, Events.ClientReady, { signal })]);
    } catch (error) {
      if (client === connecting) client = undefined;
      // Not awaited: destroying a client whose login still waits on an unanswered request waits
      // with it, and the next try must not.
      connecting.destroy().catch(() => undefined);
      throw error;
    }
    watch.ready({ user: connecting.user?.tag });
  };
  const disconnect = async () => {
    watch.stop();
    const current = client;
    client = undefined;
    await current?.destroy();
  };
  const { gateway } = options;
  if (!gateway) {
    try {
      await connectWithRetry(connect, watch, { ...options.startup, fatal: tokenRefused });
    } catch (error) {
      watch.stop();
      if (tokenRefused(error)) options.logger.error('Discord refused the bot token: check DISCORD_TOKEN', errorFields(error));
      throw error;
    }
    return { connected: () => client?.isReady() ?? false, stop: disconnect };
  }
  // The lease is not renewed while a try runs: each try ends well before the lease would run out,
  // and the next is the lease's own next round.
  const tryMs = Math.min(startupTimeout(options.startup), ((gateway.leaseMs ?? 15_000) * 2) / 3);
  const role = holdExclusiveRole({
    leases: gateway.leases,
    key: DISCORD_GATEWAY_LEASE,
    owner: gateway.owner,
    logger: options.logger,
    ...(gateway.leaseMs !== undefined ? { leaseMs: gateway.leaseMs } : {}),
    ...(gateway.renewMs !== undefined ? { renewMs: gateway.renewMs } : {}),
    start: async () => {
      const attempt = attemptSignal(tryMs, options.startup?.signal);
      try {
        await connect(attempt.signal);
      } catch (error) {
        watch.attemptFailed(error);
        throw error;
      } finally {
        attempt.done();
      }
    },
    stop: disconnect,
    onRefused: (first) => {
      if (first) options.logger.info('discord gateway held by another instance; this one sends deliveries only and takes over if that one stops');
    },
  });
  await role.ready;
  let stopped = false;
  return {
    connected: () => !stopped && (role.holding ? (client?.isReady() ?? false) : true),
    async stop() {
      stopped = true;
      await role.stop();
    },
  };
}

// A token Discord does not know (401), or one that is not a token at all: waiting will not help.
function tokenRefused(error: unknown): boolean {
  return (error instanceof DiscordAPIError && error.status === 401) || (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid);
}

/** Registers the slash and message-menu commands: in one guild when `guildId` is given (instant), else globally. */
export async function registerDiscordCommands(options: { token: string; appId: string; guildId?: string; restApi?: string }): Promise<number> {
  const route = options.guildId ? Routes.applicationGuildCommands(options.appId, options.guildId) : Routes.applicationCommands(options.appId);
  const registered = (await rest(options.token, options.restApi).put(route, { body: applicationCommands() })) as unknown[];
  return registered.length;
}
