/**
 * The real discord.js Client, logged in as in production, against a fake gateway and REST API on
 * 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applicationCommands, registerDiscordCommands, slashCommands } from '../../../src/adapters/discord/index.js';
import type { Engine } from '../../../src/core/engine.js';
import { distinctArticle, sampleArticle } from '../../support/fixtures.js';
import { startDiscordBot } from '../../support/discordBot.js';
import { startFakeDiscord } from '../../support/fakeDiscord.js';
import { startFixtureServer } from '../../support/fixtureServer.js';
import { hundredFeeds } from '../../support/opmlFeeds.js';
import { parseOpml, writeOpml } from '../../../src/sources/feeds/opml.js';

const ADMIN = '500000000000000001';
const MEMBER = '500000000000000002';
const MANAGE_CHANNELS = String(1 << 4);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot(options: { engine?: Engine; stream?: boolean; env?: Record<string, string> } = {}) {
  const fake = await startFakeDiscord();
  cleanup.push(() => fake.close());
  const bot = await startDiscordBot(fake, { adminId: ADMIN, ...options });
  cleanup.push(() => bot.stop());
  return { fake, ...bot };
}

const string = (name: string, value: string) => ({ name, type: 3, value });
const text = (x: unknown) => JSON.stringify(x);

describe('Discord bot end to end', () => {
  /** The solar plant story as 3 versions: as written, reflowed onto one line, cut short; its headline apart. */
  function solarVersions(): { headline: string; bodies: string[][] } {
    const lines = sampleArticle('ar-solar-plant.txt').split('\n').filter((line) => line.trim() !== '' && line !== 'Thumbnail');
    const paragraphs = lines.slice(2);
    return { headline: lines[1]!, bodies: [paragraphs, [paragraphs.join(' ')], paragraphs.slice(0, Math.ceil(paragraphs.length * 0.6))] };
  }

  /**
   * The channel subscribes through /subscribe and an admin follows 3 feeds through /feed add, each
   * carrying one version of the story; what the channel was sent once every delivery settled.
   */
  async function storyFromThreeFeeds(env?: Record<string, string>) {
    const { fake, desk, delivery } = await startBot(env ? { env } : {});
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    const { headline, bodies } = solarVersions();
    bodies.forEach((body, n) => {
      const item = `<item><title>${headline}</title><link>${web.base}/news/solar-${n}.html</link><guid>solar-${n}</guid><pubDate>Sun, 15 Mar 2026 10:30:00 GMT</pubDate><content:encoded><![CDATA[${body.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`;
      web.serve(`/feeds/${n}.xml`, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed ${n}</title><link>${web.base}/</link>${item}</channel></rss>`, 'application/rss+xml');
    });
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
    await fake.waitFor(() => fake.interaction(sub.id).edits.length > 0);
    expect(text(fake.interaction(sub.id).edits[0])).toContain('Subscribed');
    for (let n = 0; n < 3; n++) {
      const add = fake.sendCommand({ name: 'feed', userId: ADMIN, options: [{ name: 'add', type: 1, options: [string('url', web.url(`/feeds/${n}.xml`))] }] });
      await fake.waitFor(() => fake.interaction(add.id).edits.length > 0);
      expect(text(fake.interaction(add.id).edits[0])).toMatch(/Following feed/);
    }
    await fake.waitFor(() => fake.channelMessages.length > 0);
    // Every fan-out queued and every queued message sent: nothing more is on its way.
    await delivery.settled();
    await delivery.worker.idle();
    return { delivered: fake.channelMessages.map((m) => m.body), stored: desk.articleCount };
  }

  it('sends a story posted by 3 feeds to a subscribed channel once', async () => {
    const story = await storyFromThreeFeeds();
    expect(story.stored).toBe(3);
    expect(story.delivered).toHaveLength(1);
    expect(story.delivered[0].embeds[0].title).toBe(solarVersions().headline);
  });

  it('sends the channel all 3 versions when stories are off (STORY_WINDOW_HOURS=0)', async () => {
    const story = await storyFromThreeFeeds({ STORY_WINDOW_HOURS: '0' });
    expect(story.stored).toBe(3);
    expect(story.delivered).toHaveLength(3);
  });

  it('sends a channel subscribed with updates the story once, then one "also reported by" line per other outlet, in the language it chose', async () => {
    const { fake, desk, delivery } = await startBot();
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS, options: [string('lang', 'en'), string('updates', 'updates')] });
    await fake.waitFor(() => fake.interaction(sub.id).edits.length > 0);
    expect(text(fake.interaction(sub.id).edits[0])).toContain('one short \\"also reported by\\" note follows');
    const { headline, bodies } = solarVersions();
    const outlets = ['https://desert-news.example/solar', 'https://oasis-times.example/solar-plant', 'https://oasis-times.example/solar-plant-2', 'https://gulf-wire.example/solar'];
    // The fourth is the first version with a line added: another text, so stored, in the same story.
    const texts = [...bodies, [...bodies[0]!, 'تحديث.']].map((body) => [headline, ...body].join('\n\n'));
    for (const [n, url] of outlets.entries()) await desk.postArticle({ text: texts[n]!, url }, { kind: 'operator' });
    await delivery.settled();
    await delivery.worker.idle();
    expect(desk.articleCount).toBe(4);
    const delivered = fake.channelMessages.map((m) => m.body);
    expect(delivered).toHaveLength(3);
    expect(delivered[0].embeds[0].title).toBe(headline);
    expect(delivered.slice(1).map((body) => body.content)).toEqual([
      `🔗 Also reported by oasis-times.example: ${headline} <https://oasis-times.example/solar-plant>`,
      `🔗 Also reported by gulf-wire.example: ${headline} <https://gulf-wire.example/solar>`,
    ]);
  });

  it('an admin’s /post reaches the subscribed channel as an embed', async () => {
    const { fake } = await startBot();
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
    await fake.waitFor(() => fake.interaction(sub.id).edits.length > 0);
    expect(fake.interaction(sub.id).callbacks[0].type).toBe(5);
    expect(text(fake.interaction(sub.id).edits[0])).toContain('Subscribed');

    const post = fake.sendCommand({ name: 'post', userId: ADMIN, options: [string('text', sampleArticle('ar-solar-plant.txt'))] });
    await fake.waitFor(() => fake.interaction(post.id).edits.length > 0);
    expect(text(fake.interaction(post.id).edits[0])).toMatch(/Stored article [0-9a-f]{12}/);
    await fake.waitFor(() => fake.channelMessages.length > 0);
    const delivered = fake.channelMessages[0]!;
    expect(delivered.channelId).toBe(fake.channelId);
    expect(delivered.body.embeds[0].title).toBe('افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة');
    expect(delivered.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('refuses /post and /subscribe to members without the rights', async () => {
    const { fake, desk } = await startBot();
    const post = fake.sendCommand({ name: 'post', userId: MEMBER, options: [string('text', sampleArticle('en-rail-strike.txt'))] });
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(post.id).callbacks.length > 0 && fake.interaction(sub.id).callbacks.length > 0);
    expect(fake.interaction(post.id).callbacks[0]).toMatchObject({ type: 4, data: { content: 'Only admins can post articles.', flags: 64 } });
    expect(fake.interaction(sub.id).callbacks[0].data.content).toMatch(/Only this chat’s admins/);
    expect(desk.articleCount).toBe(0);
  });

  it('lets an admin /delete an article, privately, and refuses a member', async () => {
    const { fake, desk } = await startBot();
    const { article } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    const refused = fake.sendCommand({ name: 'delete', userId: MEMBER, options: [string('id', article.id)] });
    await fake.waitFor(() => fake.interaction(refused.id).callbacks.length > 0);
    expect(fake.interaction(refused.id).callbacks[0]).toMatchObject({ type: 4, data: { content: 'Only admins can delete articles.', flags: 64 } });
    expect(desk.articleCount).toBe(1);

    const deleted = fake.sendCommand({ name: 'delete', userId: ADMIN, options: [string('id', article.id.slice(0, 6))] });
    await fake.waitFor(() => fake.interaction(deleted.id).edits.length > 0);
    expect(fake.interaction(deleted.id).callbacks[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(fake.interaction(deleted.id).edits[0].content).toMatch(new RegExp(`^Deleted article ${article.id}: Marlow Bay opens`));
    expect(desk.articleCount).toBe(0);
    const unknown = fake.sendCommand({ name: 'delete', userId: ADMIN, options: [string('id', article.id)] });
    await fake.waitFor(() => fake.interaction(unknown.id).edits.length > 0);
    expect(fake.interaction(unknown.id).edits[0].content).toMatch(/No articles are stored yet/);
    expect(slashCommands().find((c) => c.name === 'delete')!.options![0]).toMatchObject({ name: 'id', required: true, autocomplete: true });
  });

  it('defers /ask, then answers with citations', async () => {
    const { fake, desk } = await startBot();
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    const ask = fake.sendCommand({ name: 'ask', userId: MEMBER, options: [string('question', 'How quickly can the gates be closed?')] });
    await fake.waitFor(() => fake.interaction(ask.id).edits.length > 0);
    expect(fake.interaction(ask.id).callbacks[0].type).toBe(5);
    const edit = fake.interaction(ask.id).edits[0];
    expect(edit.embeds[0].description).toContain('25 minutes');
    expect(edit.embeds[0].fields[0].name).toMatch(/^Sources: [0-9a-f]{12}$/);
    expect(edit.allowed_mentions).toEqual({ parse: [] });
  });

  it('pages /articles with buttons that edit the list in place', async () => {
    const { fake, desk } = await startBot();
    for (let i = 0; i < 12; i++) await desk.postArticle({ text: distinctArticle(i) }, { kind: 'operator' });
    const list = fake.sendCommand({ name: 'articles', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(list.id).edits.length > 0);
    const first = fake.interaction(list.id).edits[0];
    expect(first.content).toMatch(/^\*\*Articles 1–10 of 12:\*\*/);
    expect(first.components[0].components[0]).toMatchObject({ type: 2, custom_id: 'articles:2', label: '›' });
    const press = fake.sendButton({ customId: 'articles:2', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(press.id).edits.length > 0);
    expect(fake.interaction(press.id).callbacks[0].type).toBe(6);
    expect(fake.interaction(press.id).edits[0].content).toMatch(/^\*\*Articles 11–12 of 12:\*\*/);
    expect(fake.interaction(press.id).edits[0].components[0].components[0]).toMatchObject({ custom_id: 'articles:1', label: '‹' });
  });

  it('refuses an attached file too large for an article by its real size, without downloading it', async () => {
    const { fake, desk } = await startBot();
    const post = fake.sendCommand({
      name: 'post',
      userId: ADMIN,
      options: [{ name: 'file', type: 11, value: 'att1' }],
      resolved: { attachments: { att1: { id: 'att1', filename: 'archive.txt', size: 812_345, url: 'http://127.0.0.1:9/archive.txt', proxy_url: 'http://127.0.0.1:9/archive.txt', content_type: 'text/plain' } } },
    });
    await fake.waitFor(() => fake.interaction(post.id).edits.length > 0);
    expect(fake.interaction(post.id).edits[0].content).toBe('The file archive.txt is 812,345 bytes, too large for an article (at most 100,000 characters).');
    expect(desk.articleCount).toBe(0);
  });

  it('follows the feeds of an OPML file attached to /feed import, and sends them back attached to /feed export', async () => {
    const { fake, storage } = await startBot();
    const web = await startFixtureServer();
    cleanup.push(() => web.close());
    web.serve('/uploads/feeds.opml', writeOpml(hundredFeeds(), { title: 'elsewhere', createdAt: new Date(0) }), 'text/x-opml');
    const attachment = { id: 'att2', filename: 'feeds.opml', size: 40_000, url: web.url('/uploads/feeds.opml'), proxy_url: web.url('/uploads/feeds.opml'), content_type: 'text/x-opml' };
    const imported = fake.sendCommand({
      name: 'feed',
      userId: ADMIN,
      options: [{ name: 'import', type: 1, options: [{ name: 'file', type: 11, value: 'att2' }] }],
      resolved: { attachments: { att2: attachment } },
    });
    await fake.waitFor(() => fake.interaction(imported.id).edits.length > 0);
    expect(fake.interaction(imported.id).edits[0].content).toBe('Following 100 new feed(s) from the OPML file. They are checked soon.');
    expect(await storage.feeds.list()).toHaveLength(100);

    const exported = fake.sendCommand({ name: 'feed', userId: ADMIN, options: [{ name: 'export', type: 1, options: [] }] });
    await fake.waitFor(() => fake.interaction(exported.id).edits.length > 0);
    const edit = fake.interaction(exported.id).edits[0];
    const files = edit.__files as { name: string; text: string }[];
    expect(files.map((f) => f.name)).toEqual(['akhbar-feeds.opml']);
    const byUrl = (a: { url: string }, b: { url: string }) => a.url.localeCompare(b.url);
    expect(parseOpml(files[0]!.text).sort(byUrl)).toEqual(hundredFeeds().sort(byUrl));
  });

  it('tells a member who asks for /status that the figures are for admins', async () => {
    const { fake } = await startBot();
    const status = fake.sendCommand({ name: 'status', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(status.id).callbacks.length > 0);
    expect(fake.interaction(status.id).callbacks[0]).toMatchObject({ type: 4, data: { content: 'Only admins can see the delivery figures.', flags: 64 } });
  });

  it('splits a long answer into an edit and follow-ups', async () => {
    const long = 'The council debated the budget line by line and agreed on most of it. '.repeat(130);
    const engine: Engine = {
      name: 'long-test',
      version: '1',
      summarize: async ({ article }) => ({ sentences: [article.text.slice(0, 50)], language: article.language }),
      answer: async ({ passages }) => ({ found: true, text: long, citations: [{ articleId: passages[0]!.articleId, title: passages[0]!.title, quote: 'q' }] }),
    };
    const { fake, desk } = await startBot({ engine });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const ask = fake.sendCommand({ name: 'ask', userId: MEMBER, options: [string('question', 'What raise do rail drivers get?')] });
    await fake.waitFor(() => fake.interaction(ask.id).followUps.length >= 2);
    const { edits, followUps } = fake.interaction(ask.id);
    for (const message of [edits[0], ...followUps]) expect(message.embeds[0].description.length).toBeLessThanOrEqual(4096);
    expect(followUps[followUps.length - 1].embeds[0].fields).toHaveLength(1);
  });

  it('delivers once when the REST API answers 429 the first time', async () => {
    const { fake, desk } = await startBot();
    const sub = fake.sendCommand({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
    await fake.waitFor(() => fake.interaction(sub.id).edits.length > 0);
    fake.failRest(/^POST \/channels\/\d+\/messages$/, 429, { message: 'You are being rate limited.', retry_after: 0.2, global: false });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    await fake.waitFor(() => fake.channelMessages.length > 0, 8_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.channelMessages).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages/.test(c.path)).length).toBe(2);
  });

  it('opens a form for a long paste when /post has no text, and posts what is submitted', async () => {
    const { fake, desk } = await startBot();
    const post = fake.sendCommand({ name: 'post', userId: ADMIN });
    await fake.waitFor(() => fake.interaction(post.id).callbacks.length > 0);
    expect(fake.interaction(post.id).callbacks[0]).toMatchObject({ type: 9, data: { custom_id: 'akhbar-post' } });
    const submit = fake.sendModalSubmit({ customId: 'akhbar-post', fields: [{ customId: 'article', value: sampleArticle('ar-book-fair.txt') }], userId: ADMIN });
    await fake.waitFor(() => fake.interaction(submit.id).edits.length > 0);
    expect(text(fake.interaction(submit.id).edits[0])).toMatch(/Stored article/);
    expect(desk.articleCount).toBe(1);
  });

  it('suggests recent articles while an id is typed', async () => {
    const { fake, desk } = await startBot();
    const { article } = await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, { kind: 'operator' });
    const auto = fake.sendAutocomplete({ name: 'summary', focused: { name: 'id', value: 'flood' }, userId: MEMBER });
    await fake.waitFor(() => fake.interaction(auto.id).callbacks.length > 0);
    expect(fake.interaction(auto.id).callbacks[0]).toMatchObject({ type: 8, data: { choices: [{ value: article.id }] } });
  });

  it('answers /help with the ways to post on Discord, and promises no paste mode', async () => {
    const { fake } = await startBot();
    const help = fake.sendCommand({ name: 'help', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(help.id).edits.length > 0);
    const content = fake.interaction(help.id).edits[0].content as string;
    expect(content).toMatch(/^akhbar: a news desk\. Commands:/);
    expect(content).toContain('opens a form for a long paste');
    expect(content).not.toMatch(/pasted article|caption/);
  });

  it('tells the user about an unknown command', async () => {
    const { fake } = await startBot();
    const unknown = fake.sendCommand({ name: 'frobnicate', userId: MEMBER });
    await fake.waitFor(() => fake.interaction(unknown.id).callbacks.length > 0);
    expect(fake.interaction(unknown.id).callbacks[0]).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(fake.interaction(unknown.id).callbacks[0].data.content).toMatch(/Unknown command \/frobnicate/);
  });
});

describe('Discord streaming and the LLM engine', () => {
  it('edits the deferred reply while the answer is written, then shows the cited embed', async () => {
    const { startFakeOpenAI } = await import('../../support/fakeOpenAI.js');
    const { fakeLlmEngine } = await import('../../support/llm.js');
    const llm = await startFakeOpenAI();
    cleanup.push(() => llm.close());
    const engine = fakeLlmEngine(llm);
    const { fake, desk } = await startBot({ engine, stream: true });
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    llm.enqueue({ kind: 'stream', chunks: ['{"found": true, "answer": "The gates', ' close in', ' 25 minutes.", "citations": ["P1"]}'] });
    const ask = fake.sendCommand({ name: 'ask', userId: MEMBER, options: [string('question', 'How quickly can the gates be closed?')] });
    await fake.waitFor(() => fake.interaction(ask.id).edits.some((e) => e.embeds?.length > 0));
    const { edits } = fake.interaction(ask.id);
    expect(edits[0].content).toBe('The gates …');
    const final = edits[edits.length - 1];
    expect(final.content).toBe('');
    expect(final.embeds[0].description).toBe('The gates close in 25 minutes.');
    expect(final.embeds[0].fields[0].name).toMatch(/^Sources: /);
  });
});

describe('Discord command registration', () => {
  it('puts every command in one guild when a guild id is given, else globally', async () => {
    const fake = await startFakeDiscord();
    cleanup.push(() => fake.close());
    const base = { token: fake.token, appId: fake.applicationId, restApi: fake.restApi };
    expect(await registerDiscordCommands({ ...base, guildId: fake.guildId })).toBe(applicationCommands().length);
    expect(await registerDiscordCommands(base)).toBe(applicationCommands().length);
    const puts = fake.calls.filter((c) => c.method === 'PUT').map((c) => c.path);
    expect(puts).toEqual([`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`, `/applications/${fake.applicationId}/commands`]);
    const subscribe = slashCommands().find((c) => c.name === 'subscribe')!;
    expect(subscribe.default_member_permissions).toBe(String(1 << 4));
  });
});
