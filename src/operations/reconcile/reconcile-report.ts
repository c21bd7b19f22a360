// What a reconcile says: the plan as log lines, and the plan as the
// job summary's diff table. Every value shown passes through the inert-text helpers. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import {
  conditionChangeParts,
  conditionChangeText,
  type ConditionChange,
} from '../../core/plan/conditions.js';
import {
  planCounts,
  type CurrentAssignment,
  type PlanCounts,
  type ReconcilePlan,
  type UnknownAssignment,
} from '../../core/plan/assignment-diff.js';
import { named, namedPrincipal, principalKindOf, type AssignmentNames } from '../../core/shown-names.js';
import { describeOutcome } from '../../core/output/results.js';
import type { GrantResult } from '../../core/types.js';
import { htmlTable } from '../../core/output/html-table.js';
import { kindWordShown } from '../../core/kinds/index.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import { claimMadeShown, claimShown } from '../../core/claims/live.js';
import type { WorkflowContext } from '../../core/run-context.js';
import type { DefinitionChangeShown } from '../../engine/run/reconciler.js';
import { plannedSetSection } from './reconcile-set-summary.js';

/**
 * A refused plan's row: run as a dry run, it says what it would have done (`change`), and it is
 * FAILED, since the plan was not run. A row that could not even be planned keeps its own failure.
 */
export function refusedResult(result: GrantResult, reason: string): GrantResult {
  if (result.status === 'FAILED') return result;
  return { ...result, status: 'FAILED', failureReason: `the plan was refused: ${reason}`, refused: true };
}

/** How many rows of each kind the summary shows before it says how many more there are. */
export const SUMMARY_ROWS = 200;

type Row = {
  action: string;
  /** The kind's word where it is not its cloud's plain kind (`eligible`). */
  kind?: string;
  principal: string;
  role: string;
  target: string;
  line?: number;
  /** An update's: what it changes. */
  change?: ConditionChange;
  /** A claimed one's: the claim that holds it, in words. */
  claim?: string;
};

/** A claimed assignment's row: left in place while its claim is live. */
const CLAIMED = 'claimed (left in place)';
/** A row whose proven claim could not be told live or ended now: never a delete. */
const UNKNOWN = 'unknown (left in place)';

/** Why an unknown row is left: whose claim it is, and what could not be read. */
const unknownShown = (u: UnknownAssignment, context: WorkflowContext): string =>
  `${claimMadeShown(u.unknown.made, context)}: ${u.unknown.reason}`;

/**
 * Each part as `name (id)` where the cloud's name is known (the file's text alone when it is the
 * name), the principal's kind before it: the directory's where it was asked, else its type's.
 */
const withNamesOf = (
  text: { principal: string; role: string; target: string },
  names: AssignmentNames | undefined,
  principalType: string,
) => ({
  principal: namedPrincipal(
    text.principal,
    names?.principal,
    names?.principalKind ?? principalKindOf(principalType),
  ),
  role: named(text.role, names?.role),
  target: named(text.target, names?.target),
});

/** `{ kind }` where the row's kind is not its cloud's plain one (kindWordShown). */
const kindOfRow = (kind: string): { kind?: string } => {
  const word = kindWordShown(kind);
  return word ? { kind: word } : {};
};

function rows(plan: ReconcilePlan, context: WorkflowContext = {}): Row[] {
  const shown = (a: CurrentAssignment, action: string): Row => ({
    action,
    ...kindOfRow(a.kind),
    ...withNamesOf(a.shown, a.names, a.principalType),
  });
  return [
    ...plan.creates.map((c) => ({
      action: 'create',
      ...kindOfRow(c.kind),
      ...withNamesOf(c.written, c.names, c.principalType),
      line: c.line,
    })),
    ...plan.deletes.map((d) => ({ ...shown(d, 'delete'), ...(d.claimNote ? { claim: d.claimNote } : {}) })),
    ...plan.claimed.map((c) => ({ ...shown(c, CLAIMED), claim: claimShown(c.claim, context) })),
    ...plan.unknown.map((u) => ({ ...shown(u, UNKNOWN), claim: unknownShown(u, context) })),
    ...plan.updates.map((u) => ({
      action: 'update',
      ...kindOfRow(u.kind),
      ...withNamesOf(u.written, u.names, u.principalType),
      line: u.line,
      change: u.change,
    })),
    ...plan.unmanaged.map((u) => shown(u, 'unmanaged (left alone)')),
  ];
}

/** `1 to create, 0 to delete, 2 unchanged, 0 unmanaged`; the updates only where there are any (only Azure has them). */
function countsText(counts: PlanCounts): string {
  const updates = counts.update > 0 ? `, ${counts.update} to update` : '';
  return `${counts.create} to create, ${counts.delete} to delete${updates}, ${counts.unchanged} unchanged, ${counts.unmanaged} unmanaged`;
}

/**
 * `, 1 claimed (left in place while its claim is live)`, and the unknown ones, only where there
 * are any.
 */
const claimedText = (counts: PlanCounts): string =>
  (counts.claimed > 0 ? `, ${counts.claimed} claimed (left in place while its claim is live)` : '') +
  (counts.unknown > 0
    ? `, ${counts.unknown} unknown (left in place: a proven claim whose run could not be read now)`
    : '');

/**
 * One warning per unknown row: a place the plan would have deleted, left because a proven claim on
 * it could not be told live or ended now, and what to do.
 */
export function unknownWarnings(plan: ReconcilePlan, context: WorkflowContext = {}): string[] {
  return plan.unknown.map((u) => {
    const { principal, role, target } = withNamesOf(u.shown, u.names, u.principalType);
    return `left in place, unknown: ${principal} / ${role} / ${target}: ${unknownShown(u, context)}; the next reconcile that can read its run decides it (give \`github-token\` with \`actions: read\`, or wait for GitHub’s rate limit to reset)`;
  });
}

/** The plan as log lines: counts, then each change and each unmanaged assignment. */
export function planLines(
  plan: ReconcilePlan,
  readStrategy: string,
  readCalls: number,
  readMs: number,
  /** The run, for the page of a claim's run. */
  context?: WorkflowContext,
): string[] {
  const counts = planCounts(plan);
  return [
    `read: ${readStrategy}: ${readCalls} call(s) in ${readMs} ms`,
    `plan: ${countsText(counts)} (listed, never deleted)${claimedText(counts)}`,
    ...rows(plan, context).map(
      (r) =>
        `  ${r.action}${r.kind ? ` (${r.kind})` : ''}: ${r.principal} / ${r.role} / ${r.target}${r.line ? ` (manifest line ${r.line})` : ''}${r.change ? `: ${conditionChangeText(r.change)}` : ''}${r.claim ? `: ${r.claim}` : ''}`,
    ),
  ];
}

/**
 * What became of the plan: a dry run's (nothing written), a refused one's (nothing written, and
 * the step FAILED), or an applied one's, with each write's result by its place in the plan.
 */
export interface PlanOutcome {
  mode: 'dry-run' | 'refused' | 'apply';
  /** Each create's result, at its index in `plan.creates`. */
  creates: (GrantResult | undefined)[];
  /** Each delete's result, at its index in `plan.deletes`; undefined for one held back. */
  deletes: (GrantResult | undefined)[];
  /** Each update's result, at its index in `plan.updates`. */
  updates?: (GrantResult | undefined)[];
  /** Each change of a permission set the manifest defines (create, update, delete, provision). */
  permissionSets?: GrantResult[];
  /** Each planned change of a set as a dry run (or a refused plan) shows it: its reach and its diff. */
  permissionSetPlans?: DefinitionChangeShown[];
}

/**
 * The summary's sections, in the order a reviewer reads them: what is taken away first, then what
 * changes, what is added, and what is left alone.
 */
const SECTIONS: readonly { action: string; heading: string }[] = [
  { action: 'delete', heading: 'Deletes' },
  { action: 'update', heading: 'Updates' },
  { action: 'create', heading: 'Creates' },
  { action: CLAIMED, heading: 'Claimed, left in place' },
  { action: UNKNOWN, heading: 'Unknown, left in place' },
  { action: 'unmanaged (left alone)', heading: 'Unmanaged, left alone' },
];

/**
 * The job summary of a reconcile: the run's header, the outcome and the counts, what the section
 * manages beyond what it names, then one section per kind of row (deletes first), each with what
 * became of it (a dry run's `would create`, an apply's `created`). How the cloud was read (its
 * API calls) is the log's, not the reviewer's.
 */
export function planSummaryHtml(
  plan: ReconcilePlan,
  context: {
    header: RunHeader;
    manifest: string;
    /** What the step came to, first in the summary: `FAILED: the plan was refused …`. */
    outcome: string;
    /** What each write came to; absent, each row says what a run would do. */
    results?: PlanOutcome;
    /** What the section manages beyond what it names, and what its OU targets expanded to, each once. */
    management?: string[];
  },
): string {
  const counts = planCounts(plan);
  const all = rows(plan, context.header.run);
  const results = resultCells(plan, context.results);
  const sections = SECTIONS.flatMap(({ action, heading }) => {
    const mine = all.flatMap((r, i) => (r.action === action ? [{ r, result: results[i] ?? '' }] : []));
    if (mine.length === 0) return [];
    // Up to SUMMARY_ROWS of each kind: many creates never push the deletes out.
    const shown = mine.slice(0, SUMMARY_ROWS);
    const table = htmlTable(
      ['kind', 'principal', 'role', 'target', 'manifest line', 'result'],
      shown.map(({ r, result }) => [
        ...[r.kind ?? '', r.principal, r.role, r.target, r.line ? String(r.line) : ''].map((t) =>
          escapeHtml(t),
        ),
        (r.change ? `${conditionChangeHtml(r.change)}; ` : '') +
          escapeHtmlWithCode(r.claim ? `${result}: ${r.claim}` : result),
      ]),
    );
    return [
      `<h4>${escapeHtml(`${heading} (${mine.length})`)}</h4>`,
      table,
      ...(mine.length > shown.length ? [`<p>${mine.length - shown.length} more are in the log.</p>`] : []),
    ];
  });
  return [
    runHeaderHtml(context.header),
    `<p>${escapeHtmlWithCode(context.outcome)}</p>`,
    `<p>${escapeHtml(`${context.manifest}: ${countsText(counts)}${claimedText(counts)}.`)}</p>`,
    ...(context.management?.length
      ? [`<ul>${context.management.map((line) => `<li>${escapeHtmlWithCode(line)}</li>`).join('')}</ul>`]
      : []),
    ...sections,
    ...(context.results?.mode !== 'apply' && context.results?.permissionSetPlans?.length
      ? plannedSetSection(context.results.permissionSetPlans, context.results.mode, SUMMARY_ROWS)
      : permissionSetSection(context.results?.permissionSets ?? [])),
    '',
  ].join('\n');
}

/**
 * The permission sets' changes, each its own row: the set, the change, a provisioning's accounts
 * and what it came to (the service's reason for a failure), every text escaped.
 */
function permissionSetSection(results: readonly GrantResult[]): string[] {
  if (results.length === 0) return [];
  const shown = results.slice(0, SUMMARY_ROWS);
  const table = htmlTable(
    ['permission set', 'change', 'accounts', 'result'],
    shown.map((r) =>
      [
        r.role,
        r.change,
        r.target.split(',').filter(Boolean).join(', '),
        r.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${r.status}: ${r.failureReason ?? 'no reason given'}`,
      ].map((t) => escapeHtml(t)),
    ),
  );
  return [
    `<h4>${escapeHtml(`Permission sets (${results.length})`)}</h4>`,
    table,
    ...(results.length > shown.length
      ? [`<p>${results.length - shown.length} more are in the log.</p>`]
      : []),
  ];
}

/** Each row's result, in the order of `rows`: creates, deletes, the claimed, the unknown, updates, then the unmanaged. */
function resultCells(plan: ReconcilePlan, outcome: PlanOutcome | undefined): string[] {
  const planned = (change: string, r: GrantResult | undefined) =>
    r && r.status !== 'SUCCEEDED' && !r.refused
      ? `${r.status}: ${r.failureReason ?? 'no reason given'}`
      : `would ${change}`;
  const cellOf = (change: string, r: GrantResult | undefined): string => {
    if (outcome?.mode === 'refused') return `would ${change}; FAILED: not run, the plan was refused`;
    if (outcome?.mode !== 'apply') return planned(change, r);
    if (!r) return 'not run: held back (see the step’s errors)';
    return r.status === 'SUCCEEDED'
      ? describeOutcome(r, false)
      : `${r.status}: ${r.failureReason ?? 'no reason given'}`;
  };
  return [
    ...plan.creates.map((_, i) => cellOf('create', outcome?.creates[i])),
    ...plan.deletes.map((_, i) => cellOf('delete', outcome?.deletes[i])),
    ...plan.claimed.map(() => 'left in place'),
    ...plan.unknown.map(() => 'left in place'),
    ...plan.updates.map((_, i) => cellOf('update', outcome?.updates?.[i])),
    ...plan.unmanaged.map(() => 'left alone'),
  ];
}

/** How much of a condition (up to 8,192 characters) the summary shows: 200 updates stay far within its 1 MiB. */
export const SUMMARY_CONDITION_CHARS = 1000;

/**
 * What an update changes, as HTML: each condition (the file's, or the server's) escaped whole
 * inside its own <code>, so no character of it (a backtick, markup) is ever read as ours; a long
 * one is cut, and says so (the log has it whole).
 */
function conditionChangeHtml(change: ConditionChange): string {
  const code = (text: string) => {
    const cut = [...text];
    const shown =
      cut.length > SUMMARY_CONDITION_CHARS ? cut.slice(0, SUMMARY_CONDITION_CHARS).join('') : text;
    const more = cut.length - SUMMARY_CONDITION_CHARS;
    return `<code>${escapeHtml(shown)}</code>${more > 0 ? escapeHtml(` … (${more} more characters: the log shows it whole)`) : ''}`;
  };
  return conditionChangeParts(change)
    .map((p) => (p.code ? code(p.text) : escapeHtml(p.text)))
    .join('');
}
