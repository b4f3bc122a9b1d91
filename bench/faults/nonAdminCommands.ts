/**
 * /status and /feed list asked by someone who is not an admin: the refusal must say what was
 * refused, not "Only admins can post articles.". Asked on Telegram (in English and Arabic) and on
 * Discord, through the real adapters and the fakes.
 */
import { messages, type UiLanguage } from '../../src/i18n/messages.js';
import { discordOnFake, telegramOnFake } from './bots.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';


interface Asked {
  readonly where: string;
  readonly command: 'status' | 'feed list';
  readonly language: UiLanguage;
  readonly reply: string;
}

/** The refusal that names `command`, and whether `reply` is it. */
function names(asked: Asked): boolean {
  const m = messages(asked.language);
  return asked.reply === (asked.command === 'status' ? m.notAdminStatus : m.notAdminFeed) && asked.reply !== m.notAdmin;
}

const onTelegram = () =>
  withCleanup(async (defer): Promise<Asked[]> => {
    const { fake } = await telegramOnFake(defer);
    const asked: Asked[] = [];
    let chat = 100;
    for (const language of ['en', 'ar'] as const) {
      for (const command of ['status', 'feed list'] as const) {
        const chatId = ++chat;
        fake.pushMessage({ text: `/${command}`, fromId: chatId, chatId, languageCode: language });
        await until(() => fake.sent.some((m) => m.chatId === String(chatId)), 5_000);
        asked.push({ where: 'Telegram', command, language, reply: fake.sent.find((m) => m.chatId === String(chatId))?.text ?? '' });
      }
    }
    return asked;
  });

const onDiscord = () =>
  withCleanup(async (defer): Promise<Asked[]> => {
    const { fake } = await discordOnFake(defer, '500000000000000001');
    const member = '500000000000000002';
    // A subcommand carries its own options, which the fake passes on as given.
    const list = { name: 'list', type: 1, value: undefined, options: [] };
    const asked: Asked[] = [];
    for (const [command, sent] of [
      ['status', fake.sendCommand({ name: 'status', userId: member })],
      ['feed list', fake.sendCommand({ name: 'feed', userId: member, options: [list] })],
    ] as const) {
      await until(() => fake.interaction(sent.id).callbacks.length > 0 || fake.interaction(sent.id).edits.length > 0, 5_000);
      const record = fake.interaction(sent.id);
      const first = (record.edits[0] ?? (record.callbacks[0] as { data?: unknown } | undefined)?.data) as { content?: string } | undefined;
      asked.push({ where: 'Discord', command, language: 'en', reply: first?.content ?? '' });
    }
    return asked;
  });

/** Row 7 of the issue's table. */
export const nonAdminCommands: FaultCase = {
  fault: '/status, /feed list by a non-admin',
  required: "a message that names the command (not 'Only admins can post articles.')",
  async run(): Promise<FaultOutcome> {
    const asked = [...(await onTelegram()), ...(await onDiscord())];
    const wrong = asked.filter((each) => !names(each));
    const english = [...new Set(asked.filter((each) => each.language === 'en').map((each) => `/${each.command}: '${each.reply}'`))].join('; ');
    const result =
      `${asked.length - wrong.length} of ${asked.length} refusals name the command (Telegram en+ar, Discord): ${english}` +
      (wrong.length > 0 ? `; wrong: ${wrong.map((each) => `${each.where} /${each.command} (${each.language}) '${each.reply.slice(0, 60)}'`).join(', ')}` : '');
    return { result, ok: wrong.length === 0 };
  },
};
