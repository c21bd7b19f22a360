// The audit log's records: their form, and a step's first record. Pure. The record of each thing
// a step changes is built beside it, in this form: a grant's (./grant-record.ts), a permission
// set's (aws/permission-sets/set-change-record.ts), a provisioning's
// (aws/permission-sets/provision-record.ts).
//
// One JSON object per change, on one line, written once (S3 `If-None-Match: *`, Blob `If-None-Match: *`), never
// appended to or rewritten, under its key (./key.ts). The object (`AuditRecord`, version 1):
//
//   {
//     "version": 1,
//     "n": 2,                                   // the key's n
//     "time": "2026-11-26T09:14:03.120Z",       // when the record was written (the change ended)
//     "step": "main" | "post",                  // the post step: revoke-on-exit's revokes
//     "operation": "assign" | "revoke" | "provision" | "reconcile" | "sweep" | "request" | "review",
//     "change": "plan" | "grant" | "revoke" | "post-revoke" | "provision" | "reconcile-create"
//             | "reconcile-delete" | "reconcile-update" | "sweep-revoke" | "request-grant"
//             | "permission-set-create" | "permission-set-update" | "permission-set-delete"
//             | "session-fence" | "session-fence-removal" | "review-close",
//                                           // a set's change: `role` is the set (ARN, name); a
//                                           // fence's `accounts`: its account, `fence`: what it ends
//     "cloud": "aws" | "azure",
//     "kind": "active" | "eligible",            // a grant's: access, or an Azure PIM eligibility
//     "principal": { "id": "…", "name": "…", "type": "USER" }, // each field when the step knows it
//     "role": { "id": "…", "name": "…" },      // AWS: the permission set's ARN and name
//     "target": { "id": "…", "name": "…" },    // AWS: the account; Azure: the scope (names: ./names.ts)
//     "requestId": "…",                         // the service's request ID, when it gave one
//     "status": "SUCCEEDED" | "FAILED" | "IN_PROGRESS",  // the change's terminal status
//     "failureReason": "…", "assignmentId": "…", "expiresAt": "…",
//     "run": { "repository", "repositoryId", "workflow", "runId", "runAttempt", "runUrl",
//              "event", "actor", "commit" },
//     "request": { "rule", "justification", "approvers": [..], "policyCommit" },  // `request` only
//     "planned": [ { "principal", "target", "role", "kind" } ], "plannedCount": 60     // `plan` only
//     "plannedPermissionSets": [ { "change", "name", "arn", "accounts" } ],             // `plan` only
//                                           // a kind plan's changes, under its kind's own list
//                                           // (PlannedKindChange; AWS permission sets' here)
//     "accounts": [..], "failedAccounts": [ { "account", "reason" } ]  // a permission set's provisioning
//     "review": { "campaign", "issue", "rows", "ignored", "outcomes", "closingComment", … } // `review-close`
//   }
//
// The first record of a step (`change: "plan"`) is written before its first cloud write and says
// what the step is about to do; no cloud write is made without it. Every text in a record is data,
// as the service or the workflow gave it: a reader must treat it as such (JSON escapes it).
import type { AssignmentType, Cloud, Operation } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { StepOperation } from '../../core/inputs/index.js';
import type { AuditRun } from './key.js';

export const AUDIT_RECORD_VERSION = 1;

export type AuditChange =
  | 'plan'
  | 'grant'
  | 'revoke'
  | 'post-revoke'
  | 'provision'
  | 'reconcile-create'
  | 'reconcile-delete'
  | 'reconcile-update'
  | 'sweep-revoke'
  | 'request-grant'
  // A reconcile's change of a permission set its manifest defines (aws/permission-sets/set-change-record.ts).
  | 'permission-set-create'
  | 'permission-set-update'
  | 'permission-set-delete'
  // A session fence written into a permission set after a revoke, or an expired one removed by a
  // sweep or a revoke (aws/permission-sets/fence-record.ts).
  | 'session-fence'
  | 'session-fence-removal'
  // A campaign issue of `operation: review` at its close: its rows, decisions and outcomes.
  | 'review-close';

/** An access request's decision, which each of its records carries. */
export interface AuditRequest {
  rule: string;
  justification: string;
  approvers: string[];
  policyCommit?: string;
}

/** A grant a `plan` record lists, as the step was given it, with its kind (none: provisioning). */
export interface PlannedGrant {
  principal: string;
  target: string;
  role: string;
  kind?: AssignmentType;
}

export interface AuditNamed {
  id?: string;
  name?: string;
  type?: string;
}

export interface AuditRecord {
  version: typeof AUDIT_RECORD_VERSION;
  n: number;
  time: string;
  step: 'main' | 'post';
  operation: StepOperation;
  change: AuditChange;
  cloud?: Cloud;
  kind?: AssignmentType;
  principal?: AuditNamed;
  role?: AuditNamed;
  target?: AuditNamed;
  requestId?: string;
  status?: GrantResult['status'];
  failureReason?: string;
  assignmentId?: string;
  expiresAt?: string;
  run: AuditRun;
  request?: AuditRequest;
  planned?: PlannedGrant[];
  plannedCount?: number;
  // `plan` only: a kind plan's changes, each kind's under its own list (PlannedKindChange), beside
  // these: AWS permission sets' `plannedPermissionSets` (aws/permission-sets/set-change-record.ts).
  /** A permission set's provisioning: its accounts, and each that FAILED with the service's reason. */
  accounts?: string[];
  failedAccounts?: { account: string; reason: string }[];
  /** A session fence: its Sid, the sessions it ends (issued before `before`), its expiry, a user grant's users. */
  fence?: { sid: string; before: string; expiresAt: string; userIds?: string[] };
  /**
   * `review-close`: the campaign issue's record as the review builds it (its rows, each decision
   * with its author's login and account ID, the comment's address and time, the ignored comments,
   * each outcome with its revoke's result), and the closing comment's address.
   */
  review?: object;
}

/**
 * A change a kind's plan is about to make beside the step's grants, as its first record lists it:
 * under its kind's own list (AWS permission sets: `plannedPermissionSets`), its change and its
 * name, then the fields its kind adds (a set's `arn`, a provisioning's `accounts`).
 */
export interface PlannedKindChange {
  /** The list of the first record it is in, its kind's. */
  list: string;
  change: string;
  name: string;
  /** What else its kind says of it; one without a value is left out. */
  fields?: Readonly<Record<string, unknown>>;
}

/** Each kind's planned changes under its own list, in the order planned; none, no list. */
function kindLists(changes: readonly PlannedKindChange[]): Record<string, object[]> {
  const lists = new Map<string, object[]>();
  for (const { list, change, name, fields } of changes) {
    const entries = lists.get(list) ?? [];
    entries.push(withoutUndefined({ change, name, ...fields }));
    lists.set(list, entries);
  }
  return Object.fromEntries(lists);
}

/** What every record of a step shares. */
export interface AuditStep {
  step: 'main' | 'post';
  operation: StepOperation;
  run: AuditRun;
  request?: AuditRequest;
}

/** The first record of a step: what it is about to change (the first 1,000 grants of its batch). */
export function planRecord(
  step: AuditStep,
  operation: Operation,
  planned: PlannedGrant[],
  n: number,
  at: Date,
  /** The changes of a kind's plan the step is about to make beside its grants (a reconcile's). */
  kindChanges: readonly PlannedKindChange[] = [],
): AuditRecord {
  return withoutUndefined({
    ...stepFields(step, n, at),
    change: 'plan' as const,
    planned: planned
      .slice(0, 1000)
      .map(({ principal, target, role, kind }) => withoutUndefined({ principal, target, role, kind })),
    plannedCount: planned.length,
    ...kindLists(kindChanges),
    ...(operation === 'provision' ? { operation: 'provision' as const } : {}),
  }) as AuditRecord;
}

/** What every record of a step carries first: the version, its n and time, the step and its run. */
export function stepFields(step: AuditStep, n: number, at: Date) {
  return {
    version: AUDIT_RECORD_VERSION,
    n,
    time: at.toISOString(),
    step: step.step,
    operation: step.operation,
    run: step.run,
    request: step.request,
  };
}

/** A record without the fields it has no value for. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
