/**
 * /status: the admins' delivery figures.
 */
import { status as command } from '../../../commands/status.js';
import { slashCommand } from './module.js';

/** The /status module. */
export const status = slashCommand(command);
