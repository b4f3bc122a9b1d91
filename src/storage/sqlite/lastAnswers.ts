/**
 * Each chat's last answer in SQLite (migration 10): one row per chat, as JSON, with when it was
 * given, so the retention job can forget old ones.
 */
import type Database from 'better-sqlite3';
import type { AnsweredQuestion } from '../../core/lastAnswers.js';
import type { LastAnswerRepo } from '../../core/ports.js';
import type { SqliteRunners } from './follows.js';

/** The LastAnswerRepo over `db`; `clock` stamps each answer. */
export function sqliteLastAnswers(db: Database.Database, { run, write }: SqliteRunners, clock: () => number): LastAnswerRepo {
  const q = {
    put: db.prepare<[string, string, number]>(
      'INSERT INTO last_answers (chat, data, answered_at) VALUES (?, ?, ?) ON CONFLICT (chat) DO UPDATE SET data = excluded.data, answered_at = excluded.answered_at',
    ),
    get: db.prepare<[string], { data: string }>('SELECT data FROM last_answers WHERE chat = ?'),
    prune: db.prepare<[number]>('DELETE FROM last_answers WHERE answered_at < ?'),
  };
  return {
    put: (chat, answered) => write('last answer write', () => void q.put.run(chat, JSON.stringify(answered), clock())),
    get: (chat) =>
      run('last answer read', () => {
        const row = q.get.get(chat);
        return row ? (JSON.parse(row.data) as AnsweredQuestion) : undefined;
      }),
    prune: (before) => write('last answer prune', () => q.prune.run(before).changes),
  };
}
