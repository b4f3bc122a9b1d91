/**
 * Every command, once. From this list come /help (per surface), Telegram's command menu, Discord's
 * slash command definitions and the console's completion and Arabic names; a new command is one
 * module and one line here.
 */
import { foldForMatching } from '../core/text/index.js';
import { messages, type UiLanguage } from '../i18n/messages.js';
import { articles } from './articles.js';
import { ask } from './ask.js';
import { deleteArticle } from './delete.js';
import { feed } from './feed.js';
import { filter } from './filter.js';
import { follow, following, unfollow } from './follow.js';
import { createHelp } from './help.js';
import { post } from './post.js';
import { cancel, quit } from './session.js';
import { status } from './status.js';
import { subscribe, unsubscribe } from './subscribe.js';
import { latest, summary } from './summary.js';
import { why } from './why.js';
import type { Command, CommandServices, Need, Platform } from './types.js';

/** Whether `command` exists on `platform` with these services (the console may run without delivery). */
export function isAvailable(command: Command, platform: Platform, services?: Pick<CommandServices, Need>): boolean {
  if (command.platforms && !command.platforms.includes(platform)) return false;
  return (command.needs ?? []).every((need) => services === undefined || services[need] !== undefined);
}

/** The commands of `platform`, in menu order. */
export function commandsFor(platform: Platform, services?: Pick<CommandServices, Need>): readonly Command[] {
  return COMMANDS.filter((command) => isAvailable(command, platform, services));
}

/** The /help command, over the commands of the surface it is asked on. */
export const help: Command = createHelp(commandsFor);

/** Every command, in the order menus and /help list them. */
export const COMMANDS: readonly Command[] = [
  help,
  ask,
  why,
  latest,
  summary,
  articles,
  subscribe,
  unsubscribe,
  filter,
  follow,
  following,
  unfollow,
  post,
  deleteArticle,
  status,
  feed,
  cancel,
  quit,
];

// Arabic is typed with or without hamza and diacritics; folded, الأحدث and الاحدث are one name.
const fold = (name: string) => foldForMatching(name).replace(/\s+/gu, '');

/**
 * The command `name` (without its slash) means on `platform`: its own name, a Latin alias, or on
 * the console an Arabic one; undefined when there is none here.
 */
export function findCommand(name: string, platform: Platform, services?: Pick<CommandServices, Need>): Command | undefined {
  const wanted = name.toLowerCase();
  const folded = fold(name);
  return commandsFor(platform, services).find(
    (command) =>
      command.name === wanted ||
      (command.aliases?.latin ?? []).includes(wanted) ||
      (platform === 'console' && command.aliases !== undefined && fold(command.aliases.arabic) === folded),
  );
}

/** The command menu of `platform` in `language`, as Telegram's setMyCommands takes it. */
export function commandMenu(platform: Platform, language: UiLanguage): { command: string; description: string }[] {
  const m = messages(language);
  return commandsFor(platform).map((command) => ({ command: command.name, description: command.menu(m) }));
}

/** What the console completes a leading slash to: every name, Latin and Arabic. */
export function completions(services?: Pick<CommandServices, Need>): string[] {
  return commandsFor('console', services).flatMap((command) => [
    `/${command.name}`,
    ...(command.aliases?.latin ?? []).map((alias) => `/${alias}`),
    ...(command.aliases ? [`/${command.aliases.arabic}`] : []),
  ]);
}
