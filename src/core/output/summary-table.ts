// The job summary of an assign, revoke or provision step: the line naming the run, the headline
// and the table (drawn by ./html-table.ts), one row per grant (per permission set for `provision`). Every cell is escaped:
// the summary is rendered as HTML. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../inert.js';
import { runUrlOf, serverHostToShow, type WorkflowContext } from '../run-context.js';
import { named } from '../shown-names.js';
import type { Operation } from '../types.js';
import type { GrantResult } from '../grant-result.js';
import {
  describeOutcome,
  endsAt,
  formatDuration,
  planned,
  shownPrincipal,
  stateAfter,
  summariseResults,
} from './results.js';

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

/**
 * A row's status: its terminal status and why; in a dry run `planned`, never SUCCEEDED; a removal
 * PIM would not make yet, NOT REMOVED and when Azure ends it.
 */
function statusCell(r: GrantResult, dryRun: boolean): string {
  if (planned(r, dryRun) && !r.refused) return 'planned';
  if (r.endsOnItsOwn) return `NOT REMOVED: ${endsAt(r)}`;
  return r.status !== 'SUCCEEDED' && r.failureReason ? `${r.status}: ${r.failureReason}` : r.status;
}

/**
 * One row per grant. Columns a step leaves empty (request IDs in a dry run, `Expires` without a
 * `duration`, `Note`) are left out by the renderer (./html-table.ts).
 */
function grantTable(results: GrantResult[], dryRun: boolean): SummaryTable {
  return {
    header: [
      'Principal',
      'Target',
      'Role',
      'Kind',
      dryRun ? 'Now → after a run' : 'Before → after',
      'Status',
      'Request ID',
      'Time',
      'Expires',
      'Note',
    ],
    rows: results.map((r) => [
      shownPrincipal(r) || '—',
      named(r.target, r.targetName),
      named(r.role, r.roleName),
      // Shown for a step that makes eligibilities; the column is left out where every grant is active.
      r.assignmentType ?? '—',
      `${r.before} → ${stateAfter(r, dryRun)} (${describeOutcome(r, dryRun)})`,
      statusCell(r, dryRun),
      r.requestId ?? '—',
      formatDuration(r.durationMs),
      r.expiresAt ?? '—',
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
