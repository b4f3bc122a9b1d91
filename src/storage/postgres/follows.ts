/**
 * Followed questions in PostgreSQL (migration 10): one row per follow and one per term, so the
 * follows sharing a term with a new article are found by the term index.
 */
import type { FollowRepo } from '../../core/ports.js';
import { fromFollow, toFollow, type FollowRow } from '../rows.js';
import type { Query } from './index.js';

/** How the repo runs its statements: one autocommit statement, or several in one transaction. */
export interface PostgresRunners {
  readonly run: <T>(operation: string, body: (q: Query) => Promise<T>) => Promise<T>;
  readonly write: <T>(operation: string, body: (q: Query) => Promise<T>) => Promise<T>;
}

/** The FollowRepo over the backend's connections. */
export function postgresFollows({ run, write }: PostgresRunners): FollowRepo {
  return {
    add: (follow, maxPerChat) =>
      write('follow write', async (q) => {
        // Two /follow in one chat at once take turns here, so the count cannot pass the limit.
        await q('SELECT pg_advisory_xact_lock(hashtext($1))', [`follows:${follow.platform}:${follow.chatId}`]);
        if ((await q('SELECT 1 FROM follows WHERE id = $1', [follow.id])).rowCount === 1) return 'exists';
        const { rows } = await q<{ n: string }>('SELECT count(*) AS n FROM follows WHERE platform = $1 AND chat_id = $2', [follow.platform, follow.chatId]);
        if (Number(rows[0]?.n ?? 0) >= maxPerChat) return 'full';
        const row = fromFollow(follow);
        await q(
          `INSERT INTO follows (id, platform, chat_id, chat_kind, thread_id, question, terms, language, fingerprint, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [row.id, row.platform, row.chat_id, row.chat_kind, row.thread_id, row.question, row.terms, row.language, row.fingerprint, row.created_at, row.updated_at],
        );
        await q('INSERT INTO follow_terms (term, follow_id) SELECT DISTINCT t, $2 FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING', [follow.terms, follow.id]);
        return 'added';
      }),
    get: (id) =>
      run('follow read', async (q) => {
        const { rows } = await q<FollowRow>('SELECT * FROM follows WHERE id = $1', [id]);
        return rows[0] ? toFollow(rows[0]) : undefined;
      }),
    list: (chat) =>
      run('follow list', async (q) => {
        const { rows } = await q<FollowRow>('SELECT * FROM follows WHERE platform = $1 AND chat_id = $2 ORDER BY created_at, id', [chat.platform, chat.chatId]);
        return rows.map(toFollow);
      }),
    matching: (terms) =>
      run('follow list', async (q) => {
        if (terms.length === 0) return [];
        const { rows } = await q<FollowRow>(
          'SELECT * FROM follows WHERE id IN (SELECT follow_id FROM follow_terms WHERE term = ANY($1::text[])) ORDER BY created_at, id',
          [terms],
        );
        return rows.map(toFollow);
      }),
    setFingerprint: (id, fingerprint, updatedAt) =>
      run('follow write', async (q) => (await q('UPDATE follows SET fingerprint = $1, updated_at = $2 WHERE id = $3', [fingerprint, updatedAt, id])).rowCount === 1),
    // follow_terms go with it (ON DELETE CASCADE).
    delete: (id) => run('follow delete', async (q) => (await q('DELETE FROM follows WHERE id = $1', [id])).rowCount === 1),
    deleteChat: (chat) =>
      run('follow delete', async (q) => (await q('DELETE FROM follows WHERE platform = $1 AND chat_id = $2', [chat.platform, chat.chatId])).rowCount ?? 0),
    moveChat: (from, toChatId) =>
      run('follow write', async (q) => (await q('UPDATE follows SET chat_id = $1 WHERE platform = $2 AND chat_id = $3', [toChatId, from.platform, from.chatId])).rowCount ?? 0),
  };
}
