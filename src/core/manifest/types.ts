// The manifest of `operation: reconcile` (`version: 1`), parsed and checked: what each cloud's
// section asks for, and what it manages (what it may ever delete).
import type { Duration } from '../duration.js';
import type { AwsTarget } from '../inputs/org-targets.js';
import type { PermissionSetTagForm } from './permission-set-tags.js';
import type { PermissionSetsSection } from '../permission-sets/definition.js';
import type { AzurePrincipalRef } from '../principal-forms.js';
import type { AzureGroupRef } from '../inputs/azure-group-refs.js';
import type { GroupMembershipType } from '../kinds/azure-pim-group.js';
import type {
  AssignmentType,
  AwsPrincipalRef,
  AzureRoleRef,
  PermissionSetRef,
  AzureGrant,
} from '../types.js';

/** A value as written in the manifest, parsed, with the line it is on. */
export interface Located<T> {
  written: string;
  value: T;
  line: number;
}

/** One entry of `assignments`: every principal × role × target. */
export interface ManifestEntry<P, R, T> {
  /** `aws.assignments[2]`: where the entry is, for messages. */
  path: string;
  line: number;
  principals: Located<P>[];
  roles: Located<R>[];
  targets: Located<T>[];
}

export interface AwsManifestEntry extends ManifestEntry<AwsPrincipalRef, PermissionSetRef, AwsTarget> {
  principalType: 'USER' | 'GROUP';
}

export interface AwsManifestSection {
  cloud: 'aws';
  line: number;
  instanceArn: string | undefined;
  /** The line `instance-arn` is written on, when it is. */
  instanceArnLine?: number;
  manages: {
    line: number;
    /** Only assignments of these permission sets are ever deleted. */
    permissionSets: Located<PermissionSetRef>[];
    /** And of the instance's permission sets whose tags match one of these (`tag:KEY=VALUE`, `tag:KEY`). */
    permissionSetTags: Located<PermissionSetTagForm>[];
    /** When given, only assignments in these accounts (or the accounts under these OUs) are ever deleted. */
    targets: Located<AwsTarget>[] | undefined;
    /** A plan that deletes every assignment the section manages runs only when this is true. */
    allowDeleteAll: boolean;
  };
  assignments: AwsManifestEntry[];
  /** The permission sets the manifest defines (`aws.permission-sets`), when it defines any. */
  permissionSets?: PermissionSetsSection;
  /** What the parts kinds registered hold (./aws-parts.ts AWS_PARTS), by key, parsed; none held, absent. */
  parts?: Readonly<Record<string, unknown>>;
}

export interface AzureManifestEntry extends ManifestEntry<
  AzurePrincipalRef,
  AzureRoleRef,
  AzureGrant['scope']
> {
  /** For object IDs; a name's type comes from its form or from Microsoft Graph. */
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
  /** Whether the entry writes `principal-type` (else User is the default): what a problem says of it. */
  principalTypeWritten: boolean;
  description: string | undefined;
  condition: string | undefined;
  conditionVersion: string | undefined;
  /** The word of the kind the entry makes (core/kinds/: an Azure manifest's `manifestTypes`). */
  type: AssignmentType;
  /** An eligibility's length (`duration`); none: no end, where the role's policy allows. */
  duration: Duration | undefined;
}

export type AzureManageMode = 'ownedOnly' | 'full';

export interface AzureManifestSection {
  cloud: 'azure';
  line: number;
  manages: {
    line: number;
    /** Assignments at or under these scopes are considered; above them, never. */
    scopes: Located<AzureGrant['scope']>[];
    /** `ownedOnly`: only assignments whose description carries the marker are deleted; `full`: all. */
    mode: AzureManageMode;
    /** `full`: role assignment IDs never deleted (compared ignoring case). */
    exceptions: Located<string>[];
    allowDeleteAll: boolean;
    /** Entra groups (names or object IDs) whose memberships the file does not list are drift. */
    groups: Located<AzureGroupRef>[];
  };
  assignments: AzureManifestEntry[];
  /** Memberships of Entra groups through PIM for groups (`azure.groups`). */
  groups: AzureGroupEntry[];
  /** What the parts kinds registered hold (./azure-parts.ts AZURE_PARTS), by key, parsed; none held, absent. */
  parts?: Readonly<Record<string, unknown>>;
}

/** One entry of `azure.groups`: its members and owners of one group, of one assignment type. */
export interface AzureGroupEntry {
  /** `azure.groups[0]`: where the entry is, for messages. */
  path: string;
  line: number;
  group: Located<AzureGroupRef>;
  members: Located<AzurePrincipalRef>[];
  owners: Located<AzurePrincipalRef>[];
  /** `assignment-type`: an active membership, or an eligible one its principal activates. */
  type: GroupMembershipType;
  /** How long each lasts; none: no end, where the group's PIM policy allows. */
  duration: Duration | undefined;
}

export interface Manifest {
  /** The path as the `manifest` input gives it, relative to the workspace (annotations name it). */
  path: string;
  aws: AwsManifestSection | undefined;
  azure: AzureManifestSection | undefined;
}
