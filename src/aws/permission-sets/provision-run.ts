// `operation: provision`: re-provisions permission sets through one driver (./provision-driver.ts):
// each permission set read where it is outdated and its requests planned (core/plan/provision-plan.ts),
// then every set's requests are one plan of writes, run by the engine's one write path
// (engine/run/run-writes.ts) with the requests' writer (./provision-writer.ts), which sends each,
// follows it to a terminal status and records it (./provision-record.ts); a set's outcomes are
// summed up in its one result as soon as its last request ends. One permission set failing does
// not stop the others.
import { ALL_PROVISIONED_ACCOUNTS } from '../../core/inputs/org-targets.js';
import type { ProvisionOutcome } from '../../core/plan/provision-plan.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { PermissionSetRef } from '../../core/types.js';
import type { CallStats } from '../../engine/calls/driver.js';
import type { KindWriter, PlannedWriteOf } from '../../engine/calls/write-plan.js';
import { runWrites } from '../../engine/run/run-writes.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import type { PermissionSetTarget, ProvisionDriver } from './provision-driver.js';
import { provisionWriter, type ProvisionRequestWrite } from './provision-writer.js';
import { type ProvisionOptions, type SetSending, planSet, setResult } from './provision-set.js';

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
