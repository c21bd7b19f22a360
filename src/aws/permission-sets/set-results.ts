// A permission set's changes as the step says them: the planned change its first `audit-log`
// record lists, each change as its record names it, and as rows of the step's `results` (a dry
// run's rows changing nothing; a provisioning's one row per account, each with its status and
// reason; a delete a revoke, as the reconcile's assignment rows say it).
import type { GrantResult } from '../../core/grant-result.js';
import type { PermissionSetPlan } from '../../core/permission-sets/plan.js';
import { fenceFields } from '../../core/permission-sets/session-fence-results.js';
import type { SetChangeResult } from './apply-sets.js';
import { removedFence } from './fence-record.js';
import type { PlannedSetChange, SetChange } from './set-change-record.js';

/** A planned change of a set as the step's first `audit-log` record lists it. */
export function plannedChange(plan: PermissionSetPlan): PlannedSetChange {
  if (plan.change === 'create') return { change: 'permission-set-create', name: plan.name };
  if (plan.change === 'provision')
    return { change: 'provision', name: plan.name, arn: plan.arn, accounts: plan.accounts };
  return { change: `permission-set-${plan.change}`, name: plan.name, arn: plan.arn };
}

/** One change of a set as its `audit-log` record names it: the set, and a provisioning's accounts. */
export function asChange(r: SetChangeResult, plans: readonly PermissionSetPlan[]): SetChange {
  const provisioned = plans.find((p) => p.name === r.name && p.change === 'provision');
  return {
    change: r.change,
    name: r.name,
    ...(r.arn ? { arn: r.arn } : {}),
    ...(r.change === 'provision' && provisioned?.change === 'provision'
      ? { accounts: provisioned.accounts }
      : {}),
    status: r.status,
    ...(r.failureReason ? { failureReason: r.failureReason } : {}),
    ...(r.failedAccounts ? { failedAccounts: r.failedAccounts } : {}),
  };
}

/** A planned change as a dry run's rows (a provisioning's one per account): nothing changed. */
export function previewResults(plan: PermissionSetPlan, plans: readonly PermissionSetPlan[]): GrantResult[] {
  const { change, name, arn } = plannedChange(plan);
  const accounts =
    plan.change === 'provision'
      ? plan.accounts.map((account) => ({ account, status: 'SUCCEEDED' as const }))
      : undefined;
  const rows = asResults(
    { change, name, arn, status: 'SUCCEEDED', durationMs: 0, ...(accounts ? { accounts } : {}) },
    plans,
  );
  return rows.map((row) => ({ ...row, changed: false, after: row.before }));
}

/**
 * One change of a set as rows of the step's `results`, its `change` saying which: one row, or a
 * provisioning's one per account, each with its status and reason.
 */
export function asResults(r: SetChangeResult, plans: readonly PermissionSetPlan[]): GrantResult[] {
  if (r.change !== 'provision' || !r.accounts) return [asResult(r, plans)];
  return r.accounts.map((a) => ({
    ...asResult(
      {
        change: r.change,
        name: r.name,
        arn: r.arn,
        status: a.status,
        ...(a.reason !== undefined ? { failureReason: a.reason } : {}),
        durationMs: r.durationMs,
      },
      plans,
    ),
    target: a.account,
  }));
}

/** One change of a set as a row of the step's `results`: its `change` says which. */
function asResult(r: SetChangeResult, plans: readonly PermissionSetPlan[]): GrantResult {
  const accounts = plans.find((p) => p.name === r.name && p.change === 'provision');
  const failedAccounts = r.failedAccounts?.map((f) => `${f.account}: ${f.reason}`).join('; ');
  const failureReason = [r.failureReason, failedAccounts && `failed in ${failedAccounts}`]
    .filter(Boolean)
    .join('; ');
  const exists = r.change !== 'permission-set-delete';
  return {
    cloud: 'aws',
    // As the reconcile's assignment rows: a delete is a revoke.
    operation: r.change === 'provision' ? 'provision' : exists ? 'assign' : 'revoke',
    principal: '',
    target: accounts?.change === 'provision' ? accounts.accounts.join(',') : '',
    role: r.name,
    status: r.status,
    ...(failureReason ? { failureReason } : {}),
    changed: r.status === 'SUCCEEDED',
    before: r.change === 'permission-set-create' ? 'absent' : 'present',
    after: r.status === 'SUCCEEDED' ? (exists ? 'present' : 'absent') : 'unknown',
    change: r.change,
    durationMs: r.durationMs,
    ...(r.expiredFencesRemoved
      ? fenceFields({ expiredFencesRemoved: r.expiredFencesRemoved.map(removedFence) })
      : {}),
  };
}
