/**
 * Discord masked links `[text](http://…)` in untrusted text: an article an admin posts and an item
 * of a feed the bot follows both carry them, in the headline and in the body. The real discord.js
 * client runs against the fake gateway and REST API; a subscribed channel gets both articles, and a
 * member asks for a summary and an answer. Everything the bot sent to Discord is searched for a
 * masked link to the disguised address that Discord would render as a link.
 */
import type { FakeDiscord } from '../../test/support/fakeDiscord.js';
import { startFixtureServer } from '../../test/support/fixtureServer.js';
import { discordOnFake } from './bots.js';
import { until, withCleanup } from './harness.js';
import type { FaultCase, FaultOutcome } from './types.js';

const ADMIN = '500000000000000001';
const MEMBER = '500000000000000002';
const MANAGE_CHANNELS = String(1 << 4);
const EVIL = 'http://evil.example';
// A masked link Discord renders: `[text](address)` with neither bracket escaped.
const RENDERED_LINK = new RegExp(String.raw`(?<!\\)\[[^\]]*(?<!\\)\]\(\s*<?${EVIL.replace(/[.]/gu, '\\.')}`, 'u');

const ARTICLE = [
  `Ministry warns of [rate rise](${EVIL}/title) letters`,
  '',
  `Customers of Northvale Bank must confirm their accounts at [the ministry portal](${EVIL}/login) before Friday, the letters say.`,
  'The ministry of finance said on Monday that it had sent no such letters and that the portal named in them is not its own.',
  'Officials asked anyone who had entered a password there to change it at once and to tell their bank.',
].join('\n');

const feed = (base: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbour News</title>
  <link>${base}/</link>
  <description>Local news</description>
  <item>
    <title>Ferry fares [cut by half](${EVIL}/ferry) from May</title>
    <link>${base}/news/ferry-fares.html</link>
    <guid isPermaLink="false">harbour-ferry-fares</guid>
    <pubDate>Mon, 16 Mar 2026 08:00:00 GMT</pubDate>
    <content:encoded><![CDATA[<p>Ferry fares between Port Ellery and the islands will be cut by half from May, and tickets can already be booked at [the ferry office](${EVIL}/tickets) online.</p>
<p>The harbour board said the lower fares would be paid for by the new berth fees that cruise ships began paying this year, and would last at least two years.</p>
<p>Islanders have long asked for cheaper crossings, which cost a family of four more than a week of groceries at the current price.</p>]]></content:encoded>
  </item>
</channel>
</rss>`;

const FERRY_PAGE = `<!doctype html><html><head><title>Ferry fares [cut by half](${EVIL}/ferry) from May</title></head><body><article>
<h1>Ferry fares [cut by half](${EVIL}/ferry) from May</h1>
<p>Ferry fares between Port Ellery and the islands will be cut by half from May, and tickets can already be booked at [the ferry office](${EVIL}/tickets) online.</p>
<p>The harbour board said the lower fares would be paid for by the new berth fees that cruise ships began paying this year, and would last at least two years.</p>
<p>Islanders have long asked for cheaper crossings, which cost a family of four more than a week of groceries at the current price.</p>
<p>The board will review the fares in two years, when the berth fees are set again, and said it expected the number of crossings to grow by a fifth.</p>
</article></body></html>`;

/** Every string value in a payload, however deep. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const each of value) strings(each, out);
  else if (typeof value === 'object' && value !== null) for (const each of Object.values(value)) strings(each, out);
  return out;
}

/** What Discord shows as markdown, by where it sits: content, embed descriptions and field values (titles and footers are plain text). */
function renderedTexts(payload: unknown): string[] {
  const out: string[] = [];
  if (typeof payload !== 'object' || payload === null) return out;
  const body = payload as { content?: unknown; data?: unknown; embeds?: unknown };
  if (typeof body.content === 'string') out.push(body.content);
  if (body.data !== undefined) out.push(...renderedTexts(body.data));
  if (Array.isArray(body.embeds)) {
    for (const embed of body.embeds as { description?: unknown; fields?: { value?: unknown }[] }[]) {
      if (typeof embed.description === 'string') out.push(embed.description);
      for (const field of embed.fields ?? []) if (typeof field.value === 'string') out.push(field.value);
    }
  }
  return out;
}

/** Every payload the bot sent to Discord: channel messages, interaction replies, edits and follow-ups. */
function payloads(fake: FakeDiscord, interactions: readonly string[]): unknown[] {
  const out: unknown[] = fake.channelMessages.map((m) => m.body as unknown);
  for (const id of interactions) {
    const record = fake.interaction(id);
    out.push(...(record.callbacks as unknown[]), ...(record.edits as unknown[]), ...(record.followUps as unknown[]));
  }
  return out;
}

const answeredIn = (fake: FakeDiscord, id: string) => fake.interaction(id).edits.length > 0 || (fake.interaction(id).callbacks as { type?: number }[]).some((c) => c.type === 4);

/** Row 3 of the table. */
export const discordMaskedLinks: FaultCase = {
  fault: 'Discord masked links [text](http://…) in article or feed text',
  required: 'escaped in what is sent to Discord',
  run: () =>
    withCleanup(async (defer): Promise<FaultOutcome> => {
      const { fake, core } = await discordOnFake(defer, ADMIN);
      const web = await startFixtureServer();
      defer(() => web.close());
      web.serve('/harbour.xml', feed(web.base), 'application/rss+xml');
      // The item's own page, which the poller reads because the item's text is a teaser; it
      // carries the same masked links (a page that never answers is tried again later instead).
      web.serve('/news/ferry-fares.html', FERRY_PAGE, 'text/html; charset=utf-8');

      const asked: string[] = [];
      const command = async (options: Parameters<FakeDiscord['sendCommand']>[0]) => {
        const { id } = fake.sendCommand(options);
        asked.push(id);
        if (!(await until(() => answeredIn(fake, id), 10_000))) throw new Error(`/${options.name} was not answered`);
      };
      await command({ name: 'subscribe', userId: MEMBER, permissions: MANAGE_CHANNELS });
      await command({ name: 'post', userId: ADMIN, options: [{ name: 'text', type: 3, value: ARTICLE }] });
      // A subcommand carries its own options, which the fake passes on as given.
      const add = { name: 'add', type: 1, value: undefined, options: [{ name: 'url', type: 3, value: web.url('/harbour.xml') }] };
      await command({ name: 'feed', userId: ADMIN, options: [add] });
      await until(() => fake.channelMessages.length >= 2, 10_000);
      const [posted, fromFeed] = (await core.desk.listArticles()).items;
      for (const article of [posted, fromFeed]) if (article) await command({ name: 'summary', userId: MEMBER, options: [{ name: 'id', type: 3, value: article.id }] });
      await command({ name: 'ask', userId: MEMBER, options: [{ name: 'question', type: 3, value: 'Where must Northvale Bank customers confirm their accounts?' }] });
      await command({ name: 'ask', userId: MEMBER, options: [{ name: 'question', type: 3, value: 'Where can ferry tickets be booked?' }] });

      const sent = payloads(fake, asked);
      const carrying = sent.filter((payload) => strings(payload).some((text) => text.includes(EVIL))).length;
      const rendered = sent.flatMap(renderedTexts).filter((text) => RENDERED_LINK.test(text));
      const inTitles = sent.flatMap((payload) => strings(payload)).filter((text) => RENDERED_LINK.test(text)).length - rendered.length;
      const stored = (await core.desk.listArticles()).total;
      const result =
        `${stored} articles (1 posted, ${Math.max(0, stored - 1)} from the feed); ${fake.channelMessages.length} channel deliveries and ${asked.length} replies sent, ` +
        `${carrying} payloads carry the disguised address; ${rendered.length} as a rendered masked link` +
        (rendered.length > 0 ? ` ('${rendered[0]!.slice(0, 80)}')` : '') +
        (inTitles > 0 ? `; ${inTitles} left as written in embed titles or footers, where Discord renders no masked link` : '');
      return { result, ok: stored === 2 && fake.channelMessages.length >= 2 && carrying > 0 && rendered.length === 0 };
    }),
};
