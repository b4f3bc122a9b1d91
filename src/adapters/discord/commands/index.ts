/**
 * The slash commands, looked up by name from a Collection as the discord.js guide keeps them. Each
 * module holds a command of the registry; a new command is a module here and a line below.
 */
import { Collection } from 'discord.js';
import { articles } from './articles.js';
import { ask } from './ask.js';
import { deleteArticle } from './delete.js';
import { feed } from './feed.js';
import { filter } from './filter.js';
import { follow } from './follow.js';
import { following } from './following.js';
import { help } from './help.js';
import { latest } from './latest.js';
import type { DiscordCommand } from './module.js';
import { post } from './post.js';
import { status } from './status.js';
import { subscribe } from './subscribe.js';
import { summary } from './summary.js';
import { unfollow } from './unfollow.js';
import { unsubscribe } from './unsubscribe.js';
import { why } from './why.js';

export type { DiscordCommand } from './module.js';

/** Every slash command by name. */
export function discordCommands(): Collection<string, DiscordCommand> {
  return new Collection([help, ask, why, latest, summary, articles, subscribe, unsubscribe, filter, follow, following, unfollow, post, deleteArticle, status, feed].map((module) => [module.data.name, module]));
}
