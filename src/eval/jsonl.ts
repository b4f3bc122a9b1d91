/**
 * Reading and writing JSON Lines files for the evaluation commands.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Yields each JSON record of a .jsonl file; blank lines are skipped, a broken line names its number. */
export async function* readJsonl<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      throw new Error(`${path}:${number}: not valid JSON`);
    }
  }
}

/** A .jsonl writer that respects back-pressure. */
export function writeJsonl(path: string): { write(record: unknown): Promise<void>; close(): Promise<void> } {
  const stream = createWriteStream(path, 'utf8');
  return {
    async write(record) {
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
