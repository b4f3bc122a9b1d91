import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from './support/fixtureServer.js';
import { REDIS_URL, useRedis } from './support/redis.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/akhbar.mjs', import.meta.url));
const examples = fileURLToPath(new URL('../examples/articles/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'akhbar-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function akhbar(args: string[], storeName = 'cli.sqlite', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, STORE_URL: `sqlite://${join(dir, storeName)}`, LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('akhbar CLI', () => {
  const redis = useRedis();

  it('posts, lists, summarises and answers with --json, across separate processes', async () => {
    const posted = await akhbar(['post', '--file', join(examples, 'ar-solar-plant.txt'), '--json']);
    expect(posted.code).toBe(0);
    const article = JSON.parse(posted.stdout);
    expect(article).toMatchObject({ title: 'افتتاح أكبر محطة للطاقة الشمسية في مدينة الواحات الجديدة', language: 'ar', duplicate: false });

    const again = JSON.parse((await akhbar(['post', '--file', join(examples, 'ar-solar-plant.txt'), '--json'])).stdout);
    expect(again).toMatchObject({ id: article.id, duplicate: true });

    const summary = JSON.parse((await akhbar(['summary', article.id, '--json'])).stdout);
    expect(summary.articleId).toBe(article.id);
    expect(summary.language).toBe('ar');
    expect(summary.sentences.length).toBeGreaterThanOrEqual(3);

    const ask = ['ask', 'كم منزلا ستزود المحطة بالكهرباء؟', '--json'];
    const first = JSON.parse((await akhbar(ask)).stdout);
    expect(first).toMatchObject({ found: true, cached: false, engine: 'embedded' });
    expect(first.text).toContain('90 ألف منزل');
    expect(first.citations[0]).toMatchObject({ articleId: article.id });
    // Each process has its own in-memory answer cache; CACHE_URL=redis://… shares one between them.
    const second = JSON.parse((await akhbar(ask)).stdout);
    expect(second).toMatchObject({ found: true, cached: false, text: first.text });
    if (await redis) {
      // A short lifetime: the entries this leaves in the machine's Redis go by themselves.
      const shared = { CACHE_URL: REDIS_URL, ANSWER_CACHE_TTL_SECONDS: '60' };
      expect(JSON.parse((await akhbar(ask, 'cli.sqlite', shared)).stdout)).toMatchObject({ cached: false, text: first.text });
      expect(JSON.parse((await akhbar(ask, 'cli.sqlite', shared)).stdout)).toMatchObject({ cached: true, text: first.text });
    }

    const declined = JSON.parse((await akhbar(['ask', 'من فاز بكأس العالم لكرة القدم؟', '--json'])).stdout);
    expect(declined).toMatchObject({ found: false, citations: [] });

    const list = JSON.parse((await akhbar(['list', '--json'])).stdout);
    expect(list.total).toBe(1);
  }, 60_000);

  it('posts a link and follows a feed, refusing a private address unless it is allow-listed', async () => {
    const web = await startFixtureServer();
    try {
      const refused = await akhbar(['post', web.url('/en-news.html')], 'links.sqlite');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr + refused.stdout).toMatch(/not a public address|private/i);

      const allow = { FETCH_ALLOW_HOSTS: '127.0.0.1' };
      const posted = await akhbar(['post', web.url('/en-news.html'), '--json'], 'links.sqlite', allow);
      expect(posted.code).toBe(0);
      expect(JSON.parse(posted.stdout)).toMatchObject({ title: 'Harbour council approves tidal energy pilot', language: 'en', duplicate: false });

      const followed = await akhbar(['feed', 'add', web.url('/en-atom.xml')], 'links.sqlite', allow);
      expect(followed.stdout).toMatch(/Following feed [0-9a-f]{8}/);
      const listed = await akhbar(['feed', 'list'], 'links.sqlite', allow);
      expect(listed.stdout).toContain(web.url('/en-atom.xml'));
    } finally {
      await web.close();
    }
  }, 60_000);

  it('exits non-zero with a clear message for bad input', async () => {
    const unknown = await akhbar(['summary', 'abcdef123456'], 'empty.sqlite');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No articles are stored yet/);
    const missing = await akhbar(['post'], 'empty.sqlite');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--file/);
  }, 30_000);

  it('names the variable when the configuration is invalid', async () => {
    const { code, stderr } = await run(process.execPath, [bin, 'list'], { cwd: dir, env: { PATH: process.env.PATH, STORE_URL: 'ftp://x' } }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/STORE_URL/);
  });

  it('says why the database cannot be opened, and where Redis goes now', async () => {
    const env = (STORE_URL: string) => ({ cwd: dir, env: { PATH: process.env.PATH, STORE_URL } });
    const failed = (e: { code: number; stderr: string }) => e;
    // Port 1: nothing listens there, whether or not this build has the PostgreSQL backend yet.
    const postgres = await run(process.execPath, [bin, 'list'], env('postgres://akhbar@127.0.0.1:1/akhbar')).then(() => ({ code: 0, stderr: '' }), failed);
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toMatch(/not reachable[\s\S]*\(.+\)/);
    const redis = await run(process.execPath, [bin, 'list'], env('redis://127.0.0.1:6379')).then(() => ({ code: 0, stderr: '' }), failed);
    expect(redis.code).toBe(2);
    expect(redis.stderr).toMatch(/STORE_URL.*CACHE_URL.*akhbar migrate/);
  });

  it('evaluates question answering over a JSONL data set', async () => {
    const context = readFileSync(join(examples, 'en-flood-barrier.txt'), 'utf8');
    const data = join(dir, 'qa.jsonl');
    writeFileSync(
      data,
      [
        { id: 'q1', title: 't', context, question: 'How quickly can the gates be closed?', answers: ['25 minutes'], answer_start: 0 },
        { id: 'q2', title: 't', context, question: 'Who is the president of France?', answers: ['x'], answer_start: 0 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const out = join(dir, 'qa.out.jsonl');
    const result = await akhbar(['eval', 'qa', '--data', data, '--out', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ questions: 2, articles: 1, found: 1 });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ id: 'q1', found: true });
    expect(lines[0].answer).toContain('25 minutes');
    // Citations name the article by the SHA-256 of the original context.
    const { createHash } = await import('node:crypto');
    expect(lines[0].citations).toEqual([createHash('sha256').update(context).digest('hex')]);
    expect(lines[1]).toMatchObject({ id: 'q2', found: false, citations: [] });
  }, 30_000);
});

describe('akhbar eval with the LLM engine', () => {
  it('evaluates through an OpenAI-compatible server when asked to', async () => {
    const { startFakeOpenAI } = await import('./support/fakeOpenAI.js');
    const llm = await startFakeOpenAI();
    try {
      llm.fallback = () => ({ kind: 'json', content: JSON.stringify({ found: true, answer: 'In 25 minutes.', citations: ['P1'] }) });
      const context = readFileSync(join(examples, 'en-flood-barrier.txt'), 'utf8');
      const data = join(dir, 'qa-llm.jsonl');
      writeFileSync(data, JSON.stringify({ id: 'q1', title: 't', context, question: 'How quickly can the gates be closed?', answers: ['25 minutes'], answer_start: 0 }));
      const out = join(dir, 'qa-llm.out.jsonl');
      const { stdout } = await run(process.execPath, [bin, 'eval', 'qa', '--data', data, '--out', out, '--engine', 'openai'], {
        cwd: dir,
        env: { PATH: process.env.PATH, OPENAI_BASE_URL: llm.baseURL, OPENAI_MODEL: 'test-model', LOG_LEVEL: 'error' },
      });
      expect(JSON.parse(stdout)).toMatchObject({ questions: 1, found: 1, engine: 'openai:test-model' });
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ id: 'q1', found: true, answer: 'In 25 minutes.' });
      expect(llm.requests[0]!.body.model).toBe('test-model');
    } finally {
      await llm.close();
    }
  }, 30_000);
});
