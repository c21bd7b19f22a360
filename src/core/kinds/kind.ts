// The kinds of access a grant can be. A grant has a cloud and a kind: what the cloud holds it as,
// and so how it is keyed, saved, read, written, swept and reported. Each kind is one module of
// this room (aws-account-assignment.ts, azure-role-assignment.ts, azure-pim-active.ts,
// azure-pim-eligible.ts), registered in ./index.ts. A kind owns its shape (KindShape): what its
// key compares, what a person removes one by and what its saved IDs stand for are its own types,
// so a kind of another shape than an assignment's (a principal's membership of a group, a
// permission set's content) is a module and a registration, not a change to every kind. Pure.
import type {
  AssignmentType,
  AwsGrant,
  AzureGrant,
  Cloud,
  Grant,
  GrantKind,
  IdsOf,
  WrittenGrant,
} from '../types.js';

export { GRANT_KINDS, type GrantKind } from '../types.js';

export { ASSIGNMENT_TYPES, type AssignmentType } from '../types.js';

/** The cloud a kind's assignments live in: the first word of its name. */
export type CloudOf<K extends GrantKind> = K extends `${infer C extends Cloud}-${string}` ? C : never;
/** The assignment grants of a cloud (principal × role × target): what the kinds named among GRANT_KINDS make. */
export type GrantOf<C extends Cloud> = Extract<AwsGrant | AzureGrant, { cloud: C }>;
/** A grant with the IDs it was saved with. */
export type Resolved<G extends Grant> = G & { resolved: IdsOf<G> };

/** An entry's IDs as the saved state holds them: text. */
export interface SavedIds {
  principalId: string;
  /** AWS: the account ID. Azure: the full, normalised scope. */
  targetId: string;
  /** AWS: the permission set ARN. Azure: the role definition ID. */
  roleId: string;
  /** Azure: the role assignment (or, with `duration`, the PIM request) name written. */
  name?: string;
  /** The type written (AWS `USER` / `GROUP`, ARM's `User` …): the post step's rows show the kind. */
  principalType?: string;
}

/**
 * A kind's IDs in the saved state (core/state/saved-state.ts): written as text, and read back
 * checked against the cloud's patterns into what they stand for (`S['saved']`: an assignment
 * kind's, its grant with the IDs it was saved with). The format on disk is one per kind, and a
 * post step reads what an older main step wrote.
 */
export interface SavedIdsOfKind<S extends Pick<KindShape, 'ids' | 'saved'>> {
  write(ids: S['ids']): SavedIds;
  /** What the IDs stand for, or why they are not valid. */
  read(ids: SavedIds, written: WrittenGrant, requestId: string | undefined): S['saved'] | string;
}

/** One assignment, by the IDs the cloud knows it by: what a kind's key compares. */
export interface AssignmentKeyParts {
  principalId: string;
  /** AWS `USER` / `GROUP` ('' when a post step's saved IDs carry none); Azure `User`, `Group` … */
  principalType: string;
  /** Permission set ARN, or role definition ID. */
  roleId: string;
  /** Account ID, or scope, as text. */
  targetId: string;
}

/** An assignment as a person removes it by hand: its IDs, as the step resolved or saved them. */
export interface RemovalParts {
  principalId: string;
  /** AWS: the type it was written as, when known. */
  principalType?: string | undefined;
  roleId: string;
  /** Account ID, or scope, as text. */
  targetId: string;
  /** Azure: the role assignment name (GUID) it was written under, when known. */
  name?: string | undefined;
}

/**
 * What a kind is made of, as types: its name and cloud, what its key compares (`parts`), what a
 * person removes one by (`removal`), the IDs a step resolves one to (`ids`), and what its saved
 * IDs read back as (`saved`). Each kind says its own; the kinds this action writes are
 * assignments (AssignmentShape).
 */
export interface KindShape {
  name: string;
  cloud: Cloud;
  parts: object;
  removal: object;
  ids: object;
  saved: object;
}

/** The shape of a principal × role × target assignment: every kind this action writes today. */
export interface AssignmentShape<K extends GrantKind = GrantKind> extends KindShape {
  name: K;
  cloud: CloudOf<K>;
  parts: AssignmentKeyParts;
  removal: RemovalParts;
  ids: IdsOf<GrantOf<CloudOf<K>>>;
  saved: Resolved<GrantOf<CloudOf<K>>>;
}

/** A kind's shape: its own, or, for a kind named among GRANT_KINDS, an assignment's. */
export type ShapeOf<K extends GrantKind | KindShape> = K extends KindShape
  ? K
  : K extends GrantKind
    ? AssignmentShape<K>
    : never;

/**
 * A row of the report as text: the principal, the role (what it gives) and the target (where),
 * which every kind's assignments are shown by, whatever their shape.
 */
export interface ShownIds {
  principalId: string;
  roleId: string;
  targetId: string;
}

/** An assignment's key parts from a report's row: its IDs, with no principal type (a row holds none). */
export const assignmentPartsOfRow = (row: ShownIds): AssignmentKeyParts => ({
  principalId: row.principalId,
  principalType: '',
  roleId: row.roleId,
  targetId: row.targetId,
});

/** Where an AWS assignment lives, beyond its IDs: the instance (when known) and its Region (when said). */
export interface RemovalPlace {
  instanceArn?: string | undefined;
  region?: string | undefined;
}

/**
 * A change one write of a kind makes: `create`, `update` (rewritten in place), `provision` (its
 * content pushed to where it is held: a permission set's accounts), `delete`.
 */
export type WriteChange = 'create' | 'update' | 'provision' | 'delete';

/** The writes of one kind that make one change: `aws-account-assignment` `delete`, … */
export interface WriteRef {
  kind: string;
  change: WriteChange;
}

/**
 * Order a kind declares between its writes and another kind's, in any plan that holds both: each
 * of its `change` writes ends before every `before` write starts, or starts only once every
 * `after` write has ended. Order, not need: a write that needs another's answer (an assignment of
 * a set still to be created) says so in the plan itself (engine/calls/write-plan.ts).
 */
export type KindOrder =
  | { change: WriteChange; before: WriteRef; after?: never }
  | { change: WriteChange; after: WriteRef; before?: never };

/** A noun, in the singular and the plural. */
export interface CalledAs {
  one: string;
  many: string;
}

/**
 * `value` as one POSIX shell word: bare when it holds only the characters IDs are made of, else in
 * single quotes. A scope under a resource may hold `$`, backticks, quotes, `;` or `(`, and a
 * placeholder `<`: a removal command copied into a shell deletes that grant and runs nothing else.
 */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `--name value`, the value one shell word. */
export const shellOption = (name: string, value: string): string => `--${name} ${shellWord(value)}`;

/**
 * What every kind of access says of itself, over its own shape (`K`: a name among GRANT_KINDS, an
 * assignment; or a KindShape of its own).
 */
export interface AccessKind<K extends GrantKind | KindShape = GrantKind> {
  kind: ShapeOf<K>['name'];
  cloud: ShapeOf<K>['cloud'];
  /** The word a person uses for it (`assignment-type`, a manifest's `type`, the report's `kind`). */
  assignmentType: AssignmentType;
  /**
   * The one spelling of an assignment's identity: equal keys are one assignment of this kind. It
   * starts with the kind, so that two kinds of one principal, role and target never share a key.
   */
  key(parts: ShapeOf<K>['parts']): string;
  /**
   * Its key parts from a report's row (principal, role, target as text): how rows of two reports
   * are found to be one assignment. A row holds no principal type.
   */
  partsOfRow(row: ShownIds): ShapeOf<K>['parts'];
  /**
   * What `duration` is to it: `none`, it takes none (an Azure role assignment is permanent);
   * `required`, it is made only with one (an Azure assignment made active through PIM);
   * `optional`, its length when given. A step's kind is its cloud's of its word whose rule fits
   * (core/kinds/index.ts, kindOf).
   */
  duration: 'none' | 'optional' | 'required';
  /** Whether it carries an ABAC condition (`condition`) when made. */
  condition: boolean;
  /** Whether a reconcile's manifest makes it: an entry's `type` is then the kind's word. */
  inManifest: boolean;
  /** Whether the principal type is part of the key, and so named wherever its IDs are. */
  keyedByPrincipalType: boolean;
  /** How a person removes one by hand: the cloud's own command (or request), with its IDs. */
  removeByHand(parts: ShapeOf<K>['removal'], place?: RemovalPlace): string;
  /**
   * What a sentence calls one where "grant" would mislead (an eligibility grants nothing until it
   * is activated): the post step's words for one the cloud ends itself. Absent: a time-bound grant.
   */
  called?: CalledAs;
  /** Its IDs as the post step's saved state holds them. */
  savedIds: SavedIdsOfKind<{ ids: ShapeOf<K>['ids']; saved: ShapeOf<K>['saved'] }>;
  /** Its writes' order to other kinds' writes (KindOrder); none: it needs none. */
  order?: readonly KindOrder[];
}
