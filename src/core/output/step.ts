// What a step hands the runner, as data: log lines and groups, annotations, outputs, the job
// summary and whether the step failed. Operations build a StepReport with pure functions and hand
// it to `emitStepReport` with the runner's effects (github/runner-effects.ts in the action, a
// recording stand-in in the steps' unit tests), so what a step says is tested without a runner.
// What a step says of the grants it ran is ./grants-ending.ts's.
import { escapeHtmlWithCode } from '../inert.js';
import { type StepOutputs, resultsOutput, summariseResults } from './results.js';
import { runHeaderHtml, type RunHeader } from './run-header.js';
import type { GrantResult } from '../grant-result.js';

export { headerOf, stepTitle, type RunHeader } from './run-header.js';

/** What a step does to the runner. Every message is made inert by the implementation. */
export interface RunnerEffects {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string, at?: LineOf): void;
  error(message: string, at?: LineOf): void;
  debug(message: string): void;
  /** One collapsed log group. */
  group(title: string, lines: string[]): void;
  setOutput(name: string, value: string): void;
  /** A JSON output: the implementation writes `value` as one inert line of JSON (core/inert.ts inertJson). */
  setJsonOutput(name: string, value: unknown): void;
  setFailed(message: string): void;
  mask(secret: string): void;
  appendSummary(html: string): Promise<void>;
}

/** A line of a file in the workspace (a manifest's), for an annotation there. */
export interface LineOf {
  file: string;
  line: number;
}

export interface Annotation {
  level: 'notice' | 'warning' | 'error';
  message: string;
  at?: LineOf;
}

/**
 * A step output's value: text, or a value the step sets as JSON, which the runner's effects write
 * as inert JSON (as they make text inert): no operation keeps a list of which of its outputs are
 * JSON beside them, and one that amends a report's JSON reads it as the value it is.
 */
export type OutputValue = string | { json: unknown };

/** Everything a step says at its end, in the order it is said. */
export interface StepReport {
  /** Log lines, then annotations. */
  lines?: string[];
  annotations?: Annotation[];
  /** Outputs, set in order (a later one of the same name wins). */
  outputs?: [name: string, value: OutputValue][];
  summaryHtml?: string;
  /** The step failed, with this message. */
  failed?: string;
}

export async function emitStepReport(report: StepReport, effects: RunnerEffects): Promise<void> {
  for (const line of report.lines ?? []) effects.info(line);
  for (const a of report.annotations ?? []) {
    if (a.level === 'notice') effects.notice(a.message);
    else effects[a.level](a.message, ...(a.at ? [a.at] : []));
  }
  emitOutputs(report, effects);
  if (report.summaryHtml) await effects.appendSummary(report.summaryHtml);
  if (report.failed) effects.setFailed(report.failed);
}

/** The report's outputs alone, at once. */
export function emitOutputs(
  report: StepReport,
  effects: Pick<RunnerEffects, 'setOutput' | 'setJsonOutput'>,
): void {
  for (const [name, value] of report.outputs ?? [])
    if (typeof value === 'string') effects.setOutput(name, value);
    else effects.setJsonOutput(name, value.json);
}

/**
 * Every output a step sets, from its results: `plan`, `drift`, `drift-remaining`, `missed`, `changes`,
 * `report-json`, `report-csv` and `review` are set (empty) so no expression reads an unset one; a reconcile
 * sets its own afterwards. A sweep or a report that reads ends otherwise, with only the outputs
 * that say something of it: a sweep (operations/sweep/sweep-report.ts) `status`, `changed`,
 * `plan`, `results`, and `request-id` and `failure-reason` when it has them; a report
 * (operations/report/access-ending.ts) `status`, `changed`, `plan`, the two files, `changes` with
 * `compare-to`, `results` up to 200 rows. Only one stopped before it read comes here.
 */
export function stepOutputs(outputs: StepOutputs, results: unknown[]): StepReport {
  return {
    outputs: [
      ['status', outputs.status],
      ['request-id', outputs.requestId],
      ['failure-reason', outputs.failureReason],
      ['changed', String(outputs.changed)],
      ['assignment-id', outputs.assignmentId],
      ['expires-at', outputs.expiresAt],
      ['results', { json: results }],
      ['plan', ''],
      ['drift', ''],
      ['drift-remaining', ''],
      ['missed', ''],
      ['policy-checks', ''],
      ['changes', ''],
      ['report-json', ''],
      ['report-csv', ''],
      ['review', ''],
      ['evidence-complete', ''],
      ['prune-pull-request', ''],
    ],
  };
}

export const outputsOfResults = (results: GrantResult[]): StepReport =>
  stepOutputs(summariseResults(results), resultsOutput(results));

/**
 * The end of a step that stopped before its first grant (invalid inputs or manifest, a refused
 * event, a failed sign-in): every output a failed step sets (FAILED, `changed` false, `results` an
 * empty list), a short job summary under the run's header, and the step failed with `headline`.
 */
export function stoppedBeforeAnyGrant(reasons: string[], headline: string, header: RunHeader): StepReport {
  return {
    ...stepOutputs({ ...summariseResults([]), status: 'FAILED', failureReason: reasons.join('; ') }, []),
    summaryHtml: [
      runHeaderHtml(header),
      `<p>${escapeHtmlWithCode(headline)}:</p>`,
      `<ul>${reasons.map((r) => `<li>${escapeHtmlWithCode(r)}</li>`).join('')}</ul>`,
      '',
    ].join('\n'),
    failed: headline,
  };
}
