// What `operation: provision` asks of a cloud adapter (AWS only): the reads that plan it and the
// request that re-provisions. The engine's provisioning run (../provision/run-provision.ts) owns the
// rest, as run-grants does for a GrantDriver (./driver.ts).
import type { PermissionSetRef } from '../../core/types.js';
import type { CallStats } from './driver.js';
import type { StatusPacing, StatusSnapshot } from './status.js';

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
 * that re-provisions. The engine (engine/provision/run-provision.ts) owns the rest, as it does
 * for grants (engine/run/run-grants.ts).
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
