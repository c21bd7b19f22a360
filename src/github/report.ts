// Step outputs, log groups, annotations and the job summary.
import * as core from '@actions/core';
import {
  describeOutcome,
  formatDuration,
  resultsJson,
  summariseResults,
  summaryRows,
  SUMMARY_HEADER,
} from '../core/report.js';
import type { GrantResult } from '../core/types.js';

/** One collapsed group per grant, printed when the grant ends so concurrent grants do not interleave. */
export function logGrant(result: GrantResult, dryRun: boolean): void {
  const mark = result.status === 'SUCCEEDED' ? '✓' : result.status === 'FAILED' ? '✗' : '…';
  const who = result.principal ? `${result.principal} → ` : '';
  core.startGroup(
    `${mark} ${result.operation} ${who}${result.target} / ${result.role}: ${result.status} (${describeOutcome(result, dryRun)}, ${formatDuration(result.durationMs)})`,
  );
  if (result.resolved?.principalId) {
    core.info(
      `principal ID: ${result.resolved.principalId || '—'}; target: ${result.resolved.targetId}; role: ${result.resolved.roleId}`,
    );
  }
  if (result.operation !== 'provision') core.info(`before: ${result.before}; after: ${result.after}`);
  if (result.requestId) core.info(`request ID: ${result.requestId}`);
  if (result.assignmentId) core.info(`assignment ID: ${result.assignmentId}`);
  if (result.failureReason) core.info(`reason: ${result.failureReason}`);
  for (const [key, value] of Object.entries(result.detail ?? {}))
    core.info(`${key}: ${JSON.stringify(value)}`);
  core.endGroup();
}

export function setStepOutputs(results: GrantResult[]): void {
  const outputs = summariseResults(results);
  core.setOutput('status', outputs.status);
  core.setOutput('request-id', outputs.requestId);
  core.setOutput('failure-reason', outputs.failureReason);
  core.setOutput('changed', String(outputs.changed));
  core.setOutput('assignment-id', outputs.assignmentId);
  core.setOutput('results', resultsJson(results));
}

export async function writeJobSummary(title: string, results: GrantResult[], dryRun: boolean): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const counts = summariseResults(results);
  await core.summary
    .addHeading(title, 3)
    .addRaw(
      `${results.length} grant${results.length === 1 ? '' : 's'}, status ${counts.status}${dryRun ? ' (dry run: nothing was written)' : ''}`,
      true,
    )
    .addTable([SUMMARY_HEADER.map((data) => ({ data, header: true })), ...summaryRows(results, dryRun)])
    .write();
}

/** Annotations for what made the step fail, each naming its grant and cause. */
export function annotateFailures(results: GrantResult[], waited: boolean): string[] {
  const failures: string[] = [];
  for (const r of results) {
    const grant = `${r.operation} ${r.principal ? `${r.principal} → ` : ''}${r.target} / ${r.role}`;
    if (r.status === 'FAILED') failures.push(`${grant} FAILED: ${r.failureReason ?? 'no reason given'}`);
    else if (r.status === 'IN_PROGRESS' && waited)
      failures.push(`${grant}: ${r.failureReason ?? 'still IN_PROGRESS at the deadline'}`);
  }
  for (const f of failures) core.error(f);
  return failures;
}
