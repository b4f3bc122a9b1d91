/**
 * The message menu's commands through the real discord.js Client against the fake Discord: a user
 * picks "Ask akhbar about this" or "Summarize" on someone's message and alone reads the answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../../support/fixtures.js';
import { startDiscordBot } from '../../support/discordBot.js';
import { startFakeDiscord } from '../../support/fakeDiscord.js';
import { startFixtureServer } from '../../support/fixtureServer.js';

const MEMBER = '500000000000000002';
const EPHEMERAL = 1 << 6;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot() {
  const fake = await startFakeDiscord();
  cleanup.push(() => fake.close());
  const bot = await startDiscordBot(fake, { adminId: '500000000000000001' });
  cleanup.push(() => bot.stop());
  return { fake, desk: bot.desk };
}

/** Picks `name` on a message holding `content` and resolves with the private answer the user read. */
async function pick(fake: Awaited<ReturnType<typeof startBot>>['fake'], name: string, content: string, locale?: string) {
  const picked = fake.sendMessageCommand({ name, message: { content }, userId: MEMBER, ...(locale ? { locale } : {}) });
  await fake.waitFor(() => fake.interaction(picked.id).edits.length > 0);
  const { callbacks, edits } = fake.interaction(picked.id);
  expect(callbacks[0]).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
  return edits[0];
}

const shown = (edit: { content?: string; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[] }) =>
  [edit.content ?? '', ...(edit.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');

describe('Discord message menu', () => {
  it('answers "Ask akhbar about this" privately, citing the stored article', async () => {
    const { fake, desk } = await startBot();
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    const edit = await pick(fake, 'Ask akhbar about this', 'How quickly can the gates be closed?');
    expect(edit.embeds[0].description).toContain('25 minutes');
    expect(edit.embeds[0].fields[0].name).toMatch(/^Sources: [0-9a-f]{12}$/);
    expect(edit.embeds[0].fields[0].value).toContain('Marlow Bay opens its new flood barrier after six years of work');
  });

  it('says a message without text has nothing to ask about', async () => {
    const { fake } = await startBot();
    expect(shown(await pick(fake, 'Ask akhbar about this', ''))).toBe('This message has no text to ask about.');
  });

  it('summarizes a message holding an article’s text, and stores nothing', async () => {
    const { fake, desk } = await startBot();
    const edit = await pick(fake, 'Summarize', sampleArticle('en-rail-strike.txt'));
    const text = shown(edit);
    expect(text.split('\n')[0]).toBe('**Rail workers in Northvale call off strike after pay deal**');
    expect(text).toMatch(/^• The deal gives drivers and conductors a 6 percent raise this year/m);
    expect(text).toContain('Read, not stored');
    expect(desk.articleCount).toBe(0);
  });

  it('summarizes the page a message links to, without storing it', async () => {
    const { fake, desk } = await startBot();
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    const edit = await pick(fake, 'Summarize', `Have you seen this? ${web.url('/ar-news.html')}.`);
    const text = shown(edit);
    expect(text).toContain('افتتاح جسر وادي الرمال يربط شطري مدينة النخيل');
    expect(text).not.toMatch(/أخبار الواحة|اقرأ أيضا|جميع الحقوق/);
    expect(web.hits('/ar-news.html')).toBe(1);
    expect(desk.articleCount).toBe(0);
  });

  it('says a message is too short to summarize', async () => {
    const { fake } = await startBot();
    expect(shown(await pick(fake, 'Summarize', 'lol, nice'))).toBe('This message is too short to summarize: pick a message with an article’s text or a link to one.');
  });
});
