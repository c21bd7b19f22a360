// `operation: provision`: re-provisions permission sets through one driver (./provision-driver.ts),
// as the engine runs grants (engine/run/run-grants.ts): for each permission set, read where it is
// outdated, plan the requests (core/plan/provision-plan.ts), send them, follow each to a terminal
// status with the engine's follower, and sum their outcomes up in one result. One permission set
// failing does not stop the others. Each request sent has its record (./provision-record.ts).
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
import type { PermissionSetRef } from '../../core/types.js';
import { NotSentError, type Deadline } from '../../engine/limits/deadline.js';
import type { CallStats } from '../../engine/calls/driver.js';
import { RequestFollower } from '../../engine/run/follow.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { mayHaveBeenApplied } from '../../engine/calls/call-failures.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { PermissionSetTarget, ProvisionDriver, ProvisionRequestSent } from './provision-driver.js';
import { provisionRecord, type ProvisionChange } from './provision-record.js';

export interface ProvisionOptions {
  /** The accounts asked: listed, or every account each permission set is provisioned to. */
  accounts: ProvisionRequest['accounts'];
  /** Only the accounts where the permission set is outdated (`only-outdated`), or every one asked. */
  onlyOutdated: boolean;
  dryRun: boolean;
  wait: boolean;
  /** At most this many permission sets at once, and this many requests at once for each. */
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

/** What every permission set of one run shares. */
interface Run {
  driver: ProvisionDriver;
  options: ProvisionOptions;
  /** Follows every provisioning request of the run, learning how long they take. */
  follower: RequestFollower;
  now: () => number;
  /** The step's first record: every permission set, over the accounts as asked (before any read). */
  planned: () => { principal: string; target: string; role: string }[];
}

/**
 * `operation: provision` as its step is handed it (steps/operation-sessions.ts): the permission
 * sets it asks for, and their re-provisioning, through one driver.
 */
export interface PermissionSetProvisioning {
  /** Authenticates and finds the instance; fails the step at once when it cannot. */
  prepare(): Promise<void>;
  /** The permission sets asked for by ARN or name, or every one of the instance (`*`). */
  permissionSets(asked: PermissionSetRef[] | '*'): Promise<PermissionSetTarget[]>;
  /** Re-provisions each permission set as `options` ask, one result each. */
  provision(permissionSets: PermissionSetTarget[], options: ProvisionOptions): Promise<GrantResult[]>;
  /** Calls made, by operation, and throttled responses seen (for logs and benchmarks). */
  readonly stats: CallStats;
}

/** The provisioning of permission sets through `driver`. */
export function provisioningThrough(driver: ProvisionDriver): PermissionSetProvisioning {
  return {
    prepare: () => driver.prepare(),
    permissionSets: (asked) => driver.permissionSets(asked),
    provision: (permissionSets, options) => provisionPermissionSets(permissionSets, driver, options),
    get stats() {
      return driver.stats;
    },
  };
}

export async function provisionPermissionSets(
  permissionSets: PermissionSetTarget[],
  driver: ProvisionDriver,
  options: ProvisionOptions,
): Promise<GrantResult[]> {
  const run: Run = {
    driver,
    options,
    follower: new RequestFollower({ deadline: options.deadline }),
    now: options.now ?? Date.now,
    planned: () => {
      const accounts = options.accounts;
      const target = accounts === ALL_PROVISIONED_ACCOUNTS ? ALL_PROVISIONED_ACCOUNTS : accounts.join(',');
      return permissionSets.map((permissionSet) => ({ principal: '', target, role: permissionSet.arn }));
    },
  };
  return mapWithConcurrency(permissionSets, options.maxConcurrency, async (permissionSet) => {
    const result = await provisionPermissionSet(permissionSet, run);
    options.onResult?.(result);
    return result;
  }).finally(() => options.audit?.settled());
}

/** One permission set: its plan, its requests followed, and what they add up to. */
async function provisionPermissionSet(permissionSet: PermissionSetTarget, run: Run): Promise<GrantResult> {
  const { driver, options, now } = run;
  const started = now();
  const allAsked = options.accounts === ALL_PROVISIONED_ACCOUNTS;
  const targets = allAsked ? [] : (options.accounts as string[]);
  const base = baseResult(permissionSet, allAsked ? ALL_PROVISIONED_ACCOUNTS : targets.join(','));
  try {
    const [outdatedAll, currentAll] = await Promise.all([
      driver.accountsProvisioned(permissionSet.arn, 'outdated'),
      driver.accountsProvisioned(permissionSet.arn, 'current'),
    ]);
    const scope = { allAsked, targets, onlyOutdated: options.onlyOutdated };
    const { choice, detail } = planProvision(scope, outdatedAll, currentAll);

    if (choice.mode === 'none' || options.dryRun) {
      return {
        ...base,
        status: 'SUCCEEDED',
        changed: false,
        change: choice.mode === 'none' ? 'none' : 'provision',
        durationMs: now() - started,
        detail: options.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
      };
    }

    const outcomes = await sendRequests(permissionSet.arn, choice, run);
    const summary = summariseProvision(
      outcomes,
      choice,
      await stillOutdated(permissionSet.arn, outcomes, driver),
      options.deadline.seconds,
    );
    return {
      ...base,
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
    return {
      ...base,
      status: 'FAILED',
      changed: false,
      change: 'provision',
      failureReason: describeError(error),
      durationMs: now() - started,
    };
  }
}

/** One ALL_PROVISIONED_ACCOUNTS request, or one per account, `max-concurrency` at a time. */
async function sendRequests(
  permissionSetArn: string,
  choice: ProvisionPlanChoice,
  run: Run,
): Promise<ProvisionOutcome[]> {
  const progress = run.options.progress?.batch(
    choice.mode === 'all-provisioned-accounts' ? 1 : choice.accounts.length,
  );
  const send = (account: string | undefined) => {
    const ended = progress?.begin();
    return sendRequest(permissionSetArn, account, run).finally(() => ended?.());
  };
  if (choice.mode === 'all-provisioned-accounts') return [await send(undefined)];
  return mapWithConcurrency(choice.accounts, run.options.maxConcurrency, send).finally(() =>
    progress?.close(),
  );
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

/**
 * One ProvisionPermissionSet, followed to a terminal status unless `wait` is off or the deadline
 * comes first; it holds its quota slot until then. Never rejects: what went wrong is its outcome.
 */
async function sendRequest(
  permissionSetArn: string,
  account: string | undefined,
  { driver, options, follower, planned }: Run,
): Promise<ProvisionOutcome> {
  const label = account ?? ALL_PROVISIONED_ACCOUNTS;
  let sent: ProvisionRequestSent;
  const audit = options.dryRun ? undefined : options.audit;
  try {
    await audit?.beforeFirstWrite('provision', planned);
    sent = await driver.sendProvision(permissionSetArn, account);
  } catch (error) {
    // Never sent (no slot, or no turn, before the deadline): it changed nothing, and is not a failure.
    const status = error instanceof NotSentError ? 'IN_PROGRESS' : 'FAILED';
    const failed = { account: label, status, failureReason: describeError(error) } as const;
    // Sent, and its answer lost: it may have been applied, so it has its record.
    if (mayHaveBeenApplied(error))
      recordProvision(audit, {
        permissionSetArn,
        ...failed,
        failureReason: `${failed.failureReason}: sent without an answer, it may have been applied`,
      });
    return failed;
  }
  const { requestId } = sent;
  try {
    const snapshot =
      sent.answered.status !== 'IN_PROGRESS' || !options.wait
        ? sent.answered
        : await follower.follow({
            requestId,
            pacing: driver.provisionPacing,
            poll: () => driver.readProvisionStatus(requestId),
          });
    const outcome = outcomeOf(label, requestId, snapshot);
    recordProvision(audit, { permissionSetArn, ...outcome, ...(requestId ? { requestId } : {}) });
    return outcome;
  } catch (error) {
    const failed = { account: label, status: 'FAILED' as const, failureReason: describeError(error) };
    recordProvision(audit, { permissionSetArn, ...failed, ...(requestId ? { requestId } : {}) });
    return failed;
  } finally {
    sent.release();
  }
}

/** Records a ProvisionPermissionSet request that was sent, when the step keeps an audit log. */
function recordProvision(audit: AuditTrail | undefined, change: ProvisionChange): void {
  audit?.recordNamedChange(
    `provision of ${change.permissionSetArn} to ${change.account}`,
    provisionRecord(change),
  );
}

function outcomeOf(account: string, requestId: string, snapshot: StatusSnapshot): ProvisionOutcome {
  return {
    account,
    requestId,
    status: snapshot.status,
    ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
  };
}

/** What every provision result for `permissionSet` starts with. */
function baseResult(permissionSet: PermissionSetTarget, target: string) {
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
