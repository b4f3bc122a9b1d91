/**
 * A fake Discord (REST API v10 + JSON gateway) on 127.0.0.1 for end-to-end tests that run the real
 * discord.js Client:
 *
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restApi } });
 *   await client.login(fake.token);
 *
 * The client fetches `GET /api/v10/gateway/bot`, connects to the WebSocket on the same port, and gets
 * HELLO → (IDENTIFY) → READY listing one guild as unavailable → GUILD_CREATE for it, so `clientReady`
 * fires at once instead of after the 15 s guild wait. Tests then dispatch interactions (slash command,
 * autocomplete, modal submit) and inspect what the bot answered through REST. See "Discord without
 * Discord" in the shared engineering notes (../shared/engineering-notes.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface RestCall {
  method: string;
  path: string;
  body: any;
  at: number;
}

export interface FakeDiscord {
  /** 'http://127.0.0.1:PORT/api' — what discord.js's `rest.api` option takes. */
  readonly restApi: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  /** The guild's text channel. */
  readonly channelId: string;
  /** A public thread of the text channel: a channel of its own, messages go to its id. */
  readonly threadId: string;
  /** A forum channel: it takes posts (POST /channels/{id}/threads), not messages. */
  readonly forumId: string;
  /** A post (thread) of the forum, where slash commands about the forum are run. */
  readonly forumPostId: string;
  /** Posts opened in forums via POST /channels/{id}/threads, with their first message. */
  readonly forumPosts: { forumId: string; name: string; message: any; at: number }[];
  /** Every REST request, path without the /api/v10 prefix and without the query, '@original' decoded from %40. */
  readonly calls: RestCall[];
  /** Dispatch an INTERACTION_CREATE for a slash command; returns the interaction id and token. */
  sendCommand(options: {
    name: string;
    /** A subcommand is an option of type 1 whose `options` are its own. */
    options?: { name: string; type: number; value?: unknown; options?: { name: string; type: number; value: unknown }[] }[];
    userId: string;
    /** Member permissions bitfield as a string, default '0'. */
    permissions?: string;
    locale?: string;
    channelId?: string;
    /** Objects the options refer to by id, as Discord sends them: `{ attachments: { [id]: { id, filename, size, url, content_type } } }`. */
    resolved?: Record<string, unknown>;
  }): { id: string; token: string };
  /** Dispatch a button press (type 3) on one of the bot's messages; the callback is 6 (deferUpdate) or 7 (update). */
  sendButton(options: { customId: string; userId: string; permissions?: string; locale?: string }): { id: string; token: string };
  /** Dispatch an autocomplete interaction (type 4) for a command option with focused: true. */
  sendAutocomplete(options: { name: string; focused: { name: string; value: string }; userId: string }): { id: string; token: string };
  /**
   * Dispatch a message-menu command (type 2, data.type 3) picked on a message someone wrote in the
   * text channel: data.target_id names it, data.resolved.messages holds it.
   */
  sendMessageCommand(options: {
    name: string;
    message: { content: string; embeds?: Record<string, unknown>[]; authorId?: string };
    userId: string;
    locale?: string;
  }): { id: string; token: string };
  /** Dispatch a modal submit (type 5) with custom_id and text input values. */
  sendModalSubmit(options: {
    customId: string;
    fields: { customId: string; value: string }[];
    userId: string;
    permissions?: string;
  }): { id: string; token: string };
  /** What happened to an interaction: the callback(s) (type 4 reply, 5 defer, 8 autocomplete result, 9 modal) and edits/follow-ups, in order. */
  interaction(id: string): { callbacks: any[]; edits: any[]; followUps: any[] };
  /** Messages created in channels via POST /channels/{id}/messages. */
  readonly channelMessages: { channelId: string; body: any; at: number }[];
  /**
   * Script REST failures: the next `times` (default 1) requests whose `METHOD path` (e.g.
   * 'POST /channels/123/messages') matches `route` get `status` with the JSON `body`. A 429 gets the
   * defaults { message: 'You are being rate limited.', retry_after: 0.05, global: false } under `body`,
   * and headers retry-after / x-ratelimit-*. Scripts take precedence over normal answers.
   */
  failRest(
    route: RegExp,
    status: number,
    body: Record<string, unknown>,
    options?: { times?: number; headers?: Record<string, string> },
  ): void;
  /** Resolves once `predicate()` holds, polling every 10 ms; rejects after timeoutMs (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Gateway connections open and identified now: how many clients receive each dispatch. */
  readonly gatewayConnections: number;
  /** The most gateway connections that were ever identified at once. */
  readonly mostGatewayConnections: number;
  close(): Promise<void>;
}

type Json = Record<string, any>;

interface Script {
  route: RegExp;
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  remaining: number;
}

interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  channelId: string;
  callbacks: any[];
  edits: any[];
  followUps: any[];
  /** The @original response message, once there is one. */
  original: Json | undefined;
  deleted: boolean;
}

interface Session {
  socket: WebSocket;
  seq: number;
  identified: boolean;
  sessionId: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body['message']));
  }
}

const GATEWAY_VERSION = '10';
/** Every permission bit Discord currently defines (what a bot with Administrator would see). */
const ALL_PERMISSIONS = '2251799813685247';
/** A typical bot role: View Channel, Send Messages, Embed Links, Attach Files, Read History, Use External Emojis, Send in Threads, Use App Commands. */
const BOT_ROLE_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n) | (1n << 38n) | (1n << 31n));

const notFound = (): HttpError => new HttpError(404, { message: '404: Not Found', code: 0 });
const unknownChannel = (): HttpError => new HttpError(404, { message: 'Unknown Channel', code: 10003 });
const unknownWebhook = (): HttpError => new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
const unknownInteraction = (): HttpError => new HttpError(404, { message: 'Unknown interaction', code: 10062 });

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) {
    // discord.js sends files as multipart: payload_json plus files[n]. Node's undici parses it for us.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const payloadJson = form.get('payload_json');
    const body: Json = typeof payloadJson === 'string' ? (JSON.parse(payloadJson) as Json) : {};
    const files: { field: string; name: string; size: number; text: string }[] = [];
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json' || typeof value === 'string') continue;
      files.push({ field, name: value.name, size: value.size, text: await value.text() });
    }
    body['__files'] = files;
    return body;
  }
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  let nextId = 1100000000000000001n;
  const snowflake = (): string => String(nextId++);

  const token = 'fake.discord.token';
  const applicationId = snowflake();
  const guildId = snowflake();
  const channelId = snowflake();
  const threadId = snowflake();
  const forumId = snowflake();
  const forumPostId = snowflake();
  const ownerId = snowflake();
  const botRoleId = snowflake();
  const startedAt = new Date().toISOString();

  const calls: RestCall[] = [];
  const channelMessages: { channelId: string; body: any; at: number }[] = [];
  const forumPosts: { forumId: string; name: string; message: any; at: number }[] = [];
  const scripts: Script[] = [];
  const interactions = new Map<string, InteractionRecord>();
  const byToken = new Map<string, InteractionRecord>();
  const commandIds = new Map<string, string>();
  const sessions = new Set<Session>();
  let mostGatewayConnections = 0;
  const openIdentified = () => [...sessions].filter((session) => session.identified && session.socket.readyState === WebSocket.OPEN).length;

  const botUser = {
    id: applicationId,
    username: 'akhbar',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0,
  };

  const textChannel = (): Json => ({
    id: channelId,
    type: 0,
    guild_id: guildId,
    name: 'news',
    position: 0,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  });

  const forumChannel = (): Json => ({ ...textChannel(), id: forumId, type: 15, name: 'desk', available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0 });
  const thread = (id: string, parentId: string, name: string): Json => ({
    id,
    type: 11,
    guild_id: guildId,
    name,
    parent_id: parentId,
    owner_id: ownerId,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    flags: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: startedAt, locked: false },
  });
  const channelObject = (id: string): Json | undefined =>
    id === channelId ? textChannel() : id === forumId ? forumChannel() : id === threadId ? thread(threadId, channelId, 'oil') : id === forumPostId ? thread(forumPostId, forumId, 'questions') : undefined;

  const role = (id: string, name: string, permissions: string, position: number, managed: boolean): Json => ({
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed,
    mentionable: false,
    flags: 0,
    ...(managed ? { tags: { bot_id: applicationId } } : {}),
  });

  const guildObject = (): Json => ({
    id: guildId,
    name: 'Akhbar Test Guild',
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    // @everyone (id = guild id) has no permissions; the bot's own managed role gets the usual bot set.
    roles: [role(guildId, '@everyone', '0', 0, false), role(botRoleId, 'akhbar', BOT_ROLE_PERMISSIONS, 1, true)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    incidents_data: null,
    // GUILD_CREATE-only fields
    joined_at: startedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [
      { user: botUser, nick: null, avatar: null, roles: [botRoleId], joined_at: startedAt, premium_since: null, deaf: false, mute: false, flags: 0, pending: false },
    ],
    channels: [textChannel(), forumChannel()],
    threads: [thread(threadId, channelId, 'oil'), thread(forumPostId, forumId, 'questions')],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  const messageObject = (channel: string, body: Json | undefined, extra: Json = {}): Json => ({
    id: snowflake(),
    channel_id: channel,
    author: botUser,
    content: typeof body?.['content'] === 'string' ? body['content'] : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: Boolean(body?.['tts']),
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body?.['embeds']) ? body['embeds'] : [],
    components: Array.isArray(body?.['components']) ? body['components'] : [],
    pinned: false,
    type: 0,
    flags: typeof body?.['flags'] === 'number' ? body['flags'] : 0,
    ...extra,
  });

  const interactionMessage = (record: InteractionRecord, body: Json | undefined): Json =>
    messageObject(record.channelId, body, {
      webhook_id: applicationId,
      application_id: applicationId,
      interaction_metadata: { id: record.id, type: record.type, user: { ...botUser }, authorizing_integration_owners: {} },
    });

  // ───────────────────────── gateway ─────────────────────────

  const send = (session: Session, payload: Json): void => {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  };
  const dispatch = (session: Session, t: string, d: unknown): void => {
    session.seq += 1;
    send(session, { op: 0, t, s: session.seq, d });
  };

  const onGatewayMessage = (session: Session, raw: RawData): void => {
    let payload: Json;
    try {
      // A fragmented frame arrives as a list of buffers; an ArrayBuffer only under another binaryType.
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      payload = JSON.parse(bytes.toString('utf8')) as Json;
    } catch {
      session.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload['op']) {
      case 1: // HEARTBEAT
        send(session, { op: 11, d: null });
        break;
      case 2: {
        // IDENTIFY
        const d = (payload['d'] ?? {}) as Json;
        if (String(d['token'] ?? '').replace(/^Bot\s+/iu, '') !== token) {
          session.socket.close(4004, 'Authentication failed.');
          return;
        }
        if (session.identified) {
          session.socket.close(4005, 'Already authenticated.');
          return;
        }
        session.identified = true;
        mostGatewayConnections = Math.max(mostGatewayConnections, openIdentified());
        session.seq = 0;
        dispatch(session, 'READY', {
          v: 10,
          user: botUser,
          guilds: [{ id: guildId, unavailable: true }],
          session_id: session.sessionId,
          resume_gateway_url: gatewayUrl,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
          user_settings: {},
          relationships: [],
          private_channels: [],
          presences: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
        });
        dispatch(session, 'GUILD_CREATE', guildObject());
        break;
      }
      case 6: // RESUME: sessions are not kept; tell the client to identify afresh.
        send(session, { op: 9, d: false });
        break;
      default: // presence (3), voice state (4), request guild members (8)… ignored
        break;
    }
  };

  // ───────────────────────── interactions ─────────────────────────

  const register = (type: number, channel: string): InteractionRecord => {
    const record: InteractionRecord = {
      id: snowflake(),
      token: `aW50ZXJhY3Rpb24.${nextId.toString(36)}.${Math.random().toString(36).slice(2)}`,
      type,
      channelId: channel,
      callbacks: [],
      edits: [],
      followUps: [],
      original: undefined,
      deleted: false,
    };
    interactions.set(record.id, record);
    byToken.set(record.token, record);
    return record;
  };

  const commandId = (name: string): string => {
    let id = commandIds.get(name);
    if (id === undefined) {
      id = snowflake();
      commandIds.set(name, id);
    }
    return id;
  };

  const interactionPayload = (record: InteractionRecord, o: { userId: string; permissions?: string; locale?: string }, data: Json): Json => ({
    id: record.id,
    application_id: applicationId,
    type: record.type,
    token: record.token,
    version: 1,
    guild_id: guildId,
    guild: { id: guildId, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    channel_id: record.channelId,
    channel: channelObject(record.channelId) ?? { id: record.channelId, type: 0, guild_id: guildId, name: 'news', position: 0, permission_overwrites: [], nsfw: false, parent_id: null, flags: 0 },
    member: {
      user: { id: o.userId, username: `user${o.userId.slice(-4)}`, discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions: o.permissions ?? '0',
      joined_at: startedAt,
      premium_since: null,
      nick: null,
      avatar: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
    },
    app_permissions: ALL_PERMISSIONS,
    locale: o.locale ?? 'en-US',
    data,
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 8388608,
  });

  const broadcast = (t: string, d: Json): void => {
    const ready = [...sessions].filter((s) => s.identified && s.socket.readyState === WebSocket.OPEN);
    if (ready.length === 0) throw new Error('fakeDiscord: no identified gateway connection to dispatch to (did client.login() finish?)');
    for (const session of ready) dispatch(session, t, d);
  };

  const sendCommand: FakeDiscord['sendCommand'] = (o) => {
    const record = register(2, o.channelId ?? channelId);
    const data: Json = { id: commandId(o.name), name: o.name, type: 1, guild_id: guildId };
    if (o.options !== undefined) data['options'] = o.options;
    if (o.resolved !== undefined) data['resolved'] = o.resolved;
    broadcast('INTERACTION_CREATE', interactionPayload(record, o, data));
    return { id: record.id, token: record.token };
  };

  const sendButton: FakeDiscord['sendButton'] = (o) => {
    const record = register(3, channelId);
    const message = messageObject(channelId, { content: '' }, { application_id: applicationId });
    broadcast('INTERACTION_CREATE', { ...interactionPayload(record, o, { custom_id: o.customId, component_type: 2 }), message });
    return { id: record.id, token: record.token };
  };

  const sendAutocomplete: FakeDiscord['sendAutocomplete'] = (o) => {
    const record = register(4, channelId);
    const data: Json = {
      id: commandId(o.name),
      name: o.name,
      type: 1,
      guild_id: guildId,
      options: [{ name: o.focused.name, type: 3, value: o.focused.value, focused: true }],
    };
    broadcast('INTERACTION_CREATE', interactionPayload(record, o, data));
    return { id: record.id, token: record.token };
  };

  const sendMessageCommand: FakeDiscord['sendMessageCommand'] = (o) => {
    const record = register(2, channelId);
    const authorId = o.message.authorId ?? '700000000000000001';
    const author = { id: authorId, username: `user${authorId.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };
    const target = messageObject(channelId, { content: o.message.content, embeds: o.message.embeds ?? [] }, { author, guild_id: guildId });
    const data: Json = {
      id: commandId(o.name),
      name: o.name,
      type: 3,
      guild_id: guildId,
      target_id: target['id'],
      resolved: { messages: { [target['id'] as string]: target } },
    };
    broadcast('INTERACTION_CREATE', interactionPayload(record, o, data));
    return { id: record.id, token: record.token };
  };

  const sendModalSubmit: FakeDiscord['sendModalSubmit'] = (o) => {
    const record = register(5, channelId);
    let componentId = 0;
    const data: Json = {
      custom_id: o.customId,
      components: o.fields.map((field) => ({
        type: 1,
        id: ++componentId,
        components: [{ type: 4, id: ++componentId, custom_id: field.customId, value: field.value }],
      })),
    };
    broadcast('INTERACTION_CREATE', interactionPayload(record, o, data));
    return { id: record.id, token: record.token };
  };

  // ───────────────────────── REST ─────────────────────────

  const checkAuth = (req: IncomingMessage): void => {
    if (req.headers.authorization !== `Bot ${token}`) throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
  };

  const webhookRecord = (appId: string | undefined, webhookToken: string | undefined): InteractionRecord => {
    const record = webhookToken === undefined ? undefined : byToken.get(webhookToken);
    if (appId !== applicationId || record === undefined) throw unknownWebhook();
    return record;
  };

  /** Returns [status, body]; body undefined means no content. */
  const route = (req: IncomingMessage, method: string, path: string, query: URLSearchParams, body: any): [number, unknown] => {
    const parts = path.split('/').filter((p) => p !== '');
    const [p0, p1, p2, p3, p4, p5] = parts;
    const n = parts.length;

    if (method === 'GET' && path === '/gateway/bot') {
      checkAuth(req);
      return [
        200,
        { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } },
      ];
    }
    if (method === 'GET' && path === '/gateway') return [200, { url: gatewayUrl }];

    // Interaction callback: POST /interactions/{id}/{token}/callback (no bot auth)
    if (p0 === 'interactions' && n === 4 && p3 === 'callback' && method === 'POST') {
      const record = interactions.get(p1 ?? '');
      if (record === undefined || record.token !== p2) throw unknownInteraction();
      if (record.callbacks.length > 0) throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      record.callbacks.push(body);
      const type = Number((body as Json | undefined)?.['type']);
      if (type === 4 || type === 5 || type === 7) record.original = interactionMessage(record, (body as Json)['data'] as Json | undefined);
      // A deferred reply is a loading message (flag 128) until editReply fills it in.
      if (type === 5 && record.original !== undefined) record.original = { ...record.original, content: '', flags: Number(record.original['flags']) | 128 };
      if (query.get('with_response') !== 'true') return [204, undefined];
      const resource: Json = { type };
      if (record.original !== undefined && (type === 4 || type === 5 || type === 7)) resource['message'] = record.original;
      return [
        200,
        {
          interaction: {
            id: record.id,
            type: record.type,
            response_message_id: record.original?.['id'],
            response_message_loading: type === 5,
            response_message_ephemeral: (Number(record.original?.['flags'] ?? 0) & 64) === 64,
          },
          resource,
        },
      ];
    }

    // Interaction webhooks: /webhooks/{appId}/{token}[/messages/{id}] (no bot auth)
    if (p0 === 'webhooks') {
      const record = webhookRecord(p1, p2);
      if (n === 3 && method === 'POST') {
        const message = interactionMessage(record, body as Json | undefined);
        record.followUps.push(body);
        return [200, message];
      }
      if (n === 5 && p3 === 'messages') {
        const messageId = p4 ?? '';
        if (messageId === '@original') {
          if (record.callbacks.length === 0 || record.deleted) throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
          if (method === 'GET') return [200, record.original];
          if (method === 'PATCH') {
            record.edits.push(body);
            const edited = interactionMessage(record, { ...(record.original ?? {}), ...(body as Json), flags: ((record.original?.['flags'] as number | undefined) ?? 0) & ~128 });
            record.original = { ...edited, id: record.original?.['id'] ?? edited['id'], edited_timestamp: new Date().toISOString() };
            return [200, record.original];
          }
          if (method === 'DELETE') {
            record.deleted = true;
            return [204, undefined];
          }
        } else if (method === 'PATCH') {
          record.edits.push(body);
          return [200, { ...interactionMessage(record, body as Json), id: messageId, edited_timestamp: new Date().toISOString() }];
        } else if (method === 'DELETE') {
          return [204, undefined];
        }
      }
      throw notFound();
    }

    checkAuth(req);

    if (p0 === 'channels' && p1 !== undefined) {
      const channel = channelObject(p1);
      if (channel === undefined) throw unknownChannel();
      if (n === 2 && method === 'GET') return [200, channel];
      // As Discord: a forum takes posts only, each a thread with its first message.
      if (p1 === forumId && n === 3 && p2 === 'messages') throw new HttpError(400, { message: 'Cannot send messages in a non-text channel', code: 50008 });
      if (p1 === forumId && n === 3 && p2 === 'threads' && method === 'POST') {
        const post = body as Json;
        if (typeof post['name'] !== 'string' || post['name'] === '' || post['name'].length > 100 || typeof post['message'] !== 'object') {
          throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
        }
        forumPosts.push({ forumId: p1, name: post['name'], message: post['message'], at: Date.now() });
        const id = snowflake();
        return [201, { ...thread(id, forumId, post['name']), message: messageObject(id, post['message'] as Json, { guild_id: guildId }) }];
      }
      if (n === 3 && p2 === 'messages' && method === 'POST') {
        channelMessages.push({ channelId: p1, body, at: Date.now() });
        return [200, messageObject(p1, body as Json | undefined, { guild_id: guildId })];
      }
      if (n === 3 && p2 === 'typing' && method === 'POST') return [204, undefined];
    }

    // Command registration: PUT /applications/{appId}/commands and /applications/{appId}/guilds/{guildId}/commands
    if (p0 === 'applications' && p1 === applicationId && method === 'PUT') {
      const global = n === 3 && p2 === 'commands';
      const guild = n === 5 && p2 === 'guilds' && p4 === 'commands' && p3 === guildId;
      if (global || guild) {
        if (!Array.isArray(body)) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
        return [
          200,
          (body as Json[]).map((command) => ({
            id: commandId(String(command['name'])),
            application_id: applicationId,
            version: snowflake(),
            type: 1,
            default_member_permissions: null,
            dm_permission: true,
            nsfw: false,
            ...(guild ? { guild_id: p3 } : {}),
            ...command,
          })),
        ];
      }
    }
    if (p0 === 'applications' && p1 === applicationId && method === 'GET' && p5 === undefined) {
      if (n === 3 && p2 === 'commands') return [200, []];
      if (n === 5 && p2 === 'guilds' && p4 === 'commands') return [200, []];
    }

    throw notFound();
  };

  const respond = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const prefix = `/api/v${GATEWAY_VERSION}`;
    const body = await readBody(req);
    if (!url.pathname.startsWith(`${prefix}/`)) {
      calls.push({ method, path: url.pathname, body, at: Date.now() });
      respond(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    const path = url.pathname.slice(prefix.length).replace(/%40/giu, '@');
    calls.push({ method, path, body, at: Date.now() });

    const script = scripts.find((s) => s.remaining > 0 && s.route.test(`${method} ${path}`));
    if (script !== undefined) {
      script.remaining -= 1;
      respond(res, script.status, script.body, script.headers);
      return;
    }
    try {
      const [status, answer] = route(req, method, path, url.searchParams, body);
      respond(res, status, answer);
    } catch (error) {
      if (error instanceof HttpError) respond(res, error.status, error.body);
      else respond(res, 500, { message: `fakeDiscord: ${String(error)}`, code: 0 });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) respond(res, 500, { message: `fakeDiscord: ${String(error)}`, code: 0 });
    });
  });
  // The gateway shares the HTTP port; discord.js connects to `${url}?v=10&encoding=json`.
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    const session: Session = { socket, seq: 0, identified: false, sessionId: `session${snowflake()}` };
    sessions.add(session);
    socket.on('message', (raw) => onGatewayMessage(session, raw));
    socket.on('close', () => sessions.delete(session));
    socket.on('error', () => sessions.delete(session));
    send(session, { op: 10, d: { heartbeat_interval: 41250 } });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  let closed = false;

  return {
    restApi: `http://127.0.0.1:${port}/api`,
    token,
    applicationId,
    guildId,
    channelId,
    calls,
    channelMessages,
    threadId,
    forumId,
    forumPostId,
    forumPosts,
    sendCommand,
    sendAutocomplete,
    sendModalSubmit,
    sendMessageCommand,
    sendButton,
    interaction(id) {
      const record = interactions.get(id);
      if (record === undefined) throw new Error(`fakeDiscord: no interaction ${id}`);
      return { callbacks: record.callbacks, edits: record.edits, followUps: record.followUps };
    },
    failRest(routeRe, status, body, options = {}) {
      let full: Record<string, unknown> = body;
      let headers: Record<string, string> = {};
      if (status === 429) {
        full = { message: 'You are being rate limited.', retry_after: 0.05, global: false, ...body };
        const retryAfter = String(full['retry_after']);
        headers = {
          'retry-after': retryAfter,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': retryAfter,
          'x-ratelimit-bucket': 'fakebucket',
          'x-ratelimit-scope': full['global'] === true ? 'global' : 'user',
          // @discordjs/rest treats the mere presence of this header as a global limit, so (like Discord)
          // it is only sent for global limits.
          ...(full['global'] === true ? { 'x-ratelimit-global': 'true' } : {}),
        };
      }
      scripts.push({ route: routeRe, status, body: full, headers: { ...headers, ...options.headers }, remaining: options.times ?? 1 });
    },
    get gatewayConnections() {
      return openIdentified();
    },
    get mostGatewayConnections() {
      return mostGatewayConnections;
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) {
          const recent = calls.slice(-10).map((c) => `${c.method} ${c.path}`).join(', ');
          throw new Error(`fakeDiscord.waitFor: timed out after ${timeoutMs} ms; last REST calls: ${recent || 'none'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
