/**
 * An article id with a hidden bidi control, as a copy from a right-to-left chat pastes it:
 * `/summary \u202E<id>`, on Telegram and Discord through the real adapters and the fakes; also a
 * short prefix of the id with a zero-width space and a right-to-left mark around it.
 */
import { sampleArticle } from '../../test/support/fixtures.js';
import { discordOnFake, telegramOnFake } from './bots.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

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
    const { fake, core } = await telegramOnFake(defer);
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
    const { fake, core } = await discordOnFake(defer, '500000000000000001');
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
