/**
 * What the fault cases share: a logger that keeps its lines for the case to count, a stack of
 * clean-up steps run however the case ends, a private temporary folder, and a wait that reports
 * whether its condition came true instead of throwing (a fault the bot mishandles is a result, not
 * a harness error).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../src/core/logger.js';

/** One JSON log line as the logger wrote it. */
export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A debug-level logger whose lines are kept in `lines`, in order. */
export function capturedLogger(): { lines: LogLine[]; logger: Logger } {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as LogLine));
  return { lines, logger };
}

/** Clean-up steps of one case, run last first. */
export type Defer = (step: () => Promise<void> | void) => void;

/** Runs `scenario` and then every step it deferred, even when it throws; a failing step does not stop the others. */
export async function withCleanup<T>(scenario: (defer: Defer) => Promise<T>): Promise<T> {
  const steps: (() => Promise<void> | void)[] = [];
  try {
    return await scenario((step) => steps.push(step));
  } finally {
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`fault case clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** A fresh temporary folder, removed when the case ends. */
export function temporaryFolder(defer: Defer, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `akhbar-fault-${prefix}-`));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls `predicate` every 10 ms; true once it holds, false when `timeoutMs` passed first. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Seconds with one decimal, for a result cell. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
