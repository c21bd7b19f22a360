// The record of one change of a permission set a reconcile's manifest defines (its create, update,
// delete, or its provisioning to the accounts the plan names), in the form of every record
// (./record.ts), and what the step's first record says of the set changes it is about to make.
// Pure.
import type { GrantResult } from '../../core/types.js';
import { stepFields, withoutUndefined, type AuditRecord, type AuditStep } from './record.js';

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

/** A set change that was made, as its record names it. */
export interface SetChange extends PlannedSetChange {
  status: GrantResult['status'];
  failureReason?: string;
  /** A provisioning's accounts that FAILED, each with the service's reason. */
  failedAccounts?: { account: string; reason: string }[];
}

/** The record of one change of a permission set. */
export function setChangeRecord(change: SetChange, step: AuditStep, n: number, at: Date): AuditRecord {
  return withoutUndefined({
    ...stepFields(step, n, at),
    change: change.change,
    cloud: 'aws' as const,
    role: withoutUndefined({ id: change.arn, name: change.name }),
    accounts: change.accounts,
    status: change.status,
    failureReason: change.failureReason,
    failedAccounts: change.failedAccounts,
  }) as AuditRecord;
}

/** A planned set change as the first record lists it, without the fields it has no value for. */
export function plannedSetEntry(change: PlannedSetChange): PlannedSetChange {
  return withoutUndefined({
    change: change.change,
    name: change.name,
    arn: change.arn,
    accounts: change.accounts,
  });
}
