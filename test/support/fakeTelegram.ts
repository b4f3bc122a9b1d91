/**
 * A fake Telegram Bot API on 127.0.0.1 for end-to-end tests that run the real grammY bot:
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`, then `bot.start()` or `run(bot)`.
 *
 * It long-polls `getUpdates` like Telegram (honours offset, limit and timeout), records what the
 * bot sends, refuses what Telegram would refuse (empty or too-long text, broken HTML), and answers
 * scripted failures. See the "Telegram without Telegram" notes in the shared engineering notes (../shared/engineering-notes.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SentMessage {
  method: string;
  chatId: string;
  text?: string;
  parseMode?: string;
  payload: Record<string, unknown>;
  messageId: number;
  at: number;
}

/** One answerInlineQuery call: the results as sent, and when. */
export interface InlineAnswer {
  inlineQueryId: string;
  results: Record<string, unknown>[];
  payload: Record<string, unknown>;
  at: number;
}

export interface FakeTelegramError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: {
    id: number;
    is_bot: true;
    first_name: string;
    username: string;
    can_join_groups: true;
    can_read_all_group_messages: false;
    supports_inline_queries: false;
  };
  /** getUpdates calls ended with 409 because another one came: how often two pollers overlapped. */
  readonly conflicts: number;
  /** Every call received, in order: { method, payload, at }. */
  readonly calls: { method: string; payload: Record<string, unknown>; at: number }[];
  /** Messages the bot sent (sendMessage, editMessageText, sendDocument…), in order. Refused calls are not here. */
  readonly sent: SentMessage[];
  /** answerInlineQuery calls the fake accepted, in order (a refused one is not here). */
  readonly inlineAnswers: InlineAnswer[];
  /** Pushes an inline_query update (`@bot query` typed in some chat); returns the query's id. */
  pushInlineQuery(options: { query: string; fromId?: number; languageCode?: string }): string;
  /** Resolves with the answer to inline query `id` once it came; rejects after timeoutMs (default 5000). */
  waitForInlineAnswer(id: string, timeoutMs?: number): Promise<InlineAnswer>;
  /** Queue an update for getUpdates; update_id is assigned if missing. Returns the update. */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown>;
  /** Builds and pushes a private or group text message; a leading /command gets its bot_command entity. */
  pushMessage(options: {
    text: string;
    chatId?: number;
    chatType?: 'private' | 'group' | 'supergroup';
    fromId?: number;
    languageCode?: string;
    replyToMessage?: Record<string, unknown>;
    senderChat?: Record<string, unknown>;
    chatTitle?: string;
    /** Written in this forum topic (message_thread_id) of a forum supergroup. */
    topicId?: number;
  }): Record<string, unknown>;
  /** Pushes a channel_post update with the given text in channel chatId (negative number). */
  pushChannelPost(options: { text: string; chatId: number; username?: string }): Record<string, unknown>;
  /** Script the next calls of `method` (optionally only for one chat_id): each entry is used once (or `times`), in order, instead of the normal answer. */
  fail(method: string, error: FakeTelegramError, options?: { chatId?: string | number; times?: number }): void;
  /** Leave the next `times` (default 1) calls of `method` unanswered, as an unreachable Bot API does (close() cuts them). */
  hang(method: string, times?: number): void;
  /** Answer for getChatMember(chat_id, user_id): defaults to status 'member'. */
  setChatMember(chatId: number | string, userId: number, member: Record<string, unknown>): void;
  /** Answer for getChat(chat_id) (e.g. a channel looked up by '@name'). Unknown chats → 400 "Bad Request: chat not found". */
  setChat(chatIdOrUsername: number | string, chat: Record<string, unknown>): void;
  /** A file the bot can fetch: getFile(file_id) answers with its path, and GET /file/bot<token>/<path> serves `content`. */
  setFile(fileId: string, content: string): void;
  /** Resolves once `predicate(sent)` holds, polling every 10 ms; rejects after timeoutMs (default 5000) listing what was sent. */
  waitFor(predicate: (sent: readonly SentMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once the bot has fetched every queued update (the offset passed them). */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Payload = Record<string, unknown>;

/** A field Telegram wants as a string or a number, as text; anything else is refused as Telegram refuses it. */
function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new Refusal(400, 'Bad Request: a string or a number was expected');
}
type Answer = { ok: true; result: unknown } | ({ ok: false } & FakeTelegramError);

interface Script extends FakeTelegramError {
  method: string;
  chatId: string | undefined;
  remaining: number;
}

interface Waiter {
  respond(updates: Payload[]): void;
  conflict(): void;
  timer: NodeJS.Timeout | undefined;
}

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'span', 'tg-spoiler', 'tg-emoji', 'blockquote',
]);
const TRUE_METHODS = new Set([
  'deleteWebhook', 'setWebhook', 'setMyCommands', 'deleteMyCommands', 'sendChatAction', 'answerCallbackQuery',
  'deleteMessage', 'setMessageReaction', 'pinChatMessage', 'unpinChatMessage', 'leaveChat', 'setMyDescription',
  'setMyShortDescription', 'setMyName', 'setChatMenuButton', 'logOut', 'close',
]);
/** Update types Telegram delivers only when allowed_updates lists them. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const MEDIA_METHODS = new Map([
  ['sendDocument', 'document'], ['sendPhoto', 'photo'], ['sendVideo', 'video'], ['sendAnimation', 'animation'],
  ['sendAudio', 'audio'], ['sendVoice', 'voice'],
]);

class Refusal extends Error {
  constructor(readonly error_code: number, readonly description: string) {
    super(description);
  }
}

/** Turns Telegram HTML into the visible text, or throws the Bot API's "can't parse entities" refusal. */
export function parseTelegramHtml(html: string): string {
  const refuse = (index: number, what: string): never => {
    throw new Refusal(400, `Bad Request: can't parse entities: ${what} at byte offset ${Buffer.byteLength(html.slice(0, index))}`);
  };
  const stack: string[] = [];
  let plain = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      let j = i + 1;
      let quote = '';
      while (j < html.length && (quote !== '' || html[j] !== '>')) {
        const d = html[j]!;
        if (quote !== '') {
          if (d === quote) quote = '';
        } else if (d === '"' || d === "'") {
          quote = d;
        } else if (d === '<') {
          break;
        }
        j += 1;
      }
      if (j >= html.length || html[j] !== '>') refuse(i, 'Unclosed start tag or bare "<" (write &lt;)');
      const inner = html.slice(i + 1, j);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open === undefined) refuse(i, `Unexpected end tag "</${name}>"`);
        if (open !== name) refuse(i, `Unmatched end tag, expected "</${open}>", found "</${name}>"`);
      } else {
        const m = /^([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^]*)?$/u.exec(inner);
        const name = m?.[1]?.toLowerCase();
        if (name === undefined || !HTML_TAGS.has(name)) refuse(i, `Unsupported start tag "${inner.split(/\s/u)[0] ?? ''}"`);
        stack.push(name!);
      }
      i = j + 1;
    } else if (c === '&') {
      const m = /^&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/u.exec(html.slice(i, i + 40));
      if (!m) refuse(i, 'Character "&" not starting an entity (write &amp;)');
      const entity = m![1]!;
      if (entity.startsWith('#')) {
        const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
        if (!(code > 0 && code <= 0x10ffff)) refuse(i, `Invalid numeric entity "&${entity};"`);
        plain += String.fromCodePoint(code);
      } else {
        const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
        // Telegram supports only these four named entities; others stay as written.
        plain += named[entity] ?? m![0];
      }
      i += m![0].length;
    } else {
      plain += c;
      i += 1;
    }
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) {
    throw new Refusal(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${unclosed}"`);
  }
  return plain;
}

function num(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function maybeJson(value: string): unknown {
  if (/^\s*[[{]/u.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function parseMultipart(body: Buffer, contentType: string): Payload {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/iu.exec(contentType);
  const payload: Payload = {};
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return payload;
  for (const part of body.toString('latin1').split(`--${mark}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/u, '');
    const name = /name="([^"]*)"/iu.exec(headers)?.[1];
    if (name === undefined) continue;
    // Quoted or not: grammY writes `filename=name.ext` without quotes.
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/iu.exec(headers)?.slice(1).find((v) => v !== undefined);
    payload[name] = filename !== undefined
      ? { filename, size: Buffer.byteLength(content, 'latin1'), content: Buffer.from(content, 'latin1').toString('utf8') }
      : maybeJson(Buffer.from(content, 'latin1').toString('utf8'));
  }
  return payload;
}

async function readPayload(req: IncomingMessage, url: URL): Promise<Payload> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const payload: Payload = {};
  for (const [key, value] of url.searchParams) payload[key] = maybeJson(value);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return payload;
  if (type.startsWith('multipart/form-data')) return { ...payload, ...parseMultipart(body, req.headers['content-type'] ?? '') };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) payload[key] = maybeJson(value);
    return payload;
  }
  const text = body.toString('utf8').trim();
  if (text === '') return payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'Bad Request: invalid JSON in request body');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Refusal(400, 'Bad Request: request body must be a JSON object');
  }
  return { ...payload, ...(parsed as Payload) };
}

function describeSent(sent: readonly SentMessage[]): string {
  if (sent.length === 0) return '  (nothing)';
  return sent
    .map((s, i) => {
      const text = s.text === undefined ? '' : ` text=${JSON.stringify(s.text.length > 300 ? `${s.text.slice(0, 300)}…` : s.text)}`;
      return `  ${i + 1}. ${s.method} chat=${s.chatId} message_id=${s.messageId}${s.parseMode ? ` parse_mode=${s.parseMode}` : ''}${text}`;
    })
    .join('\n');
}

/** Starts a fake Bot API on 127.0.0.1 (a free port). Close it with `close()` after stopping the bot. */
export async function startFakeTelegram(options: { token?: string; username?: string } = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:TEST-fake-telegram-token';
  const botId = num(/^(\d+):/u.exec(token)?.[1]) ?? 123456789;
  const botInfo = {
    id: botId,
    is_bot: true as const,
    first_name: 'Akhbar Test Bot',
    username: options.username ?? 'akhbar_test_bot',
    can_join_groups: true as const,
    can_read_all_group_messages: false as const,
    supports_inline_queries: false as const,
  };
  const botUser = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };

  const calls: { method: string; payload: Payload; at: number }[] = [];
  const sent: SentMessage[] = [];
  const inlineAnswers: InlineAnswer[] = [];
  let nextInlineQueryId = 1;
  const refusals: { method: string; chatId: string; description: string }[] = [];
  const scripts: Script[] = [];
  const hangs = new Map<string, number>();
  const chats = new Map<string, Payload>();
  const files = new Map<string, string>();
  const explicitChats = new Set<string>();
  const members = new Map<string, Payload>();
  /** Bot-sent messages the fake knows, for "message is not modified". */
  const messages = new Map<string, { text: string; markup: string }>();
  /** Unconfirmed updates, sorted by update_id. */
  let queue: Payload[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let lastOffset = 0;
  /** The last allowed_updates a getUpdates call gave; [] means Telegram's default. */
  let allowedUpdates: string[] = [];
  let polled = false;
  let conflicts = 0;
  let waiters: Waiter[] = [];
  let closed = false;
  const sockets = new Set<Socket>();

  const now = () => Date.now();
  const unixNow = () => Math.floor(Date.now() / 1000);

  function rememberChat(chat: Payload, explicit: boolean, ...keys: (string | number)[]) {
    const all = [...keys];
    if (chat.id !== undefined) all.push(scalar(chat.id));
    if (typeof chat.username === 'string') all.push(`@${chat.username}`);
    for (const key of all.map(String)) {
      if (!explicit && explicitChats.has(key)) continue;
      chats.set(key, chat);
      if (explicit) explicitChats.add(key);
    }
  }

  function chatFor(chatId: string): Payload {
    const known = chats.get(chatId);
    if (known) return { id: known.id ?? chatId, type: known.type ?? 'private', ...known };
    if (chatId.startsWith('@')) return { id: -1009000000000 - chatId.length, type: 'channel', username: chatId.slice(1) };
    const id = Number(chatId);
    const type = id > 0 ? 'private' : chatId.startsWith('-100') ? 'supergroup' : 'group';
    return { id, type };
  }

  function updateType(update: Payload): string {
    return Object.keys(update).find((key) => key !== 'update_id') ?? '';
  }

  function isAllowed(update: Payload): boolean {
    const type = updateType(update);
    return allowedUpdates.length === 0 ? !OPT_IN_UPDATES.has(type) : allowedUpdates.includes(type);
  }

  function dropDisallowed() {
    for (const update of queue) {
      if (isAllowed(update)) continue;
      refusals.push({
        method: 'getUpdates',
        chatId: '',
        description: `update ${String(update.update_id)} (${updateType(update)}) dropped: not in allowed_updates ${JSON.stringify(allowedUpdates)}`,
      });
    }
    queue = queue.filter(isAllowed);
  }

  function deliverable(limit: number): Payload[] {
    return queue.slice(0, limit);
  }

  function wakeWaiters() {
    if (queue.length === 0) return;
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.respond(queue);
    }
  }

  function pushUpdate(update: Payload): Payload {
    const given = num(update.update_id);
    const full: Payload = given === undefined ? { update_id: nextUpdateId, ...update } : update;
    const id = num(full.update_id)!;
    nextUpdateId = Math.max(nextUpdateId, id + 1);
    queue.push(full);
    queue.sort((a, b) => num(a.update_id)! - num(b.update_id)!);
    // Before the first getUpdates the bot's allowed_updates are unknown: keep everything until then.
    if (polled) dropDisallowed();
    wakeWaiters();
    return full;
  }

  function commandEntities(text: string): Payload {
    const m = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/u.exec(text);
    return m ? { entities: [{ type: 'bot_command', offset: 0, length: m[0].length }] } : {};
  }

  function takeScript(method: string, payload: Payload): Script | undefined {
    const chatId = payload.chat_id === undefined ? undefined : scalar(payload.chat_id);
    const index = scripts.findIndex((s) => s.method === method && (s.chatId === undefined || s.chatId === chatId));
    if (index < 0) return undefined;
    const script = scripts[index]!;
    script.remaining -= 1;
    if (script.remaining <= 0) scripts.splice(index, 1);
    return script;
  }

  /** Validates text or caption; returns the visible text (tags removed when parse_mode is HTML). */
  function visibleText(raw: unknown, parseMode: unknown, kind: 'text' | 'caption'): string {
    const text = raw === undefined || raw === null ? '' : scalar(raw);
    let plain = text;
    if (parseMode !== undefined && parseMode !== null && parseMode !== '') {
      const mode = scalar(parseMode).toLowerCase();
      if (!['html', 'markdown', 'markdownv2'].includes(mode)) throw new Refusal(400, `Bad Request: unsupported parse_mode`);
      if (mode === 'html') plain = parseTelegramHtml(text);
    }
    if (kind === 'text') {
      if (plain.trim() === '') throw new Refusal(400, 'Bad Request: message text is empty');
      if (plain.length > MAX_TEXT) throw new Refusal(400, 'Bad Request: message is too long');
    } else if (plain.length > MAX_CAPTION) {
      throw new Refusal(400, 'Bad Request: message caption is too long');
    }
    return plain;
  }

  function record(method: string, chatId: string, payload: Payload, messageId: number, text: string | undefined) {
    const parseMode = payload.parse_mode === undefined || payload.parse_mode === null ? undefined : scalar(payload.parse_mode);
    sent.push({
      method,
      chatId,
      ...(text !== undefined ? { text } : {}),
      ...(parseMode !== undefined ? { parseMode } : {}),
      payload,
      messageId,
      at: now(),
    });
  }

  function requireChat(payload: Payload): string {
    if (payload.chat_id === undefined || payload.chat_id === null || payload.chat_id === '') {
      throw new Refusal(400, 'Bad Request: chat_id is empty');
    }
    return scalar(payload.chat_id);
  }

  function answer(method: string, payload: Payload): unknown {
    if (method === 'getMe') return botInfo;
    if (TRUE_METHODS.has(method)) return true;
    if (method === 'getMyCommands') return [];
    if (method === 'getWebhookInfo') return { url: '', has_custom_certificate: false, pending_update_count: queue.length };

    if (method === 'sendMessage') {
      const chatId = requireChat(payload);
      const plain = visibleText(payload.text, payload.parse_mode, 'text');
      const messageId = nextMessageId++;
      messages.set(`${chatId}:${messageId}`, { text: String(payload.text), markup: JSON.stringify(payload.reply_markup ?? null) });
      record(method, chatId, payload, messageId, String(payload.text));
      return { message_id: messageId, from: botUser, date: unixNow(), chat: chatFor(chatId), text: plain };
    }

    if (method === 'editMessageText') {
      const plain = visibleText(payload.text, payload.parse_mode, 'text');
      if (payload.inline_message_id !== undefined) {
        record(method, '', payload, 0, String(payload.text));
        return true;
      }
      const chatId = requireChat(payload);
      const messageId = num(payload.message_id);
      if (messageId === undefined) throw new Refusal(400, 'Bad Request: message identifier is not specified');
      const key = `${chatId}:${messageId}`;
      const next = { text: String(payload.text), markup: JSON.stringify(payload.reply_markup ?? null) };
      const previous = messages.get(key);
      if (previous && previous.text === next.text && previous.markup === next.markup) {
        throw new Refusal(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      messages.set(key, next);
      record(method, chatId, payload, messageId, next.text);
      return { message_id: messageId, from: botUser, date: unixNow(), edit_date: unixNow(), chat: chatFor(chatId), text: plain };
    }

    const field = MEDIA_METHODS.get(method);
    if (field !== undefined) {
      const chatId = requireChat(payload);
      if (payload[field] === undefined || payload[field] === null || payload[field] === '') {
        throw new Refusal(400, `Bad Request: there is no ${field} in the request`);
      }
      const caption = payload.caption === undefined || payload.caption === null ? undefined : scalar(payload.caption);
      const plain = visibleText(caption, payload.parse_mode, 'caption');
      const messageId = nextMessageId++;
      record(method, chatId, payload, messageId, caption);
      const file = { file_id: `fake-file-${messageId}`, file_unique_id: `fake-unique-${messageId}` };
      return {
        message_id: messageId,
        from: botUser,
        date: unixNow(),
        chat: chatFor(chatId),
        ...(caption !== undefined ? { caption: plain } : {}),
        [field]: field === 'photo' ? [{ ...file, width: 1, height: 1 }] : file,
      };
    }

    if (method === 'answerInlineQuery') {
      const inlineQueryId = scalar(payload.inline_query_id ?? '');
      if (inlineQueryId === '') throw new Refusal(400, 'Bad Request: inline_query_id is empty');
      const results = Array.isArray(payload.results) ? (payload.results as Payload[]) : undefined;
      if (!results) throw new Refusal(400, 'Bad Request: results must be an array');
      if (results.length > 50) throw new Refusal(400, 'Bad Request: RESULTS_TOO_MUCH');
      if (new Set(results.map((r) => r.id)).size !== results.length) throw new Refusal(400, 'Bad Request: RESULT_ID_DUPLICATE');
      for (const result of results) {
        if (typeof result.id !== 'string' || result.id === '' || Buffer.byteLength(result.id) > 64) throw new Refusal(400, 'Bad Request: RESULT_ID_INVALID');
        if (result.type === 'article') {
          if (typeof result.title !== 'string' || result.title.trim() === '') throw new Refusal(400, 'Bad Request: RESULT_TITLE_EMPTY');
          const content = result.input_message_content as Payload | undefined;
          if (!content) throw new Refusal(400, 'Bad Request: input_message_content is missing');
          visibleText(content.message_text, content.parse_mode, 'text');
        }
      }
      inlineAnswers.push({ inlineQueryId, results, payload, at: now() });
      return true;
    }

    if (method === 'getFile') {
      const fileId = scalar(payload.file_id ?? '');
      const content = files.get(fileId);
      if (content === undefined) throw new Refusal(400, 'Bad Request: invalid file_id');
      return { file_id: fileId, file_unique_id: fileId, file_size: Buffer.byteLength(content), file_path: `documents/${fileId}.txt` };
    }

    if (method === 'getChat') {
      const chatId = requireChat(payload);
      const chat = chats.get(chatId);
      if (!chat) throw new Refusal(400, 'Bad Request: chat not found');
      return chat;
    }

    if (method === 'getChatMember') {
      const chatId = requireChat(payload);
      const userId = num(payload.user_id);
      if (userId === undefined) throw new Refusal(400, 'Bad Request: user_id is empty');
      const member = members.get(`${chatId}:${userId}`) ?? { status: 'member' };
      return { ...member, user: member.user ?? { id: userId, is_bot: false, first_name: 'U' } };
    }

    throw new Refusal(404, 'Not Found: method not found');
  }

  function send(res: ServerResponse, body: Answer) {
    if (res.writableEnded || res.destroyed) return;
    const status = body.ok ? 200 : body.error_code;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function getUpdates(payload: Payload, res: ServerResponse) {
    const offset = num(payload.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, num(payload.limit) ?? 100));
    const timeout = Math.max(0, num(payload.timeout) ?? 0);
    if (offset > 0) {
      lastOffset = Math.max(lastOffset, offset);
      queue = queue.filter((u) => num(u.update_id)! >= offset);
    } else if (offset < 0) {
      queue = queue.slice(offset);
    }
    // Telegram keeps the last allowed_updates given and never delivers other update types.
    if (Array.isArray(payload.allowed_updates)) allowedUpdates = payload.allowed_updates.map(String);
    polled = true;
    dropDisallowed();
    // Like Telegram, a new getUpdates ends any other pending one with 409 Conflict (two pollers is a bug).
    const superseded = waiters;
    waiters = [];
    for (const other of superseded) {
      if (other.timer) clearTimeout(other.timer);
      other.conflict();
    }
    const ready = deliverable(limit);
    if (ready.length > 0 || timeout === 0 || closed) {
      send(res, { ok: true, result: ready });
      return;
    }
    const waiter: Waiter = {
      timer: undefined,
      respond: (updates) => send(res, { ok: true, result: updates.slice(0, limit) }),
      conflict: () => {
        conflicts++;
        send(res, {
          ok: false,
          error_code: 409,
          description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        });
      },
    };
    waiter.timer = setTimeout(() => {
      waiters = waiters.filter((w) => w !== waiter);
      send(res, { ok: true, result: [] });
    }, timeout * 1000);
    waiters.push(waiter);
    res.on('close', () => {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiters = waiters.filter((w) => w !== waiter);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const download = /^\/file\/bot([^/]+)\/documents\/(.+)\.txt$/u.exec(url.pathname);
    if (download) {
      req.resume();
      const content = decodeURIComponent(download[1]!) === token ? files.get(decodeURIComponent(download[2]!)) : undefined;
      res.writeHead(content === undefined ? 404 : 200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(content ?? 'not found');
      return;
    }
    const route = /^\/bot([^/]+)\/([^/]+)\/?$/u.exec(url.pathname);
    if (!route || decodeURIComponent(route[1]!) !== token) {
      // Drain the body so keep-alive connections stay usable.
      req.resume();
      send(res, { ok: false, error_code: route ? 401 : 404, description: route ? 'Unauthorized' : 'Not Found' });
      return;
    }
    const method = decodeURIComponent(route[2]!);
    let payload: Payload;
    try {
      payload = await readPayload(req, url);
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal(400, `Bad Request: ${String(error)}`);
      send(res, { ok: false, error_code: refusal.error_code, description: refusal.description });
      return;
    }
    calls.push({ method, payload, at: now() });
    const chatId = payload.chat_id === undefined ? '' : scalar(payload.chat_id);
    const hanging = hangs.get(method) ?? 0;
    if (hanging > 0) {
      hangs.set(method, hanging - 1);
      return;
    }

    const script = takeScript(method, payload);
    if (script) {
      const parameters = script.error_code === 429
        ? { retry_after: 1, ...script.parameters }
        : script.parameters;
      refusals.push({ method, chatId, description: `${script.error_code} ${script.description} (scripted)` });
      send(res, {
        ok: false,
        error_code: script.error_code,
        description: script.description,
        ...(parameters !== undefined ? { parameters } : {}),
      });
      return;
    }

    if (method === 'getUpdates') {
      getUpdates(payload, res);
      return;
    }
    try {
      send(res, { ok: true, result: answer(method, payload) });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refusals.push({ method, chatId, description: `${error.error_code} ${error.description}` });
      send(res, { ok: false, error_code: error.error_code, description: error.description });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function poll(check: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const tick = () => {
        let ok: boolean;
        try {
          ok = check();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (ok) resolve();
        else if (Date.now() >= deadline) reject(new Error(explain()));
        else setTimeout(tick, 10);
      };
      tick();
    });
  }

  function explainRefusals(): string {
    if (refusals.length === 0) return '';
    return `\nRefused calls:\n${refusals.map((r, i) => `  ${i + 1}. ${r.method} chat=${r.chatId}: ${r.description}`).join('\n')}`;
  }

  const fake: FakeTelegram = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls,
    get conflicts() {
      return conflicts;
    },
    sent,
    inlineAnswers,
    pushUpdate,
    pushInlineQuery(o) {
      const id = String(nextInlineQueryId++);
      const from = { id: o.fromId ?? 1001, is_bot: false, first_name: 'User', ...(o.languageCode ? { language_code: o.languageCode } : {}) };
      pushUpdate({ inline_query: { id, from, query: o.query, offset: '', chat_type: 'sender' } });
      return id;
    },
    async waitForInlineAnswer(id, timeoutMs = 5000) {
      await poll(
        () => inlineAnswers.some((a) => a.inlineQueryId === id),
        timeoutMs,
        () => `fakeTelegram.waitForInlineAnswer: inline query ${id} not answered after ${timeoutMs} ms.${explainRefusals()}`,
      );
      return inlineAnswers.find((a) => a.inlineQueryId === id)!;
    },
    pushMessage(o) {
      const chatType = o.chatType ?? (o.chatId === undefined || o.chatId > 0 ? 'private' : String(o.chatId).startsWith('-100') ? 'supergroup' : 'group');
      const fromId = o.fromId ?? 1001;
      const chatId = o.chatId ?? (chatType === 'private' ? fromId : chatType === 'group' ? -4001 : -1001000000001);
      const from = { id: fromId, is_bot: false, first_name: 'User', ...(o.languageCode ? { language_code: o.languageCode } : {}) };
      const chat = chatType === 'private'
        ? { id: chatId, type: 'private', first_name: 'User' }
        : { id: chatId, type: chatType, title: o.chatTitle ?? 'Test Group', ...(o.topicId !== undefined ? { is_forum: true } : {}) };
      rememberChat(chat, false);
      const message: Payload = {
        message_id: nextMessageId++,
        ...(o.topicId !== undefined ? { message_thread_id: o.topicId, is_topic_message: true } : {}),
        from,
        ...(o.senderChat ? { sender_chat: o.senderChat } : {}),
        chat,
        date: unixNow(),
        ...(o.replyToMessage ? { reply_to_message: o.replyToMessage } : {}),
        text: o.text,
        ...commandEntities(o.text),
      };
      return pushUpdate({ message });
    },
    pushChannelPost(o) {
      const chat = { id: o.chatId, type: 'channel', title: 'Test Channel', ...(o.username ? { username: o.username } : {}) };
      rememberChat(chat, false);
      const channel_post: Payload = {
        message_id: nextMessageId++,
        sender_chat: chat,
        chat,
        date: unixNow(),
        text: o.text,
        ...commandEntities(o.text),
      };
      return pushUpdate({ channel_post });
    },
    fail(method, error, opts = {}) {
      scripts.push({
        ...error,
        method,
        chatId: opts.chatId === undefined ? undefined : String(opts.chatId),
        remaining: opts.times ?? 1,
      });
    },
    hang(method, times = 1) {
      hangs.set(method, (hangs.get(method) ?? 0) + times);
    },
    setChatMember(chatId, userId, member) {
      members.set(`${String(chatId)}:${userId}`, member);
    },
    setFile(fileId, content) {
      files.set(fileId, content);
    },
    setChat(chatIdOrUsername, chat) {
      const key = String(chatIdOrUsername);
      rememberChat(chat, true, key);
    },
    waitFor(predicate, timeoutMs = 5000) {
      return poll(
        () => predicate(sent),
        timeoutMs,
        () => `fakeTelegram.waitFor: condition not met after ${timeoutMs} ms. Sent (${sent.length}):\n${describeSent(sent)}${explainRefusals()}`,
      );
    },
    drained(timeoutMs = 5000) {
      return poll(
        () => queue.length === 0,
        timeoutMs,
        () =>
          `fakeTelegram.drained: updates not confirmed after ${timeoutMs} ms: ` +
          `${queue.map((u) => String(u.update_id)).join(', ')} (last offset ${lastOffset}; ` +
          `${calls.filter((c) => c.method === 'getUpdates').length} getUpdates calls). Is the bot polling?`,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.respond([]);
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give the answered long polls a moment to flush, then cut whatever is left.
        setTimeout(() => {
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, 20).unref();
      });
    },
  };
  return fake;
}
