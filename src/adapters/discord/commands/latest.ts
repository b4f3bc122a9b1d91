/**
 * /latest: the summary of the newest article.
 */
import { latest as command } from '../../../commands/summary.js';
import { slashCommand } from './module.js';

/** The /latest module. */
export const latest = slashCommand(command);
