// What the sweep tells people of each grant: one log line per grant considered, the `results`
// entries, and the job summary's table (the step's ending is ./sweep-ending.ts). A dry run says
// "would revoke", never SUCCEEDED; a refused plan's revokes say so, and FAILED. Text from servers (names, reasons) is escaped where it is written
// (github/log.ts; escapeHtml here). Pure.
import { safeIso } from '../../core/duration.js';
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import { keyedPrincipalType } from '../../core/kinds/index.js';
import { targetIdOf } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { SweepCounts, SweepEntry } from '../../core/claims/claims.js';
import { htmlTable } from '../../core/output/html-table.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import { effectTablesHtml } from '../../core/output/grants-ending.js';
import { effectFieldsOf } from '../../core/output/results.js';

/**
 * How the sweep ended for the rows: a dry run's plan, a plan refused (`max-deletions`: nothing was
 * revoked, and the step FAILED), or an applied one.
 */
export type SweepMode = 'dry-run' | 'refused' | 'apply';

/** The failure of a refused plan's revoke, which was never sent. */
export const REFUSED = 'not run: the plan was refused';

/** What was done with an entry, given the revoke's result (when it ran). */
function actionOf(entry: SweepEntry, result: GrantResult | undefined, mode: SweepMode): string {
  if (entry.kind !== 'revoke') return 'leave';
  if (mode !== 'apply' || !result) return 'would revoke';
  if (result.status !== 'SUCCEEDED') return `revoke ${result.status}`;
  return result.changed ? 'revoked' : 'revoke: already gone';
}

const runOf = (entry: SweepEntry) => {
  const mark = entry.claim.mark;
  if (!mark) return 'no run';
  const seen = entry.run?.state === 'unreadable' ? undefined : entry.run;
  const where =
    mark.run.repository ??
    seen?.repository ??
    (mark.run.repositoryId ? `repository ${mark.run.repositoryId}` : '');
  return `${where} run ${mark.run.runId}/${mark.run.attempt}`.trim();
};

/** The run as the summary shows it: a link to its page, where GitHub gave one. */
const runCell = (entry: SweepEntry) => {
  const url = entry.run?.state === 'unreadable' ? undefined : entry.run?.url;
  const text = escapeHtml(runOf(entry));
  return url ? `<a href="${escapeHtml(url)}">${text}</a>` : text;
};

/** A reviewer reads what is deleted first: revokes, then what runs, then what is left and why. */
const ORDER: readonly SweepEntry['kind'][] = ['revoke', 'running', 'unproven', 'permanent', 'gone'];

/** The failure shown beside an entry: its revoke's, or a refused plan's for every revoke. */
function failureOf(entry: SweepEntry, result: GrantResult | undefined, mode: SweepMode): string | undefined {
  if (mode === 'refused' && entry.kind === 'revoke') return `FAILED, ${REFUSED}`;
  return result?.failureReason;
}

export function sweepLine(entry: SweepEntry, result: GrantResult | undefined, mode: SweepMode): string {
  const { shown } = entry.claim;
  const failure = failureOf(entry, result, mode);
  return `${actionOf(entry, result, mode)} [${entry.kind}] ${shown.principal} / ${shown.role} / ${shown.target} (${runOf(entry)}): ${entry.reason}${failure ? `: ${failure}` : ''}`;
}

export function sweepResults(
  entries: readonly SweepEntry[],
  revoked: ReadonlyMap<SweepEntry, GrantResult>,
  mode: SweepMode,
): object[] {
  return entries.map((entry) => {
    const { claim } = entry;
    const result = revoked.get(entry);
    const mark = claim.mark;
    return {
      cloud: claim.ids.cloud,
      principal: claim.ids.principalId,
      ...keyedPrincipalType(claim.ids),
      target: targetIdOf(claim.ids),
      role: claim.ids.roleId,
      ...(claim.ids.name ? { assignmentName: claim.ids.name } : {}),
      run: mark
        ? {
            ...(mark.run.repository ? { repository: mark.run.repository } : {}),
            ...(mark.run.repositoryId ? { repositoryId: mark.run.repositoryId } : {}),
            runId: mark.run.runId,
            attempt: mark.run.attempt,
            ephemeral: mark.ephemeral,
            ...(mark.expiresAt !== undefined ? { expiresAt: safeIso(mark.expiresAt * 1000) } : {}),
            ...(entry.run ? { state: entry.run.state === 'going' ? entry.run.status : entry.run.state } : {}),
          }
        : null,
      ...(claim.reliers?.length
        ? {
            reliedOnBy: claim.reliers.map((r) => ({
              ...(r.run.repository ? { repository: r.run.repository } : {}),
              ...(r.run.repositoryId ? { repositoryId: r.run.repositoryId } : {}),
              runId: r.run.runId,
              attempt: r.run.attempt,
              ...(r.expiresAt !== undefined ? { expiresAt: safeIso(r.expiresAt * 1000) } : {}),
              madeBy: r.madeBy,
              madeAt: safeIso(r.madeAt),
              evidence: r.evidence,
            })),
          }
        : {}),
      madeBy: claim.madeBy,
      madeAt: safeIso(claim.madeAt),
      evidence: claim.evidence,
      kind: entry.kind,
      ...(entry.stuckSince !== undefined ? { stuckSince: safeIso(entry.stuckSince) } : {}),
      action: actionOf(entry, result, mode),
      reason: entry.reason,
      ...(result ? { status: result.status, changed: result.changed } : {}),
      // A refused plan's revokes: FAILED, as the step is, and never sent.
      ...(mode === 'refused' && entry.kind === 'revoke'
        ? { status: 'FAILED', changed: false, failureReason: REFUSED }
        : {}),
      ...(result?.requestId ? { requestId: result.requestId } : {}),
      ...(result?.failureReason ? { failureReason: result.failureReason } : {}),
      ...(result ? effectFieldsOf(result) : {}),
    };
  });
}

export function countsLine(counts: SweepCounts): string {
  return `plan: ${counts.revoke} to revoke, ${counts.running} of runs still going, ${counts.unproven} unproven, ${counts.permanent} permanent, ${counts.gone} gone`;
}

export function sweepSummaryHtml(
  entries: readonly SweepEntry[],
  revoked: ReadonlyMap<SweepEntry, GrantResult>,
  options: { header: RunHeader; counts: SweepCounts; outcome: string; mode: SweepMode },
): string {
  const code = (text: string) => (text ? `<code>${escapeHtml(text)}</code>` : '');
  const ordered = ORDER.flatMap((kind) => entries.filter((e) => e.kind === kind));
  const rows = ordered.map((entry) => {
    const { shown } = entry.claim;
    const result = revoked.get(entry);
    const failure = failureOf(entry, result, options.mode);
    const action = actionOf(entry, result, options.mode);
    return [
      escapeHtml(action),
      escapeHtml(entry.kind),
      code(shown.principal),
      code(shown.role),
      code(shown.target),
      runCell(entry),
      escapeHtmlWithCode(entry.reason + (failure ? `: ${failure}` : '')),
    ];
  });
  return [
    runHeaderHtml(options.header),
    `<p>${escapeHtmlWithCode(options.outcome)}</p>`,
    `<p>${escapeHtml(countsLine(options.counts))}.</p>`,
    entries.length === 0
      ? '<p>No grant made by a cloud-access step was found in the lookback window.</p>'
      : htmlTable(['action', 'kind', 'principal', 'role', 'target', 'run', 'why'], rows),
    ...effectTablesHtml([...revoked.values()]),
    '',
  ].join('\n');
}
