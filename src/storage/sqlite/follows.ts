/**
 * Followed questions in SQLite (migration 9): one row per follow and one per term, so the follows
 * sharing a term with a new article are found by the term index.
 */
import type Database from 'better-sqlite3';
import type { FollowRepo } from '../../core/ports.js';
import { fromFollow, toFollow, type FollowRow } from '../rows.js';

/** How the repo runs its statements: reads, and writes in an immediate transaction, failing as the backend's errors do. */
export interface SqliteRunners {
  readonly run: <T>(operation: string, body: () => T) => Promise<T>;
  readonly write: <T>(operation: string, body: () => T) => Promise<T>;
}

/** The FollowRepo over `db`. */
export function sqliteFollows(db: Database.Database, { run, write }: SqliteRunners): FollowRepo {
  const q = {
    get: db.prepare<[string], FollowRow>('SELECT * FROM follows WHERE id = ?'),
    countInChat: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM follows WHERE platform = ? AND chat_id = ?'),
    insert: db.prepare<FollowRow>(
      `INSERT INTO follows (id, platform, chat_id, chat_kind, thread_id, question, terms, language, fingerprint, created_at, updated_at)
       VALUES (@id, @platform, @chat_id, @chat_kind, @thread_id, @question, @terms, @language, @fingerprint, @created_at, @updated_at)`,
    ),
    insertTerm: db.prepare<[string, string]>('INSERT OR IGNORE INTO follow_terms (term, follow_id) VALUES (?, ?)'),
    list: db.prepare<[string, string], FollowRow>('SELECT * FROM follows WHERE platform = ? AND chat_id = ? ORDER BY created_at, id'),
    matching: db.prepare<[string], FollowRow>(
      `SELECT * FROM follows WHERE id IN (SELECT follow_id FROM follow_terms WHERE term IN (SELECT value FROM json_each(?)))
       ORDER BY created_at, id`,
    ),
    setFingerprint: db.prepare<[string, string, string]>('UPDATE follows SET fingerprint = ?, updated_at = ? WHERE id = ?'),
    delete: db.prepare<[string]>('DELETE FROM follows WHERE id = ?'),
    deleteChat: db.prepare<[string, string]>('DELETE FROM follows WHERE platform = ? AND chat_id = ?'),
    moveChat: db.prepare<[string, string, string]>('UPDATE follows SET chat_id = ? WHERE platform = ? AND chat_id = ?'),
  };
  return {
    add: (follow, maxPerChat) =>
      write('follow write', () => {
        if (q.get.get(follow.id)) return 'exists';
        if ((q.countInChat.get(follow.platform, follow.chatId)?.n ?? 0) >= maxPerChat) return 'full';
        q.insert.run(fromFollow(follow));
        for (const term of follow.terms) q.insertTerm.run(term, follow.id);
        return 'added';
      }),
    get: (id) =>
      run('follow read', () => {
        const row = q.get.get(id);
        return row ? toFollow(row) : undefined;
      }),
    list: (chat) => run('follow list', () => q.list.all(chat.platform, chat.chatId).map(toFollow)),
    matching: (terms) => run('follow list', () => (terms.length === 0 ? [] : q.matching.all(JSON.stringify(terms)).map(toFollow))),
    setFingerprint: (id, fingerprint, updatedAt) => write('follow write', () => q.setFingerprint.run(fingerprint, updatedAt, id).changes === 1),
    // follow_terms go with it (ON DELETE CASCADE).
    delete: (id) => write('follow delete', () => q.delete.run(id).changes === 1),
    deleteChat: (chat) => write('follow delete', () => q.deleteChat.run(chat.platform, chat.chatId).changes),
    moveChat: (from, toChatId) => write('follow write', () => q.moveChat.run(toChatId, from.platform, from.chatId).changes),
  };
}
