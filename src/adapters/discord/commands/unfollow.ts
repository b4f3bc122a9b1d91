/**
 * /unfollow which: stop following a question.
 */
import { unfollow as command } from '../../../commands/follow.js';
import { slashCommand } from './module.js';

/** The /unfollow module. */
export const unfollow = slashCommand(command);
