// What a kind's effect on another kind's write (the permission-set kind's session fence on an
// assignment's delete) adds to that write's row, as a step shows it: its own fields of the row
// (GrantResult `effects`, under its name), which the row's `results` entry carries as its own; the
// words it adds to the row's log line; its tables of the job summary; the failure it makes of a
// write that SUCCEEDED; its warnings and notices. Each effect says its own (the fence's:
// ./permission-sets/session-fence-results.ts), and the output room shows every effect through the
// list of them (./output/effects.ts), without knowing which they are. Types only.
import type { GrantResult } from './grant-result.js';

/** A table of the job summary, as data: its heading, its columns and its rows (text, escaped by the output). */
export interface EffectTable {
  heading: string;
  header: string[];
  rows: string[][];
}

export interface EffectShown {
  /** Its name, under which a row carries its fields (GrantResult `effects`). */
  name: string;
  /** Why a row whose write SUCCEEDED failed all the same (a revoke whose sessions may stay live). */
  failureOf(r: GrantResult): string | undefined;
  /** Its fields of the row's `results` entry, made inert. */
  fieldsOf(r: GrantResult): Record<string, unknown>;
  /** What it did, after the row's outcome in its log line. */
  wordsOf(r: GrantResult): string;
  /** What it took away besides, as the log says it (`set` shows the row's set as the step names it). */
  removalLinesOf(r: GrantResult, set: string): string[];
  /** Its tables of the job summary; `principal` shows a row's principal as the step's own table does. */
  tablesOf(results: readonly GrantResult[], principal: (r: GrantResult) => string): EffectTable[];
  /** What the step must warn of, for this row (each said once). */
  warningOf(r: GrantResult): string | undefined;
  /** What the step says as a notice, for this row (each said once). */
  noticeOf(r: GrantResult): string | undefined;
  /** Until when the access the row's write took away stays usable all the same (ISO 8601 UTC). */
  liveUntilOf(r: GrantResult): string | undefined;
}
