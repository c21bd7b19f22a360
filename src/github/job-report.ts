// Step outputs, log groups, annotations and the job summary. Everything goes through ./log.js or
// the escaping of core/report.ts: most of it carries text a server sent.
import { summary } from '@actions/core';
import { EOL } from 'node:os';
import { escapeHtml, escapeHtmlWithCode } from '../core/inert.js';
import {
  countRows,
  grantLogTitle,
  grantStatesLine,
  resultsJson,
  runSummaryLine,
  summariseResults,
  summaryHeadline,
  summaryTable,
  type StepOutputs,
} from '../core/report.js';
import { expansionSummaryHtml, type TargetExpansion } from '../core/org-expansion.js';
import type { WorkflowContext } from '../core/run-context.js';
import { named } from '../core/shown-names.js';
import { targetIdOf, type GrantResult, type Operation } from '../core/types.js';
import { endGroup, error, info, setFailed, setJsonOutput, setOutput, startGroup, warning } from './log.js';

/** One collapsed group per grant, printed when the grant ends so concurrent grants do not interleave. */
export function logGrant(result: GrantResult, dryRun: boolean): void {
  startGroup(grantLogTitle(result, dryRun));
  if (result.resolved?.principalId) {
    info(
      `principal ID: ${result.resolved.principalId || '—'}; target: ${targetIdOf(result.resolved)}; role: ${result.resolved.roleId}`,
    );
  }
  if (result.operation !== 'provision') info(grantStatesLine(result, dryRun));
  if (result.requestId) info(`request ID: ${result.requestId}`);
  if (result.assignmentId) info(`assignment ID: ${result.assignmentId}`);
  if (result.expiresAt) info(`expires: ${result.expiresAt}`);
  if (result.failureReason) info(`reason: ${result.failureReason}`);
  if (result.note) info(result.note);
  for (const [key, value] of Object.entries(result.detail ?? {})) info(`${key}: ${JSON.stringify(value)}`);
  endGroup();
}

export function setStepOutputs(results: GrantResult[]): void {
  writeOutputs(summariseResults(results), resultsJson(results));
}

function writeOutputs(outputs: StepOutputs, results: string): void {
  setOutput('status', outputs.status);
  setOutput('request-id', outputs.requestId);
  setOutput('failure-reason', outputs.failureReason);
  setOutput('changed', String(outputs.changed));
  setOutput('assignment-id', outputs.assignmentId);
  setOutput('expires-at', outputs.expiresAt);
  setJsonOutput('results', results);
  // `operation: reconcile`'s own outputs, set (empty) by every step so no expression reads an
  // unset one; a reconcile sets them to its plan once it has one.
  setOutput('plan', '');
  setOutput('drift', '');
  setOutput('drift-remaining', '');
}

/** How a step ends, for its summary and annotations. */
export interface StepEnding {
  title: string;
  /** What the rows are: grants, or permission sets for `provision`. */
  operation: Operation;
  dryRun: boolean;
  wait: boolean;
  /** The run the step belongs to, which the summary names and links to. */
  run: WorkflowContext;
  /** AWS OU, root and path targets: what each expanded to, shown before the table. */
  expansion?: TargetExpansion;
}

/**
 * Appends HTML to the job summary (GITHUB_STEP_SUMMARY); nothing when the runner gives no file,
 * where @actions/core's summary would throw.
 */
async function appendJobSummary(html: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(html).write();
}

export async function writeJobSummary(
  results: GrantResult[],
  { title, operation, dryRun, run, expansion }: Omit<StepEnding, 'wait'>,
): Promise<void> {
  const cells = (tag: 'th' | 'td', row: string[]) => row.map((cell) => `<${tag}>${cell}</${tag}>`).join('');
  const { header, rows } = summaryTable(operation, results, dryRun);
  const table = [cells('th', header), ...rows.map((row) => cells('td', row))];
  const runLine = runSummaryLine(run);
  await appendJobSummary(
    [
      `<h3>${escapeHtml(title)}</h3>`,
      ...(runLine ? [`<p>${runLine}</p>`] : []),
      ...(expansion ? [expansionSummaryHtml(expansion, dryRun)] : []),
      `<p>${escapeHtml(summaryHeadline(operation, results, dryRun))}</p>`,
      `<table>${table.map((row) => `<tr>${row}</tr>`).join('')}</table>`,
      '',
    ].join(EOL),
  );
}

/** Annotations for what made the step fail, each naming its grant and cause. */
export function annotateFailures(results: GrantResult[], waited: boolean): string[] {
  const failures: string[] = [];
  for (const r of results) {
    const grant = `${r.operation} ${r.principal ? `${named(r.principal, r.principalName)} → ` : ''}${named(r.target, r.targetName)} / ${named(r.role, r.roleName)}`;
    if (r.status === 'FAILED') failures.push(`${grant} FAILED: ${r.failureReason ?? 'no reason given'}`);
    // Waiting for a person (an approver) is not a failure of the step: it is said, and left to them.
    else if (r.awaiting) warning(`${grant}: ${r.failureReason ?? 'awaits approval'}`);
    else if (r.status === 'IN_PROGRESS' && waited)
      failures.push(`${grant}: ${r.failureReason ?? 'still IN_PROGRESS at the deadline'}`);
  }
  for (const f of failures) error(f);
  return failures;
}

/**
 * The end of a step that stopped before its first grant (invalid inputs, a failed sign-in): every
 * output a failed step sets (FAILED, `changed` false, `results` an empty list), so a workflow
 * reading them sees FAILED and why, and a short job summary under `title` saying so.
 */
export async function finishBeforeAnyGrant(
  reasons: string[],
  headline: string,
  title: string,
): Promise<void> {
  writeOutputs({ ...summariseResults([]), status: 'FAILED', failureReason: reasons.join('; ') }, '[]');
  await appendJobSummary(
    [
      `<h3>${escapeHtml(title)}</h3>`,
      `<p>${escapeHtmlWithCode(headline)}:</p>`,
      `<ul>${reasons.map((r) => `<li>${escapeHtmlWithCode(r)}</li>`).join('')}</ul>`,
      '',
    ].join(EOL),
  );
  setFailed(headline);
}

/** The end of every step: outputs, job summary, annotations, and the step's exit status. */
export async function finish(results: GrantResult[], ending: StepEnding): Promise<void> {
  setStepOutputs(results);
  await writeJobSummary(results, ending);
  failOnResults(results, ending);
}

/** Annotations for the grants that did not succeed, and the step failed when any did not. */
export function failOnResults(results: GrantResult[], ending: Pick<StepEnding, 'operation' | 'wait'>): void {
  const failures = annotateFailures(results, ending.wait);
  if (failures.length > 0)
    setFailed(`${failures.length} of ${countRows(ending.operation, results.length)} did not succeed`);
}
