/**
 * /subscribe [mode] [time] [lang]: summaries of new articles in this channel (Manage Channels).
 */
import { subscribe as command } from '../../../commands/subscribe.js';
import { slashCommand } from './module.js';

/** The /subscribe module. */
export const subscribe = slashCommand(command);
