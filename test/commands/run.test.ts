/**
 * Running a command: a refusal is explained in the asker's language, a bug is logged and answered
 * with an apology, and neither escapes to the surface.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import type { Command } from '../../src/commands/types.js';
import { AkhbarError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { asker, commandServices, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const broken: Command = {
  name: 'status',
  right: 'anyone',
  options: [],
  menu: () => 'x',
  help: () => [],
  run: async () => {
    throw new TypeError('boom');
  },
};

describe('running a command', () => {
  it('answers a bug with an apology in the asker’s language and logs it with its stack', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const s = await commandServices({ logger });
    stops.push(() => s.stop());
    const view = await runCommand(broken, { text: '' }, asker({ language: 'ar' }), s);
    expect(view.outcome).toBe('failed');
    expect(shown(view)).toBe('حدث خطأ من جهتنا وسُجّل. حاول مرة أخرى من فضلك.');
    expect(lines.find((line) => line['msg'] === 'command failed')).toMatchObject({ level: 'error', command: 'status', platform: 'telegram', error: 'boom' });
  });

  it('logs a database outage as an error an operator filtering on errors sees, while the user is told to try again', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const s = await commandServices({ logger });
    stops.push(() => s.stop());
    const locked: Command = { ...broken, run: async () => { throw new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: 'database is locked' }); } };
    const view = await runCommand(locked, { text: '' }, asker({ language: 'en' }), s);
    expect(view.outcome).toBe('refused');
    expect(shown(view)).toMatch(/try again/i);
    expect(lines.filter((line) => line['level'] === 'error')).toEqual([expect.objectContaining({ command: 'status', reason: expect.stringMatching(/locked/) })]);
  });
});
