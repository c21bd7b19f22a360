// What the step reports: outputs, the per-grant results JSON, the job-summary rows. Pure.
import { escapeHtml, escapeHtmlWithCode, inertDeep, inertJson, inertText } from '../inert.js';
import { runUrlOf, serverHostToShow, type WorkflowContext } from '../run-context.js';
import { named } from '../shown-names.js';
import type { AssignmentState, GrantResult, GrantStatus, Operation } from '../types.js';

const SEVERITY: Record<GrantStatus, number> = { SUCCEEDED: 0, IN_PROGRESS: 1, FAILED: 2 };

export interface StepOutputs {
  status: GrantStatus;
  requestId: string;
  failureReason: string;
  changed: boolean;
  assignmentId: string;
  /** Azure with `duration`: when the first time-bound assignment ends. */
  expiresAt: string;
}

/** `status` is the worst over all grants; the others come from the first grant that has one. */
export function summariseResults(results: GrantResult[]): StepOutputs {
  const worst = results.reduce<GrantStatus>(
    (w, r) => (SEVERITY[r.status] > SEVERITY[w] ? r.status : w),
    'SUCCEEDED',
  );
  return {
    status: worst,
    requestId: results.find((r) => r.requestId)?.requestId ?? '',
    failureReason: results.find((r) => r.failureReason && r.status !== 'SUCCEEDED')?.failureReason ?? '',
    changed: results.some((r) => r.changed),
    assignmentId: results.find((r) => r.assignmentId)?.assignmentId ?? '',
    expiresAt: results.find((r) => r.expiresAt)?.expiresAt ?? '',
  };
}

/** An assignment's state as the `results` output gives it: true, false, or null when not known. */
function known(state: AssignmentState): boolean | null {
  return state === 'unknown' ? null : state === 'present';
}

/**
 * The `results` output: one object per grant, without internal fields. `existed` and `exists`
 * say whether the assignment was there before and after the step, for assign and revoke alike;
 * `action` is what the step did, or in a dry run would do (`create`, `delete`, `provision`, `none`). What a server sent
 * (request and assignment IDs, failure reasons, details) is made inert, as in every other output.
 */
export function resultsJson(results: GrantResult[]): string {
  return inertJson(
    results.map((r) => ({
      cloud: r.cloud,
      operation: r.operation,
      principal: r.principal,
      // AWS: one ID written as a USER or as a GROUP is two assignments; the entry says which.
      ...(r.resolved?.cloud === 'aws' && r.resolved.principalType
        ? { principalType: r.resolved.principalType }
        : {}),
      target: r.target,
      role: r.role,
      // What the cloud calls each, beside the text above (an ID, for a principal the file never names).
      ...(r.principalName ? { principalName: inertText(r.principalName) } : {}),
      ...(r.roleName ? { roleName: inertText(r.roleName) } : {}),
      ...(r.targetName ? { targetName: inertText(r.targetName) } : {}),
      status: r.status,
      requestId: r.requestId === undefined ? null : inertText(r.requestId),
      failureReason: r.failureReason === undefined ? null : inertText(r.failureReason),
      existed: known(r.before),
      exists: known(r.after),
      changed: r.changed,
      action: r.change,
      durationMs: r.durationMs,
      ...(r.assignmentId ? { assignmentId: inertText(r.assignmentId) } : {}),
      ...(r.expiresAt ? { expiresAt: inertText(r.expiresAt) } : {}),
      ...(r.detail ? { detail: inertDeep(r.detail) } : {}),
    })),
  );
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What happened to a grant, in words: `created`, `already assigned`, `would create` … */
export function describeOutcome(r: GrantResult, dryRun: boolean): string {
  // A refused plan's row still says what it would have done; its status says it was not done.
  if (r.refused) return r.change === 'none' ? 'unchanged' : `would ${r.change}`;
  if (r.status === 'FAILED') return 'failed';
  if (r.status === 'IN_PROGRESS') return 'in progress';
  if (dryRun && r.change !== 'none') return `would ${r.change}`;
  if (r.operation === 'provision') return r.changed ? 'provisioned' : 'already current';
  if (r.operation === 'assign') return r.changed ? 'created' : 'already assigned';
  if (r.changed) return 'deleted';
  // A removal the service refused for now (a PIM assignment younger than 5 minutes), or another's.
  return r.after === 'present' ? 'left in place' : 'already absent';
}

/**
 * Whether the grant is a plan's row rather than something done: a dry run's that did not fail,
 * or any of a refused plan's. Its words say what would be done, never SUCCEEDED.
 */
function planned(r: GrantResult, dryRun: boolean): boolean {
  return Boolean(r.refused) || (dryRun && r.status === 'SUCCEEDED');
}

/** The state a grant leaves: what the step did, or in a plan what a run would leave. */
function stateAfter(r: GrantResult, dryRun: boolean): string {
  if (!planned(r, dryRun)) return r.after;
  return r.change === 'create' ? 'present' : r.change === 'delete' ? 'absent' : r.after;
}

/** The mark a log group starts with: done, failed, in progress, or a plan's `+` / `−` / `=`. */
function markOf(r: GrantResult, dryRun: boolean): string {
  if (r.refused || r.status === 'FAILED') return '✗';
  if (r.status === 'IN_PROGRESS') return '…';
  if (!dryRun) return '✓';
  return r.change === 'delete' ? '−' : r.change === 'none' ? '=' : '+';
}

/**
 * The title of a grant's log group: `✓ assign alice → 111111111111 / ReadOnlyAccess: SUCCEEDED
 * (created, 1.2 s)`; in a dry run `+ … : would create (dry run, 80 ms)`; in a refused plan
 * `✗ … : FAILED (would create, not run: the plan was refused, 80 ms)`.
 */
export function grantLogTitle(r: GrantResult, dryRun: boolean): string {
  const who = r.principal ? `${named(r.principal, r.principalName)} → ` : '';
  const outcome = describeOutcome(r, dryRun);
  const time = formatDuration(r.durationMs);
  const how = r.refused
    ? `FAILED (${outcome}, not run: the plan was refused, ${time})`
    : planned(r, dryRun)
      ? `${outcome} (dry run, ${time})`
      : `${r.status} (${outcome}, ${time})`;
  return `${markOf(r, dryRun)} ${r.operation} ${who}${named(r.target, r.targetName)} / ${named(r.role, r.roleName)}: ${how}`;
}

/** A grant's states in its log group: before and after the step, or now and after a run of the plan. */
export function grantStatesLine(r: GrantResult, dryRun: boolean): string {
  return planned(r, dryRun)
    ? `now: ${r.before}; after a run: ${stateAfter(r, dryRun)} (nothing was written)`
    : `before: ${r.before}; after: ${r.after}`;
}

/**
 * The job summary's line above the table: `2 grants, status SUCCEEDED`; for a dry run what the
 * plan holds, counted by outcome, and that nothing was written (its status only when not SUCCEEDED:
 * a plan that was read is not a success of anything).
 */
export function summaryHeadline(operation: Operation, results: GrantResult[], dryRun: boolean): string {
  const { status } = summariseResults(results);
  const rows = countRows(operation, results.length);
  if (!dryRun) return `${rows}, status ${status}`;
  const tally = new Map<string, number>();
  for (const r of results) {
    const outcome = describeOutcome(r, dryRun);
    tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  }
  const counted = [...tally].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  return `Plan of ${rows}${status === 'SUCCEEDED' ? '' : `, status ${status}`}${counted ? `: ${counted}` : ''}. Dry run: nothing was written.`;
}

/** The job summary's table: a header and its rows, every cell HTML-escaped (the summary is rendered as HTML). */
export interface SummaryTable {
  header: string[];
  rows: string[][];
}

/** The table for the step's operation: one row per grant, or per permission set for `provision`. */
export function summaryTable(operation: Operation, results: GrantResult[], dryRun: boolean): SummaryTable {
  const table = operation === 'provision' ? provisionTable(results, dryRun) : grantTable(results, dryRun);
  // The first cells are names and IDs, shown as they are; the others are our sentences, whose
  // `code` spans become <code>.
  const names = operation === 'provision' ? 2 : 3;
  return {
    header: table.header,
    rows: table.rows.map((row) =>
      row.map((cell, i) => (i < names ? escapeHtml(cell) : escapeHtmlWithCode(cell))),
    ),
  };
}

/**
 * The job summary's line naming the run, linked to the run's page when its server, repository and
 * run ID are known: which run granted this, for whoever reads the summary later. HTML.
 */
export function runSummaryLine(context: WorkflowContext): string | undefined {
  const { repository, workflow, runId, runAttempt, actor, ref } = context;
  const name = [
    repository,
    runId ? `run ${runId}${runAttempt ? ` attempt ${runAttempt}` : ''}` : undefined,
  ].filter(Boolean);
  if (name.length === 0) return undefined;
  const url = runUrlOf(context);
  // Where the link leads, when it is not GitHub's own: the text says so.
  const host = url ? serverHostToShow(context) : undefined;
  const label = escapeHtml(`${host ? `${host}: ` : ''}${name.join(' ')}`);
  const details = [
    workflow ? `workflow ${workflow}` : undefined,
    ref,
    actor ? `started by ${actor}` : undefined,
  ].filter((d): d is string => Boolean(d));
  return [url ? `<a href="${escapeHtml(url)}">${label}</a>` : label, ...details.map(escapeHtml)].join(' · ');
}

/** What a row of the summary is, counted: `1 grant`, `3 permission sets`. */
export function countRows(operation: Operation, count: number): string {
  const noun = operation === 'provision' ? 'permission set' : 'grant';
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A row's status: its terminal status and why; in a dry run `planned`, never SUCCEEDED. */
function statusCell(r: GrantResult, dryRun: boolean): string {
  if (planned(r, dryRun) && !r.refused) return 'planned';
  return r.status !== 'SUCCEEDED' && r.failureReason ? `${r.status}: ${r.failureReason}` : r.status;
}

function grantTable(results: GrantResult[], dryRun: boolean): SummaryTable {
  // Time-bound grants (Azure `duration`) add when each ends.
  const expires = results.some((r) => r.expiresAt);
  // A dry run sends no write, so no row has a request ID.
  const requests = !dryRun;
  return {
    header: [
      'Principal',
      'Target',
      'Role',
      dryRun ? 'Now → after a run' : 'Before → after',
      'Status',
      ...(requests ? ['Request ID'] : []),
      'Time',
      ...(expires ? ['Expires'] : []),
      'Note',
    ],
    rows: results.map((r) => [
      named(r.principal, r.principalName) || '—',
      named(r.target, r.targetName),
      named(r.role, r.roleName),
      `${r.before} → ${stateAfter(r, dryRun)} (${describeOutcome(r, dryRun)})`,
      statusCell(r, dryRun),
      ...(requests ? [r.requestId ?? '—'] : []),
      formatDuration(r.durationMs),
      ...(expires ? [r.expiresAt ?? '—'] : []),
      r.note ?? '',
    ]),
  };
}

/**
 * Accounts listed in a summary cell: how many, then which. A permission set can be provisioned
 * to thousands of accounts and a job summary holds at most 1 MiB, so a long list is cut short:
 * the `results` output has every account.
 */
export const LISTED_ACCOUNTS = 25;

/**
 * Request IDs are listed whole, each one a CloudTrail search away, within a share of the summary's
 * 1 MiB that its rows split between them: only a batch of thousands of accounts is cut short.
 */
const REQUEST_ID_BUDGET_CHARS = 400_000;

/** How many of `values` fit in `chars` characters, separators included (at least one). */
function fitting(values: string[] | undefined, chars: number): number {
  let used = 0;
  let count = 0;
  for (const value of values ?? []) {
    used += value.length + 2;
    if (used > chars && count > 0) break;
    count++;
  }
  return count;
}

function listCell(values: string[] | undefined, limit = LISTED_ACCOUNTS): string {
  if (!values || values.length === 0) return '—';
  const shown = values.slice(0, limit).join(', ');
  const more = values.length - limit;
  return more > 0 ? `${shown} … and ${more} more (see the \`results\` output)` : shown;
}

/** Provision: per permission set, the accounts re-provisioned (or that would be) and those already current. */
function provisionTable(results: GrantResult[], dryRun: boolean): SummaryTable {
  const counted = (values: string[] | undefined) =>
    values && values.length > 0 ? `${values.length}: ${listCell(values)}` : '—';
  const requestIdChars = REQUEST_ID_BUDGET_CHARS / Math.max(1, results.length);

  return {
    header: [
      'Permission set',
      'Accounts asked',
      dryRun ? 'Would re-provision' : 'Re-provisioned',
      'Already current',
      'Status',
      'Request IDs',
      'Time',
      'Note',
    ],
    rows: results.map((r) => {
      const detail = r.detail;
      const notProvisioned = detail?.notProvisionedBefore;
      return [
        r.role,
        r.target,
        counted(dryRun ? detail?.wouldProvision : detail?.reprovisioned),
        counted(detail?.alreadyCurrent),
        statusCell(r, dryRun),
        listCell(detail?.requestIds, fitting(detail?.requestIds, requestIdChars)),
        formatDuration(r.durationMs),
        [notProvisioned?.length ? `not provisioned before: ${listCell(notProvisioned)}` : '', r.note ?? '']
          .filter(Boolean)
          .join('; '),
      ];
    }),
  };
}
