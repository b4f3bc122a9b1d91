/**
 * /help: what the bot can do here.
 */
import { help as command } from '../../../commands/registry.js';
import { slashCommand } from './module.js';

/** The /help module. */
export const help = slashCommand(command);
