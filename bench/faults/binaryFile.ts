/**
 * A binary file posted as an article: 4 KB of random bytes named notes.txt, sent by an admin as a
 * user sends a file. On Discord it is an attachment of /post whose address (a local web server)
 * serves the raw bytes; on Telegram a document with /post as its caption, which the fake Bot API
 * serves as the bytes read as UTF-8 (the fake keeps files as text, and that is what the bot's
 * download makes of them too).
 */
import { randomBytes } from 'node:crypto';
import { startFixtureServer } from '../../test/support/fixtureServer.js';
import { discordOnFake, telegramOnFake } from './bots.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

const BYTES = 4_096;
const NOT_TEXT = /^This is not text/u;

interface Seen {
  readonly reply: string;
  readonly stored: number;
}

/** The Discord admin attaches the file to /post. */
const throughDiscord = (noise: Buffer) =>
  withCleanup(async (defer): Promise<Seen> => {
    const admin = '500000000000000001';
    const { fake, core } = await discordOnFake(defer, admin);
    const web = await startFixtureServer();
    defer(() => web.close());
    web.serve('/notes.txt', noise, 'text/plain');
    const attachment = { id: 'att1', filename: 'notes.txt', size: noise.length, url: web.url('/notes.txt'), proxy_url: web.url('/notes.txt'), content_type: 'text/plain' };
    const post = fake.sendCommand({ name: 'post', userId: admin, options: [{ name: 'file', type: 11, value: 'att1' }], resolved: { attachments: { att1: attachment } } });
    await until(() => fake.interaction(post.id).edits.length > 0, 10_000);
    const edit = fake.interaction(post.id).edits[0] as { content?: string } | undefined;
    return { reply: edit?.content ?? '', stored: await core.storage.articles.count() };
  });

/** The Telegram admin sends the file with /post as its caption. */
const throughTelegram = (noise: Buffer) =>
  withCleanup(async (defer): Promise<Seen> => {
    const admin = 1;
    const { fake, core } = await telegramOnFake(defer);
    fake.setFile('noise-1', new TextDecoder().decode(noise));
    fake.pushUpdate({
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: admin, type: 'private' },
        from: { id: admin, is_bot: false, first_name: 'Admin', language_code: 'en' },
        document: { file_id: 'noise-1', file_unique_id: 'noise-1', file_name: 'notes.txt', mime_type: 'text/plain', file_size: noise.length },
        caption: '/post',
        caption_entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    });
    await until(() => fake.sent.some((m) => m.chatId === String(admin)), 10_000);
    return { reply: fake.sent.find((m) => m.chatId === String(admin))?.text ?? '', stored: await core.storage.articles.count() };
  });

const told = (seen: Seen) => (NOT_TEXT.test(seen.reply) ? "'This is not text…'" : seen.reply === '' ? 'nothing' : `'${seen.reply.slice(0, 60)}'`);

/** Row 4 of the table. */
export const binaryFile: FaultCase = {
  fault: 'A binary file posted (4 KB of random bytes)',
  required: "refused: 'this is not text', nothing stored",
  async run(): Promise<FaultOutcome> {
    const noise = randomBytes(BYTES);
    const discord = await throughDiscord(noise);
    const telegram = await throughTelegram(noise);
    return {
      result: `Discord attachment told ${told(discord)}, ${discord.stored} stored; Telegram document told ${told(telegram)}, ${telegram.stored} stored`,
      ok: [discord, telegram].every((seen) => NOT_TEXT.test(seen.reply) && seen.stored === 0),
    };
  },
};
