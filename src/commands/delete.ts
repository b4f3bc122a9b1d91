/**
 * /delete <id>: an admin deletes an article, its summaries and its pending deliveries.
 */
import { messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { Command } from './types.js';

/** The /delete command. */
export const deleteArticle: Command = {
  name: 'delete',
  aliases: { arabic: 'احذف' },
  right: 'admin',
  adminAction: 'delete',
  // The admin's housekeeping is not the channel's news.
  private: true,
  options: [{ name: 'id', type: 'string', describe: (m) => m.options.articleId, required: true, autocomplete: 'article' }],
  menu: (m) => m.menu.delete,
  help: (m) => [m.helpLine('/delete', m.args.id, m.helpText.delete)],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const ref = input.text.trim();
    if (ref === '') return textView(m.deleteUsage, 'refused');
    const article = await services.desk.deleteArticle(ref, ctx.actor);
    return textView(m.deleted(article.id, article.title));
  },
};
