/**
 * /status: the admin's delivery figures, subscribers and engine usage, and the counts of the
 * newest articles.
 */
import { messages } from '../i18n/messages.js';
import { statusView } from './views.js';
import type { Command } from './types.js';

/** The /status command. */
export const status: Command = {
  name: 'status',
  aliases: { arabic: 'الحالة' },
  right: 'admin',
  adminAction: 'status',
  needs: ['subscriptions', 'delivery'],
  options: [],
  menu: (m) => m.menu.status,
  help: (m) => [m.helpLine('/status', '', m.helpText.status)],
  async run(_input, ctx, services) {
    const [report, subscriptions] = await Promise.all([services.delivery!.report(), services.subscriptions!.list()]);
    return statusView(report, subscriptions, messages(ctx.language), services.desk.engineUsage());
  },
};
