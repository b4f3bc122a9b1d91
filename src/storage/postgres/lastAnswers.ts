/**
 * Each chat's last answer in PostgreSQL (migration 11): one row per chat, as JSON, with when it
 * was given, so the retention job can forget old ones.
 */
import type { AnsweredQuestion } from '../../core/lastAnswers.js';
import type { LastAnswerRepo } from '../../core/ports.js';
import type { PostgresRunners } from './follows.js';

/** The LastAnswerRepo over the backend's connections; `clock` stamps each answer. */
export function postgresLastAnswers({ run, write }: PostgresRunners, clock: () => number): LastAnswerRepo {
  return {
    put: (chat, answered) =>
      write('last answer write', async (q) => {
        await q(
          `INSERT INTO last_answers (chat, data, answered_at) VALUES ($1, $2, $3)
           ON CONFLICT (chat) DO UPDATE SET data = excluded.data, answered_at = excluded.answered_at`,
          [chat, JSON.stringify(answered), clock()],
        );
      }),
    get: (chat) =>
      run('last answer read', async (q) => {
        const { rows } = await q<{ data: string }>('SELECT data FROM last_answers WHERE chat = $1', [chat]);
        return rows[0] ? (JSON.parse(rows[0].data) as AnsweredQuestion) : undefined;
      }),
    prune: (before) => write('last answer prune', async (q) => (await q('DELETE FROM last_answers WHERE answered_at < $1', [before])).rowCount ?? 0),
  };
}
