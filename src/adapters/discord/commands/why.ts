/**
 * /why: the evidence behind the last answer in this channel.
 */
import { why as command } from '../../../commands/why.js';
import { slashCommand } from './module.js';

/** The /why module. */
export const why = slashCommand(command);
