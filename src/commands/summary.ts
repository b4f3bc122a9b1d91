/**
 * /summary [id] and /latest: the summary of an article, the newest when no id is given.
 */
import type { NewsDesk } from '../core/newsDesk.js';
import { summaryView } from './views.js';
import type { Command, View } from './types.js';

async function summaryOf(desk: NewsDesk, ref: string | undefined): Promise<View> {
  const summary = await desk.summarize(ref);
  const article = await desk.getArticle(summary.articleId);
  return summaryView(summary, article.url);
}

/** The /summary command. */
export const summary: Command = {
  name: 'summary',
  aliases: { arabic: 'ملخص' },
  right: 'anyone',
  slow: true,
  options: [{ name: 'id', type: 'string', describe: (m) => m.options.articleId, autocomplete: 'article' }],
  menu: (m) => m.menu.summary,
  help: (m) => [m.helpLine('/summary', m.args.optionalId, m.helpText.summary)],
  run: (input, _ctx, services) => summaryOf(services.desk, input.text.trim() === '' ? undefined : input.text.trim()),
};

/** The /latest command. */
export const latest: Command = {
  name: 'latest',
  aliases: { arabic: 'الأحدث' },
  right: 'anyone',
  slow: true,
  options: [],
  menu: (m) => m.menu.latest,
  help: (m) => [m.helpLine('/latest', '', m.helpText.latest)],
  run: (_input, _ctx, services) => summaryOf(services.desk, undefined),
};
