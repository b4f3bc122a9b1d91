/**
 * The Discord adapter started as in production (gateway, REST, the delivery sender) against the
 * fake gateway and REST API, on the core services over a memory database: for the end-to-end
 * specs and the fault suite (`npm run bench -- faults`), as telegramBot.ts is for Telegram.
 */
import { discordSender, startDiscord, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import type { FakeDiscord } from './fakeDiscord.js';
import { startCore } from './services.js';

// No pacing to wait out: these specs are about what the bot says and sends, not how fast.
const UNPACED = { perSecond: 200, chatIntervalMs: { private: 0, group: 0, channel: 0 } };

/** What a spec may change of the bot. */
export interface DiscordBotOptions {
  /** The admin's Discord user id (default 1). */
  readonly adminId?: string;
  readonly engine?: Engine;
  /** More configuration, as environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Answers shown while they are written, edited at once. */
  readonly stream?: boolean;
  readonly gateway?: Parameters<typeof startDiscord>[0]['gateway'];
}

/** A running bot; `stop()` stops the adapter, then the core (not the fake). */
export type StartedDiscordBot = Awaited<ReturnType<typeof startCore>> & {
  readonly adapter: DiscordAdapter;
  stop(): Promise<void>;
};

/** Starts the bot on `fake`. */
export async function startDiscordBot(fake: FakeDiscord, options: DiscordBotOptions = {}): Promise<StartedDiscordBot> {
  const core = await startCore({
    adminId: `discord:${options.adminId ?? '1'}`,
    sender: discordSender({ token: fake.token, restApi: fake.restApi, defaultLanguage: 'en' }),
    limits: UNPACED,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const stopCore = () => Promise.all([core.delivery.stop(), core.sources.stop()]).then(() => undefined);
  const adapter = await startDiscord({
    token: fake.token,
    restApi: fake.restApi,
    desk: core.desk,
    subscriptions: core.subscriptions,
    delivery: core.delivery,
    sources: core.sources,
    lastAnswers: core.lastAnswers,
    defaultLanguage: 'en',
    timeZone: 'UTC',
    maxArticleChars: core.maxArticleChars,
    logger: options.logger ?? silentLogger,
    ...(options.stream ? { streamAnswers: true, streamEditIntervalMs: 0 } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
  }).catch(async (error: unknown) => {
    await stopCore();
    throw error;
  });
  return {
    ...core,
    adapter,
    async stop() {
      await adapter.stop();
      await stopCore();
    },
  };
}
