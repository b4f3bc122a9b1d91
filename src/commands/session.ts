/**
 * Commands of the console's session itself: leaving paste mode and leaving the console. The
 * console acts on them before running anything; they are here so /help and completion list them.
 */
import { messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { Command } from './types.js';

/** /cancel: stops pasting an article; outside paste mode there is nothing to stop. */
export const cancel: Command = {
  name: 'cancel',
  aliases: { arabic: 'إلغاء' },
  right: 'anyone',
  platforms: ['console'],
  options: [],
  menu: (m) => m.menu.cancel,
  help: (m) => [m.helpLine('/cancel', '', m.helpText.cancel)],
  run: async (_input, ctx) => textView(messages(ctx.language).nothingToCancel),
};

/** /quit: leaves the console (the console closes before this would run). */
export const quit: Command = {
  name: 'quit',
  aliases: { latin: ['exit'], arabic: 'خروج' },
  right: 'anyone',
  platforms: ['console'],
  options: [],
  menu: (m) => m.menu.quit,
  help: (m) => [m.helpLine('/quit', '', m.helpText.quit)],
  run: async () => ({ blocks: [], outcome: 'ok' }),
};
