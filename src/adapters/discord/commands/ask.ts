/**
 * /ask question: an answer from the stored articles, with its sources.
 */
import { ask as command } from '../../../commands/ask.js';
import { slashCommand } from './module.js';

/** The /ask module. */
export const ask = slashCommand(command);
