// The kinds of access, registered: a kind's module is added here (or, of a shape of its own, by
// registerKind), and nowhere else has to learn its key. Pure.
import { targetIdOf, type Cloud, type Grant, type ResolvedIds, type WrittenGrant } from '../types.js';
import { awsAccountAssignment } from './aws-account-assignment.js';
import { awsPermissionSet, type PermissionSetShape } from './aws-permission-set.js';
import {
  azureGroupActive,
  azureGroupEligible,
  type GroupMembershipKindName,
  type GroupMembershipShape,
} from './azure-pim-group.js';
import { azurePimActive } from './azure-pim-active.js';
import { azurePimEligible } from './azure-pim-eligible.js';
import { azureRoleAssignment } from './azure-role-assignment.js';
import type {
  AccessKind,
  AssignmentKeyParts,
  AssignmentShape,
  AssignmentType,
  GrantKind,
  KindShape,
  Resolved,
  SavedIds,
  ShownIds,
} from './kind.js';

export {
  ASSIGNMENT_TYPES,
  GRANT_KINDS,
  type AssignmentType,
  type AccessKind,
  type AssignmentKeyParts,
  type AssignmentShape,
  type CloudOf,
  type KindShape,
  type ShownIds,
  type GrantKind,
  type GrantOf,
  type Resolved,
  type SavedIds,
  type RemovalParts,
  type RemovalPlace,
  type KindOrder,
  type WriteChange,
  type WriteRef,
} from './kind.js';

export const KINDS: { [K in GrantKind]: AccessKind<K> } = {
  'aws-account-assignment': awsAccountAssignment,
  'azure-role-assignment': azureRoleAssignment,
  'azure-pim-active': azurePimActive,
  'azure-pim-eligible': azurePimEligible,
};

/** A kind of any shape, as the registry holds it. */
export type AnyKind = AccessKind<KindShape>;

/**
 * The name of a registered kind: one of GRANT_KINDS, or the name another module registered a
 * kind of its own shape under (registerKind).
 */
export type KindName = GrantKind | (string & Record<never, never>);

/** Every kind by its name: KINDS, then each registerKind added. */
const registry = new Map<string, AnyKind>();

/**
 * Adds a kind of access of its own shape, beside KINDS: the key, the report's rows and the plan
 * find it by its name (kindNamed). A name already registered to another kind is refused: two kinds
 * never share a name, and so never a key.
 */
export function registerKind<S extends KindShape>(kind: AccessKind<S>): AccessKind<S> {
  const taken = registry.get(kind.kind);
  if (taken && taken !== (kind as unknown as AnyKind))
    throw new Error(`a kind of access named ${kind.kind} is already registered`);
  registry.set(kind.kind, kind as unknown as AnyKind);
  return kind;
}

for (const kind of Object.values(KINDS)) registerKind<AssignmentShape>(kind);
// A permission set's content (`aws.permission-sets`): a kind of its own shape, no principal.
registerKind<PermissionSetShape>(awsPermissionSet);
// A membership of an Entra group through PIM for groups, active or eligible: kinds of their own shape
// (a group, not a scope), which a step makes with `target: group:…`.
registerKind<GroupMembershipShape<'azure-group-active'>>(azureGroupActive);
registerKind<GroupMembershipShape<'azure-group-eligible'>>(azureGroupEligible);

/** The kind of a step's memberships of groups (`target: group:…`), by its word. */
export const groupKindOf = (type: AssignmentType): GroupMembershipKindName =>
  type === 'eligible' ? azureGroupEligible.kind : azureGroupActive.kind;

/** The kind registered under `name`; a name no kind has is a bug, not a kind to guess. */
export function kindNamed(name: KindName): AnyKind {
  const kind = registry.get(name);
  if (!kind) throw new Error(`no kind of access is named ${name}`);
  return kind;
}

/**
 * A planned assignment's kind and its key, that kind's: two kinds of one principal, role and
 * target are two entries of a plan, each written by its own kind's driver.
 */
export interface KeyedAs<N extends string> {
  kind: N;
  /** The kind's key: equal keys are one assignment. */
  key: string;
}

/**
 * Parts of one of a kind's assignments with the kind's name and key, built together so they never
 * disagree: the kind's own parts, whatever its shape.
 */
export const keyedBy = <S extends KindShape, P extends S['parts']>(
  kind: AccessKind<S>,
  parts: P,
): P & KeyedAs<S['name']> => ({ ...parts, kind: kind.kind, key: kind.key(parts) });

/** An assignment's parts with its kind (one of GRANT_KINDS) and that kind's key. */
export const keyedAs = <P extends AssignmentKeyParts>(kind: GrantKind, parts: P): P & KeyedAs<GrantKind> =>
  keyedBy<AssignmentShape, P>(KINDS[kind], parts);

/**
 * The key of a report row's assignment (principal, role, target as text): its kind's key of the
 * parts the kind reads from a row.
 */
export const rowKeyOf = (kind: KindName, row: ShownIds): string => {
  const k = kindNamed(kind);
  return k.key(k.partsOfRow(row));
};

/**
 * The kind a cloud's assignment list holds: what a reconcile, a sweep and a report read and key
 * (an active PIM assignment is listed by ARM as the role assignment it makes).
 */
export const LISTED_KIND = {
  aws: 'aws-account-assignment',
  azure: 'azure-role-assignment',
} as const satisfies Record<Cloud, GrantKind>;

/**
 * A kind's word (`assignmentType`) where it is not its cloud's plain kind (the one its assignment
 * list holds): what a plan line names a row's kind by. The plain kinds say nothing more.
 */
export function kindWordShown(name: KindName): AssignmentType | undefined {
  const kind = kindNamed(name);
  return (LISTED_KIND as Record<string, string>)[kind.cloud] === kind.kind ? undefined : kind.assignmentType;
}

/** The kinds of a cloud's assignments. */
export type KindOfCloud<C extends Cloud> = Extract<GrantKind, `${C}-${string}`>;

/**
 * `kind`, as a kind of `cloud`: what a grant of that cloud carries. A kind of another cloud is a
 * bug, not a grant to write.
 */
export function cloudKind<C extends Cloud>(cloud: C, kind: GrantKind): KindOfCloud<C> {
  if (KINDS[kind].cloud !== cloud) throw new Error(`${kind} is not a kind of ${cloud} access`);
  return kind as KindOfCloud<C>;
}

const kindsOf = (cloud: Cloud): AccessKind[] => Object.values(KINDS).filter((k) => k.cloud === cloud);

/**
 * The kind a step's grants are: its cloud's kind of the word (`assignment-type`) whose `duration`
 * rule fits whether the step gives one (Azure's two active kinds share the word: `duration` picks
 * PIM's).
 */
export function kindOf<C extends Cloud>(cloud: C, type: AssignmentType, timed: boolean): KindOfCloud<C> {
  const kind = kindsOf(cloud).find(
    (k) => k.assignmentType === type && (k.duration === 'optional' || (k.duration === 'required') === timed),
  );
  if (!kind) throw new Error(`${cloud} has no kind of access \`${type}\`${timed ? ' with a duration' : ''}`);
  return kind.kind as KindOfCloud<C>;
}

/**
 * The kind a step's grants are, by its settings (the adapter's, or those its post step loads):
 * memberships of groups (`target: group:…`) by the word alone, any other by `kindOf`.
 */
export function settingsKindOf<C extends Cloud>(settings: {
  cloud: C;
  assignmentType?: AssignmentType | undefined;
  groups?: unknown;
  duration?: unknown;
}): KindOfCloud<C> | GroupMembershipKindName {
  const type = settings.assignmentType ?? 'active';
  if (settings.groups) return groupKindOf(type);
  return kindOf(settings.cloud, type, settings.duration !== undefined);
}

/** The words a cloud's manifest entries may say (`type`), the default first. */
export const manifestTypes = (cloud: Cloud): AssignmentType[] =>
  kindsOf(cloud)
    .filter((k) => k.inManifest)
    .map((k) => k.assignmentType);

/** The kind a manifest entry of `cloud` makes, by its word (`type`): what a reconcile plans it as. */
export function manifestKind(cloud: Cloud, type: AssignmentType): AccessKind {
  const kind = kindsOf(cloud).find((k) => k.inManifest && k.assignmentType === type);
  if (!kind) throw new Error(`a ${cloud} manifest makes no kind of access \`${type}\``);
  return kind;
}

/** The key of an assignment of `kind`: built only by the kind's module. */
export const assignmentKey = (kind: GrantKind, parts: AssignmentKeyParts): string => KINDS[kind].key(parts);

/** The key of an assignment of `kind` from the IDs a grant resolved to. */
export const keyOfIds = (kind: GrantKind, ids: ResolvedIds): string =>
  assignmentKey(kind, {
    principalId: ids.principalId,
    principalType: ids.principalType ?? '',
    roleId: ids.roleId,
    targetId: targetIdOf(ids),
  });

/** A kind's saved IDs, by its own table: the state's every kind written by one method each. */
const savedOf = (kind: KindName) => kindNamed(kind).savedIds as unknown as AccessKind['savedIds'];

/**
 * Resolved IDs as the saved state holds them (the scope as its canonical text), written by the
 * kind the step wrote. IDs of another cloud than the kind's are a bug, not a state to save.
 */
export function savedIdsOf(kind: KindName, ids: ResolvedIds): SavedIds {
  if (ids.cloud !== kindNamed(kind).cloud) throw new Error(`${ids.cloud} IDs saved as ${kind}`);
  return savedOf(kind).write(ids as never);
}

/** Saved IDs read back by their kind: the grant they stand for, or why they are not valid. */
export const savedGrantOf = (
  kind: KindName,
  ids: SavedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Resolved<Grant> | string => savedOf(kind).read(ids, written, requestId);

/**
 * The principal type of a listed assignment's IDs, where it is part of the assignment's identity
 * (an AWS account assignment's); else none (an Azure object ID is one principal whatever its type).
 */
export const keyedPrincipalType = (ids: ResolvedIds): { principalType?: string } =>
  KINDS[LISTED_KIND[ids.cloud]].keyedByPrincipalType ? { principalType: ids.principalType } : {};
