/**
 * The slash command modules: one per command of the registry, found by name, each defined from
 * the registry's options.
 */
import { describe, expect, it } from 'vitest';
import { discordCommands } from '../../../src/adapters/discord/commands/index.js';
import { applicationCommands, slashCommands } from '../../../src/adapters/discord/index.js';
import { commandsFor } from '../../../src/commands/registry.js';

describe('Discord command modules', () => {
  it('hold every command the registry has for Discord, looked up by name', () => {
    const modules = discordCommands();
    expect([...modules.keys()].sort()).toEqual(commandsFor('discord').map((c) => c.name).sort());
    for (const [name, module] of modules) expect(module.command.name).toBe(name);
    expect(modules.get('quit')).toBeUndefined();
  });

  it('define each command from the registry’s options, within Discord’s limits', () => {
    const byName = new Map(slashCommands().map((c) => [c.name, c]));
    expect(byName.get('post')!.options).toMatchObject([
      { name: 'text', type: 3, max_length: 6000 },
      { name: 'file', type: 11 },
      { name: 'url', type: 3 },
    ]);
    expect(byName.get('summary')!.options).toMatchObject([{ name: 'id', autocomplete: true }]);
    expect(byName.get('articles')!.options).toMatchObject([{ name: 'page', type: 4, min_value: 1 }]);
    expect(byName.get('ask')!.options).toMatchObject([{ name: 'question', required: true, max_length: 1000 }]);
    expect(byName.get('subscribe')!.options!.map((o) => o.name)).toEqual(['where', 'mode', 'time', 'lang', 'format', 'previews', 'updates']);
    expect(byName.get('filter')!.options!.map((o) => o.name)).toEqual(['where', 'rule']);
    expect(byName.get('filter')!.default_member_permissions).toBe(String(1 << 4));
    expect(byName.get('unsubscribe')!.default_member_permissions).toBe(String(1 << 4));
    expect(byName.get('feed')!.options!.map((o) => [o.name, o.type])).toEqual([
      ['add', 1],
      ['list', 1],
      ['remove', 1],
      ['resume', 1],
      ['import', 1],
      ['export', 1],
    ]);
    // /feed import takes the OPML file as a required attachment (type 11).
    const subcommands = byName.get('feed')!.options! as unknown as { name: string; options?: { name: string; type: number; required?: boolean }[] }[];
    expect(subcommands.find((o) => o.name === 'import')!.options).toMatchObject([{ name: 'file', type: 11, required: true }]);
    for (const command of byName.values()) {
      expect(command.description.length).toBeLessThanOrEqual(100);
      for (const option of command.options ?? []) expect(option.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('register "Ask akhbar about this" and "Summarize" in the message menu, after the slash commands', () => {
    const registered = applicationCommands();
    expect(registered.slice(0, slashCommands().length)).toEqual(slashCommands());
    const menu = registered.slice(slashCommands().length);
    expect(menu.map((c) => [c.name, c.type, 'description' in c ? c.description : undefined])).toEqual([
      ['Ask akhbar about this', 3, undefined],
      ['Summarize', 3, undefined],
    ]);
  });
});
