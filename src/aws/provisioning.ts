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
import { CloudAccessError, describeError } from '../core/errors.js';
import type { AwsConfig, ProvisionRequest } from '../core/inputs/index.js';
import type { GrantResult, ProvisionDetail } from '../core/types.js';
import type { Deadline } from '../engine/deadline.js';
import { mapWithConcurrency, Semaphore } from '../engine/limits.js';
import { waitForTerminalStatus } from '../engine/poll.js';
import type { AwsAssignmentDriver } from './assignments.js';

/** "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas). */
export const MAX_CONCURRENT_PROVISIONS = 3;
/** "ALL_PROVISIONED_ACCOUNTS … reaches at most 3,500 accounts" (User Guide, quotas). */
const ALL_ACCOUNTS_LIMIT = 3500;

export interface ProvisionPlanChoice {
  mode: 'per-account' | 'all-provisioned-accounts' | 'none';
  accounts: string[];
}

/**
 * The cheaper request plan. One ALL_PROVISIONED_ACCOUNTS request re-provisions every account the
 * permission set is provisioned to, current ones included; per-account requests touch only the
 * outdated ones but cost a call (and a slot of the 3 concurrent) each. One request wins when more
 * than half of the provisioned accounts are outdated and the user asked for all of them.
 */
export function chooseProvisionPlan(
  outdated: string[],
  provisionedCount: number,
  allAccountsAsked: boolean,
): ProvisionPlanChoice {
  if (outdated.length === 0) return { mode: 'none', accounts: [] };
  if (
    allAccountsAsked &&
    outdated.length > 1 &&
    outdated.length * 2 > provisionedCount &&
    provisionedCount <= ALL_ACCOUNTS_LIMIT
  ) {
    return { mode: 'all-provisioned-accounts', accounts: outdated };
  }
  return { mode: 'per-account', accounts: outdated };
}

interface ProvisionOutcome {
  account: string | 'ALL_PROVISIONED_ACCOUNTS';
  requestId?: string;
  status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  failureReason?: string;
}

export class PermissionSetProvisioner {
  private readonly slots = new Semaphore(
    MAX_CONCURRENT_PROVISIONS,
    `one of the ${MAX_CONCURRENT_PROVISIONS} concurrent ProvisionPermissionSet requests to finish`,
  );

  constructor(
    private readonly plan: AwsConfig,
    private readonly driver: AwsAssignmentDriver,
    private readonly deadline: Deadline,
  ) {}

  private get asked(): ProvisionRequest {
    if (!this.plan.provision) throw new Error('the step is not `operation: provision`');
    return this.plan.provision;
  }

  /** The permission sets `role` names: ARNs, names, or `*` for all of them. */
  async permissionSets(): Promise<{ arn: string; name: string }[]> {
    const byName = await this.driver.permissionSetsByName();
    const asked = this.asked.permissionSets;
    if (asked === '*') return [...byName].map(([name, arn]) => ({ arn, name }));
    const nameOf = new Map([...byName].map(([name, arn]) => [arn, name]));
    return Promise.all(
      asked.map(async (ref) => {
        const arn = await this.driver.permissionSetArn(ref);
        return { arn, name: nameOf.get(arn) ?? (ref.kind === 'arn' ? ref.arn : ref.name) };
      }),
    );
  }

  private async accounts(
    permissionSetArn: string,
    status: ProvisioningStatus | undefined,
  ): Promise<string[]> {
    const accounts: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.driver.call('ListAccountsForProvisionedPermissionSet', (signal) =>
        this.driver.clients.ssoAdmin.send(
          new ListAccountsForProvisionedPermissionSetCommand({
            InstanceArn: this.driver.instance,
            PermissionSetArn: permissionSetArn,
            ...(status ? { ProvisioningStatus: status } : {}),
            NextToken: nextToken,
          }),
          { abortSignal: signal },
        ),
      );
      accounts.push(...(page.AccountIds ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return accounts;
  }

  async provision(permissionSet: { arn: string; name: string }): Promise<GrantResult> {
    const started = Date.now();
    const allAsked = this.asked.accounts === 'ALL_PROVISIONED_ACCOUNTS';
    const targets = allAsked ? [] : (this.asked.accounts as string[]);
    const base = {
      cloud: 'aws' as const,
      operation: 'provision' as const,
      principal: '',
      target: allAsked ? 'ALL_PROVISIONED_ACCOUNTS' : targets.join(','),
      role: permissionSet.name,
      alreadyExisted: false,
      before: 'unknown' as const,
      after: 'unknown' as const,
      resolved: {
        principalId: '',
        targetId: allAsked ? 'ALL_PROVISIONED_ACCOUNTS' : targets.join(','),
        roleId: permissionSet.arn,
      },
    };
    try {
      const inScope = (accounts: string[]) =>
        allAsked ? accounts : accounts.filter((a) => targets.includes(a));
      const [outdatedAll, currentAll] = await Promise.all([
        this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
        this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_PROVISIONED'),
      ]);
      const outdated = inScope(outdatedAll);
      const current = inScope(currentAll);
      const choice = this.plan.onlyOutdated
        ? chooseProvisionPlan(outdated, outdatedAll.length + currentAll.length, allAsked)
        : allAsked
          ? { mode: 'all-provisioned-accounts' as const, accounts: [...outdatedAll, ...currentAll] }
          : { mode: 'per-account' as const, accounts: targets };
      const notProvisioned = this.plan.onlyOutdated
        ? []
        : allAsked
          ? []
          : targets.filter((t) => !outdatedAll.includes(t) && !currentAll.includes(t));
      const alreadyCurrent = this.plan.onlyOutdated ? current : [];
      const detail: ProvisionDetail = {
        requestPlan: choice.mode,
        outdated,
        alreadyCurrent,
        ...(notProvisioned.length ? { notProvisionedBefore: notProvisioned } : {}),
      };

      if (choice.mode === 'none' || this.plan.dryRun) {
        return {
          ...base,
          status: 'SUCCEEDED',
          changed: false,
          plan: choice.mode === 'none' ? 'none' : 'provision',
          durationMs: Date.now() - started,
          detail: this.plan.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
        };
      }

      const outcomes =
        choice.mode === 'all-provisioned-accounts'
          ? [await this.request(permissionSet.arn, undefined)]
          : await mapWithConcurrency(choice.accounts, this.plan.maxConcurrency, (account) =>
              this.request(permissionSet.arn, account),
            );

      let failed: { account: string; reason: string }[] = outcomes
        .filter((o) => o.status === 'FAILED' && o.account !== 'ALL_PROVISIONED_ACCOUNTS')
        .map((o) => ({ account: o.account, reason: o.failureReason ?? 'FAILED' }));
      let reprovisioned = outcomes
        .filter((o) => o.status === 'SUCCEEDED' && o.account !== 'ALL_PROVISIONED_ACCOUNTS')
        .map((o) => o.account);
      const whole = outcomes.find((o) => o.account === 'ALL_PROVISIONED_ACCOUNTS');
      if (whole && whole.status !== 'IN_PROGRESS') {
        // One request covered every account: the accounts still outdated afterwards are the ones that failed.
        const stillOutdated = new Set(
          await this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
        );
        failed = choice.accounts
          .filter((a) => stillOutdated.has(a))
          .map((account) => ({
            account,
            reason: whole.failureReason ?? 'still outdated after ALL_PROVISIONED_ACCOUNTS provisioning',
          }));
        reprovisioned = choice.accounts.filter((a) => !stillOutdated.has(a));
      }
      const inProgress = outcomes.filter((o) => o.status === 'IN_PROGRESS');
      const status =
        failed.length > 0 || (whole?.status === 'FAILED' && failed.length === 0 && reprovisioned.length === 0)
          ? 'FAILED'
          : inProgress.length > 0
            ? 'IN_PROGRESS'
            : 'SUCCEEDED';
      const failureReason =
        failed.length > 0
          ? failed.map((f) => `${f.account}: ${f.reason}`).join('; ')
          : inProgress.length > 0
            ? `still IN_PROGRESS when the ${this.deadline.seconds}s deadline passed: ${inProgress.map((o) => o.requestId).join(', ')}`
            : whole?.failureReason;
      const requestId = outcomes.find((o) => o.requestId)?.requestId;
      return {
        ...base,
        status,
        changed: reprovisioned.length > 0 || inProgress.length > 0,
        plan: 'provision',
        durationMs: Date.now() - started,
        ...(requestId ? { requestId } : {}),
        ...(failureReason && status !== 'SUCCEEDED' ? { failureReason } : {}),
        detail: {
          ...detail,
          reprovisioned,
          failed,
          ...(inProgress.length ? { inProgress: inProgress.map((o) => o.account) } : {}),
        },
      };
    } catch (error) {
      return {
        ...base,
        status: 'FAILED',
        changed: false,
        plan: 'provision',
        failureReason: describeError(error),
        durationMs: Date.now() - started,
      };
    }
  }

  /** One ProvisionPermissionSet followed to a terminal status, holding one of the 3 concurrent slots. */
  private async request(permissionSetArn: string, account: string | undefined): Promise<ProvisionOutcome> {
    const label = account ?? 'ALL_PROVISIONED_ACCOUNTS';
    let release: () => void;
    try {
      release = await this.slots.acquire('ProvisionPermissionSet', { deadline: this.deadline });
    } catch (error) {
      return { account: label, status: 'IN_PROGRESS', failureReason: describeError(error) };
    }
    try {
      const response = await this.driver.call('ProvisionPermissionSet', (signal) =>
        this.driver.clients.ssoAdmin.send(
          new ProvisionPermissionSetCommand({
            InstanceArn: this.driver.instance,
            PermissionSetArn: permissionSetArn,
            TargetType: account ? 'AWS_ACCOUNT' : 'ALL_PROVISIONED_ACCOUNTS',
            ...(account ? { TargetId: account } : {}),
          }),
          { abortSignal: signal },
        ),
      );
      const first = response.PermissionSetProvisioningStatus;
      const requestId = first?.RequestId ?? '';
      const toOutcome = (s: PermissionSetProvisioningStatus | undefined): ProvisionOutcome => ({
        account: label,
        requestId,
        status: s?.Status === 'SUCCEEDED' ? 'SUCCEEDED' : s?.Status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
        ...(s?.FailureReason ? { failureReason: s.FailureReason } : {}),
      });
      if (first?.Status !== 'IN_PROGRESS' || !this.plan.wait) return toOutcome(first);
      const snapshot = await waitForTerminalStatus(
        async () => {
          const { PermissionSetProvisioningStatus: s } = await this.driver.call(
            'DescribePermissionSetProvisioningStatus',
            (signal) =>
              this.driver.clients.ssoAdmin.send(
                new DescribePermissionSetProvisioningStatusCommand({
                  InstanceArn: this.driver.instance,
                  ProvisionPermissionSetRequestId: requestId,
                }),
                { abortSignal: signal },
              ),
          );
          const o = toOutcome(s);
          return { status: o.status, ...(o.failureReason ? { failureReason: o.failureReason } : {}) };
        },
        { deadline: this.deadline },
      );
      return {
        account: label,
        requestId,
        status: snapshot.status,
        ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
      };
    } catch (error) {
      if (error instanceof CloudAccessError)
        return { account: label, status: 'FAILED', failureReason: error.describe() };
      return { account: label, status: 'FAILED', failureReason: describeError(error) };
    } finally {
      release();
    }
  }
}
