// The audit log's records: their form, and a step's first record. Pure. The record of each thing
// a step changes is built beside it, in this form: a grant's (./grant-record.ts); a kind's or an
// operation's own change, by its module (OwnRecord): a permission set's change and provisioning
// (aws/permission-sets/set-change-record.ts, provision-record.ts), a session fence's beside them, a
// review's close (operations/review/due-date.ts).
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
//             | a kind's or an operation's own (OwnRecord), named and filled in by its module
//     "cloud": "aws" | "azure",
//     "kind": "active" | "eligible",            // a grant's: access, or an Azure PIM eligibility
//     "principal": { "id": "…", "name": "…", "type": "USER" }, // each field when the step knows it
//     "role": { "id": "…", "name": "…" },      // AWS: the permission set's ARN and name
//     "target": { "id": "…", "name": "…" },    // AWS: the account; Azure: the scope (names: ./names.ts)
//     "requestId": "…",                         // the service's request ID, when it gave one
//     "status": "SUCCEEDED" | "FAILED" | "IN_PROGRESS",  // the change's terminal status
//     "failureReason": "…", "assignmentId": "…",
//     "expiresAt": "…",                         // a grant's end (Azure `duration`); every record of a request
//     "run": { "repository", "repositoryId", "workflow", "runId", "runAttempt", "runUrl",
//              "event", "actor", "commit" },
//     "request": { "rule", "justification", "approvers": [..], "policyCommit" },  // `request` only
//     "planned": [ { "principal", "target", "role", "kind" } ], "plannedCount": 60     // `plan` only
//     "planned…": [ { "change", "name", … } ]  // `plan` only: a kind plan's changes, under its
//                                           // kind's own list (PlannedKindChange)
//     …                                     // what an OwnRecord adds: its module says
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

/**
 * The changes the engine's own records name: the step's plan and its grants' changes
 * (./grant-record.ts). A kind or an operation names its own change in the record it builds
 * (RecordBody): a permission set's create, a session fence, a review's close.
 */
export type StepChange =
  | 'plan'
  | 'grant'
  | 'revoke'
  | 'post-revoke'
  | 'provision'
  | 'reconcile-create'
  | 'reconcile-delete'
  | 'reconcile-update'
  | 'sweep-revoke'
  | 'request-grant';

/** An access request's decision, which each of its records carries. */
export interface AuditRequest {
  rule: string;
  justification: string;
  approvers: string[];
  policyCommit?: string;
  /** Until when the request grants: each of its records states it as its own `expiresAt`. */
  expiresAt?: string;
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

/**
 * What every record holds, whoever builds it: the engine, of the step's plan and grants
 * (`change`: a StepChange), or a kind or an operation, of its own change, under its own name and
 * with the fields it adds (OwnRecord).
 */
export interface AuditRecord {
  version: typeof AUDIT_RECORD_VERSION;
  n: number;
  time: string;
  step: 'main' | 'post';
  operation: StepOperation;
  change: StepChange | OwnChange;
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
}

/** The name a kind or an operation gives its own change. */
type OwnChange = string & {};

/**
 * A record a kind or an operation builds of its own change: every record's fields, its change's
 * name (`Change`), and what it adds (`Fields`: a session fence's `fence`, a review's `review`).
 */
export type OwnRecord<Change extends string, Fields extends object = object> = Omit<AuditRecord, 'change'> & {
  change: Change;
} & Fields;

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

/**
 * A record as the module of its change builds it: all but what every record of the step carries
 * first, which the step's trail adds as it numbers and writes it (stepRecord, ./trail.ts). Its
 * `operation` only where it is not the step's (a provisioning's first record).
 */
export type RecordBody<R extends AuditRecord = AuditRecord> = Omit<R, keyof ReturnType<typeof stepFields>> &
  Partial<Pick<R, 'operation'>>;

/** The first record of a step: what it is about to change (the first 1,000 grants of its batch). */
export function planRecord(
  operation: Operation,
  planned: PlannedGrant[],
  /** The changes of a kind's plan the step is about to make beside its grants (a reconcile's). */
  kindChanges: readonly PlannedKindChange[] = [],
): RecordBody {
  return withoutUndefined({
    change: 'plan' as const,
    planned: planned
      .slice(0, 1000)
      .map(({ principal, target, role, kind }) => withoutUndefined({ principal, target, role, kind })),
    plannedCount: planned.length,
    ...kindLists(kindChanges),
    ...(operation === 'provision' ? { operation: 'provision' as const } : {}),
  });
}

/** A record as the step's trail writes it, numbered `n` at `at`: what every record of the step carries first, then its body. */
export function stepRecord(step: AuditStep, body: RecordBody, n: number, at: Date): AuditRecord {
  // Every record of an access request states until when it grants; a change's own end (PIM's) first.
  const expiresAt = body.expiresAt ?? step.request?.expiresAt;
  return withoutUndefined({ ...stepFields(step, n, at), ...body, expiresAt }) as AuditRecord;
}

/** What every record of a step carries first: the version, its n and time, the step and its run. */
function stepFields(step: AuditStep, n: number, at: Date) {
  return {
    version: AUDIT_RECORD_VERSION,
    n,
    time: at.toISOString(),
    step: step.step,
    operation: step.operation,
    run: step.run,
    request: step.request && decisionOf(step.request),
  };
}

/** A request's decision as its records carry it: its expiry is each record's own `expiresAt` (stepRecord), not said twice. */
function decisionOf({ expiresAt: _said, ...decision }: AuditRequest): AuditRequest {
  return decision;
}

/** A record without the fields it has no value for. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
