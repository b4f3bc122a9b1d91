/**
 * The registry: every command once, and from it the names each surface answers to, Telegram's
 * menu and the console's completion.
 */
import { describe, expect, it } from 'vitest';
import { commandMenu, COMMANDS, completions, findCommand } from '../../src/commands/registry.js';

describe('the command registry', () => {
  it('finds a command by its name, a Latin alias, and on the console its Arabic name, with or without hamza', () => {
    expect(findCommand('ask', 'telegram')?.name).toBe('ask');
    expect(findCommand('START', 'telegram')?.name).toBe('help');
    expect(findCommand('اسأل', 'console')?.name).toBe('ask');
    expect(findCommand('اسال', 'console')?.name).toBe('ask');
    expect(findCommand('الاحدث', 'console')?.name).toBe('latest');
    expect(findCommand('مساعدة', 'console')?.name).toBe('help');
    expect(findCommand('اسأل', 'telegram')).toBeUndefined();
    expect(findCommand('quit', 'telegram')).toBeUndefined();
    expect(findCommand('frobnicate', 'console')).toBeUndefined();
  });

  it('gives every command a distinct name and Arabic name', () => {
    const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases?.latin ?? []), c.aliases?.arabic ?? c.name]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('builds Telegram’s menu in English and Arabic from the same commands, without the console’s own', () => {
    const en = commandMenu('telegram', 'en');
    const ar = commandMenu('telegram', 'ar');
    expect(en.map((c) => c.command)).toEqual(ar.map((c) => c.command));
    expect(en.map((c) => c.command)).toEqual(['help', 'ask', 'why', 'latest', 'summary', 'articles', 'subscribe', 'unsubscribe', 'filter', 'follow', 'following', 'unfollow', 'post', 'delete', 'status', 'feed']);
    for (const { command, description } of [...en, ...ar]) {
      expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(description.length).toBeGreaterThanOrEqual(3);
      expect(description.length).toBeLessThanOrEqual(100);
    }
  });

  it('completes a slash to every console name, Latin and Arabic', () => {
    const names = completions();
    expect(names).toEqual(expect.arrayContaining(['/help', '/start', '/مساعدة', '/ask', '/اسأل', '/ملخص', '/cancel', '/quit', '/exit', '/خروج']));
  });
});
