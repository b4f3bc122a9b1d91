/**
 * One row of the fault suite (`npm run bench -- faults`): a fault injected through local fakes, what
 * the issue requires of the bot, and what this run saw.
 */

/** What one fault case observed. */
export interface FaultOutcome {
  /** What happened, in a few words a reader of the table can check ("refused with 'not text'"). */
  readonly result: string;
  /** Whether what happened is what `required` asks. */
  readonly ok: boolean;
  /** Articles or subscriptions stored before the fault and missing after it. */
  readonly lost?: number;
  /** Messages sent more than once beyond those in flight when the fault struck. */
  readonly duplicates?: number;
}

/** A fault, how the bot must behave under it, and the scenario that checks it. */
export interface FaultCase {
  readonly fault: string;
  readonly required: string;
  /** Runs the scenario against local fakes only; throws only for a broken harness, never for the fault. */
  run(): Promise<FaultOutcome>;
}
