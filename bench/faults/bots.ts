/**
 * The real chat adapters on the core services (a memory store), each against its local fake, as
 * several fault cases start them; everything is stopped through the case's `defer`.
 */
import type { TelegramAdapter } from '../../src/adapters/telegram/index.js';
import { startDiscordBot, type StartedDiscordBot } from '../../test/support/discordBot.js';
import { startFakeDiscord, type FakeDiscord } from '../../test/support/fakeDiscord.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/support/fakeTelegram.js';
import { startTelegramBot, type LogLine, type StartedTelegramBot } from '../../test/support/telegramBot.js';
import type { Defer } from './harness.js';

/** The Telegram adapter against a fake Bot API, admin `telegram:1`, with its log lines kept; in webhook mode (on a free port) when `webhookSecret` is given. */
export async function telegramOnFake(
  defer: Defer,
  options: { readonly webhookSecret?: string } = {},
): Promise<{ fake: FakeTelegram; core: StartedTelegramBot; adapter: TelegramAdapter; lines: LogLine[] }> {
  const fake = await startFakeTelegram();
  defer(() => fake.close());
  const webhook = options.webhookSecret ? { webhook: { url: 'https://bot.example/telegram', secret: options.webhookSecret, port: 0 } } : {};
  const core = await startTelegramBot(fake, webhook);
  defer(() => core.stop());
  return { fake, core, adapter: core.adapter, lines: core.lines };
}

/** The Discord adapter against a fake gateway and REST API, admin `discord:<adminId>`. */
export async function discordOnFake(defer: Defer, adminId: string): Promise<{ fake: FakeDiscord; core: StartedDiscordBot }> {
  const fake = await startFakeDiscord();
  defer(() => fake.close());
  const core = await startDiscordBot(fake, { adminId });
  defer(() => core.stop());
  return { fake, core };
}
