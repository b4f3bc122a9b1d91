/**
 * /following: the questions this channel follows.
 */
import { following as command } from '../../../commands/follow.js';
import { slashCommand } from './module.js';

/** The /following module. */
export const following = slashCommand(command);
