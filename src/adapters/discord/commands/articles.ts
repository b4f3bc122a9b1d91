/**
 * /articles [page]: the stored articles, with buttons to the pages either side.
 */
import { articles as command } from '../../../commands/articles.js';
import { slashCommand } from './module.js';

/** The /articles module. */
export const articles = slashCommand(command);
