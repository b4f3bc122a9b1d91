/**
 * `npm run bench -- NAME`: benchmarks that print ratios against a baseline measured in the same run.
 * They read real data from ../shared and are kept out of `npm test`.
 */
import { runDeliveryBenchmark } from './delivery.js';

const benchmarks: Record<string, () => Promise<void>> = {
  delivery: runDeliveryBenchmark,
};

const name = process.argv[2];
const run = name ? benchmarks[name] : undefined;
if (!run) {
  const known = Object.keys(benchmarks);
  console.error(known.length === 0 ? 'No benchmarks exist yet.' : `Usage: npm run bench -- <${known.join('|')}>`);
  process.exitCode = 2;
} else {
  await run();
}
