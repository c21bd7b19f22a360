// The writes of a plan of defined permission sets (./plan-sets.ts), each one write of the
// reconcile's plan, which the kind's declared order (core/kinds/aws-permission-set.ts) puts around
// the assignment writes: the creates before the assignment creates (which need them), the updates
// (content, then ProvisionPermissionSet to each account the plan names, so every account where
// it FAILED is named with the service's reason) before any assignment write, the deletes after
// the assignment deletes. One set failing does not stop the others; each change is one result.
import { describeError } from '../../core/errors.js';
import type { PermissionSetPlan } from '../../core/permission-sets/plan.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { KindWriter } from '../../engine/calls/write-plan.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoSession } from '../sso/session.js';
import { type SessionFence } from '../../core/permission-sets/session-fence.js';
import { withoutExpired } from '../../core/permission-sets/fenced-policy.js';
import { rewriteInlinePolicy } from './fence-policy.js';
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
  /** An update: the expired session fences its writes of the inline policy took out. */
  expiredFencesRemoved?: SessionFence[];
}

/** A provisioning in one account. */
export interface AccountOutcome {
  account: string;
  status: 'SUCCEEDED' | 'FAILED';
  reason?: string;
}

/**
 * The permission-set kind's writer (engine/calls/write-plan.ts KindWriter): each planned change
 * of a set as one write of the reconcile's plan, which the kind's declared order puts around the
 * assignment writes. A create answers the set's ARN to the writes that need it (its assignments);
 * a provisioning needs its set's update (the accounts would get a half-written set). `told`: each
 * change's result as it ends, for its `audit-log` record and the step's `results`.
 */
export function setWriter(
  session: SsoSession,
  bound: WaitBound & { deadline: Deadline },
  told: (result: SetChangeResult, plan: PermissionSetPlan) => GrantResult[],
  preview: (plan: PermissionSetPlan) => GrantResult[],
  dryRun: boolean,
): KindWriter<PermissionSetPlan> {
  return {
    async write(_, plan) {
      if (dryRun) return { status: 'SUCCEEDED', rows: preview(plan) };
      const started = Date.now();
      const ended = await writeSet(session, plan, bound).then(
        (done): Omit<SetChangeResult, 'durationMs'> => done,
        (error: unknown) => ({
          change: changeOf(plan),
          name: plan.name,
          arn: 'arn' in plan ? plan.arn : undefined,
          status: 'FAILED' as const,
          failureReason: describeError(error),
        }),
      );
      const result = { ...ended, durationMs: Date.now() - started };
      return {
        status: result.status,
        rows: told(result, plan),
        ...(result.status === 'SUCCEEDED' && result.arn ? { answer: result.arn } : {}),
      };
    },
    unsent(write, why) {
      const plan = write.item;
      const reason =
        'refused' in why
          ? describeError(why.refused)
          : `not started: the ${why.deadline.seconds}s deadline (\`${why.deadline.input}\`) passed before its turn; nothing was requested; ${why.deadline.advice}`;
      const result: SetChangeResult = {
        change: changeOf(plan),
        name: plan.name,
        arn: 'arn' in plan ? plan.arn : undefined,
        status: 'FAILED',
        failureReason: reason,
        durationMs: 0,
      };
      return { status: 'refused' in why ? 'FAILED' : 'IN_PROGRESS', rows: told(result, plan) };
    },
  };
}

const changeOf = (plan: PermissionSetPlan): SetChangeResult['change'] =>
  plan.change === 'provision' ? 'provision' : `permission-set-${plan.change}`;

/** One planned change written: a create with its tags, then its content; an update as the plan showed it; a provisioning to the plan's accounts. */
async function writeSet(
  session: SsoSession,
  plan: PermissionSetPlan,
  bound: WaitBound & { deadline: Deadline },
): Promise<Omit<SetChangeResult, 'durationMs'>> {
  const change = changeOf(plan);
  if (plan.change === 'create') {
    const arn = await createPermissionSet(session, plan.content);
    return { change, name: plan.name, arn, status: 'SUCCEEDED' };
  }
  if (plan.change === 'update') {
    const removed: SessionFence[] = [];
    await updatePermissionSet(session, plan.arn, plan.changes, plan.described, {
      keepFences: true,
      removedFences: removed,
    });
    // An update of the inline policy takes the expired fences out as it writes; else, on their own.
    if (plan.expiredFences && !plan.changes.some((c) => c.field === 'inline-policy'))
      removed.push(...(await removeExpiredFences(session, plan.arn)));
    return {
      change,
      name: plan.name,
      arn: plan.arn,
      status: 'SUCCEEDED',
      ...(removed.length > 0 ? { expiredFencesRemoved: removed } : {}),
    };
  }
  if (plan.change === 'delete') await deletePermissionSet(session, plan.arn);
  if (plan.change !== 'provision') return { change, name: plan.name, arn: plan.arn, status: 'SUCCEEDED' };
  const provisioned = await provisionToAccounts(session, plan, plan.accounts, bound);
  const failedAccounts = provisioned.detail?.failed ?? [];
  return {
    change,
    name: plan.name,
    arn: plan.arn,
    status: provisioned.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
    ...(provisioned.failureReason ? { failureReason: provisioned.failureReason } : {}),
    ...(failedAccounts.length > 0 ? { failedAccounts } : {}),
    accounts: byAccount(plan.accounts, provisioned),
  };
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

/**
 * The set's expired session fences taken out of its inline policy (read–modify–write, read back:
 * ./fence-policy.ts), live ones and every other statement kept; a failure is the update's.
 */
async function removeExpiredFences(session: SsoSession, arn: string): Promise<SessionFence[]> {
  const ended = await rewriteInlinePolicy<SessionFence[]>(session, arn, (read) => {
    const { policy, expired } = withoutExpired(read, Date.now());
    return expired.length > 0 ? { policy, outcome: expired } : { unchanged: [] };
  });
  if ('failed' in ended) throw new Error(`its expired session fences were not taken out: ${ended.failed}`);
  if ('refused' in ended) throw new Error(`its expired session fences were not taken out: ${ended.refused}`);
  return 'written' in ended ? ended.written : [];
}
