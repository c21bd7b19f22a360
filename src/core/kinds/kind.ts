// The kinds of access a grant can be. A grant has a cloud and a kind: what the cloud holds it as,
// and so how it is keyed, saved, read, written, swept and reported. Each kind is one module of
// this room (aws-account-assignment.ts, azure-role-assignment.ts, azure-pim-active.ts), registered
// in ./index.ts. Pure.
import type { Cloud } from '../types.js';

export const GRANT_KINDS = ['aws-account-assignment', 'azure-role-assignment', 'azure-pim-active'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

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

/** Where an AWS assignment lives, beyond its IDs: the instance (when known) and its Region (when said). */
export interface RemovalPlace {
  instanceArn?: string | undefined;
  region?: string | undefined;
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

/** What every kind of access says of itself. */
export interface AccessKind<K extends GrantKind = GrantKind> {
  kind: K;
  cloud: Cloud;
  /**
   * The one spelling of an assignment's identity: equal keys are one assignment of this kind. It
   * starts with the kind, so that two kinds of one principal, role and target never share a key.
   */
  key(parts: AssignmentKeyParts): string;
  /** How a person removes one by hand: the cloud's own command (or request), with its IDs. */
  removeByHand(parts: RemovalParts, place?: RemovalPlace): string;
}
