import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadlineSignal } from '../../src/core/deadline.js';
import { bagOfWordsVector, startFakeOpenAI, type FakeOpenAI } from './fakeOpenAI.js';

describe('fakeOpenAI', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'test', timeout: 500, maxRetries: 0 });
  });

  afterEach(async () => {
    await fake.close();
  });

  const messages = [{ role: 'user' as const, content: 'مرحبا' }];

  it('answers a json reply as choices[0].message.content and records the request', async () => {
    fake.enqueue({ kind: 'json', content: '{"ok":true}', usage: { prompt_tokens: 3, completion_tokens: 4 } });
    const res = await client.chat.completions.create({ model: 'gpt-test', messages });
    expect(res.choices[0]?.message.content).toBe('{"ok":true}');
    expect(res.model).toBe('gpt-test');
    expect(res.usage?.total_tokens).toBe(7);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body.model).toBe('gpt-test');
    expect(fake.requests[0]?.body.messages).toEqual(messages);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer test');
  });

  it('uses the fallback when the queue is empty', async () => {
    const res = await client.chat.completions.create({ model: 'm', messages });
    expect(res.choices[0]?.message.content).toBe('{}');
    fake.fallback = (req) => ({ kind: 'json', content: `echo ${req.body.messages.length}` });
    const res2 = await client.chat.completions.create({ model: 'm', messages });
    expect(res2.choices[0]?.message.content).toBe('echo 1');
  });

  it('streams a stream reply that assembles into the full text', async () => {
    fake.enqueue({ kind: 'stream', chunks: ['Hel', 'lo, ', 'world'] });
    const stream = await client.chat.completions.create({
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello, world');
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBeGreaterThan(0);
    expect(fake.requests[0]?.body.stream).toBe(true);
  });

  it('streams a json reply as one chunk when the client asks for a stream', async () => {
    fake.enqueue({ kind: 'json', content: 'whole' });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('whole');
  });

  it('throws RateLimitError on a 429 reply', async () => {
    fake.enqueue({ kind: 'status', status: 429, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } } });
    const err = await client.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
  });

  it('throws InternalServerError on a 500 reply', async () => {
    fake.enqueue({ kind: 'status', status: 500 });
    await expect(client.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
  });

  it('times out on a slow reply', async () => {
    const quick = new OpenAI({ baseURL: fake.baseURL, apiKey: 'test', timeout: 300, maxRetries: 0 });
    fake.enqueue({ kind: 'slow', delayMs: 2000, content: 'late' });
    const started = Date.now();
    await expect(quick.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('throws on a malformed body', async () => {
    fake.enqueue({ kind: 'malformed' });
    await expect(client.chat.completions.create({ model: 'm', messages })).rejects.toThrow();
  });

  it('stalls after the headers until the client hangs up, and records that it did', async () => {
    fake.enqueue({ kind: 'stall' });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true }, { signal: controller.signal });
    const reading = (async () => {
      for await (const _chunk of stream) return 'a chunk arrived';
      return 'nothing arrived';
    })();
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    // The client ends an aborted stream quietly, as if it were complete.
    expect(await reading).toBe('nothing arrived');
    while (!fake.requests[0]!.cancelled) await new Promise((r) => setTimeout(r, 10));
    expect(fake.requests[0]!.cancelled).toBe(true);
  });

  it('trickles a streamed reply one chunk at a time, and a plain one a byte at a time', async () => {
    fake.enqueue({ kind: 'trickle', chunks: ['a', 'b', 'c'], everyMs: 5 }, { kind: 'trickle', chunks: ['{"x":1}'], everyMs: 1 });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas).toEqual(['a', 'b', 'c']);
    const plain = new OpenAI({ baseURL: fake.baseURL, apiKey: 'test', timeout: 10_000, maxRetries: 0 });
    expect((await plain.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content).toBe('{"x":1}');
    expect(fake.requests.map((r) => r.cancelled)).toEqual([false, false]);
  });

  it('lists one model and answers 404 elsewhere', async () => {
    const models = await client.models.list();
    expect(models.data).toHaveLength(1);
    const res = await fetch(`${fake.baseURL}/nope`);
    expect(res.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });

  it('close() ends pending slow responses', async () => {
    fake.enqueue({ kind: 'slow', delayMs: 60_000, content: 'never' });
    const slow = new OpenAI({ baseURL: fake.baseURL, apiKey: 'test', timeout: 10_000, maxRetries: 0 });
    const pending = slow.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await fake.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers embeddings as floats or, as the client asks by default, base64, with texts sharing words near', async () => {
    const floats = await client.embeddings.create({ model: 'emb', input: ['the harbour bridge', 'bridge harbour the'], encoding_format: 'float' });
    expect(floats.data.map((item) => item.embedding)).toEqual([bagOfWordsVector('the harbour bridge'), bagOfWordsVector('the harbour bridge')]);
    const decoded = await client.embeddings.create({ model: 'emb', input: 'rail strike' });
    expect(decoded.data[0]!.embedding).toEqual(bagOfWordsVector('rail strike'));
    expect(fake.embeddingRequests.map((request) => request.inputs)).toEqual([['the harbour bridge', 'bridge harbour the'], ['rail strike']]);
  });

  it('fails or stalls an embeddings request when told to', async () => {
    fake.enqueueEmbeddings({ kind: 'status', status: 503 }, { kind: 'stall' });
    await expect(client.embeddings.create({ model: 'emb', input: 'x' })).rejects.toMatchObject({ status: 503 });
    // Headers and then nothing: only the caller's own deadline ends the wait.
    const deadline = deadlineSignal(200);
    await expect(client.embeddings.create({ model: 'emb', input: 'x' }, { signal: deadline.signal })).rejects.toThrow();
    deadline.done();
    expect(fake.embeddingRequests).toHaveLength(2);
  });
});
