// A plan of defined permission sets (./plan-sets.ts) written in its phases, which a reconcile runs
// around its assignment writes: the creates first (an assignment create needs its set), then, after
// the assignment creates, the updates (content, then ProvisionPermissionSet to each account the
// plan names, so every account where it FAILED is named with the service's reason), and, after the
// assignment deletes, the set deletes. One set failing does not stop the others; each change is
// one result.
import { describeError } from '../../core/errors.js';
import type { PermissionSetPlan } from '../../core/permission-sets/plan.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoSession } from '../sso/session.js';
import {
  createPermissionSet,
  deletePermissionSet,
  provisionToAccounts,
  updatePermissionSet,
} from './write-content.js';

/** What one change of a set came to, as the step's `results` carry it. */
export interface SetChangeResult {
  change: 'permission-set-create' | 'permission-set-update' | 'permission-set-delete' | 'provision';
  name: string;
  arn: string | undefined;
  status: 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
  /** A provisioning's accounts that FAILED, each with the service's reason. */
  failedAccounts?: { account: string; reason: string }[];
}

const failed = (
  change: SetChangeResult['change'],
  name: string,
  arn: string | undefined,
  error: unknown,
): SetChangeResult => ({ change, name, arn, status: 'FAILED', failureReason: describeError(error) });

/** The creates: each set made with its tags in the create, then its content. */
export async function createSets(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
): Promise<SetChangeResult[]> {
  const results: SetChangeResult[] = [];
  for (const plan of plans) {
    if (plan.change !== 'create') continue;
    try {
      const arn = await createPermissionSet(session, plan.content);
      results.push({ change: 'permission-set-create', name: plan.name, arn, status: 'SUCCEEDED' });
    } catch (error) {
      results.push(failed('permission-set-create', plan.name, undefined, error));
    }
  }
  return results;
}

/**
 * The updates and provisionings: each updated set's changes written as the plan showed them, then
 * the set provisioned to the plan's accounts (not after an update that failed: the accounts would
 * get a half-written set).
 */
export async function updateSets(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
  bound: WaitBound & { deadline: Deadline },
): Promise<SetChangeResult[]> {
  const results: SetChangeResult[] = [];
  const updateFailed = new Set<string>();
  for (const plan of plans) {
    if (plan.change !== 'update') continue;
    try {
      await updatePermissionSet(session, plan.arn, plan.changes);
      results.push({ change: 'permission-set-update', name: plan.name, arn: plan.arn, status: 'SUCCEEDED' });
    } catch (error) {
      updateFailed.add(plan.arn);
      results.push(failed('permission-set-update', plan.name, plan.arn, error));
    }
  }
  for (const plan of plans) {
    if (plan.change !== 'provision' || updateFailed.has(plan.arn)) continue;
    const provisioned = await provisionToAccounts(session, plan, plan.accounts, bound);
    const failedAccounts = provisioned.detail?.failed ?? [];
    results.push({
      change: 'provision',
      name: plan.name,
      arn: plan.arn,
      status: provisioned.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      ...(provisioned.failureReason ? { failureReason: provisioned.failureReason } : {}),
      ...(failedAccounts.length > 0 ? { failedAccounts } : {}),
    });
  }
  return results;
}

/** The deletes, last: the caller refused the plan if any would leave an assignment. */
export async function deleteSets(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
): Promise<SetChangeResult[]> {
  const results: SetChangeResult[] = [];
  for (const plan of plans) {
    if (plan.change !== 'delete') continue;
    try {
      await deletePermissionSet(session, plan.arn);
      results.push({ change: 'permission-set-delete', name: plan.name, arn: plan.arn, status: 'SUCCEEDED' });
    } catch (error) {
      results.push(failed('permission-set-delete', plan.name, plan.arn, error));
    }
  }
  return results;
}
