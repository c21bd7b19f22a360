// What `operation: provision` needs of IAM Identity Center (ProvisionDriver: the reads that plan it
// and the request that re-provisions), and the driver that does it over the step's SsoSession:
// after a permission set's policies change, IAM Identity Center marks every account it is
// provisioned to as LATEST_PERMISSION_SET_NOT_PROVISIONED until ProvisionPermissionSet runs for it.
// The provisioning run (./provision-run.ts) owns the rest, as the engine's run-grants does for a
// GrantDriver (engine/run/run-grants.ts).
import {
  DescribePermissionSetProvisioningStatusCommand,
  ProvisionPermissionSetCommand,
  type PermissionSetProvisioningStatus,
} from '@aws-sdk/client-sso-admin';
import { ALL_PROVISIONED_ACCOUNTS } from '../../core/inputs/org-targets.js';
import type { PermissionSetRef } from '../../core/types.js';
import type { WaitBound } from '../../engine/limits/deadline.js';
import type { CallStats } from '../../engine/calls/driver.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/calls/status.js';
import { Semaphore } from '../../engine/limits/limits.js';
import type { SsoSession } from '../sso/session.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';

/** A permission set `operation: provision` re-provisions: its ARN, and its name for the log. */
export interface PermissionSetTarget {
  arn: string;
  name: string;
}

/** A ProvisionPermissionSet request the service answered, holding a slot of its quota until released. */
export interface ProvisionRequestSent {
  /** '' when the answer carried none. */
  requestId: string;
  /** The status the answer carried: IN_PROGRESS until the permission set is pushed. */
  answered: StatusSnapshot;
  release(): void;
}

/**
 * What `operation: provision` needs of IAM Identity Center: the reads that plan it and the request
 * that re-provisions. The provisioning run (./provision-run.ts) owns the rest.
 */
export interface ProvisionDriver {
  /** Authenticates and finds the instance; fails the step at once when it cannot. */
  prepare(): Promise<void>;
  /** The permission sets asked for by ARN or name, or every one of the instance (`*`). */
  permissionSets(asked: PermissionSetRef[] | '*'): Promise<PermissionSetTarget[]>;
  /** The accounts the permission set is provisioned to whose copy is `outdated` or `current`. */
  accountsProvisioned(permissionSetArn: string, state: 'outdated' | 'current'): Promise<string[]>;
  /**
   * Sends one ProvisionPermissionSet, to `account`, or to every account the permission set is
   * provisioned to when none is given. Waits for a slot of the quota first; NotSentError when the
   * deadline comes before one is free.
   */
  sendProvision(permissionSetArn: string, account: string | undefined): Promise<ProvisionRequestSent>;
  /** One status read of a provisioning request. */
  readProvisionStatus(requestId: string): Promise<StatusSnapshot>;
  /** How long provisioning requests take, for the follower (engine/run/follow.ts). */
  readonly provisionPacing: StatusPacing;
  /** Calls made, by operation, and throttled responses seen (for logs and benchmarks). */
  readonly stats: CallStats;
}

/** "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas). */
export const MAX_CONCURRENT_PROVISIONS = 3;

/** What a request waits for before it is sent, as its NotSentError says. */
export const PROVISION_SLOT_WAIT = `one of the ${MAX_CONCURRENT_PROVISIONS} concurrent ProvisionPermissionSet requests to finish`;

/**
 * Provisioning requests are read at the pace their completions show, starting from a few
 * seconds (a permission set is pushed to an account as an IAM role); at most three run at once,
 * so each is read on its own.
 */
const PROVISION_PACING: StatusPacing = { key: 'aws:provision', expectedMs: 3_000 };

const PROVISIONING_STATUS = {
  outdated: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
  current: 'LATEST_PERMISSION_SET_PROVISIONED',
} as const;

export class AwsProvisioningDriver implements ProvisionDriver {
  readonly stats: CallStats;
  readonly provisionPacing = PROVISION_PACING;
  private readonly slots = new Semaphore(MAX_CONCURRENT_PROVISIONS, PROVISION_SLOT_WAIT);

  constructor(
    private readonly session: SsoSession,
    /** The step's deadline: a wait for a provisioning slot ends with it. */
    private readonly bound: WaitBound,
  ) {
    this.stats = session.stats;
  }

  prepare(): Promise<void> {
    return this.session.prepare();
  }

  /**
   * The permission sets `role` names: ARNs, names, or `*` for all of them. `*` reads every name; a
   * name is looked up as grants look it up; an ARN is shown by its name when the instance lists it.
   */
  async permissionSets(asked: PermissionSetRef[] | '*'): Promise<PermissionSetTarget[]> {
    if (asked === '*')
      return [...(await this.session.permissionSetsByName())].map(([name, arn]) => ({ arn, name }));
    return Promise.all(
      asked.map(async (ref) => {
        const arn = await this.session.permissionSetArn(ref);
        if (ref.kind === 'name') return { arn, name: ref.name };
        return { arn, name: (await this.session.permissionSetNames.nameOf(arn)) ?? ref.arn };
      }),
    );
  }

  accountsProvisioned(permissionSetArn: string, state: 'outdated' | 'current'): Promise<string[]> {
    return provisionedAccounts(this.session, permissionSetArn, { status: PROVISIONING_STATUS[state] });
  }

  /** Holds one of the 3 concurrent slots from before it is sent until the provisioning run releases it. */
  async sendProvision(permissionSetArn: string, account: string | undefined): Promise<ProvisionRequestSent> {
    const release = await this.slots.acquire('ProvisionPermissionSet', this.bound);
    try {
      const { PermissionSetProvisioningStatus: status } = await this.session.send(
        'ProvisionPermissionSet',
        new ProvisionPermissionSetCommand({
          InstanceArn: this.session.instance,
          PermissionSetArn: permissionSetArn,
          TargetType: account ? 'AWS_ACCOUNT' : ALL_PROVISIONED_ACCOUNTS,
          ...(account ? { TargetId: account } : {}),
        }),
      );
      return { requestId: status?.RequestId ?? '', answered: snapshotOf(status), release };
    } catch (error) {
      release();
      throw error;
    }
  }

  async readProvisionStatus(requestId: string): Promise<StatusSnapshot> {
    const { PermissionSetProvisioningStatus: status } = await this.session.send(
      'DescribePermissionSetProvisioningStatus',
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: this.session.instance,
        ProvisionPermissionSetRequestId: requestId,
      }),
    );
    return snapshotOf(status);
  }
}

/** A provisioning status as the engine's snapshot: anything but SUCCEEDED or FAILED is still running. */
function snapshotOf(status: PermissionSetProvisioningStatus | undefined): StatusSnapshot {
  return {
    status:
      status?.Status === 'SUCCEEDED' ? 'SUCCEEDED' : status?.Status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
    ...(status?.FailureReason ? { failureReason: status.FailureReason } : {}),
  };
}
