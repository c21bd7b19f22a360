// Domain types shared by the pure core, the engine and both cloud adapters.
import type { GrantRequest } from './access-request.js';
import type { AzureScope } from './azure-scope.js';
import type { AzurePrincipalRef, AzurePrincipalType } from './principal-forms.js';
import type { NameFields } from './shown-names.js';

export type Cloud = 'aws' | 'azure';

/**
 * What a person calls a kind of access (core/kinds/), in the `assignment-type` input, a manifest
 * entry's `type`, the report's `kind` column and `results`: `active` access, or `eligible` to
 * activate it (Azure PIM). Each kind says its own word; a cloud's kinds say which words it has.
 */
export const ASSIGNMENT_TYPES = ['active', 'eligible'] as const;
export type AssignmentType = (typeof ASSIGNMENT_TYPES)[number];
/**
 * The kinds of access a grant can be, each one module of core/kinds/ (which says what each is):
 * named here, beside the grant that carries its kind.
 */
export const GRANT_KINDS = [
  'aws-account-assignment',
  'azure-role-assignment',
  'azure-pim-active',
  'azure-pim-eligible',
] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export type Operation = 'assign' | 'revoke' | 'provision';

/** Terminal statuses as both clouds report them; IN_PROGRESS means "not waited for" or "deadline passed". */
export type GrantStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/**
 * A grant as the inputs wrote it, trimmed, with Azure IDs (scopes, GUIDs) in ARM's canonical
 * form: what the log, the summary and the outputs show for it.
 */
export interface WrittenGrant extends NameFields {
  principal: string;
  target: string;
  role: string;
}

/** An AWS principal: an Identity Store ID, or a user name / group display name to look up. */
export type AwsPrincipalRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };
/** A permission set: its ARN, or its name to look up in the instance. */
export type PermissionSetRef = { kind: 'arn'; arn: string } | { kind: 'name'; name: string };
/** An Azure role: its definition GUID, a full role definition ID, or a role name to look up at the scope. */
export type AzureRoleRef =
  { kind: 'guid'; guid: string } | { kind: 'id'; id: string } | { kind: 'name'; name: string };

/** IDs an AWS grant resolves to: what is written to the service, and saved for the post step. */
export interface AwsResolvedIds {
  cloud: 'aws';
  /** The Identity Store user or group ID. */
  principalId: string;
  /**
   * What the ID is written as (`principal-type`, or a manifest entry's): IAM Identity Center keys
   * an assignment on it, so a change is found by it too (engine/run/planned-driver.ts). Absent in IDs a
   * post step read back from the saved state, which carries the type in its settings.
   */
  principalType?: 'USER' | 'GROUP';
  accountId: string;
  /** The permission set ARN. */
  roleId: string;
  /** An account assignment has no name of its own: its IDs are its identity. */
  name?: never;
}

/** IDs an Azure grant resolves to: the scope stays as parsed, so nothing parses it again. */
export interface AzureResolvedIds {
  cloud: 'azure';
  /** The Entra object ID, lower-cased. */
  principalId: string;
  scope: AzureScope;
  /** The full role definition ID. */
  roleId: string;
  /** The role assignment name (GUID) the grant is written under. */
  name?: string;
  /** Azure: the principal's type as its form or Graph gave it (ARM's `principalType`); else `principal-type`. */
  principalType?: AzurePrincipalType;
  /**
   * The type is `principal-type`'s, for an object ID nothing looked up (no Graph call is made for
   * one): ARM checks it only as it writes, so no row shows it as what the principal is.
   */
  principalTypeUnchecked?: boolean;
}

/** What a membership of an Entra group gives (Graph's `accessId`). */
export type GroupAccess = 'member' | 'owner';

/** IDs a membership of an Entra group resolves to (PIM for groups): the principal, the group, the access. */
export interface AzureGroupIds {
  cloud: 'azure';
  /** The Entra object ID, lower-cased. */
  principalId: string;
  /** The group's object ID, lower-cased. */
  groupId: string;
  /** What the membership gives, in the place an assignment's role is: `member` or `owner`. */
  roleId: GroupAccess;
  /** The schedule request the step sent (its `id`), once sent. */
  name?: string;
  principalType?: AzurePrincipalType;
  scope?: never;
  principalTypeUnchecked?: never;
}

export type ResolvedIds = AwsResolvedIds | AzureResolvedIds | AzureGroupIds;
/** The IDs of an assignment (principal × role × target): every kind but a membership of a group. */
export type AssignmentIds = AwsResolvedIds | AzureResolvedIds;

/** The target IDs name, as text: the account ID, or the scope in ARM's canonical form. */
export function targetIdOf(ids: ResolvedIds): string {
  if (ids.cloud === 'aws') return ids.accountId;
  return ids.scope ? ids.scope.scope : ids.groupId;
}

/**
 * A target as text, and every target a read of one of them reaches it through: AWS, the account
 * alone; Azure, the scope and each above it by path (a subscription under a management group is
 * not below it by path, so it is not among them).
 */
export const TARGETS_AT_OR_ABOVE: Record<Cloud, (target: string) => string[]> = {
  aws: (account) => [account],
  azure: (scope) => scope.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/')),
};

interface GrantForms<I extends ResolvedIds> {
  /**
   * The kind of access it is (core/kinds/: `aws-account-assignment`, `azure-pim-eligible` …), set
   * where it is made: the step's inputs, a manifest's entry, the saved state (which names it).
   */
  kind: Extract<GrantKind, `${I['cloud']}-${string}`>;
  written: WrittenGrant;
  /** IDs already known (the post step's saved ones): the driver does not resolve the grant again. */
  resolved?: I;
}

/** One principal × account × permission set, parsed once from the inputs. */
export interface AwsGrant extends GrantForms<AwsResolvedIds> {
  cloud: 'aws';
  principal: AwsPrincipalRef;
  accountId: string;
  permissionSet: PermissionSetRef;
}

/** One principal × scope × role, parsed once from the inputs. */
export interface AzureGrant extends GrantForms<AzureResolvedIds> {
  cloud: 'azure';
  /** An Entra object ID (lower-cased), or a name Graph resolves (core/principal-forms.ts). */
  principal: AzurePrincipalRef;
  scope: AzureScope;
  role: AzureRoleRef;
}

/** A group a membership is of: its object ID, or its display name, which must match exactly one group. */
export type AzureGroupRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

/** One principal's membership (or ownership) of an Entra group through PIM for groups (`target: group:…`). */
export interface AzureGroupGrant {
  cloud: 'azure';
  kind: 'azure-group-active' | 'azure-group-eligible';
  written: WrittenGrant;
  principal: AzurePrincipalRef;
  group: AzureGroupRef;
  access: GroupAccess;
  resolved?: AzureGroupIds;
  scope?: never;
}

export type Grant = AwsGrant | AzureGrant | AzureGroupGrant;

/** Every kind of grant of one cloud: what a step's inputs on that cloud can ask for. */
export type GrantOfCloud<C extends Cloud> = Extract<Grant, { cloud: C }>;

/** The IDs a grant of type G resolves to (AWS: the account; Azure: the scope as parsed). */
export type IdsOf<G extends Grant> = NonNullable<G['resolved']>;

/**
 * The target a grant names, as text, before it is resolved: what targetIdOf gives once it is;
 * undefined for a group named by its display name, which only the directory resolves.
 */
export function grantTargetOf(grant: Grant): string | undefined {
  if (grant.cloud === 'aws') return grant.accountId;
  if (grant.scope) return grant.scope.scope;
  return grant.group.kind === 'id' ? grant.group.id : undefined;
}

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

/** The sessions a revoke's fence ended: those of `account` issued before `before`, which would have lived until `until`. */
export interface SessionsEnded {
  account: string;
  before: string;
  until: string;
  how?: 'role removed';
}

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
   * AWS revoke: the live sessions its delete left, ended by a session fence in the permission set
   * (core/permission-sets/session-fence.ts), provisioned to `account`; `how`: the role went with
   * the set's last assignment there. ISO 8601 UTC with seconds.
   */
  sessionsEnded?: SessionsEnded;
  /** AWS revoke with no fence written: until when sessions taken before it stay valid (ISO 8601 UTC). */
  sessionsLiveUntil?: string;
  /** AWS revoke: the fence failed (the delete SUCCEEDED): why, and which sessions may stay live. The step fails. */
  fenceError?: string;
  /** AWS revoke: why no fence was written where one could not be (a set not opted in): one warning per set. */
  sessionsWarning?: string;
  /** `operation: request`: the decision the grant was made under. */
  request?: GrantRequest;
}
