/**
 * /help: the commands this surface has, each in the words that fit how input arrives here (only
 * the console has paste mode; only Telegram takes files as captions and forwarded messages).
 */
import { messages, type UiLanguage } from '../i18n/messages.js';
import { textView } from './views.js';
import type { Command, CommandServices, Platform } from './types.js';

/** The help text for `commands` on `platform`. */
export function helpText(commands: readonly Command[], platform: Platform, language: UiLanguage): string {
  const m = messages(language);
  const lines = [m.helpTitle];
  for (const command of commands) {
    // The console's operator may do everything: "(admins)" would only puzzle them.
    const suffix = command.right === 'admin' && platform !== 'console' ? m.adminsOnly : '';
    for (const line of command.help(m, platform)) lines.push(`${line}${suffix}`);
  }
  if (platform === 'console') {
    lines.push(m.arabicNames(commands.flatMap((c) => (c.aliases ? [`/${c.aliases.arabic} (/${c.name})`] : []))));
  }
  return lines.join('\n');
}

/** The /help command over the commands `available` lists for a surface. */
export function createHelp(available: (platform: Platform, services: CommandServices) => readonly Command[]): Command {
  return {
    name: 'help',
    aliases: { latin: ['start'], arabic: 'مساعدة' },
    right: 'anyone',
    options: [],
    menu: (m) => m.menu.help,
    help: (m) => [m.helpLine('/help', '', m.helpText.help)],
    run: async (_input, ctx, services) => textView(helpText(available(ctx.platform, services), ctx.platform, ctx.language)),
  };
}
