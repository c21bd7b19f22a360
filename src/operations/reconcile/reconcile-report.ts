// What a reconcile says in its log: the plan's rows (which the job summary shows too,
// ./reconcile-summary.ts) as log lines, and its counts. Every value shown passes through the
// inert-text helpers. Pure.
import { conditionChangeText, type ConditionChange } from '../../core/plan/conditions.js';
import {
  planCounts,
  type CurrentAssignment,
  type PlanCounts,
  type ReconcilePlan,
  type UnknownAssignment,
} from '../../core/plan/assignment-diff.js';
import { named, namedPrincipal, principalKindOf, type AssignmentNames } from '../../core/shown-names.js';
import { kindWordShown } from '../../core/kinds/index.js';
import { claimMadeShown, claimShown } from '../../core/claims/claim-words.js';
import type { WorkflowContext } from '../../core/run-context.js';

export type Row = {
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
export const CLAIMED = 'claimed (left in place)';
/** A row whose proven claim could not be told live or ended now: never a delete. */
export const UNKNOWN = 'unknown (left in place)';

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

/** The plan's rows as the log and the job summary show them, made once. */
export function rows(plan: ReconcilePlan, context: WorkflowContext = {}): Row[] {
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
export function countsText(counts: PlanCounts): string {
  const updates = counts.update > 0 ? `, ${counts.update} to update` : '';
  return `${counts.create} to create, ${counts.delete} to delete${updates}, ${counts.unchanged} unchanged, ${counts.unmanaged} unmanaged`;
}

/**
 * `, 1 claimed (left in place while its claim is live)`, and the unknown ones, only where there
 * are any.
 */
export const claimedText = (counts: PlanCounts): string =>
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

/** The plan as log lines: counts, then each change and each unmanaged assignment (its `shown` rows). */
export function planLines(
  plan: ReconcilePlan,
  shown: readonly Row[],
  readStrategy: string,
  readCalls: number,
  readMs: number,
): string[] {
  const counts = planCounts(plan);
  return [
    `read: ${readStrategy}: ${readCalls} call(s) in ${readMs} ms`,
    `plan: ${countsText(counts)} (listed, never deleted)${claimedText(counts)}`,
    ...shown.map(
      (r) =>
        `  ${r.action}${r.kind ? ` (${r.kind})` : ''}: ${r.principal} / ${r.role} / ${r.target}${r.line ? ` (manifest line ${r.line})` : ''}${r.change ? `: ${conditionChangeText(r.change)}` : ''}${r.claim ? `: ${r.claim}` : ''}`,
    ),
  ];
}
