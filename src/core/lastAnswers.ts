/**
 * The last answer given in each chat, so /why can show its evidence. Kept in this process's memory
 * only: /why is asked right after an answer, and in a multi-process deployment the same process
 * usually handles a chat's next message (Telegram's long poll, Discord's gateway shard). After a
 * restart, or when another process answered, /why says nothing was asked yet rather than guess.
 */
import type { ChatRef } from './subscriptions.js';
import type { Answer } from './types.js';

/** An answer as /why needs it: the question asked, and what came back with its evidence. */
export interface AnsweredQuestion {
  readonly question: string;
  readonly answer: Answer;
}

/** The last answer per chat. */
export interface LastAnswers {
  remember(chat: Pick<ChatRef, 'platform' | 'chatId'>, answered: AnsweredQuestion): void;
  recall(chat: Pick<ChatRef, 'platform' | 'chatId'>): AnsweredQuestion | undefined;
}

/**
 * Remembers the last answer of up to `capacity` chats, forgetting the chat that asked longest ago.
 * 10,000 chats of a few kilobytes each is tens of megabytes at most: a bound, not a tuned value.
 */
export function createLastAnswers(capacity = 10_000): LastAnswers {
  const byChat = new Map<string, AnsweredQuestion>();
  const key = (chat: Pick<ChatRef, 'platform' | 'chatId'>) => `${chat.platform}:${chat.chatId}`;
  return {
    remember(chat, answered) {
      const k = key(chat);
      // Re-inserted, so the Map's order is least recently asked first.
      byChat.delete(k);
      byChat.set(k, answered);
      if (byChat.size > capacity) byChat.delete(byChat.keys().next().value!);
    },
    recall: (chat) => byChat.get(key(chat)),
  };
}
