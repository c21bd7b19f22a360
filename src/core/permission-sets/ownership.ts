// Whose a permission set is, by the tag `cloud-access:manifest` = `<owner>/<repo>:<manifest path>`
// that the step writes in CreatePermissionSet itself: a set carrying this manifest's value is its
// own (updated, and deleted once the manifest no longer defines it); one without the tag, or with
// another manifest's, is refused unless the entry says `adopt: true`. Anyone who may tag a
// permission set may also delete it: the tag proves what the step wrote only as far as tagging is
// held to the same people. Pure.
import { printable } from '../inputs/fields.js';
import { OWNERSHIP_TAG } from './fields.js';

/** What the step found of another owner: no tag, or another manifest's value. */
export type Found = { kind: 'untagged' } | { kind: 'foreign'; manifest: string };

export type Ownership =
  | { decision: 'create' }
  | { decision: 'own' }
  | { decision: 'adopt'; found: Found }
  | { decision: 'refuse'; found: Found; message: string; fix: string };

export const foundText = (found: Found) =>
  found.kind === 'untagged'
    ? `no \`${OWNERSHIP_TAG}\` tag`
    : `the \`${OWNERSHIP_TAG}\` tag of another manifest, \`${printable(found.manifest)}\``;

/**
 * The decision for a defined set: `tags` are the existing set's (undefined: no set of that name,
 * so it is created), `own` this manifest's tag value.
 */
export function ownershipOf(
  name: string,
  tags: Record<string, string> | undefined,
  own: string,
  adopt: boolean,
): Ownership {
  if (tags === undefined) return { decision: 'create' };
  const value = tags[OWNERSHIP_TAG];
  if (value === own) return { decision: 'own' };
  const found: Found = value === undefined ? { kind: 'untagged' } : { kind: 'foreign', manifest: value };
  if (adopt) return { decision: 'adopt', found };
  return {
    decision: 'refuse',
    found,
    message: `the permission set \`${printable(name)}\` exists with ${foundText(found)}: this manifest did not create it`,
    fix: 'write `adopt: true` on the entry to take it over (the plan shows the take-over), or choose another name',
  };
}

/** An existing set as the step read it: enough to say whose it is. */
export interface TaggedSet {
  name: string;
  arn: string;
  tags: Record<string, string>;
}

/** The sets carrying this manifest's tag that it no longer defines: planned `- delete`. */
export function setsToDelete(
  sets: readonly TaggedSet[],
  defined: readonly string[],
  own: string,
): TaggedSet[] {
  const names = new Set(defined);
  return sets.filter((s) => s.tags[OWNERSHIP_TAG] === own && !names.has(s.name));
}
