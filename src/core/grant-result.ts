// What became of a grant: its row in the `results` output, the log and the job summary, as every
// operation reports it (the clouds' drivers fill it, core/output/ shows it). Beside ./types.ts, the
// grant itself, which re-exports these for the modules that take both.
import type { GrantRequest } from './access-request.js';
import type { NameFields } from './shown-names.js';
import type { AssignmentType, Cloud, GrantStatus, Operation, ResolvedIds } from './types.js';

/** Whether an assignment exists, at some moment of the step. */
export type AssignmentState = 'present' | 'absent' | 'unknown';

/** What a dry run would do, or what the step did (`update`: a reconcile's Azure condition, rewritten in place). */
export type PlannedChange =
  | 'create'
  | 'delete'
  | 'update'
  | 'provision'
  | 'none'
  // A permission set's own change (a reconcile of a manifest that defines sets).
  | 'permission-set-create'
  | 'permission-set-update'
  | 'permission-set-delete';

/** Provision: what became of the accounts a permission set is provisioned to. */
export interface ProvisionDetail {
  /** One request per outdated account, one ALL_PROVISIONED_ACCOUNTS request, or none needed. */
  requestPlan: 'per-account' | 'all-provisioned-accounts' | 'none';
  outdated: string[];
  alreadyCurrent: string[];
  notProvisionedBefore?: string[];
  /** Dry run: the accounts a run would re-provision. */
  wouldProvision?: string[];
  reprovisioned?: string[];
  failed?: { account: string; reason: string }[];
  inProgress?: string[];
  /** Every ProvisionPermissionSet request the step made for the permission set. */
  requestIds?: string[];
}

/** `principalName`, `roleName` and `targetName`: what the cloud calls each, where the step knows it. */
export interface GrantResult extends NameFields {
  cloud: Cloud;
  operation: Operation;
  /** As written (see WrittenGrant); provision has no principal (''). */
  principal: string;
  target: string;
  role: string;
  status: GrantStatus;
  requestId?: string;
  failureReason?: string;
  changed: boolean;
  /** Azure: the role assignment resource ID (AWS assignments have none); with `duration`, its schedule's ID. */
  assignmentId?: string;
  /** Azure with `duration`: when the assignment ends (ISO 8601 UTC); absent for a permanent one. */
  expiresAt?: string;
  /** The word of its kind of access (`assignment-type`), when it is not `active`. */
  assignmentType?: AssignmentType;
  /** A revoke the service refused for now (PIM's minimum active time): it ends the assignment itself at `expiresAt`. */
  endsOnItsOwn?: true;
  /** IN_PROGRESS because a person must act (a PIM approval): reported, but the step does not fail for it. */
  awaiting?: boolean;
  /**
   * FAILED because the plan it belongs to was refused (a reconcile's `max-deletions`): nothing was
   * sent for it, and `change` says what it would have done.
   */
  refused?: true;
  /**
   * Whether the assignment existed before the step (assign and revoke alike), as the reads or,
   * when they were behind, the write's answer showed it: a create answered "already there" means
   * `present`, a delete answered "not found" means `absent`. `unknown` when neither could tell.
   */
  before: AssignmentState;
  /** Whether it exists after the step (`unknown` while a request is still running). */
  after: AssignmentState;
  /** What the step did or, in a dry run, would do (the `plan` of the `results` output). */
  change: PlannedChange;
  durationMs: number;
  /** The IDs the grant resolved to. */
  resolved?: ResolvedIds;
  /**
   * An assign by a step whose grants end with the job, of a grant it found already in place: the
   * run's reliance on it, registered where `operation: sweep` reads evidence (SUCCEEDED), sent and
   * not yet ended (IN_PROGRESS), or not registered and why (FAILED). Never a claim of creation:
   * the step saves nothing of it, and its post step leaves the grant. `remade`: the grant was
   * deleted after the step's read, and the reliance made it again: shown to be the step's own create
   * (`byStep`: saved, and its post step revokes it), or not (the step warns: nothing ends it).
   */
  reliance?: {
    status: GrantStatus;
    requestId?: string;
    failureReason?: string;
    remade?: { byStep: boolean; why: string };
  };
  /** What the log and summary should add, e.g. why revoke-on-exit leaves this grant alone. */
  note?: string;
  /** What the step must say as a warning of this grant (a permanent assign that found a run's ephemeral grant). */
  warning?: string;
  /** Provision: accounts re-provisioned, current, failed. */
  detail?: ProvisionDetail;
  /**
   * What another kind's effect on this row's write added to it, by the effect's name (the
   * permission-set kind's session fence: core/permission-sets/session-fence-results.ts): its own
   * fields, which the row's `results` entry carries as its own (./output/effects.ts).
   */
  effects?: Readonly<Record<string, object>>;
  /** `operation: request`: the decision the grant was made under. */
  request?: GrantRequest;
}
