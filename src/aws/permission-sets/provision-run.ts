// `operation: provision`: re-provisions permission sets through one driver (./provision-driver.ts):
// each permission set read where it is outdated and its requests planned (core/plan/provision-plan.ts),
// then every set's requests are one plan of writes, run by the engine's one write path
// (engine/run/run-writes.ts) with the requests' writer (./provision-writer.ts), which sends each,
// follows it to a terminal status and records it (./provision-record.ts); a set's outcomes are
// summed up in its one result as soon as its last request ends. One permission set failing does
// not stop the others.
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
import type { Deadline } from '../../engine/limits/deadline.js';
import type { CallStats } from '../../engine/calls/driver.js';
import type { KindWriter, PlannedWriteOf } from '../../engine/calls/write-plan.js';
import { runWrites } from '../../engine/run/run-writes.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { PermissionSetTarget, ProvisionDriver } from './provision-driver.js';
import { provisionWriter, type ProvisionRequestWrite } from './provision-writer.js';

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
  const now = options.now ?? Date.now;
  try {
    // Each set read and planned, `max-concurrency` at a time; one whose plan sends nothing ends here.
    const sets = await mapWithConcurrency(permissionSets, options.maxConcurrency, async (permissionSet) => {
      const planned = await planSet(permissionSet, driver, options, now);
      if ('result' in planned) options.onResult?.(planned.result);
      return planned;
    });
    const summed: Promise<GrantResult>[] = [];
    const results = sets.map((set) => ('result' in set ? set.result : undefined));
    const writes = sets.flatMap((set, s) =>
      'result' in set
        ? []
        : requestsOf(set, (outcomes) => {
            // The set's last request has ended: its result, as soon as the set ends.
            const summing = setResult(set, outcomes, driver, options, now).then((result) => {
              results[s] = result;
              options.onResult?.(result);
              return result;
            });
            summed.push(summing);
          }),
    );
    if (writes.length > 0) await runRequests(writes, permissionSets, driver, options);
    await Promise.all(summed);
    return results.map((result) => result!);
  } finally {
    await options.audit?.settled();
  }
}

/** A set's requests, as writes of the plan: one to every provisioned account, or one per account; `ended` with their outcomes once all have ended. */
function requestsOf(
  set: SetSending,
  ended: (outcomes: ProvisionOutcome[]) => void,
): PlannedWriteOf<ProvisionRequestWrite>[] {
  const accounts = set.choice.mode === 'all-provisioned-accounts' ? [undefined] : set.choice.accounts;
  const outcomes: ProvisionOutcome[] = [];
  let left = accounts.length;
  return accounts.map((account, i) => ({
    kind: 'aws-permission-set',
    change: 'provision',
    item: {
      permissionSetArn: set.permissionSet.arn,
      account,
      told(outcome) {
        outcomes[i] = outcome;
        if (--left === 0) ended(outcomes);
      },
    },
  }));
}

/**
 * Every set's requests, through the engine's one write path: at most `max-concurrency` in flight
 * (and the driver's quota slots below that), none started once the deadline has passed.
 */
async function runRequests(
  writes: PlannedWriteOf<ProvisionRequestWrite>[],
  permissionSets: PermissionSetTarget[],
  driver: ProvisionDriver,
  options: ProvisionOptions,
): Promise<void> {
  const { accounts } = options;
  const target = accounts === ALL_PROVISIONED_ACCOUNTS ? ALL_PROVISIONED_ACCOUNTS : accounts.join(',');
  const writer = provisionWriter(driver, {
    wait: options.wait,
    deadline: options.deadline,
    audit: options.dryRun ? undefined : options.audit,
    // The step's first record: every permission set, over the accounts as asked (not as read).
    planned: () =>
      permissionSets.map((permissionSet) => ({ principal: '', target, role: permissionSet.arn })),
    progress: options.progress,
    requests: writes.length,
  });
  await writer.firstRecord();
  await runWrites(
    { writes },
    {
      maxConcurrency: options.maxConcurrency,
      bound: { deadline: options.deadline },
      writerOf: () => writer as KindWriter,
    },
  ).finally(() => writer.close());
}

/** A set whose plan sends requests: its result once they have ended. */
interface SetSending {
  permissionSet: PermissionSetTarget;
  started: number;
  choice: ProvisionPlanChoice;
  detail: ReturnType<typeof planProvision>['detail'];
}

/** One permission set read and planned: the requests it needs, or its result when it needs none (a dry run, or a read that failed). */
async function planSet(
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
async function setResult(
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
