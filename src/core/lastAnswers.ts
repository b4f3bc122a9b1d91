/**
 * The last answer given in each chat, so /why can show its evidence. Kept in the database (the
 * storage's LastAnswerRepo): /why is asked right after an answer, but in webhook mode or after a
 * restart another process may get the question that follows, and it explains the answer all the
 * same. The retention job forgets answers older than a week.
 */
import { errorFields, type Logger } from './logger.js';
import type { LastAnswerRepo } from './ports.js';
import type { ChatRef } from './subscriptions.js';
import type { Answer } from './types.js';

/** An answer as /why needs it: the question asked, and what came back with its evidence. */
export interface AnsweredQuestion {
  readonly question: string;
  readonly answer: Answer;
}

/** The last answer per chat. */
export interface LastAnswers {
  /** Keeps the answer for /why; never rejects: a reader gets the answer even when it cannot be kept (the failure is logged). */
  remember(chat: Pick<ChatRef, 'platform' | 'chatId'>, answered: AnsweredQuestion): Promise<void>;
  recall(chat: Pick<ChatRef, 'platform' | 'chatId'>): Promise<AnsweredQuestion | undefined>;
}

/** The chat's last answer, kept in `repo`. */
export function createLastAnswers(repo: LastAnswerRepo, logger: Logger): LastAnswers {
  const key = (chat: Pick<ChatRef, 'platform' | 'chatId'>) => `${chat.platform}:${chat.chatId}`;
  return {
    remember: (chat, answered) =>
      repo.put(key(chat), answered).catch((error: unknown) => logger.warn('answer not kept for /why', { chat: key(chat), ...errorFields(error) })),
    recall: (chat) => repo.get(key(chat)),
  };
}
