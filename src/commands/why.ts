/**
 * /why: the evidence behind the last answer given in this chat. For an answer, the sentences it
 * quotes and the articles they came from, with how sure retrieval was; for a refusal, what was
 * missing: question words no stored article mentions, or the best candidate and why it was not enough.
 */
import type { AnsweredQuestion } from '../core/lastAnswers.js';
import { messages, type Messages } from '../i18n/messages.js';
import { textView } from './views.js';
import type { Block, Command } from './types.js';

const percent = (x: number) => Math.round(x * 100);

/** The blocks that explain one answered (or declined) question. */
export function whyBlocks({ question, answer }: AnsweredQuestion, m: Messages): Block[] {
  const evidence = answer.evidence;
  const blocks: Block[] = [{ kind: 'title', text: m.why.question(question) }];
  if (answer.found) {
    blocks.push({ kind: 'text', text: m.why.quoted });
    blocks.push({ kind: 'items', items: answer.citations.map((c) => ({ id: c.articleId, text: `«${c.quote}» — ${c.title}` })) });
  } else if (evidence) {
    const reasons = [
      ...evidence.unknownWords.map((word) => m.why.unknownWord(word)),
      ...(evidence.declined && !(evidence.declined === 'no-candidate' && evidence.unknownWords.length > 0) ? [m.why.declined[evidence.declined]] : []),
    ];
    if (reasons.length > 0) blocks.push({ kind: 'text', text: reasons.join('\n') });
  }
  if (evidence && evidence.passages.length > 0) {
    blocks.push({ kind: 'text', text: m.why.confidence(percent(evidence.confidence), percent(evidence.threshold)) });
    blocks.push({ kind: 'text', text: m.why.candidates });
    blocks.push({
      kind: 'items',
      items: evidence.passages.map((p) => ({ id: p.articleId, text: m.why.passage(p.title, p.articleId, p.score), detail: p.sentences.join(' ') })),
    });
  }
  if (answer.cached) blocks.push({ kind: 'text', text: m.why.cached });
  return blocks;
}

/** The /why command. */
export const why: Command = {
  name: 'why',
  aliases: { arabic: 'لماذا' },
  right: 'anyone',
  needs: ['lastAnswers'],
  options: [],
  menu: (m) => m.menu.why,
  help: (m) => [m.helpLine('/why', '', m.why.help)],
  async run(_input, ctx, services) {
    const m = messages(ctx.language);
    const last = await services.lastAnswers!.recall(ctx.chat.ref);
    if (!last) return textView(m.why.nothingAsked);
    return { blocks: whyBlocks(last, m), outcome: 'ok' };
  },
};
