/**
 * The real chat adapters on the core services (a memory store), each against its local fake, as
 * several fault cases start them; everything is stopped through the case's `defer`.
 */
import { startTelegram, telegramSender, type TelegramAdapter } from '../../src/adapters/telegram/index.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { startDiscordBot, type StartedDiscordBot } from '../../test/support/discordBot.js';
import { startFakeDiscord, type FakeDiscord } from '../../test/support/fakeDiscord.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/support/fakeTelegram.js';
import { startCore } from '../../test/support/services.js';
import type { Defer } from './harness.js';

// No pacing to wait out: these cases are about what the bot says, not how fast it broadcasts.
const UNPACED = { perSecond: 200, chatIntervalMs: { private: 0, group: 0, channel: 0 } };

type Core = Awaited<ReturnType<typeof startCore>>;

/** The Telegram adapter against a fake Bot API, admin `telegram:1`; in webhook mode (on a free port) when `webhookSecret` is given. */
export async function telegramOnFake(
  defer: Defer,
  options: { readonly logger?: Logger; readonly webhookSecret?: string } = {},
): Promise<{ fake: FakeTelegram; core: Core; adapter: TelegramAdapter }> {
  const fake = await startFakeTelegram();
  defer(() => fake.close());
  const core = await startCore({ adminId: 'telegram:1', sender: telegramSender({ token: fake.token, apiRoot: fake.apiRoot, defaultLanguage: 'en' }), limits: UNPACED });
  defer(() => core.sources.stop());
  defer(() => core.delivery.stop());
  const adapter = await startTelegram({
    token: fake.token,
    apiRoot: fake.apiRoot,
    ...core,
    defaultLanguage: 'en',
    timeZone: 'UTC',
    logger: options.logger ?? silentLogger,
    ...(options.webhookSecret ? { webhook: { url: 'https://bot.example/telegram', secret: options.webhookSecret, port: 0 } } : {}),
  });
  defer(() => adapter.stop());
  return { fake, core, adapter };
}

/** The Discord adapter against a fake gateway and REST API, admin `discord:<adminId>`. */
export async function discordOnFake(defer: Defer, adminId: string): Promise<{ fake: FakeDiscord; core: StartedDiscordBot }> {
  const fake = await startFakeDiscord();
  defer(() => fake.close());
  const core = await startDiscordBot(fake, { adminId });
  defer(() => core.stop());
  return { fake, core };
}
