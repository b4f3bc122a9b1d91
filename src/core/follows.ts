/**
 * Followed questions. A chat follows a question; when a newly posted article changes the answer
 * (its evidence fingerprint changes) and the new answer cites that article, the chat is sent the new
 * answer once, through the delivery outbox like any other delivery (paced, retried, sent once,
 * surviving restarts). Only follows sharing a term with the new article are asked again, found by
 * index in the database, so a post does not re-ask every followed question.
 */
import { createHash } from 'node:crypto';
import { AkhbarError } from './errors.js';
import { errorFields, type Logger } from './logger.js';
import type { NewsDesk } from './newsDesk.js';
import type { FollowAdd, FollowRepo, NewDelivery } from './ports.js';
import { analyzeQuestion, articleTerms, sharedNameTerms } from './retrieval/index.js';
import type { ChatKind, ChatRef } from './subscriptions.js';
import { foldForMatching } from './text/index.js';
import type { Actor, Answer, Article, Language } from './types.js';

/** One chat's followed question, with the evidence of the answer it was last given. */
export interface Follow {
  /** Derived from the chat and the folded question, so following a question twice is one follow. */
  readonly id: string;
  readonly platform: string;
  readonly chatId: string;
  readonly chatKind: ChatKind;
  /**
   * The forum topic it was followed in: its updates go into that topic. A follow is the chat's,
   * so the same question followed again from another topic stays where it was first followed.
   */
  readonly threadId?: string;
  readonly question: string;
  /**
   * The question's search terms and the other language's terms for its names: what a new article
   * must share for the question to be asked again.
   */
  readonly terms: readonly string[];
  /** The language answers are written in (the question's, or the asker's for one without). */
  readonly language: Language;
  /** The evidence fingerprint of the answer the chat has (see answerCache.ts). */
  readonly fingerprint: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What following a question did, with the answer it has now. */
export interface FollowResult {
  readonly outcome: FollowAdd;
  readonly follow: Follow;
  readonly answer: Answer;
}

/** A follow update ready to queue, and the fingerprint to record once it is queued. */
export interface FollowUpdate {
  readonly follow: Follow;
  readonly delivery: NewDelivery;
  readonly fingerprint: string;
}

/** The followed-questions service the commands and delivery use. */
export interface Follows {
  /** The most follows one chat may have. */
  readonly maxPerChat: number;
  /** Follows `question` in `chat`, answering it now so later changes are measured from this answer. */
  follow(chat: ChatRef, question: string, asker: Actor): Promise<FollowResult>;
  /** The chat's follows, oldest first (the order /following numbers them in). */
  list(chat: Pick<ChatRef, 'platform' | 'chatId'>): Promise<Follow[]>;
  /** Stops the follow `ref` names (its number in /following, or its id); undefined when none. */
  unfollow(chat: Pick<ChatRef, 'platform' | 'chatId'>, ref: string): Promise<Follow | undefined>;
  /** The updates `article` makes: one per follow whose answer it changed and now cites. */
  updatesFor(article: Article): Promise<FollowUpdate[]>;
  /** Records that these updates were queued, so the next change is measured from them. */
  recorded(updates: readonly FollowUpdate[]): Promise<void>;
  /** Forgets the follows of a chat that is gone, so its questions are not asked again for nobody. */
  chatGone(chat: Pick<ChatRef, 'platform' | 'chatId'>): Promise<number>;
  /** Moves the chat's follows to its new id (a Telegram group that became a supergroup). */
  chatMoved(chat: Pick<ChatRef, 'platform' | 'chatId'>, newChatId: string): Promise<number>;
}

/** What the follows service is built from. */
export interface FollowsOptions {
  readonly repo: FollowRepo;
  readonly desk: Pick<NewsDesk, 'ask' | 'catchUp'>;
  readonly logger: Logger;
  /** A product limit, not a tuned one: enough for a reader's running stories, few enough to re-ask cheaply. */
  readonly maxPerChat?: number;
  readonly clock?: () => number;
}

/** The default of FollowsOptions.maxPerChat. */
export const MAX_FOLLOWS_PER_CHAT = 20;

/** The id of `question` followed in the chat: a short hash, stable across processes. */
export function followId(chat: Pick<ChatRef, 'platform' | 'chatId'>, question: string): string {
  const folded = foldForMatching(question).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return createHash('sha256').update(`${chat.platform}\u0000${chat.chatId}\u0000${folded}`).digest('hex').slice(0, 12);
}

/** Opens the followed-questions service. */
export function createFollows(options: FollowsOptions): Follows {
  const { repo, desk } = options;
  const maxPerChat = options.maxPerChat ?? MAX_FOLLOWS_PER_CHAT;
  const clock = options.clock ?? Date.now;
  const logger = options.logger.child({ component: 'follows' });
  const asker = (follow: Follow): Actor => ({ kind: 'user', platform: follow.platform, userId: `follow:${follow.id}`, language: follow.language });

  async function updateFor(follow: Follow, article: Article): Promise<FollowUpdate | undefined> {
    const answer = await desk.ask(follow.question, asker(follow));
    const fingerprint = answer.evidence?.fingerprint;
    // Only news about this question: the answer moved, and it moved because of this article.
    if (fingerprint === undefined || fingerprint === follow.fingerprint) return undefined;
    if (!answer.found || !answer.citations.some((citation) => citation.articleId === article.id)) return undefined;
    const delivery: NewDelivery = {
      id: `f:${follow.id}:${article.id}`,
      target: { platform: follow.platform, chatId: follow.chatId, kind: follow.chatKind, ...(follow.threadId !== undefined ? { threadId: follow.threadId } : {}) },
      kind: 'follow-update',
      language: answer.language,
      items: [{ articleId: article.id, language: answer.language }],
      answer: {
        question: follow.question,
        text: answer.text,
        language: answer.language,
        citations: answer.citations.map((c) => ({ articleId: c.articleId, title: c.title, quote: c.quote, ...(c.url ? { url: c.url } : {}) })),
      },
      createdAt: new Date(clock()).toISOString(),
    };
    return { follow, delivery, fingerprint };
  }

  return {
    maxPerChat,

    async follow(chat, question, by) {
      const answer = await desk.ask(question, by);
      const ownTerms = analyzeQuestion(question).terms;
      if (ownTerms.length === 0) throw new AkhbarError({ code: 'EMPTY_QUESTION' });
      // An article in the other language can change the answer only through a name both hold.
      const terms = [...ownTerms, ...sharedNameTerms(question)];
      const now = new Date(clock()).toISOString();
      const follow: Follow = {
        id: followId(chat, question),
        platform: chat.platform,
        chatId: chat.chatId,
        chatKind: chat.kind,
        ...(chat.threadId !== undefined ? { threadId: chat.threadId } : {}),
        question: question.trim(),
        terms,
        language: answer.language,
        fingerprint: answer.evidence?.fingerprint ?? '',
        createdAt: now,
        updatedAt: now,
      };
      const outcome = await repo.add(follow, maxPerChat);
      return { outcome, follow: outcome === 'exists' ? ((await repo.get(follow.id)) ?? follow) : follow, answer };
    },

    list: (chat) => repo.list({ platform: chat.platform, chatId: chat.chatId }),

    async unfollow(chat, ref) {
      const wanted = ref.trim().toLowerCase().replace(/^#/u, '');
      const follows = await repo.list({ platform: chat.platform, chatId: chat.chatId });
      const byNumber = /^\d+$/u.test(wanted) ? follows[Number(wanted) - 1] : undefined;
      const found = byNumber ?? (wanted.length >= 4 ? follows.find((f) => f.id.startsWith(wanted)) : undefined);
      if (!found || !(await repo.delete(found.id))) return undefined;
      return found;
    },

    async updatesFor(article) {
      const candidates = await repo.matching([...new Set(articleTerms(article))]);
      if (candidates.length === 0) return [];
      // Another process posted it: this one's index must hold it before the question is asked again.
      await desk.catchUp();
      const updates: FollowUpdate[] = [];
      for (const follow of candidates) {
        try {
          const update = await updateFor(follow, article);
          if (update) updates.push(update);
        } catch (error) {
          // One question that cannot be answered now (no articles left, engine down) must not stop the others.
          logger.warn('followed question not asked again', { follow: follow.id, article: article.id, ...errorFields(error) });
        }
      }
      logger.info('followed questions asked again', { article: article.id, candidates: candidates.length, updates: updates.length });
      return updates;
    },

    chatGone: (chat) => repo.deleteChat({ platform: chat.platform, chatId: chat.chatId }),
    chatMoved: (chat, newChatId) => repo.moveChat({ platform: chat.platform, chatId: chat.chatId }, newChatId),

    async recorded(updates) {
      const now = new Date(clock()).toISOString();
      for (const update of updates) await repo.setFingerprint(update.follow.id, update.fingerprint, now);
    },
  };
}
