/**
 * /feed add | list | remove: the admins' RSS and Atom feeds.
 */
import { feed as command } from '../../../commands/feed.js';
import { slashCommand } from './module.js';

/** The /feed module. */
export const feed = slashCommand(command);
