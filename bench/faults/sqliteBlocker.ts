/**
 * Another process holding a SQLite file's write lock (BEGIN EXCLUSIVE), as a long write or a backup
 * tool would. It is a child process, not a second connection here: better-sqlite3 waits out a busy
 * timeout synchronously, so a lock held in this process could not be let go while the bot waits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A lock held by a child process. */
export interface SqliteBlocker {
  /** When the child had the lock (this process's clock). */
  readonly lockedAt: number;
  /** Lets go now (with no hold time; else the child lets go by its own clock) and resolves once it has, with how long the lock was held in ms. */
  release(): Promise<number>;
}

// Runs with the repository as its folder, so better-sqlite3 resolves as it does for the bot.
const CHILD = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN EXCLUSIVE');
const lockedAt = Date.now();
process.stdout.write('locked\\n');
const release = () => {
  db.exec('ROLLBACK');
  db.close();
  process.stdout.write('released ' + (Date.now() - lockedAt) + '\\n');
  process.exit(0);
};
const ms = Number(process.argv[2]);
if (ms > 0) setTimeout(release, ms);
process.stdin.on('data', release);
`;

/** Locks `file` from a child process; it lets go after `holdMs` by its own clock (0: only when released). */
export async function holdSqliteLock(file: string, holdMs = 0): Promise<SqliteBlocker> {
  const child = spawn(process.execPath, ['-e', CHILD, file, String(holdMs)], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  // The child may have let go by its own clock before it is told to: a write to it then is nothing.
  child.stdin.on('error', () => undefined);
  // 'close', not 'exit': the child's last line is read by then.
  const exited = once(child, 'close');
  exited.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('locked\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`the lock holder exited before locking: ${output}`)));
  });
  const lockedAt = Date.now();
  return {
    lockedAt,
    async release() {
      if (holdMs <= 0 && child.exitCode === null) child.stdin.end('release\n');
      await exited;
      const held = /released (\d+)/u.exec(output);
      if (!held) throw new Error(`the lock holder did not report its release: ${output}`);
      return Number(held[1]);
    },
  };
}
