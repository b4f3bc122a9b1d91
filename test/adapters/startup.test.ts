/**
 * Start-up: each adapter says it is connecting and when it is ready, and one whose platform does
 * not answer says so clearly within the start-up timeout (30 s, shortened here) and keeps trying.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/index.js';
import { startTelegram } from '../../src/adapters/telegram/index.js';
import { createLogger } from '../../src/core/logger.js';
import { startCore } from '../support/services.js';
import { startFakeTelegram } from '../support/fakeTelegram.js';
import { fakeSender } from '../support/fakeSender.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Line {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A server that takes connections and never answers: a platform behind a black hole. */
async function silentServer(): Promise<{ url: string; connections: () => number }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, connections: () => connections };
}

async function core() {
  const started = await startCore({ adminId: 'telegram:1', sender: fakeSender('telegram'), limits: { perSecond: 100, chatIntervalMs: { private: 0, group: 0, channel: 0 } } });
  cleanup.push(() => started.delivery.stop(), () => started.sources.stop());
  return started;
}

function logged() {
  const lines: Line[] = [];
  const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as Line));
  return { lines, logger };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Telegram start-up', () => {
  it('says it is connecting, then that the Bot API does not answer, and keeps trying until stopped', async () => {
    const black = await silentServer();
    const { lines, logger } = logged();
    const c = await core();
    const abort = new AbortController();
    const started = startTelegram({
      token: '123:ABC',
      apiRoot: black.url,
      ...c,
      defaultLanguage: 'en',
      timeZone: 'UTC',
      logger,
      startup: { timeoutMs: 200, retryBaseMs: 50, signal: abort.signal },
    });
    started.catch(() => undefined);
    await until(() => lines.some((line) => line.level === 'error'), 'an error logged');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'telegram connecting', to: `the Telegram Bot API at ${black.url}` });
    const error = lines.find((line) => line.level === 'error')!;
    expect(error.msg).toMatch(/^telegram cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:\d+: not connected after 0\.2 s; still trying/);
    await until(() => black.connections() >= 2, 'a second try');
    expect(lines.some((line) => line.msg === 'telegram ready')).toBe(false);
    expect(JSON.stringify(lines)).not.toContain('123:ABC');
    abort.abort();
    await expect(started).rejects.toThrow();
  });

  it('connects once the Bot API answers, says it is ready, and answers users', async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    fake.hang('getMe', 1);
    const { lines, logger } = logged();
    const c = await core();
    const adapter = await startTelegram({
      token: fake.token,
      apiRoot: fake.apiRoot,
      ...c,
      defaultLanguage: 'en',
      timeZone: 'UTC',
      logger,
      startup: { timeoutMs: 200, retryBaseMs: 50 },
    });
    cleanup.push(() => adapter.stop());
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['telegram connecting', 'telegram not reachable yet', 'telegram ready']));
    expect(lines.find((line) => line.msg === 'telegram ready')).toMatchObject({ username: fake.botInfo.username });
    fake.pushMessage({ text: '/help', fromId: 5, chatId: 5 });
    await fake.waitFor((sent) => sent.some((m) => m.chatId === '5'));
  });

  it('stops at once, saying why, when Telegram refuses the token', async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    const { lines, logger } = logged();
    const c = await core();
    await expect(
      startTelegram({ token: '999:WRONG', apiRoot: fake.apiRoot, ...c, defaultLanguage: 'en', timeZone: 'UTC', logger, startup: { timeoutMs: 200, retryBaseMs: 50 } }),
    ).rejects.toThrow(/401|Unauthorized/);
    expect(lines.find((line) => line.level === 'error')?.msg).toMatch(/TELEGRAM_BOT_TOKEN/);
  });
});

describe('Discord start-up', () => {
  it('says it is connecting, then that Discord does not answer, and keeps trying until stopped', async () => {
    const black = await silentServer();
    const { lines, logger } = logged();
    const c = await core();
    const abort = new AbortController();
    const started = startDiscord({
      token: 'MTAx.discord.token',
      restApi: `${black.url}/api`,
      ...c,
      defaultLanguage: 'en',
      timeZone: 'UTC',
      logger,
      startup: { timeoutMs: 200, retryBaseMs: 50, signal: abort.signal },
    });
    started.catch(() => undefined);
    await until(() => lines.some((line) => line.level === 'error'), 'an error logged');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'discord connecting' });
    expect(lines.find((line) => line.level === 'error')!.msg).toMatch(/^discord cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api: not connected after 0\.2 s; still trying/);
    await until(() => black.connections() >= 2, 'a second try');
    abort.abort();
    await expect(started).rejects.toThrow();
    expect(lines.some((line) => line.msg === 'discord ready')).toBe(false);
  });
});
