// What the step reports of each grant: the outputs, the per-grant results JSON, its words in the
// log (the job summary's table is ./summary-table.ts). Pure.
import { inertDeep, inertText } from '../inert.js';
import { named, namedPrincipal, principalKindOf } from '../shown-names.js';
import type { AssignmentType, GrantStatus } from '../types.js';
import type { AssignmentState, GrantResult } from '../grant-result.js';
import { effectFailureOf, effectFieldsOf, effectWordsOf } from './effects.js';

export { effectFieldsOf, effectNoticesOf, effectWarningsOf } from './effects.js';

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
  // A write that SUCCEEDED but whose effect failed (a revoke whose sessions may stay live) fails the step.
  const statusOf = (r: GrantResult): GrantStatus => (effectFailureOf(r) ? 'FAILED' : r.status);
  const worst = results.reduce<GrantStatus>(
    (w, r) => (SEVERITY[statusOf(r)] > SEVERITY[w] ? statusOf(r) : w),
    'SUCCEEDED',
  );
  return {
    status: worst,
    requestId: results.find((r) => r.requestId)?.requestId ?? '',
    failureReason:
      results.find((r) => r.failureReason && r.status !== 'SUCCEEDED')?.failureReason ??
      results.map(effectFailureOf).find(Boolean) ??
      '',
    changed: results.some((r) => r.changed),
    assignmentId: results.find((r) => r.assignmentId)?.assignmentId ?? '',
    expiresAt: results.find((r) => r.expiresAt)?.expiresAt ?? '',
  };
}

/**
 * The kind of access a grant's result is of, as `results` and the audit log's records say it: an
 * assignment made active, or (Azure PIM) an eligibility to activate one; provisioning is neither.
 */
export function accessKindOf(
  r: Pick<GrantResult, 'operation' | 'assignmentType'>,
): AssignmentType | undefined {
  return r.operation === 'provision' ? undefined : (r.assignmentType ?? 'active');
}

/** An assignment's state as the `results` output gives it: true, false, or null when not known. */
function known(state: AssignmentState): boolean | null {
  return state === 'unknown' ? null : state === 'present';
}

/**
 * The `results` output, a JSON value (the runner's effects write it inert: github/log.ts
 * setJsonOutput): one object per grant, without internal fields. `existed` and `exists`
 * say whether the assignment was there before and after the step, for assign and revoke alike;
 * `action` is what the step did, or in a dry run would do (`create`, `delete`, `provision`, `none`). What a server sent
 * (request and assignment IDs, failure reasons, details) is made inert, as in every other output.
 */
export function resultsOutput(results: GrantResult[]): Record<string, unknown>[] {
  return results.map((r) => ({
    cloud: r.cloud,
    operation: r.operation,
    principal: r.principal,
    // The type the assignment is written or was read with (AWS `USER` / `GROUP`: one ID written
    // as either is two assignments; Azure `User`, `Group`, `ServicePrincipal` …).
    ...(r.resolved?.principalType ? { principalType: r.resolved.principalType } : {}),
    target: r.target,
    role: r.role,
    ...(accessKindOf(r) ? { kind: accessKindOf(r) } : {}),
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
    // A permission set's own change, or a provisioning, says which in `change` too.
    ...(r.change.startsWith('permission-set-') || r.change === 'provision' ? { change: r.change } : {}),
    durationMs: r.durationMs,
    ...(r.assignmentId ? { assignmentId: inertText(r.assignmentId) } : {}),
    ...(r.expiresAt ? { expiresAt: inertText(r.expiresAt) } : {}),
    ...(r.detail ? { detail: inertDeep(r.detail) } : {}),
    ...(r.request ? { request: inertDeep(r.request) } : {}),
    ...effectFieldsOf(r),
  }));
}

/**
 * The row as the step counts it: a write that SUCCEEDED but whose effect failed (a revoke whose
 * sessions may stay live) is FAILED, for the effect's reason.
 */
export function withEffectFailure(r: GrantResult): GrantResult {
  const failure = effectFailureOf(r);
  return failure ? { ...r, status: 'FAILED', failureReason: failure } : r;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A grant's principal as the log and the summary show it: its kind (the directory's where it was
 * asked, else the type it is written with, unless nothing checked that type), then `name (id)`;
 * '' for provision's none. An Azure object ID's `principal-type` is a claim until ARM writes it: a
 * dry run showing `user <id>` for a group's ID would present the claim as a fact.
 */
export function shownPrincipal(r: GrantResult): string {
  const unchecked = r.resolved?.cloud === 'azure' && r.resolved.principalTypeUnchecked;
  return namedPrincipal(
    r.principal,
    r.principalName,
    r.principalKind ?? (unchecked ? undefined : principalKindOf(r.resolved?.principalType)),
  );
}

/** What happened to a grant, in words: `created`, `already assigned`, `would create` … */
export function describeOutcome(r: GrantResult, dryRun: boolean): string {
  const change = setChangeVerb(r) ?? r.change;
  // A refused plan's row still says what it would have done; its status says it was not done.
  if (r.refused) return r.change === 'none' ? 'unchanged' : `would ${change}`;
  if (r.status === 'FAILED') return 'failed';
  if (r.status === 'IN_PROGRESS') return 'in progress';
  if (dryRun && r.change !== 'none') return `would ${change}`;
  if (r.endsOnItsOwn) return `not removed: ${endsAt(r)}`;
  if (r.operation === 'provision') return r.changed ? 'provisioned' : 'already current';
  // A permission set created, updated or deleted: the set, not an assignment.
  if (r.change.startsWith('permission-set-'))
    return `permission set ${r.change.slice('permission-set-'.length)}d`;
  if (r.change === 'update') return r.changed ? 'updated' : 'already as the file says';
  if (r.operation === 'assign') return r.changed ? 'created' : 'already assigned';
  if (r.changed) return 'deleted';
  // A removal the post step left unread and in place, not shown to be its own (another party
  // created it too).
  return r.after === 'absent' ? 'already absent' : 'left in place';
}

/**
 * Whether the grant is a plan's row rather than something done: a dry run's that did not fail,
 * or any of a refused plan's. Its words say what would be done, never SUCCEEDED.
 */
export function planned(r: GrantResult, dryRun: boolean): boolean {
  return Boolean(r.refused) || (dryRun && r.status === 'SUCCEEDED');
}

/** The state a grant leaves: what the step did, or in a plan what a run would leave. */
export function stateAfter(r: GrantResult, dryRun: boolean): string {
  if (!planned(r, dryRun)) return r.after;
  return r.change === 'create' ? 'present' : r.change === 'delete' ? 'absent' : r.after;
}

/**
 * A removal the service refused for now (PIM removes nothing within 5 minutes of its start) until
 * the deadline: it stays, time-bound, and Azure ends it at its end time.
 */
export const endsAt = (r: Pick<GrantResult, 'expiresAt'>): string =>
  `Azure ends it at ${r.expiresAt ?? 'its end time'}`;

/**
 * The mark a log group starts with: done, failed, in progress, not removed (`!`: it stays until
 * Azure ends it), or a plan's `+` / `−` / `~` / `=`.
 */
function markOf(r: GrantResult, dryRun: boolean): string {
  if (r.refused || r.status === 'FAILED') return '✗';
  if (r.status === 'IN_PROGRESS') return '…';
  if (r.endsOnItsOwn && !dryRun) return '!';
  if (!dryRun) return '✓';
  const change = setChangeVerb(r) ?? r.change;
  return change === 'delete' ? '−' : change === 'none' ? '=' : change === 'update' ? '~' : '+';
}

/** A defined permission set's change (`permission-set-create`, …) by its verb; undefined for any other row. */
const setChangeVerb = (r: Pick<GrantResult, 'change'>): string | undefined =>
  r.change.startsWith('permission-set-') ? r.change.slice('permission-set-'.length) : undefined;

/**
 * What the log line and an error call a defined permission set's change, as the plan does: `create
 * permission set Deployer`. Undefined for any other row: its row names no principal or target.
 */
export function setChangeWords(r: GrantResult): string | undefined {
  const verb = setChangeVerb(r);
  return verb ? `${verb} permission set ${named(r.role, r.roleName)}` : undefined;
}

/**
 * The title of a grant's log group: `✓ assign user alice → 111111111111 / ReadOnlyAccess: SUCCEEDED
 * (created, 1.2 s)`, `✓ assign eligible …` for an Azure eligibility; in a dry run `+ … : would
 * create (dry run, 80 ms)`; in a refused plan `✗ … : FAILED (would create, not run: the plan was
 * refused, 80 ms)`; a removal PIM would not make yet `! revoke … : NOT REMOVED (…; Azure ends it
 * at <end>, 288.0 s)`, which the step does not fail for, but which is no success either.
 */
export function grantLogTitle(r: GrantResult, dryRun: boolean): string {
  // The kind's word, for a kind other than an active assignment (an Azure PIM eligibility).
  const kind = r.assignmentType && r.assignmentType !== 'active' ? `${r.assignmentType} ` : '';
  const who = r.principal ? `${shownPrincipal(r)} → ` : '';
  const outcome = describeOutcome(r, dryRun);
  const time = formatDuration(r.durationMs);
  const how = r.refused
    ? `FAILED (${outcome}, not run: the plan was refused, ${time})`
    : planned(r, dryRun)
      ? `${outcome} (dry run, ${time})`
      : r.endsOnItsOwn
        ? `NOT REMOVED (Azure PIM removes nothing within 5 minutes of its start; ${endsAt(r)}, ${time})`
        : `${r.status} (${outcome}, ${time})`;
  const grant =
    setChangeWords(r) ??
    `${r.operation} ${kind}${who}${named(r.target, r.targetName)} / ${named(r.role, r.roleName)}`;
  return `${markOf(r, dryRun)} ${grant}: ${how}${effectWordsOf(r)}`;
}

/** A grant's states in its log group: before and after the step, or now and after a run of the plan. */
export function grantStatesLine(r: GrantResult, dryRun: boolean): string {
  return planned(r, dryRun)
    ? `now: ${r.before}; after a run: ${stateAfter(r, dryRun)} (nothing was written)`
    : `before: ${r.before}; after: ${r.after}`;
}
