#!/usr/bin/env node
// Runs the compiled build (dist/). When dist/ is missing or older than src/, and the compiler is
// installed, it is built first: a fresh clone's `npm install && npm start` and a checkout edited
// since its last build both run what their sources say.
import { build, buildIsCurrent, canBuild, hasBuild } from '../scripts/build.mjs';

if (!buildIsCurrent()) {
  if (!canBuild()) {
    if (!hasBuild()) {
      process.stderr.write('akhbar: dist/ is missing and TypeScript is not installed to build it (npm install, then npm run build)\n');
      process.exit(2);
    }
    // An install without development dependencies runs the build it was given.
  } else {
    process.stderr.write('akhbar: building dist/ from src/ …\n');
    if (build({ outputToStderr: true }) !== 0) {
      process.stderr.write('akhbar: the build failed (npm run build shows why)\n');
      process.exit(2);
    }
  }
}
const { runCli } = await import('../dist/cli.js');
process.exitCode = await runCli(process.argv.slice(2));
