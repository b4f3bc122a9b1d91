/**
 * /post text: | file: — an admin's article; with neither, a form opens for a long paste.
 */
import { post as command } from '../../../commands/post.js';
import { slashCommand } from './module.js';

/** The /post module. */
export const post = slashCommand(command);
