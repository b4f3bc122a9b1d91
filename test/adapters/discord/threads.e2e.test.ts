/**
 * Threads, forums and filters through the real discord.js Client against the fake Discord: a thread
 * subscribes on its own and is delivered to like a channel; from a post of a forum channel the forum
 * subscribes, and each article opens a post there; /filter keeps out what a subscription does not want.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordBot } from '../../support/discordBot.js';
import { startFakeDiscord } from '../../support/fakeDiscord.js';

const ADMIN = '500000000000000001';
const EDITOR = '500000000000000002';
const MANAGE_CHANNELS = String(1 << 4);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startBot() {
  const fake = await startFakeDiscord();
  cleanup.push(() => fake.close());
  const core = await startDiscordBot(fake, { adminId: ADMIN });
  cleanup.push(() => core.stop());
  /** Runs a slash command as the editor (Manage Channels) and resolves with what its reply said. */
  const command = async (name: string, channelId: string, options: Record<string, string> = {}) => {
    const sent = fake.sendCommand({
      name,
      userId: EDITOR,
      permissions: MANAGE_CHANNELS,
      channelId,
      options: Object.entries(options).map(([key, value]) => ({ name: key, type: 3, value })),
    });
    await fake.waitFor(() => fake.interaction(sent.id).edits.length > 0 || fake.interaction(sent.id).callbacks.some((c) => c.type === 4));
    const record = fake.interaction(sent.id);
    return JSON.stringify(record.edits[0] ?? record.callbacks[0]);
  };
  const post = async (text: string) => {
    const sent = fake.sendCommand({ name: 'post', userId: ADMIN, options: [{ name: 'text', type: 3, value: text }] });
    await fake.waitFor(() => fake.interaction(sent.id).edits.length > 0);
  };
  return { fake, ...core, command, post };
}

const OIL = 'Oil prices rose on Monday as traders weighed supply cuts announced by producers at the weekend. Analysts expect more rises.';
const FOOTBALL = 'The city football club won the cup final on Sunday after extra time. Fans celebrated in the main square until late.';

describe('Discord threads and forums', () => {
  it('a thread subscribes on its own with a filter, and receives only what passes, in the thread', async () => {
    const { fake, command, post, subscriptions, delivery } = await startBot();
    expect(await command('subscribe', fake.channelId)).toContain('Subscribed');
    expect(await command('subscribe', fake.threadId, { format: 'headline' })).toContain('Subscribed');
    expect(await command('filter', fake.threadId, { rule: 'exclude football' })).toContain('Never articles mentioning');
    expect(await subscriptions.get(`discord:${fake.threadId}`)).toMatchObject({ format: 'headline', filters: { exclude: ['football'] } });

    await post(OIL);
    await post(FOOTBALL);
    await fake.waitFor(() => fake.channelMessages.filter((m) => m.channelId === fake.channelId).length === 2);
    await fake.waitFor(() => fake.channelMessages.some((m) => m.channelId === fake.threadId));
    await delivery.worker.idle();
    const inThread = fake.channelMessages.filter((m) => m.channelId === fake.threadId);
    expect(inThread).toHaveLength(1);
    // A headline, as text without embeds, its link preview suppressed.
    expect(inThread[0]!.body).toMatchObject({ content: expect.stringMatching(/^📰 New article\n\*\*Oil prices rose/u), flags: 4 });
    expect(inThread[0]!.body.embeds ?? []).toEqual([]);

    const football = fake.channelMessages.find((m) => m.channelId === fake.channelId && m.body.embeds?.[0]?.title?.startsWith('The city football'))!;
    const footballId = football.body.embeds[0].footer.text as string;
    expect(await command('filter', fake.threadId, { rule: `test ${footballId}` })).toMatch(/Blocked: .*excludes \\"football\\" \(matched football\)/u);
  });

  it('a forum subscribes from one of its posts, and each delivery opens a post named after the article', async () => {
    const { fake, command, post, subscriptions, delivery } = await startBot();
    expect(await command('subscribe', fake.forumPostId, { where: 'forum', format: 'full' })).toContain('#desk: Subscribed');
    expect(await subscriptions.get(`discord:${fake.forumId}`)).toMatchObject({ forum: true, format: 'full' });
    expect(await subscriptions.get(`discord:${fake.forumPostId}`)).toBeUndefined();
    expect(await command('filter', fake.forumPostId, { where: 'forum', rule: 'include oil' })).toContain('#desk: ');

    await post(OIL);
    await post(FOOTBALL);
    await fake.waitFor(() => fake.forumPosts.length > 0);
    await delivery.worker.idle();
    expect(fake.forumPosts.map((p) => p.name)).toEqual([expect.stringMatching(/^Oil prices rose on Monday/u)]);
    // The summary and, for full, the article's first paragraph after it.
    expect(fake.forumPosts[0]!.message.embeds[0].description).toMatch(/^• .+\n\nOil prices rose on Monday as traders weighed supply cuts/su);
    expect(fake.channelMessages.filter((m) => m.channelId === fake.forumId)).toEqual([]);
  });
});
