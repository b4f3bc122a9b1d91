/**
 * `npm run bench -- faults`: every fault of issue 15 injected through local fakes (fake Bot API,
 * fake gateway, fake OpenAI server, a locked or full SQLite file), one row per fault with what was
 * required and what happened, then the totals: articles and subscriptions lost, duplicates beyond
 * the messages in flight, and whether this process is still alive.
 */
import { binaryFile } from './binaryFile.js';
import { discordMaskedLinks } from './discordMaskedLinks.js';
import { hiddenBidi } from './hiddenBidi.js';
import { llmInjection } from './llmInjection.js';
import { llmStall } from './llmStall.js';
import { malformedUpdate } from './malformedUpdate.js';
import { nonAdminCommands } from './nonAdminCommands.js';
import { storeFailure } from './storeFailure.js';
import { telegramConflict } from './telegramConflict.js';
import { telegramHang } from './telegramHang.js';
import { telegramReply429 } from './telegramReply429.js';
import { telegramUnreachable } from './telegramUnreachable.js';
import { webhookBody } from './webhookBody.js';
import type { FaultCase, FaultOutcome } from './types.js';

/** The cases, in the order of the table. Each lives in a module of its own beside this one. */
const cases: readonly FaultCase[] = [
  storeFailure,
  telegramConflict,
  telegramUnreachable,
  telegramHang,
  llmStall,
  telegramReply429,
  llmInjection,
  discordMaskedLinks,
  binaryFile,
  webhookBody,
  malformedUpdate,
  nonAdminCommands,
  hiddenBidi,
];

/** Runs every fault case (or those whose fault contains one of `args`) and prints the table. */
export async function runFaultsBenchmark(args: readonly string[]): Promise<void> {
  const chosen = args.length === 0 ? cases : cases.filter((each) => args.some((arg) => each.fault.toLowerCase().includes(arg.toLowerCase())));
  const rows: { fault: string; required: string; outcome: FaultOutcome }[] = [];
  for (const each of chosen) {
    let outcome: FaultOutcome;
    try {
      outcome = await each.run();
    } catch (error) {
      outcome = { result: `harness error: ${error instanceof Error ? error.message : String(error)}`, ok: false };
    }
    rows.push({ fault: each.fault, required: each.required, outcome });
    console.error(`${outcome.ok ? 'ok  ' : 'FAIL'} ${each.fault}`);
  }
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  console.log('\n| fault | required | result | |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${cell(row.fault)} | ${cell(row.required)} | ${cell(row.outcome.result)} | ${row.outcome.ok ? 'as required' : '**not as required**'} |`);
  const lost = rows.reduce((sum, row) => sum + (row.outcome.lost ?? 0), 0);
  const duplicates = rows.reduce((sum, row) => sum + (row.outcome.duplicates ?? 0), 0);
  const passed = rows.filter((row) => row.outcome.ok).length;
  console.log(`\nrows as required: ${passed} of ${rows.length}; articles or subscriptions lost: ${lost}; duplicates beyond those in flight: ${duplicates}; process alive at the end: yes (pid ${process.pid})`);
  if (passed !== rows.length || lost > 0 || duplicates > 0) process.exitCode = 1;
}
