// What a step says of the grants it ran, from their results: each grant's log group as it ends,
// the annotations and the failure they make, and the job summary of an assign, revoke or
// provision step under its run's header (its expansion, headline, table and the kinds' effects).
// Every operation that runs grants says them so (a reconcile, a sweep and a review take the parts
// they share); the report's shape and its emission to the runner are ./step.ts's.
import { escapeHtml, escapeHtmlWithCode } from '../inert.js';
import type { TargetExpansion } from '../inputs/org-expansion.js';
import { expansionSummaryHtml } from './target-expansion.js';
import {
  effectNoticesOf,
  effectWarningsOf,
  grantLogTitle,
  setChangeWords,
  grantStatesLine,
  shownPrincipal,
} from './results.js';
import { htmlTable } from './html-table.js';
import { runHeaderHtml, type RunHeader } from './run-header.js';
import { countRows, summaryHeadline, summaryTable } from './summary-table.js';
import { named } from '../shown-names.js';
import { targetIdOf, type Operation } from '../types.js';
import type { GrantResult } from '../grant-result.js';
import { effectFailureOf, effectRemovalLinesOf, effectTablesOf } from './effects.js';
import { outputsOfResults, type Annotation, type RunnerEffects, type StepReport } from './step.js';

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
  lines.push(...effectRemovalLinesOf(result, named(result.role, result.roleName)));
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
  for (const message of effectNoticesOf(results)) annotations.push({ level: 'notice', message });
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
    ...warningsHtml(results),
    ...effectTablesHtml(results),
    '',
  ].join('\n');
}

/** The rows' own warnings (a group onboarded to PIM for good), once each. */
export const rowWarningsOf = (results: readonly GrantResult[]): string[] => [
  ...new Set(results.flatMap((r) => (r.warning ? [r.warning] : []))),
];

/** The rows' own warnings, once each, as the log gives them: a line of the job summary each. */
export function warningsHtml(results: readonly GrantResult[]): string[] {
  return rowWarningsOf(results).map((w) => `<p>⚠️ ${escapeHtmlWithCode(w)}</p>`);
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
