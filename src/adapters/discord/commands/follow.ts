/**
 * /follow question: this channel gets the new answer when a new article changes it.
 */
import { follow as command } from '../../../commands/follow.js';
import { slashCommand } from './module.js';

/** The /follow module. */
export const follow = slashCommand(command);
