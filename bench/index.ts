/**
 * `npm run bench -- NAME`: benchmarks that print ratios against a baseline measured in the same run.
 * They read real data from ../shared and are kept out of `npm test`. With no name, every benchmark
 * runs in turn. Words after the name go to that benchmark (e.g. `npm run bench -- articles --quick`).
 */
import { runArticlesBenchmark } from './articles.js';
import { runClusterBenchmark } from './cluster.js';
import { runDeliveryBenchmark } from './delivery.js';
import { runEngineBenchmark } from './engine.js';
import { runFaultsBenchmark } from './faults/index.js';
import { runFollowsBenchmark } from './follows.js';
import { runInlineBenchmark } from './inline.js';
import { runScaleBenchmark } from './scale.js';
import { runStatusBenchmark } from './status.js';
import { runStoriesBenchmark } from './stories.js';

const benchmarks: Record<string, (args: readonly string[]) => Promise<void>> = {
  articles: runArticlesBenchmark,
  cluster: runClusterBenchmark,
  delivery: runDeliveryBenchmark,
  engine: runEngineBenchmark,
  faults: runFaultsBenchmark,
  follows: runFollowsBenchmark,
  inline: runInlineBenchmark,
  scale: runScaleBenchmark,
  status: runStatusBenchmark,
  stories: runStoriesBenchmark,
};

const name = process.argv[2];
if (name === undefined) {
  for (const [each, run] of Object.entries(benchmarks)) {
    console.log(`\n=== bench: ${each} ===`);
    await run([]);
  }
} else {
  const run = benchmarks[name];
  if (!run) {
    const known = Object.keys(benchmarks);
    console.error(known.length === 0 ? 'No benchmarks exist yet.' : `Usage: npm run bench [-- <${known.join('|')}>]`);
    process.exitCode = 2;
  } else {
    await run(process.argv.slice(3));
  }
}
