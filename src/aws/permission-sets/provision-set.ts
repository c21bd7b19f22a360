// One permission set of `operation: provision` (./provision-run.ts runs them all): read where it is
// outdated and its requests planned (core/plan/provision-plan.ts), and once its requests have ended
// what they add up to, in the set's one result (a dry run's, a failed read's, or its requests').
// What the step was asked (ProvisionOptions) is said here, where each set's result is built from it.
import { describeError } from '../../core/errors.js';
import type { ProvisionRequest } from '../../core/inputs/index.js';
import { ALL_PROVISIONED_ACCOUNTS } from '../../core/inputs/org-targets.js';
import {
  planProvision,
  summariseProvision,
  type ProvisionOutcome,
  type ProvisionPlanChoice,
} from '../../core/plan/provision-plan.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { PermissionSetTarget, ProvisionDriver } from './provision-driver.js';

export interface ProvisionOptions {
  /** The accounts asked: listed, or every account each permission set is provisioned to. */
  accounts: ProvisionRequest['accounts'];
  /** Only the accounts where the permission set is outdated (`only-outdated`), or every one asked. */
  onlyOutdated: boolean;
  dryRun: boolean;
  wait: boolean;
  /** At most this many permission sets read at once, and this many requests in flight (the driver's quota slots below that). */
  maxConcurrency: number;
  deadline: Deadline;
  /** Called with each result as soon as its permission set ends (for per-permission-set log groups). */
  onResult?: (result: GrantResult) => void;
  /** Says where the provisioning requests stand while they wait (engine/calls/progress.ts). */
  progress?: BatchProgress;
  /** `audit-log`: no request is sent before the step's first record, and each one sent is recorded. */
  audit?: AuditTrail;
  now?: () => number;
}

/** A set whose plan sends requests: its result once they have ended. */
export interface SetSending {
  permissionSet: PermissionSetTarget;
  started: number;
  choice: ProvisionPlanChoice;
  detail: ReturnType<typeof planProvision>['detail'];
}

/** One permission set read and planned: the requests it needs, or its result when it needs none (a dry run, or a read that failed). */
export async function planSet(
  permissionSet: PermissionSetTarget,
  driver: ProvisionDriver,
  options: ProvisionOptions,
  now: () => number,
): Promise<SetSending | { result: GrantResult }> {
  const started = now();
  const allAsked = options.accounts === ALL_PROVISIONED_ACCOUNTS;
  const targets = allAsked ? [] : (options.accounts as string[]);
  try {
    const [outdatedAll, currentAll] = await Promise.all([
      driver.accountsProvisioned(permissionSet.arn, 'outdated'),
      driver.accountsProvisioned(permissionSet.arn, 'current'),
    ]);
    const scope = { allAsked, targets, onlyOutdated: options.onlyOutdated };
    const { choice, detail } = planProvision(scope, outdatedAll, currentAll);
    if (choice.mode !== 'none' && !options.dryRun) return { permissionSet, started, choice, detail };
    return {
      result: {
        ...baseResult(permissionSet, options),
        status: 'SUCCEEDED',
        changed: false,
        change: choice.mode === 'none' ? 'none' : 'provision',
        durationMs: now() - started,
        detail: options.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
      },
    };
  } catch (error) {
    return { result: failedResult(permissionSet, options, error, now() - started) };
  }
}

/** A set's requests ended: what they add up to, after an ALL_PROVISIONED_ACCOUNTS request with the accounts still outdated read. */
export async function setResult(
  set: SetSending,
  outcomes: ProvisionOutcome[],
  driver: ProvisionDriver,
  options: ProvisionOptions,
  now: () => number,
): Promise<GrantResult> {
  const { permissionSet, choice, detail, started } = set;
  try {
    const summary = summariseProvision(
      outcomes,
      choice,
      await stillOutdated(permissionSet.arn, outcomes, driver),
      options.deadline.seconds,
    );
    return {
      ...baseResult(permissionSet, options),
      status: summary.status,
      changed: summary.changed,
      change: 'provision',
      durationMs: now() - started,
      ...(summary.requestId ? { requestId: summary.requestId } : {}),
      ...(summary.failureReason && summary.status !== 'SUCCEEDED'
        ? { failureReason: summary.failureReason }
        : {}),
      detail: {
        ...detail,
        reprovisioned: summary.reprovisioned,
        failed: summary.failed,
        ...(summary.inProgress.length ? { inProgress: summary.inProgress.map((o) => o.account) } : {}),
        requestIds: outcomes.flatMap((o) => (o.requestId ? [o.requestId] : [])),
      },
    };
  } catch (error) {
    return failedResult(permissionSet, options, error, now() - started);
  }
}

/** After an ALL_PROVISIONED_ACCOUNTS request ended: the accounts still outdated. */
async function stillOutdated(
  permissionSetArn: string,
  outcomes: ProvisionOutcome[],
  driver: ProvisionDriver,
): Promise<Set<string> | undefined> {
  const whole = outcomes.find((o) => o.account === ALL_PROVISIONED_ACCOUNTS);
  if (!whole || whole.status === 'IN_PROGRESS') return undefined;
  return new Set(await driver.accountsProvisioned(permissionSetArn, 'outdated'));
}

function failedResult(
  permissionSet: PermissionSetTarget,
  options: ProvisionOptions,
  error: unknown,
  durationMs: number,
): GrantResult {
  return {
    ...baseResult(permissionSet, options),
    status: 'FAILED',
    changed: false,
    change: 'provision',
    failureReason: describeError(error),
    durationMs,
  };
}

/** What every provision result for `permissionSet` starts with. */
function baseResult(permissionSet: PermissionSetTarget, { accounts }: ProvisionOptions) {
  const target = accounts === ALL_PROVISIONED_ACCOUNTS ? ALL_PROVISIONED_ACCOUNTS : accounts.join(',');
  return {
    cloud: 'aws' as const,
    operation: 'provision' as const,
    principal: '',
    target,
    role: permissionSet.name,
    before: 'unknown' as const,
    after: 'unknown' as const,
    resolved: { cloud: 'aws' as const, principalId: '', accountId: target, roleId: permissionSet.arn },
  };
}
