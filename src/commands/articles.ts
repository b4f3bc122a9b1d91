/**
 * /articles [page]: the stored articles, newest first, a page at a time.
 */
import { messages } from '../i18n/messages.js';
import { articlePageView, PAGE_SIZE } from './views.js';
import type { Command } from './types.js';

/** The page a user asked for: a whole number from 1, the first when the words say none. */
export function pageNumber(text: string): number {
  const page = Number.parseInt(text.trim(), 10);
  return Number.isFinite(page) && page >= 1 ? page : 1;
}

/** The /articles command. */
export const articles: Command = {
  name: 'articles',
  aliases: { arabic: 'مقالات' },
  right: 'anyone',
  options: [{ name: 'page', type: 'integer', describe: (m) => m.options.page, minValue: 1 }],
  menu: (m) => m.menu.articles,
  help: (m) => [m.helpLine('/articles', m.args.page, m.helpText.articles)],
  async run(input, ctx, services) {
    const page = pageNumber(input.text);
    const listing = await services.desk.listArticles({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    return articlePageView(listing, page, messages(ctx.language));
  },
};
