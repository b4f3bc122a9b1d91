/**
 * What a reader can do with a message someone wrote (Discord's message menu: "Ask akhbar about
 * this", "Summarize"): ask its text as /ask would, or summarize it — the page it links to, else its
 * own text — without storing anything, so anyone may.
 */
import { isAkhbarError } from '../core/errors.js';
import { messages } from '../i18n/messages.js';
import { ask } from './ask.js';
import { errorView, runCommand } from './run.js';
import type { CommandContext, CommandServices, View } from './types.js';
import { readSummaryView, textView } from './views.js';

// A link as people paste it; the punctuation a sentence puts after it is not part of it.
const LINK = /https?:\/\/[^\s<>"]+/iu;
const TRAILING = /[).,;:!?'’]+$/u;

/** The first http(s) link in `text`, if any. */
export function firstLink(text: string): string | undefined {
  return LINK.exec(text)?.[0].replace(TRAILING, '');
}

/** The message's text asked as a question: the /ask answer, citing the stored articles. */
export async function askAbout(text: string, ctx: CommandContext, services: CommandServices): Promise<View> {
  // /ask's own usage line would point at a command the user did not type.
  if (text.trim() === '') return textView(messages(ctx.language).nothingToAsk, 'refused');
  return runCommand(ask, { text }, ctx, services);
}

/** The summary of the page a message links to, else of its text; never rejects, stores nothing. */
export async function summarizeMessage(text: string, ctx: CommandContext, services: CommandServices): Promise<View> {
  const m = messages(ctx.language);
  try {
    const link = firstLink(text);
    const input = link && services.sources ? await services.sources.readLink(link) : { text };
    return readSummaryView(await services.desk.summarizeText(input, ctx.actor), m, input.url);
  } catch (error) {
    // Worded for a message, not for a post (which would point at /post).
    if (isAkhbarError(error, 'EMPTY_ARTICLE') || isAkhbarError(error, 'ARTICLE_TOO_SHORT')) return textView(m.nothingToSummarize, 'refused');
    return errorView(error, ctx.language, services.logger, { command: 'summarize-message', platform: ctx.platform });
  }
}
