// What a plan proved of its changes before any write (AWS permission sets: input `policy-checks`),
// as the step says it: the output it sets, as JSON, and its part of the job summary. Said at the
// step's end whether the plan was written or one of those checks stopped it. Pure.
import type { OutputValue } from './step.js';

export interface PlanChecks {
  /** The output's name. */
  output: string;
  json: unknown;
  /** Its part of the job summary, after the plan's tables ('' for none). */
  summaryHtml: string;
}

/** The outputs the checks set, each in place of the one of its name in `outputs` (a step's empty ones). */
export function withChecksOutputs(
  outputs: readonly [string, OutputValue][],
  checks: readonly PlanChecks[],
): [string, OutputValue][] {
  const set = new Map(checks.map((c): [string, OutputValue] => [c.output, { json: c.json }]));
  const replaced = outputs.map(([name, value]): [string, OutputValue] => [name, set.get(name) ?? value]);
  const added = [...set].filter(([name]) => !outputs.some(([n]) => n === name));
  return [...replaced, ...added];
}

/** What the checks add to the job summary. */
export const checksHtml = (checks: readonly PlanChecks[]): string[] =>
  checks.flatMap((c) => (c.summaryHtml ? [c.summaryHtml] : []));
