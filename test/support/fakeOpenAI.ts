/**
 * A fake OpenAI chat-completions API on 127.0.0.1 for tests that run the real `openai` client:
 * `new OpenAI({ baseURL: fake.baseURL, apiKey: 'test', timeout: 500, maxRetries: 0 })`.
 *
 * POST /v1/chat/completions records the request and answers with the next queued reply (or
 * `fallback(request)` when the queue is empty): a JSON completion, an SSE stream, an error status,
 * a slow answer, a malformed body, headers and then nothing (stall), or a reply that dribbles out
 * one small piece at a time (trickle). `request.cancelled` tells whether the client hung up first. GET /v1/models lists one model.
 * POST /v1/embeddings answers with `embed(text)` for each input (by default a hashed bag of its
 * words, so texts sharing words are near), or with the next queued embeddings reply (an error
 * status, or a stall); each request is recorded in `embeddingRequests`. Anything else is a 404.
 * See "openai client against a local server" in the shared engineering notes (../shared/engineering-notes.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ChatRequest {
  body: any;
  headers: Record<string, string | string[] | undefined>;
  at: number;
  /** Set when the client closed the connection before the reply was complete (an aborted request). */
  cancelled: boolean;
}

export type Reply =
  | { kind: 'json'; content: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'stream'; chunks: string[] }
  | { kind: 'status'; status: number; body?: any }
  | { kind: 'slow'; delayMs: number; content: string }
  | { kind: 'malformed' }
  /** Status 200 and headers (SSE or JSON, as the request asked), then no byte more until the client hangs up. */
  | { kind: 'stall' }
  /**
   * One piece every `everyMs`: for a streamed request each of `chunks` is one SSE delta, for a
   * plain one the completion body of `chunks.join('')` goes out a byte at a time; then the reply ends.
   */
  | { kind: 'trickle'; chunks: string[]; everyMs: number };

/** One POST /v1/embeddings: its inputs, always as a list. */
export interface EmbeddingRequest {
  body: any;
  inputs: string[];
  at: number;
}

export type EmbeddingReply = { kind: 'vectors' } | { kind: 'status'; status: number } | { kind: 'stall' };

/** Dimensions of the default vectors. */
export const FAKE_EMBEDDING_DIMENSIONS = 64;

/** The default fake vector: each lower-cased word (of two letters or more, any script) adds one to a dimension chosen by its hash. */
export function bagOfWordsVector(text: string): number[] {
  const vector = new Array<number>(FAKE_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    vector[(hash >>> 0) % FAKE_EMBEDDING_DIMENSIONS]! += 1;
  }
  return vector;
}

export interface FakeOpenAI {
  readonly baseURL: string;
  /** Every POST /v1/embeddings, in order. */
  readonly embeddingRequests: EmbeddingRequest[];
  /** Queue embeddings replies used in order; when the queue is empty, vectors from `embed`. */
  enqueueEmbeddings(...replies: EmbeddingReply[]): void;
  /** The vector of one input text; `bagOfWordsVector` unless a test replaces it. */
  embed: (text: string) => number[];
  /** Every POST /v1/chat/completions, in order. */
  readonly requests: ChatRequest[];
  /** Queue replies used in order; when the queue is empty, `fallback(request)` decides (default: json with content '{}'). */
  enqueue(...replies: Reply[]): void;
  fallback: (request: ChatRequest) => Reply;
  close(): Promise<void>;
}

const MODEL_ID = 'gpt-4o-mini';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function defaultErrorBody(status: number): unknown {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: `fake error ${status}`, type, param: null, code: type } };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: ChatRequest[] = [];
  const queue: Reply[] = [];
  const embeddingRequests: EmbeddingRequest[] = [];
  const embeddingQueue: EmbeddingReply[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const completion = (model: string, content: string, usage?: { prompt_tokens: number; completion_tokens: number }) => {
    const u = usage ?? { prompt_tokens: 10, completion_tokens: Math.max(1, Math.ceil(content.length / 4)) };
    return {
      id: `chatcmpl-fake-${++seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { ...u, total_tokens: u.prompt_tokens + u.completion_tokens },
    };
  };

  const stream = (res: ServerResponse, body: any, chunks: string[], usage?: { prompt_tokens: number; completion_tokens: number }) => {
    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const model = String(body?.model ?? MODEL_ID);
    const base = { id, object: 'chat.completion.chunk', created, model };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const includeUsage = body?.stream_options?.include_usage === true;
    chunks.forEach((content, i) => {
      const delta = i === 0 ? { role: 'assistant', content } : { content };
      send({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) });
    });
    send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...(includeUsage ? { usage: null } : {}) });
    if (includeUsage) {
      const u = usage ?? { prompt_tokens: 10, completion_tokens: Math.max(1, chunks.length) };
      send({ ...base, choices: [], usage: { ...u, total_tokens: u.prompt_tokens + u.completion_tokens } });
    }
    res.end('data: [DONE]\n\n');
  };

  const every = (res: ServerResponse, everyMs: number, pieces: string[], end: string) => {
    let next = 0;
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) {
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      if (next < pieces.length) {
        res.write(pieces[next++]!);
        return;
      }
      clearInterval(timer);
      timers.delete(timer);
      res.end(end);
    }, everyMs);
    timers.add(timer);
  };

  const trickle = (res: ServerResponse, body: any, chunks: string[], everyMs: number) => {
    const model = String(body?.model ?? MODEL_ID);
    if (body?.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      every(res, everyMs, [...JSON.stringify(completion(model, chunks.join('')))], '');
      return;
    }
    const base = { id: `chatcmpl-fake-${++seq}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
    const event = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const pieces = chunks.map((content, i) => event({ ...base, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, logprobs: null, finish_reason: null }] }));
    pieces.push(event({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }));
    every(res, everyMs, pieces, 'data: [DONE]\n\n');
  };

  const answer = (res: ServerResponse, request: ChatRequest, reply: Reply) => {
    const body = request.body;
    const model = String(body?.model ?? MODEL_ID);
    switch (reply.kind) {
      case 'json':
        if (body?.stream === true) stream(res, body, [reply.content], reply.usage);
        else sendJson(res, 200, completion(model, reply.content, reply.usage));
        return;
      case 'stream':
        if (body?.stream === true) stream(res, body, reply.chunks);
        else sendJson(res, 200, completion(model, reply.chunks.join('')));
        return;
      case 'status':
        sendJson(res, reply.status, reply.body ?? defaultErrorBody(reply.status));
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (res.destroyed || res.writableEnded) return;
          answer(res, request, { kind: 'json', content: reply.content });
        }, reply.delayMs);
        timers.add(timer);
        return;
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "chatcmpl-broken", "choices": [ this is not json');
        return;
      case 'stall':
        res.writeHead(200, body?.stream === true ? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } : { 'content-type': 'application/json' });
        res.flushHeaders();
        return;
      case 'trickle':
        trickle(res, body, reply.chunks, reply.everyMs);
        return;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'fake' }] });
        return;
      }
      if (req.method === 'POST' && path === '/v1/embeddings') {
        const body: any = JSON.parse((await readBody(req)) || '{}');
        const inputs: string[] = Array.isArray(body?.input) ? body.input.map(String) : [String(body?.input ?? '')];
        embeddingRequests.push({ body, inputs, at: Date.now() });
        const reply = embeddingQueue.shift() ?? { kind: 'vectors' };
        if (reply.kind === 'status') {
          sendJson(res, reply.status, defaultErrorBody(reply.status));
          return;
        }
        if (reply.kind === 'stall') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.flushHeaders();
          return;
        }
        const data = inputs.map((input, index) => {
          const vector = fake.embed(input);
          // The client asks for base64 (float32, little-endian) unless told otherwise.
          const embedding = body?.encoding_format === 'float' ? vector : Buffer.from(Float32Array.from(vector).buffer).toString('base64');
          return { object: 'embedding', index, embedding };
        });
        const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
        sendJson(res, 200, { object: 'list', data, model: String(body?.model ?? 'fake-embedding'), usage: { prompt_tokens: tokens, total_tokens: tokens } });
        return;
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        const raw = await readBody(req);
        let body: any;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error', param: null, code: null } });
          return;
        }
        const request: ChatRequest = { body, headers: { ...req.headers }, at: Date.now(), cancelled: false };
        requests.push(request);
        res.on('close', () => {
          if (!res.writableFinished) request.cancelled = true;
        });
        const reply = queue.shift() ?? fake.fallback(request);
        answer(res, request, reply);
        return;
      }
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
      else res.destroy();
    });
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const fake: FakeOpenAI = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    enqueueEmbeddings: (...replies) => {
      embeddingQueue.push(...replies);
    },
    embed: bagOfWordsVector,
    fallback: () => ({ kind: 'json', content: '{}' }),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closed;
    },
  };
  return fake;
}
