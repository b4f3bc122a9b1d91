/**
 * /summary [id]: an article's summary; the id is offered as it is typed.
 */
import { summary as command } from '../../../commands/summary.js';
import { slashCommand } from './module.js';

/** The /summary module. */
export const summary = slashCommand(command);
