// The sweep's ending (./index.ts says it at the step's end): from its entries and what became of
// each revoke, the lines, the outputs (`plan`, `results`, `status`, `changed`, `request-id`,
// `failure-reason`), the summary under its outcome, the effects' warnings and notices, and the
// failure of a refused plan, of revokes that did not end SUCCEEDED, or of grants stuck. Pure.
import type { GrantResult } from '../../core/grant-result.js';
import type { SweepCounts, SweepEntry } from '../../core/claims/claims.js';
import type { RunHeader } from '../../core/output/run-header.js';
import type { StepReport } from '../../core/output/step.js';
import { effectNoticesOf, effectWarningsOf, withEffectFailure } from '../../core/output/results.js';
import { effectRemovalLinesOf } from '../../core/output/effects.js';
import { stuckFailure, stuckWarnings, type StuckOptions } from './sweep-stuck.js';

import { type SweepMode, sweepLine, sweepResults, sweepSummaryHtml } from './sweep-report.js';

/**
 * The sweep's ending: a line per grant considered, the outputs (`plan`, `results`, `status`,
 * `changed`, `request-id`, and `failure-reason` when it failed), the summary, and the failure of
 * a refused plan or of revokes that did not end SUCCEEDED.
 */
export function sweepEnding(
  entries: readonly SweepEntry[],
  revoked: Map<SweepEntry, GrantResult>,
  options: {
    /** The run's header; its title gets `: plan refused` when the plan is. */
    header: RunHeader;
    counts: SweepCounts;
    mode: SweepMode;
    /** The `dry-run` input (a refused plan runs as a dry run too, and says it was refused). */
    dryRunInput: boolean;
    refusal?: { reason: string; fix: string };
    /** What no sweep will end: warned, and the step failed while one is stuck over a day. */
    stuck?: StuckOptions;
  },
): StepReport {
  const { counts, mode, refusal } = options;
  const stuck = options.stuck ? stuckFailure(entries, options.stuck) : undefined;
  const header = refusal
    ? { ...options.header, title: `${options.header.title}: plan refused` }
    : options.header;
  const results = [...revoked.values()];
  // A revoke whose effect failed SUCCEEDED, but counts as FAILED: it fails the sweep.
  const failed = results.map(withEffectFailure).filter((r) => r.status !== 'SUCCEEDED');
  const status =
    refusal || failed.some((r) => r.status === 'FAILED')
      ? 'FAILED'
      : failed.length > 0
        ? 'IN_PROGRESS'
        : 'SUCCEEDED';
  const outcome = refusal
    ? `FAILED: the plan was refused: ${refusal.reason}. To run it: ${refusal.fix}.`
    : options.dryRunInput
      ? 'Dry run: nothing was revoked.'
      : `Status ${status}: ${results.filter((r) => r.status === 'SUCCEEDED' && r.changed).length} revoked${failed.length > 0 ? `, ${failed.length} not` : ''}.`;
  const first = results.find((r) => r.requestId);
  const failure = refusal ? refusalFailure(refusal) : failed.length > 0 ? revokesFailure(failed) : stuck;
  const failedMessage = [failure?.failed, failure !== stuck ? stuck?.failed : undefined]
    .filter(Boolean)
    .join('; ');
  // A revoke's fence put that took expired fences out says so, one line each, after its own.
  const lines = entries.flatMap((entry) => {
    const result = revoked.get(entry);
    const removals = result ? effectRemovalLinesOf(result, entry.claim.shown.role) : [];
    return [sweepLine(entry, result, mode), ...removals];
  });
  const resultsOutput = sweepResults(entries, revoked, mode);
  const summaryHtml = sweepSummaryHtml(entries, revoked, {
    header,
    counts,
    outcome: stuck ? `${outcome} FAILED: ${stuck.reason}.` : outcome,
    mode,
  });
  return {
    lines,
    annotations: [
      ...(options.stuck ? stuckWarnings(entries, options.stuck) : []),
      ...effectWarningsOf(results).map((message) => ({ level: 'warning' as const, message })),
      ...effectNoticesOf(results).map((message) => ({ level: 'notice' as const, message })),
    ],
    outputs: [
      ['plan', { json: counts }],
      ['results', { json: resultsOutput }],
      ['status', status],
      ['changed', String(results.some((r) => r.changed))],
      ...(first?.requestId ? [['request-id', first.requestId] as [string, string]] : []),
      ...(failure ? [['failure-reason', failure.reason] as [string, string]] : []),
    ],
    summaryHtml,
    ...(failedMessage ? { failed: failedMessage } : {}),
  };
}

const refusalFailure = (refusal: { reason: string; fix: string }) => ({
  reason: refusal.reason,
  failed: `${refusal.reason}: ${refusal.fix}`,
});

function revokesFailure(failed: GrantResult[]): { reason: string; failed: string } {
  const reason = failed
    .map(
      (r) =>
        `${r.principal} / ${r.role} / ${r.target}: ${r.status}${r.failureReason ? ` (${r.failureReason})` : ''}`,
    )
    .join('; ');
  return { reason, failed: `${failed.length} revoke(s) did not end SUCCEEDED: ${reason}` };
}
