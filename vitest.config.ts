import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const TESTS = 'test/**/*.test.ts';

// A module mock or a stubbed global outlives its file in a worker that is not isolated, so the
// files that make one run isolated; the rest share their worker's imports.
const root = import.meta.dirname;
const isolated = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => join('test', file))
  .filter((file) => /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/.test(readFileSync(join(root, file), 'utf8')));

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Files that share Redis, PostgreSQL or ports keep to names of their own (a database, a schema,
    // a key prefix, port 0), so files run side by side in child processes.
    pool: 'forks',
    // Vitest's default on 2 cores is one worker, which runs the files one after another while most
    // of them wait on PostgreSQL, sockets or timers; 3 overlap those waits. npm test on this
    // project's 2-core machine, under the same load from other processes: 1 worker 85 s, 2 workers
    // 54 s, 3 workers not isolated 28-41 s.
    maxWorkers: 3,
    projects: [
      // A worker imports the sources once for all the files it runs instead of once per file: half
      // the CPU time of a run (user 11.8 s against 25.7 s, measured as above). What outlives a
      // file is caches and uniquely named memory stores.
      { extends: true, test: { name: 'shared', include: [TESTS], exclude: isolated, isolate: false } },
      ...(isolated.length > 0 ? [{ extends: true as const, test: { name: 'isolated', include: isolated, isolate: true } }] : []),
    ],
  },
});
