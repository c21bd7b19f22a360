// What a step hands the runner, as data: log lines and groups, annotations, outputs, the job
// summary and whether the step failed. Operations build a StepReport with pure functions and hand
// it to `emitStepReport` with the runner's effects (github/runner-effects.ts in the action, a
// recording stand-in in the steps' unit tests), so what a step says is tested without a runner.
import { escapeHtml, escapeHtmlWithCode } from '../inert.js';
import type { TargetExpansion } from '../inputs/org-expansion.js';
import { expansionSummaryHtml } from './target-expansion.js';
import {
  type StepOutputs,
  effectWarningsOf,
  grantLogTitle,
  setChangeWords,
  grantStatesLine,
  resultsJson,
  shownPrincipal,
  summariseResults,
} from './results.js';
import { htmlTable } from './html-table.js';
import { runHeaderHtml, type RunHeader } from './run-header.js';
import { countRows, summaryHeadline, summaryTable } from './summary-table.js';
import { named } from '../shown-names.js';
import { targetIdOf, type Operation } from '../types.js';
import type { GrantResult } from '../grant-result.js';
import { effectFailureOf, effectTablesOf } from '../effect-results.js';

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
  /** A JSON output already made inert (inertJson). */
  setJsonOutput(name: string, json: string): void;
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

/** Everything a step says at its end, in the order it is said. */
export interface StepReport {
  /** Log lines, then annotations. */
  lines?: string[];
  annotations?: Annotation[];
  /** Outputs, set in order (a later one of the same name wins). */
  outputs?: [name: string, value: string][];
  /** Names of `outputs` whose value is JSON already made inert. */
  jsonOutputs?: string[];
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
  const json = new Set(report.jsonOutputs ?? []);
  for (const [name, value] of report.outputs ?? [])
    if (json.has(name)) effects.setJsonOutput(name, value);
    else effects.setOutput(name, value);
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
export function stepOutputs(outputs: StepOutputs, results: string): StepReport {
  return {
    outputs: [
      ['status', outputs.status],
      ['request-id', outputs.requestId],
      ['failure-reason', outputs.failureReason],
      ['changed', String(outputs.changed)],
      ['assignment-id', outputs.assignmentId],
      ['expires-at', outputs.expiresAt],
      ['results', results],
      ['plan', ''],
      ['drift', ''],
      ['drift-remaining', ''],
      ['missed', ''],
      ['changes', ''],
      ['report-json', ''],
      ['report-csv', ''],
      ['review', ''],
    ],
    jsonOutputs: ['results'],
  };
}

export const outputsOfResults = (results: GrantResult[]): StepReport =>
  stepOutputs(summariseResults(results), resultsJson(results));

/**
 * The end of a step that stopped before its first grant (invalid inputs or manifest, a refused
 * event, a failed sign-in): every output a failed step sets (FAILED, `changed` false, `results` an
 * empty list), a short job summary under the run's header, and the step failed with `headline`.
 */
export function stoppedBeforeAnyGrant(reasons: string[], headline: string, header: RunHeader): StepReport {
  return {
    ...stepOutputs({ ...summariseResults([]), status: 'FAILED', failureReason: reasons.join('; ') }, '[]'),
    summaryHtml: [
      runHeaderHtml(header),
      `<p>${escapeHtmlWithCode(headline)}:</p>`,
      `<ul>${reasons.map((r) => `<li>${escapeHtmlWithCode(r)}</li>`).join('')}</ul>`,
      '',
    ].join('\n'),
    failed: headline,
  };
}

/**
 * One collapsed log group per grant, printed when the grant ends (the engine's `onResult`), so
 * concurrent grants do not interleave.
 */
export function emitGrantLog(
  result: GrantResult,
  dryRun: boolean,
  effects: Pick<RunnerEffects, 'group'>,
): void {
  const { title, lines } = grantLog(result, dryRun);
  effects.group(title, lines);
}

/** A grant's log group: its title, then what is known of it (IDs, states, request, reason). */
export function grantLog(result: GrantResult, dryRun: boolean): { title: string; lines: string[] } {
  const lines: string[] = [];
  if (result.resolved?.principalId)
    lines.push(
      `principal ID: ${result.resolved.principalId || '—'}; target: ${targetIdOf(result.resolved)}; role: ${result.resolved.roleId}`,
    );
  if (result.operation !== 'provision') lines.push(grantStatesLine(result, dryRun));
  if (result.requestId) lines.push(`request ID: ${result.requestId}`);
  if (result.assignmentId) lines.push(`assignment ID: ${result.assignmentId}`);
  if (result.expiresAt) lines.push(`expires: ${result.expiresAt}`);
  if (result.failureReason) lines.push(`reason: ${result.failureReason}`);
  if (result.note) lines.push(result.note);
  for (const [key, value] of Object.entries(result.detail ?? {}))
    lines.push(`${key}: ${JSON.stringify(value)}`);
  return { title: grantLogTitle(result, dryRun), lines };
}

/**
 * What made the step fail, each an error naming its grant and cause; a grant awaiting a person (an
 * approver) is a warning, not a failure. The step fails when any error is there.
 */
export function failuresOf(
  results: GrantResult[],
  ending: { operation: Operation; wait: boolean },
): Pick<StepReport, 'annotations' | 'failed'> {
  const annotations: Annotation[] = [];
  let failures = 0;
  for (const r of results) {
    const grant =
      setChangeWords(r) ??
      `${r.operation} ${r.principal ? `${shownPrincipal(r)} → ` : ''}${named(r.target, r.targetName)} / ${named(r.role, r.roleName)}`;
    const fail = (message: string) => {
      failures++;
      annotations.push({ level: 'error', message });
    };
    if (r.status === 'FAILED') fail(`${grant} FAILED: ${r.failureReason ?? 'no reason given'}`);
    else if (effectFailureOf(r)) fail(`${grant}: ${effectFailureOf(r)!}`);
    else if (r.awaiting)
      annotations.push({ level: 'warning', message: `${grant}: ${r.failureReason ?? 'awaits approval'}` });
    else if (r.status === 'IN_PROGRESS' && ending.wait)
      fail(`${grant}: ${r.failureReason ?? 'still IN_PROGRESS at the deadline'}`);
  }
  // What the kinds' effects warn of (a revoke that left sessions live): once each.
  for (const message of effectWarningsOf(results)) annotations.push({ level: 'warning', message });
  return {
    annotations,
    ...(failures > 0
      ? { failed: `${failures} of ${countRows(ending.operation, results.length)} did not succeed` }
      : {}),
  };
}

/** How an assign, revoke or provision step ends, for its summary and annotations, under the run's header. */
export interface StepEnding extends RunHeader {
  /** What the rows are: grants, or permission sets for `provision`. */
  operation: Operation;
  dryRun: boolean;
  wait: boolean;
  /** AWS OU, root and path targets: what each expanded to, shown before the table. */
  expansion?: TargetExpansion;
}

/** The job summary of an assign, revoke or provision step: its header, its expansion, a headline, one row per grant. */
export function grantsSummaryHtml(
  results: GrantResult[],
  { title, operation, dryRun, run, signIn, expansion }: Omit<StepEnding, 'wait'>,
): string {
  const { header, rows } = summaryTable(operation, results, dryRun);
  const table = htmlTable(header, rows);
  return [
    runHeaderHtml({ title, run, signIn }),
    ...(expansion ? [expansionSummaryHtml(expansion, dryRun)] : []),
    `<p>${escapeHtml(summaryHeadline(operation, results, dryRun))}</p>`,
    ...(table ? [table] : []),
    ...effectTablesHtml(results),
    '',
  ].join('\n');
}

/**
 * The job summary's tables of what the kinds' effects added to these rows (engine/calls/write-plan.ts
 * WriteEffect `amends`), after a step's own tables: every operation whose writes carry effects
 * shows them, without knowing which.
 */
export function effectTablesHtml(results: GrantResult[]): string[] {
  return effectTablesOf(results, shownPrincipal).flatMap((t) => [
    `<h3>${escapeHtml(t.heading)}</h3>`,
    htmlTable(t.header, t.rows),
  ]);
}

/** The end of an assign, revoke or provision step: outputs, job summary, annotations, and whether it failed. */
export function grantsEnding(results: GrantResult[], ending: StepEnding): StepReport {
  return {
    ...outputsOfResults(results),
    summaryHtml: grantsSummaryHtml(results, ending),
    ...failuresOf(results, ending),
  };
}
