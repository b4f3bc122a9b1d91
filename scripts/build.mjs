#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/. Also imported by bin/akhbar.mjs, which builds when
// dist/ is missing or older than the sources, so a checkout that was just edited or pulled runs
// what it holds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// Written last by a build that succeeded; its time is when that build started.
const stamp = join(dist, '.built');
// What the build reads besides src/.
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Whether dist/ holds a finished build that is at least as new as every source file. */
export function buildIsCurrent() {
  let built;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  const src = join(root, 'src');
  // No sources (an installed copy without them): whatever was built is what there is.
  if (!existsSync(src)) return true;
  for (const file of inputs) if (existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs > built) return false;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > built) return false;
  }
  return true;
}

/** Whether dist/ holds a finished build at all, current or not. */
export function hasBuild() {
  return existsSync(stamp);
}

/** Whether the compiler is installed (it is a development dependency). */
export function canBuild() {
  return existsSync(join(root, 'node_modules/typescript/bin/tsc'));
}

/**
 * Compiles src/ into a fresh folder and swaps it in whole, so a process starting meanwhile (two
 * `akhbar` commands at once) never loads half of one build and half of another. Returns the
 * compiler's exit code.
 */
export function build({ outputToStderr = false } = {}) {
  const started = new Date();
  const next = join(root, `dist.building-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', next], {
    cwd: root,
    // From bin/, standard output belongs to the command (its --json).
    stdio: outputToStderr ? ['ignore', 2, 2] : 'inherit',
  });
  if (tsc.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    return tsc.status ?? 1;
  }
  writeFileSync(join(next, '.built'), `${started.toISOString()}\n`);
  utimesSync(join(next, '.built'), started, started);
  const old = join(root, `dist.old-${process.pid}`);
  // Another process may be swapping its own build in at the same moment: whichever lands last stays.
  for (let tries = 1; ; tries++) {
    try {
      if (existsSync(dist)) renameSync(dist, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(next, dist);
      break;
    } catch (error) {
      if (tries >= 10 || (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST')) throw error;
    }
  }
  rmSync(old, { recursive: true, force: true });
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `prepare` passes --if-possible: an install without development dependencies (npm ci
  // --omit=dev beside a dist/ built elsewhere) has no compiler and must not fail for it.
  if (process.argv.includes('--if-possible') && !canBuild()) {
    console.log('akhbar: TypeScript is not installed; dist/ is left as it is');
  } else {
    process.exitCode = build();
  }
}
