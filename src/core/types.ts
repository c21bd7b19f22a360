// Domain types shared by the pure core, the engine and both cloud adapters.
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
