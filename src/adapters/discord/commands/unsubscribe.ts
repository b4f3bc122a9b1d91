/**
 * /unsubscribe: no more summaries in this channel (Manage Channels).
 */
import { unsubscribe as command } from '../../../commands/subscribe.js';
import { slashCommand } from './module.js';

/** The /unsubscribe module. */
export const unsubscribe = slashCommand(command);
