/**
 * /ask <question>: an answer from the stored articles, citing them, in the question's language
 * (the asker's when the question has none). A plain message is a question too where the surface
 * says so (a private chat, the console, a mention in a group).
 */
import { detectLanguage } from '../core/text/index.js';
import { messages, uiLanguage } from '../i18n/messages.js';
import { answerView } from './views.js';
import type { Command } from './types.js';

/** The /ask command. */
export const ask: Command = {
  name: 'ask',
  aliases: { arabic: 'اسأل' },
  right: 'anyone',
  slow: true,
  options: [{ name: 'question', type: 'string', describe: (m) => m.options.question, required: true, maxLength: 1000 }],
  menu: (m) => m.menu.ask,
  help: (m, platform) => m.help.ask(platform),
  replyLanguage: (input, ctx) => uiLanguage(detectLanguage(input.text), ctx.language),
  async run(input, ctx, services) {
    const language = uiLanguage(detectLanguage(input.text), ctx.language);
    const answer = await services.desk.ask(input.text, ctx.actor, ctx.onPartial ? { onPartial: ctx.onPartial } : {});
    await services.lastAnswers?.remember(ctx.chat.ref, { question: input.text.trim(), answer });
    return answerView(answer, messages(uiLanguage(answer.language, language)), services.desk.engineName);
  },
};
