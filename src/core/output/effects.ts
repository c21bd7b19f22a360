// Every kind's effect on another kind's write, as the step shows it (../effect-results.ts): the
// list, and the row's words, fields, tables, failure, warnings and notices over all of them. A
// second effect is a module of its kind's and a line here; the output names none.
import type { GrantResult } from '../grant-result.js';
import type { EffectShown, EffectTable } from '../effect-results.js';
import { SESSION_FENCE_SHOWN } from '../permission-sets/session-fence-results.js';

export type { EffectTable } from '../effect-results.js';

const EFFECTS: readonly EffectShown[] = [SESSION_FENCE_SHOWN];

/** Why a row whose write SUCCEEDED failed all the same: the first effect that failed. */
export const effectFailureOf = (r: GrantResult): string | undefined =>
  EFFECTS.map((e) => e.failureOf(r)).find((f) => f !== undefined);

/** The fields of a row's `results` entry its effects added to it, made inert. */
export const effectFieldsOf = (r: GrantResult): Record<string, unknown> =>
  Object.assign({}, ...EFFECTS.map((e) => e.fieldsOf(r))) as Record<string, unknown>;

/** What the row's effects did, after its outcome in its log line. */
export const effectWordsOf = (r: GrantResult): string => EFFECTS.map((e) => e.wordsOf(r)).join('');

/** What the row's effects took away besides, one log line each. */
export const effectRemovalLinesOf = (r: GrantResult, set: string): string[] =>
  EFFECTS.flatMap((e) => e.removalLinesOf(r, set));

/** The effects' tables of the job summary. */
export const effectTablesOf = (
  results: readonly GrantResult[],
  principal: (r: GrantResult) => string,
): EffectTable[] => EFFECTS.flatMap((e) => e.tablesOf(results, principal));

/** The warnings the effects added to these rows, each once (one per permission set left live). */
export const effectWarningsOf = (results: readonly GrantResult[]): string[] => [
  ...new Set(results.flatMap((r) => EFFECTS.flatMap((e) => e.warningOf(r) ?? []))),
];

/** The notices the effects added to these rows, each once (`end-sessions: false`: until when sessions stay valid). */
export const effectNoticesOf = (results: readonly GrantResult[]): string[] => [
  ...new Set(results.flatMap((r) => EFFECTS.flatMap((e) => e.noticeOf(r) ?? []))),
];

/** Until when the access a row's write took away stays usable all the same, as its effects say. */
export const effectLiveUntilOf = (r: GrantResult): string | undefined =>
  EFFECTS.map((e) => e.liveUntilOf(r)).find((u) => u !== undefined);
