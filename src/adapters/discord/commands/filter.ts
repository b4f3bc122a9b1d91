/**
 * /filter [where] [rule]: which articles this channel's, thread's or forum's subscription lets through (Manage Channels).
 */
import { filter as command } from '../../../commands/filter.js';
import { slashCommand } from './module.js';

/** The /filter module. */
export const filter = slashCommand(command);
