import { ChannelType, Client, Events, GatewayIntentBits, type Interaction, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fakeDiscord.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;
let errors: unknown[] = [];

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
  fake = undefined;
  errors = [];
});

/** Starts the fake and a real discord.js client logged in to it; resolves once clientReady fired. */
async function connect(): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restApi } });
  client.on(Events.Error, (error) => errors.push(error));
  const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return { fake, client };
}

/** Handles interactions; a handler that rejects lands in `errors`, which each spec expects empty, not in an unhandled rejection. */
function onInteraction(client: Client, handler: (interaction: Interaction) => Promise<void>): void {
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => errors.push(error));
  });
}

describe('fake Discord gateway + REST', () => {
  it('logs a real discord.js client in quickly, with the guild and its text channel cached', async () => {
    const started = Date.now();
    const { fake, client } = await connect();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.applicationId);
    const channel = client.channels.cache.get(fake.channelId);
    expect(channel?.type).toBe(ChannelType.GuildText);
    expect(channel?.isTextBased()).toBe(true);
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toContain('GET /gateway/bot');
  });

  it('records a reply to a slash command, with its options, permissions and locale', async () => {
    const { fake, client } = await connect();
    const seen: { name: string; topic: string | null; perms: string | undefined; locale: string }[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.push({ name: i.commandName, topic: i.options.getString('topic'), perms: i.memberPermissions?.bitfield.toString(), locale: i.locale });
      await i.reply('pong');
    });
    const { id } = fake.sendCommand({
      name: 'ping',
      userId: '2200000000000000001',
      options: [{ name: 'topic', type: 3, value: 'sport' }],
      permissions: '8',
      locale: 'ar',
    });
    await fake.waitFor(() => fake.interaction(id).callbacks.length === 1);
    expect(fake.interaction(id).callbacks[0]).toMatchObject({ type: 4, data: { content: 'pong' } });
    expect(seen).toEqual([{ name: 'ping', topic: 'sport', perms: '8', locale: 'ar' }]);
    expect(errors).toEqual([]);
  });

  it('records deferReply then editReply (sent to @original), and a follow-up', async () => {
    const { fake, client } = await connect();
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      const edited = await i.editReply('done');
      expect(edited.content).toBe('done');
      await i.followUp('more');
    });
    const { id, token } = fake.sendCommand({ name: 'slow', userId: '2200000000000000001' });
    await fake.waitFor(() => fake.interaction(id).followUps.length === 1);
    const record = fake.interaction(id);
    expect(record.callbacks).toEqual([expect.objectContaining({ type: 5 })]);
    expect(record.edits).toEqual([expect.objectContaining({ content: 'done' })]);
    expect(record.followUps).toEqual([expect.objectContaining({ content: 'more' })]);
    const paths = fake.calls.map((c) => `${c.method} ${c.path}`);
    expect(paths).toContain(`POST /interactions/${id}/${token}/callback`);
    expect(paths).toContain(`PATCH /webhooks/${fake.applicationId}/${token}/messages/@original`);
    expect(errors).toEqual([]);
  });

  it('answers reply({ withResponse: true }) with the callback resource, and fetchReply with @original', async () => {
    const { fake, client } = await connect();
    const got: { content: string | undefined; fetched: string }[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'with response', withResponse: true });
      const fetched = await i.fetchReply();
      got.push({ content: response.resource?.message?.content, fetched: fetched.content });
    });
    fake.sendCommand({ name: 'ping', userId: '2200000000000000001' });
    await fake.waitFor(() => got.length === 1);
    expect(got).toEqual([{ content: 'with response', fetched: 'with response' }]);
    expect(errors).toEqual([]);
  });

  it('answers autocomplete and modal submits', async () => {
    const { fake, client } = await connect();
    onInteraction(client, async (i) => {
      if (i.isAutocomplete()) {
        const focused = i.options.getFocused(true);
        await i.respond([{ name: `${focused.name}:${focused.value}`, value: 'x' }]);
      } else if (i.isModalSubmit()) {
        await i.reply({ content: `${i.customId}=${i.fields.getTextInputValue('title')}`, flags: 64 });
      }
    });
    const auto = fake.sendAutocomplete({ name: 'search', focused: { name: 'q', value: 'gaz' }, userId: '2200000000000000001' });
    await fake.waitFor(() => fake.interaction(auto.id).callbacks.length === 1);
    expect(fake.interaction(auto.id).callbacks[0]).toMatchObject({ type: 8, data: { choices: [{ name: 'q:gaz', value: 'x' }] } });

    const modal = fake.sendModalSubmit({ customId: 'post', fields: [{ customId: 'title', value: 'Hello' }], userId: '2200000000000000001' });
    await fake.waitFor(() => fake.interaction(modal.id).callbacks.length === 1);
    expect(fake.interaction(modal.id).callbacks[0]).toMatchObject({ type: 4, data: { content: 'post=Hello', flags: 64 } });
    expect(errors).toEqual([]);
  });

  it('records channel.send, and 404s an unknown channel', async () => {
    const { fake, client } = await connect();
    const channel = client.channels.cache.get(fake.channelId) as TextChannel;
    const message = await channel.send('hi');
    expect(message.content).toBe('hi');
    expect(fake.channelMessages).toEqual([expect.objectContaining({ channelId: fake.channelId, body: expect.objectContaining({ content: 'hi' }) })]);
    await expect(client.channels.fetch('1999999999999999999')).rejects.toMatchObject({ status: 404, code: 10003 });
  });

  it('a scripted 429 is retried by discord.js itself and the message is recorded once', async () => {
    const { fake, client } = await connect();
    fake.failRest(/^POST \/channels\/\d+\/messages$/u, 429, { retry_after: 0.1 });
    const channel = client.channels.cache.get(fake.channelId) as TextChannel;
    const limited: unknown[] = [];
    client.rest.on('rateLimited', (info) => limited.push(info));
    await channel.send('after the limit');
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${fake.channelId}/messages`)).toHaveLength(2);
    expect(fake.channelMessages).toHaveLength(1);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ global: false, scope: 'user' });
    // retry_after 0.1 s plus discord.js's own rate-limit offset
    expect((limited[0] as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(100);
  });
});

