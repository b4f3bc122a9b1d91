/**
 * /delete id: an admin deletes an article, answered privately.
 */
import { deleteArticle as command } from '../../../commands/delete.js';
import { slashCommand } from './module.js';

/** The /delete module. */
export const deleteArticle = slashCommand(command);
