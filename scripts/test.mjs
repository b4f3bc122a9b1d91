#!/usr/bin/env node
// Runs vitest once and ends with one line CI can count: "Tests: N passed, M failed, K skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, buildIsCurrent } from './build.mjs';

// The package's bin file; its exports map does not expose it to require.resolve.
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
// The CLI smoke tests run the built bin; building inside one of them would eat its time limit.
if (!buildIsCurrent()) {
  console.log('Building dist/ for the CLI smoke tests …');
  if (build() !== 0) {
    console.log('Tests: 0 passed, 1 failed, 0 skipped');
    console.error('the build failed');
    process.exit(1);
  }
}

const resultFile = '.test-results/vitest.json';
mkdirSync('.test-results', { recursive: true });
rmSync(resultFile, { force: true });

const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile=${resultFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let report;
try {
  report = JSON.parse(readFileSync(resultFile, 'utf8'));
} catch {
  console.log('Tests: 0 passed, 1 failed, 0 skipped');
  console.error('vitest wrote no report (it crashed or found no tests)');
  process.exit(run.status || 1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || run.status !== 0 ? 1 : 0);
