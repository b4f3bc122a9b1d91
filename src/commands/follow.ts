/**
 * /follow <question>, /following and /unfollow <number>: a chat follows a question and is sent the
 * new answer, with its source, once, when a newly posted article changes it (see core/follows.ts).
 * Following sends messages into the chat, so in a group it is for whoever may manage the chat, as
 * /subscribe is; anyone may see what the chat follows.
 */
import { messages, uiLanguage } from '../i18n/messages.js';
import { answerView, textView } from './views.js';
import type { Block, Command } from './types.js';

/** The /follow command. */
export const follow: Command = {
  name: 'follow',
  aliases: { arabic: 'تابع' },
  right: 'chat-admin',
  needs: ['follows'],
  slow: true,
  options: [{ name: 'question', type: 'string', describe: (m) => m.options.question, required: true, maxLength: 1000 }],
  menu: (m) => m.menu.follow,
  help: (m) => [m.helpLine('/follow', m.follows.args.question, m.follows.help.follow)],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const result = await services.follows!.follow(ctx.chat.ref, input.text, ctx.actor);
    // The answer it shows is an answer like /ask's: /why explains it.
    await services.lastAnswers?.remember(ctx.chat.ref, { question: result.follow.question, answer: result.answer });
    if (result.outcome === 'full') return textView(m.follows.tooMany(services.follows!.maxPerChat), 'refused');
    const said = result.outcome === 'exists' ? m.follows.alreadyFollowed(result.follow.question) : m.follows.followed(result.follow.question);
    // The answer as it stands, so the reader knows what a later update changes.
    const answer = answerView(result.answer, messages(uiLanguage(result.answer.language, ctx.language)), services.desk.engineName);
    return { blocks: [{ kind: 'text', text: said }, { kind: 'title', text: m.follows.answerNow }, ...answer.blocks], outcome: 'ok' };
  },
};

/** The /following command. */
export const following: Command = {
  name: 'following',
  aliases: { arabic: 'المتابعات' },
  right: 'anyone',
  needs: ['follows'],
  options: [],
  menu: (m) => m.menu.following,
  help: (m) => [m.helpLine('/following', '', m.follows.help.following)],
  async run(_input, ctx, services) {
    const m = messages(ctx.language);
    const follows = await services.follows!.list(ctx.chat.ref);
    if (follows.length === 0) return textView(m.follows.noFollows);
    const blocks: Block[] = [
      { kind: 'title', text: m.follows.followingHeader(follows.length, services.follows!.maxPerChat) },
      { kind: 'items', items: follows.map((f, i) => ({ id: String(i + 1), text: f.question, detail: `${f.id}  ${f.createdAt.slice(0, 10)}` })) },
    ];
    return { blocks, outcome: 'ok' };
  },
};

/** The /unfollow command. */
export const unfollow: Command = {
  name: 'unfollow',
  aliases: { arabic: 'إلغاء_المتابعة' },
  right: 'chat-admin',
  needs: ['follows'],
  options: [{ name: 'which', type: 'string', describe: (m) => m.follows.whichOption, required: true, maxLength: 20 }],
  menu: (m) => m.menu.unfollow,
  help: (m) => [m.helpLine('/unfollow', m.follows.args.which, m.follows.help.unfollow)],
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const ref = input.text.trim();
    if (ref === '') return textView(m.follows.unfollowUsage, 'refused');
    const gone = await services.follows!.unfollow(ctx.chat.ref, ref);
    return gone ? textView(m.follows.unfollowed(gone.question)) : textView(m.follows.noSuchFollow(ref), 'refused');
  },
};
