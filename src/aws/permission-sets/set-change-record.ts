// The record of one change of a permission set a reconcile's manifest defines (its create, update,
// delete, or its provisioning to the accounts the plan names), in the form of every record
// (engine/audit/record.ts): the permission-set kind's own record, which its writer hands the
// step's trail (AuditTrail.recordChange). Pure.
import type { GrantResult } from '../../core/grant-result.js';
import {
  withoutUndefined,
  type OwnRecord,
  type PlannedKindChange,
  type RecordBody,
} from '../../engine/audit/record.js';

export type SetChangeKind =
  'permission-set-create' | 'permission-set-update' | 'permission-set-delete' | 'provision';

/** A set change the step is about to make, as its first record lists it. */
export interface PlannedSetChange {
  change: SetChangeKind;
  name: string;
  /** Absent for a create: the set has no ARN yet. */
  arn?: string;
  /** A provisioning's accounts. */
  accounts?: string[];
}

/** A planned set change in the step's first record: `plannedPermissionSets`, its change, name, ARN and accounts. */
export function plannedSetEntry(change: PlannedSetChange): PlannedKindChange {
  return {
    list: 'plannedPermissionSets',
    change: change.change,
    name: change.name,
    fields: { arn: change.arn, accounts: change.accounts },
  };
}

/** A set change that was made, as its record names it. */
export interface SetChange extends PlannedSetChange {
  status: GrantResult['status'];
  failureReason?: string;
  /** A provisioning's accounts that FAILED, each with the service's reason. */
  failedAccounts?: { account: string; reason: string }[];
}

/** A set change's record: the set (`role`), and a provisioning's accounts, each that FAILED with the service's reason. */
export type SetChangeRecord = OwnRecord<
  SetChangeKind,
  { accounts?: string[]; failedAccounts?: { account: string; reason: string }[] }
>;

/** The record of one change of a permission set. */
export function setChangeRecord(change: SetChange): RecordBody<SetChangeRecord> {
  return withoutUndefined({
    change: change.change,
    cloud: 'aws' as const,
    role: withoutUndefined({ id: change.arn, name: change.name }),
    accounts: change.accounts,
    status: change.status,
    failureReason: change.failureReason,
    failedAccounts: change.failedAccounts,
  }) as RecordBody<SetChangeRecord>;
}
