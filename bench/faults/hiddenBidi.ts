/**
 * An article id with a hidden bidi control, as a copy from a right-to-left chat pastes it:
 * `/summary \u202E<id>`, on Telegram and Discord through the real adapters and the fakes; also a
 * short prefix of the id with a zero-width space and a right-to-left mark around it.
 */
import { discordSender, startDiscord } from '../../src/adapters/discord/index.js';
import { startTelegram, telegramSender } from '../../src/adapters/telegram/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { sampleArticle } from '../../test/support/fixtures.js';
import { startFakeDiscord } from '../../test/support/fakeDiscord.js';
import { startFakeTelegram } from '../../test/support/fakeTelegram.js';
import { startCore } from '../../test/support/services.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

const LIMITS = { perSecond: 200, chatIntervalMs: { private: 0, group: 0, channel: 0 } };
const TITLE = 'Rail workers in Northvale call off strike after pay deal';
const NOT_FOUND = /There is no article with the id/u;

interface Looked {
  readonly asked: string;
  readonly reply: string;
}

/** The ids as pasted: the whole id after U+202E, and its first six characters between U+200B and U+200F. */
const pasted = (id: string) => [`\u202e${id}`, `\u200b${id.slice(0, 6)}\u200f`];

const onTelegram = () =>
  withCleanup(async (defer): Promise<Looked[]> => {
    const fake = await startFakeTelegram();
    defer(() => fake.close());
    const core = await startCore({ adminId: 'telegram:1', sender: telegramSender({ token: fake.token, apiRoot: fake.apiRoot, defaultLanguage: 'en' }), limits: LIMITS });
    defer(() => core.sources.stop());
    defer(() => core.delivery.stop());
    const adapter = await startTelegram({ token: fake.token, apiRoot: fake.apiRoot, ...core, defaultLanguage: 'en', timeZone: 'UTC', logger: silentLogger });
    defer(() => adapter.stop());
    const { article } = await core.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const looked: Looked[] = [];
    let chatId = 300;
    for (const id of pasted(article.id)) {
      const chat = ++chatId;
      fake.pushMessage({ text: `/summary ${id}`, fromId: chat, chatId: chat });
      await until(() => fake.sent.some((m) => m.chatId === String(chat)), 5_000);
      looked.push({ asked: `Telegram /summary ${JSON.stringify(id)}`, reply: fake.sent.find((m) => m.chatId === String(chat))?.text ?? '' });
    }
    return looked;
  });

const onDiscord = () =>
  withCleanup(async (defer): Promise<Looked[]> => {
    const fake = await startFakeDiscord();
    defer(() => fake.close());
    const core = await startCore({ adminId: 'discord:500000000000000001', sender: discordSender({ token: fake.token, restApi: fake.restApi, defaultLanguage: 'en' }), limits: LIMITS });
    defer(() => core.sources.stop());
    defer(() => core.delivery.stop());
    const adapter = await startDiscord({ token: fake.token, restApi: fake.restApi, ...core, defaultLanguage: 'en', timeZone: 'UTC', logger: silentLogger });
    defer(() => adapter.stop());
    const { article } = await core.desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const id = pasted(article.id)[0]!;
    const sent = fake.sendCommand({ name: 'summary', userId: '500000000000000002', options: [{ name: 'id', type: 3, value: id }] });
    await until(() => fake.interaction(sent.id).edits.length > 0, 5_000);
    return [{ asked: `Discord /summary ${JSON.stringify(id)}`, reply: JSON.stringify(fake.interaction(sent.id).edits[0] ?? '') }];
  });

/** Row 8 of the issue's table. */
export const hiddenBidi: FaultCase = {
  fault: 'An id with a hidden bidi control (/summary \\u202E<id>)',
  required: 'the existing article is found (controls stripped)',
  async run(): Promise<FaultOutcome> {
    const looked = [...(await onTelegram()), ...(await onDiscord())];
    const found = looked.filter((each) => each.reply.includes(TITLE) && !NOT_FOUND.test(each.reply));
    const missed = looked.filter((each) => !found.includes(each));
    const result =
      `${found.length} of ${looked.length} found the article (Telegram: whole id after U+202E, 6-character prefix between U+200B and U+200F; Discord: whole id after U+202E)` +
      (missed.length > 0 ? `; not found: ${missed.map((each) => `${each.asked} → '${each.reply.slice(0, 80)}'`).join(', ')}` : '');
    return { result, ok: missed.length === 0 };
  },
};
