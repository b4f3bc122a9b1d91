/**
 * Inline mode: `@bot question` typed in any chat is answered as /ask answers it, offered as one
 * inline result the user can send into that chat, its citation shown under the title.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { ask } from '../../../commands/ask.js';
import { runCommand } from '../../../commands/run.js';
import type { Block, CommandContext, View } from '../../../commands/types.js';
import { errorFields } from '../../../core/logger.js';
import { messages } from '../../../i18n/messages.js';
import type { AkhbarContext } from '../context.js';
import { escapeHtml, splitHtml } from '../format.js';
import type { ReplyDeps } from '../reply.js';
import { viewHtml } from '../render.js';

// Telegram may cache the results on its side; a minute, because a newly posted article can change
// the answer (the desk's own answer cache already spares repeated questions the work).
const INLINE_CACHE_SECONDS = 60;
// A result's title is one line in Telegram's list; longer is cut by the client anyway.
const TITLE_CHARS = 90;
const DESCRIPTION_CHARS = 120;

/** The first line of `text`, cut to `max` characters with an ellipsis. */
function line(text: string, max: number): string {
  const first = text.trim().split('\n')[0] ?? '';
  return first.length <= max ? first : `${first.slice(0, max - 1).trimEnd()}…`;
}

function firstText(blocks: readonly Block[]): string {
  for (const block of blocks) if (block.kind === 'answer' || block.kind === 'text') return block.text;
  return '';
}

/** The view as one inline result: the answer's first line as title, its citations as description, the whole answer as the message sent. */
export function inlineResult(view: View): InlineQueryResultArticle {
  const answer = view.blocks.find((block) => block.kind === 'answer');
  const cited = answer?.kind === 'answer' ? answer.citations.map((citation) => citation.title).join(' · ') : '';
  return {
    type: 'article',
    id: 'answer',
    title: line(firstText(view.blocks), TITLE_CHARS),
    ...(cited !== '' ? { description: line(cited, DESCRIPTION_CHARS) } : {}),
    // An inline message is a single message: the part past Telegram's limit is left out.
    input_message_content: { message_text: splitHtml(viewHtml(view))[0] ?? '', parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
  };
}

/** An inline query has no chat: the asker's own chat with the bot stands for it, managed by no one. */
function inlineContext(ctx: AkhbarContext): CommandContext {
  return {
    platform: 'telegram',
    actor: ctx.asker.actor,
    language: ctx.asker.language,
    chat: { ref: { platform: 'telegram', chatId: String(ctx.from?.id ?? 0), kind: 'private' }, canManage: () => Promise.resolve(false) },
  };
}

/**
 * The Composer that answers inline queries with the /ask answer. Telegram sends a query at every
 * pause in the reader's typing; with `inlineWaitMs`, a query is answered only if the same reader
 * sent no newer one meanwhile, so a model is not asked about "How quick" on the way to the question.
 */
export function inlineFeature(deps: ReplyDeps): Composer<AkhbarContext> {
  const composer = new Composer<AkhbarContext>();
  // Each reader's newest query id, while it waits; the newest deletes it, so this holds only readers typing now.
  const newest = new Map<number, string>();
  composer.on('inline_query', async (ctx) => {
    const question = ctx.inlineQuery.query.trim();
    const m = messages(ctx.asker.language);
    if (question === '') {
      // Nothing to answer yet: no results, and a button saying what to type (it opens the bot's chat).
      await ctx.answerInlineQuery([], { cache_time: INLINE_CACHE_SECONDS, is_personal: false, button: { text: m.inlineHint, start_parameter: 'help' } });
      return;
    }
    if (deps.inlineWaitMs > 0) {
      const reader = ctx.inlineQuery.from.id;
      const id = ctx.inlineQuery.id;
      newest.set(reader, id);
      await sleep(deps.inlineWaitMs);
      // Typed on: Telegram shows the reader the newer query's results, never this one's.
      if (newest.get(reader) !== id) return;
      newest.delete(reader);
    }
    let result: InlineQueryResultArticle;
    try {
      // The desk refuses a question over MAX_QUESTION_CHARS; the refusal comes back as the result.
      result = inlineResult(await runCommand(ask, { text: question }, inlineContext(ctx), deps.services));
    } catch (error) {
      deps.logger.error('inline answer failed', { query: ctx.inlineQuery.id, ...errorFields(error) });
      result = { type: 'article', id: 'apology', title: line(m.internalError, TITLE_CHARS), input_message_content: { message_text: escapeHtml(m.internalError), parse_mode: 'HTML' } };
    }
    await ctx.answerInlineQuery([result], { cache_time: INLINE_CACHE_SECONDS, is_personal: false }).catch((error: unknown) =>
      // A query answered too late (the user typed on) is refused by Telegram; nothing is lost.
      deps.logger.warn('inline answer not delivered', { query: ctx.inlineQuery.id, ...errorFields(error) }),
    );
  });
  return composer;
}
