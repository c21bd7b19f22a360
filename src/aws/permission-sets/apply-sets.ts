// A plan of defined permission sets (./plan-sets.ts) written in its phases, which a reconcile runs
// around its assignment writes: the creates first (an assignment create needs its set), then the
// updates (content, then ProvisionPermissionSet to each account the plan names, so every account
// where it FAILED is named with the service's reason), before the assignment creates so a new
// holder never receives content the manifest has already changed, and, after the assignment
// deletes, the set deletes. One set failing does not stop the others; each change is
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
  /** A provisioning: what it came to in each of its accounts, the reason for each that failed. */
  accounts?: AccountOutcome[];
  /** How long the change's calls took, a provisioning's waits included. */
  durationMs: number;
}

/** A provisioning in one account. */
export interface AccountOutcome {
  account: string;
  status: 'SUCCEEDED' | 'FAILED';
  reason?: string;
}

type Written = 'create' | 'update' | 'delete';

/**
 * Each plan of the change `written`, written by `write` (which gives the set's ARN): one result
 * each, and a set that fails does not stop the next.
 */
async function writeEach<C extends Written>(
  plans: readonly PermissionSetPlan[],
  written: C,
  write: (plan: Extract<PermissionSetPlan, { change: C }>) => Promise<string>,
): Promise<SetChangeResult[]> {
  const change = `permission-set-${written}` as const;
  const results: SetChangeResult[] = [];
  for (const plan of plans) {
    if (plan.change !== written) continue;
    const started = Date.now();
    // Of the change `written`, as just checked: TypeScript does not narrow a union by a generic.
    const outcome = await write(plan as Extract<PermissionSetPlan, { change: C }>).then(
      (arn) => ({ arn, status: 'SUCCEEDED' as const }),
      (error: unknown) => ({
        arn: 'arn' in plan ? plan.arn : undefined,
        status: 'FAILED' as const,
        failureReason: describeError(error),
      }),
    );
    results.push({ change, name: plan.name, ...outcome, durationMs: Date.now() - started });
  }
  return results;
}

/** The creates: each set made with its tags in the create, then its content. */
export async function createSets(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
): Promise<SetChangeResult[]> {
  return writeEach(plans, 'create', (plan) => createPermissionSet(session, plan.content));
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
  const results = await writeEach(plans, 'update', async (plan) => {
    await updatePermissionSet(session, plan.arn, plan.changes, plan.described);
    return plan.arn;
  });
  const updateFailed = new Set(results.filter((r) => r.status === 'FAILED').map((r) => r.arn));
  for (const plan of plans) {
    if (plan.change !== 'provision' || updateFailed.has(plan.arn)) continue;
    const started = Date.now();
    const provisioned = await provisionToAccounts(session, plan, plan.accounts, bound);
    const failedAccounts = provisioned.detail?.failed ?? [];
    results.push({
      change: 'provision',
      name: plan.name,
      arn: plan.arn,
      status: provisioned.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      ...(provisioned.failureReason ? { failureReason: provisioned.failureReason } : {}),
      ...(failedAccounts.length > 0 ? { failedAccounts } : {}),
      accounts: byAccount(plan.accounts, provisioned),
      durationMs: Date.now() - started,
    });
  }
  return results;
}

/**
 * Each account of a provisioning: FAILED with the service's reason where it failed, or with the
 * provisioning's where it did not end or never started (the whole provisioning failed); SUCCEEDED
 * where it was provisioned.
 */
function byAccount(
  accounts: readonly string[],
  provisioned: Awaited<ReturnType<typeof provisionToAccounts>>,
): AccountOutcome[] {
  const failed = new Map((provisioned.detail?.failed ?? []).map((f) => [f.account, f.reason]));
  const done = new Set(provisioned.detail?.reprovisioned ?? []);
  const unended = new Set(provisioned.detail?.inProgress ?? []);
  const why = provisioned.failureReason ?? `provisioning ended ${provisioned.status}`;
  return accounts.map((account): AccountOutcome => {
    const reason = failed.get(account);
    if (reason !== undefined) return { account, status: 'FAILED', reason };
    if (done.has(account) || (!unended.has(account) && provisioned.status === 'SUCCEEDED'))
      return { account, status: 'SUCCEEDED' };
    return { account, status: 'FAILED', reason: why };
  });
}

/** The deletes, last: the caller refused the plan if any would leave an assignment. */
export async function deleteSets(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
): Promise<SetChangeResult[]> {
  return writeEach(plans, 'delete', async (plan) => {
    await deletePermissionSet(session, plan.arn);
    return plan.arn;
  });
}
