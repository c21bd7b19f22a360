// Re-provisioning permission sets to the accounts where they are out of date: after a permission
// set's policies change, IAM Identity Center marks every account it is provisioned to as
// LATEST_PERMISSION_SET_NOT_PROVISIONED until ProvisionPermissionSet runs for it.
import {
  DescribePermissionSetProvisioningStatusCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ProvisionPermissionSetCommand,
  type PermissionSetProvisioningStatus,
  type ProvisioningStatus,
} from '@aws-sdk/client-sso-admin';
import { describeError } from '../core/errors.js';
import type { AwsConfig, ProvisionRequest } from '../core/inputs/index.js';
import {
  ALL_PROVISIONED_ACCOUNTS,
  planProvision,
  summariseProvision,
  type ProvisionOutcome,
  type ProvisionPlanChoice,
} from '../core/provision-plan.js';
import type { GrantResult } from '../core/types.js';
import type { Deadline } from '../engine/deadline.js';
import { mapWithConcurrency, Semaphore } from '../engine/limits.js';
import { RequestFollower, type StatusPacing } from '../engine/follow.js';
import type { SsoSession } from './sso.js';

/** "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas). */
export const MAX_CONCURRENT_PROVISIONS = 3;

/**
 * Provisioning requests are read at the pace their completions show, starting from a few
 * seconds (a permission set is pushed to an account as an IAM role); at most three run at once,
 * so each is read on its own.
 */
const PROVISION_PACING: StatusPacing = { key: 'aws:provision', expectedMs: 3_000 };

interface PermissionSet {
  arn: string;
  name: string;
}

export class PermissionSetProvisioner {
  private readonly slots = new Semaphore(
    MAX_CONCURRENT_PROVISIONS,
    `one of the ${MAX_CONCURRENT_PROVISIONS} concurrent ProvisionPermissionSet requests to finish`,
  );

  /** Follows every provisioning request of the step, learning how long they take. */
  private readonly follower: RequestFollower;

  constructor(
    private readonly config: AwsConfig,
    private readonly asked: ProvisionRequest,
    private readonly session: SsoSession,
    private readonly deadline: Deadline,
  ) {
    this.follower = new RequestFollower({ deadline });
  }

  /** The permission sets `role` names: ARNs, names, or `*` for all of them. */
  async permissionSets(): Promise<PermissionSet[]> {
    const byName = await this.session.permissionSetsByName();
    const asked = this.asked.permissionSets;
    if (asked === '*') return [...byName].map(([name, arn]) => ({ arn, name }));
    const nameOf = new Map([...byName].map(([name, arn]) => [arn, name]));
    return Promise.all(
      asked.map(async (ref) => {
        const arn = await this.session.permissionSetArn(ref);
        return { arn, name: nameOf.get(arn) ?? (ref.kind === 'arn' ? ref.arn : ref.name) };
      }),
    );
  }

  /** The accounts the permission set is provisioned to, in `status` when given. */
  private accounts(permissionSetArn: string, status: ProvisioningStatus | undefined): Promise<string[]> {
    return this.session.paginate(
      'ListAccountsForProvisionedPermissionSet',
      (nextToken) =>
        new ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: this.session.instance,
          PermissionSetArn: permissionSetArn,
          ...(status ? { ProvisioningStatus: status } : {}),
          NextToken: nextToken,
        }),
      (page) => page.AccountIds,
    );
  }

  async provision(permissionSet: PermissionSet): Promise<GrantResult> {
    const started = Date.now();
    const allAsked = this.asked.accounts === ALL_PROVISIONED_ACCOUNTS;
    const targets = allAsked ? [] : (this.asked.accounts as string[]);
    const base = baseResult(permissionSet, allAsked ? ALL_PROVISIONED_ACCOUNTS : targets.join(','));
    try {
      const [outdatedAll, currentAll] = await Promise.all([
        this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
        this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_PROVISIONED'),
      ]);
      const scope = { allAsked, targets, onlyOutdated: this.config.onlyOutdated };
      const { choice, detail } = planProvision(scope, outdatedAll, currentAll);

      if (choice.mode === 'none' || this.config.dryRun) {
        return {
          ...base,
          status: 'SUCCEEDED',
          changed: false,
          change: choice.mode === 'none' ? 'none' : 'provision',
          durationMs: Date.now() - started,
          detail: this.config.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
        };
      }

      const outcomes = await this.requests(permissionSet.arn, choice);
      const summary = summariseProvision(
        outcomes,
        choice,
        await this.stillOutdated(permissionSet.arn, outcomes),
        this.deadline.seconds,
      );
      return {
        ...base,
        status: summary.status,
        changed: summary.changed,
        change: 'provision',
        durationMs: Date.now() - started,
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
        durationMs: Date.now() - started,
      };
    }
  }

  /** One ALL_PROVISIONED_ACCOUNTS request, or one per account, `max-concurrency` at a time. */
  private async requests(permissionSetArn: string, choice: ProvisionPlanChoice): Promise<ProvisionOutcome[]> {
    if (choice.mode === 'all-provisioned-accounts') return [await this.request(permissionSetArn, undefined)];
    return mapWithConcurrency(choice.accounts, this.config.maxConcurrency, (account) =>
      this.request(permissionSetArn, account),
    );
  }

  /** After an ALL_PROVISIONED_ACCOUNTS request ended: the accounts still outdated. */
  private async stillOutdated(
    permissionSetArn: string,
    outcomes: ProvisionOutcome[],
  ): Promise<Set<string> | undefined> {
    const whole = outcomes.find((o) => o.account === ALL_PROVISIONED_ACCOUNTS);
    if (!whole || whole.status === 'IN_PROGRESS') return undefined;
    return new Set(await this.accounts(permissionSetArn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'));
  }

  /** One ProvisionPermissionSet followed to a terminal status, holding one of the 3 concurrent slots. */
  private async request(permissionSetArn: string, account: string | undefined): Promise<ProvisionOutcome> {
    const label = account ?? ALL_PROVISIONED_ACCOUNTS;
    let release: () => void;
    try {
      release = await this.slots.acquire('ProvisionPermissionSet', { deadline: this.deadline });
    } catch (error) {
      return { account: label, status: 'IN_PROGRESS', failureReason: describeError(error) };
    }
    try {
      const { PermissionSetProvisioningStatus: first } = await this.session.send(
        'ProvisionPermissionSet',
        new ProvisionPermissionSetCommand({
          InstanceArn: this.session.instance,
          PermissionSetArn: permissionSetArn,
          TargetType: account ? 'AWS_ACCOUNT' : ALL_PROVISIONED_ACCOUNTS,
          ...(account ? { TargetId: account } : {}),
        }),
      );
      const requestId = first?.RequestId ?? '';
      if (first?.Status !== 'IN_PROGRESS' || !this.config.wait) return outcomeOf(label, requestId, first);
      return await this.follow(label, requestId);
    } catch (error) {
      return { account: label, status: 'FAILED', failureReason: describeError(error) };
    } finally {
      release();
    }
  }

  /** Reads the request's status until it ends or the deadline passes. */
  private async follow(label: string, requestId: string): Promise<ProvisionOutcome> {
    const snapshot = await this.follower.follow({
      requestId,
      pacing: PROVISION_PACING,
      poll: async () => {
        const { PermissionSetProvisioningStatus: status } = await this.session.send(
          'DescribePermissionSetProvisioningStatus',
          new DescribePermissionSetProvisioningStatusCommand({
            InstanceArn: this.session.instance,
            ProvisionPermissionSetRequestId: requestId,
          }),
        );
        const o = outcomeOf(label, requestId, status);
        return { status: o.status, ...(o.failureReason ? { failureReason: o.failureReason } : {}) };
      },
    });
    return {
      account: label,
      requestId,
      status: snapshot.status,
      ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
    };
  }
}

/** What every provision result for `permissionSet` starts with. */
function baseResult(permissionSet: PermissionSet, target: string) {
  return {
    cloud: 'aws' as const,
    operation: 'provision' as const,
    principal: '',
    target,
    role: permissionSet.name,
    before: 'unknown' as const,
    after: 'unknown' as const,
    resolved: { principalId: '', targetId: target, roleId: permissionSet.arn },
  };
}

/** A provisioning status read as an outcome for `account` (or ALL_PROVISIONED_ACCOUNTS). */
function outcomeOf(
  account: string,
  requestId: string,
  status: PermissionSetProvisioningStatus | undefined,
): ProvisionOutcome {
  return {
    account,
    requestId,
    status:
      status?.Status === 'SUCCEEDED' ? 'SUCCEEDED' : status?.Status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
    ...(status?.FailureReason ? { failureReason: status.FailureReason } : {}),
  };
}
