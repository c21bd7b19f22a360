// The snapshot after a run that started from one: the places and groups it read again replace
// theirs, the others stay, the watermark moves to this run's and the complete read's time does
// not. And `missed`: after a complete read, what the snapshot (for the places no delta touched)
// said differently, either way: an assignment the read found that the snapshot did not hold
// (`absent`), or one it held that the read did not find (`present`). A write CloudTrail never
// delivered, or an object edited in the bucket, shows here. Pure.
import type { Snapshot, SnapshotPrincipal } from './format.js';
import type { MissedPermissionSet } from './set-contents.js';

export const placeKey = (accountId: string, permissionSetArn: string) => `${accountId}|${permissionSetArn}`;

export function placeOf(key: string): { accountId: string; permissionSetArn: string } {
  const bar = key.indexOf('|');
  return { accountId: key.slice(0, bar), permissionSetArn: key.slice(bar + 1) };
}

const principalKey = (p: SnapshotPrincipal) => `${p.principalType}:${p.principalId}`;
const byPrincipal = (a: SnapshotPrincipal, b: SnapshotPrincipal) =>
  principalKey(a) < principalKey(b) ? -1 : principalKey(a) > principalKey(b) ? 1 : 0;

export interface Reread {
  places: ReadonlyMap<string, readonly SnapshotPrincipal[]>;
  groups: ReadonlyMap<string, Readonly<Record<string, string>>>;
  watermark: Date;
}

export function mergedSnapshot(snapshot: Snapshot, reread: Reread): Snapshot {
  const places = { ...snapshot.places };
  for (const [key, principals] of reread.places) places[key] = [...principals].sort(byPrincipal);
  const groups = { ...snapshot.groups };
  for (const [group, members] of reread.groups) groups[group] = { ...members };
  return { ...snapshot, places, groups, watermark: reread.watermark.toISOString() };
}

/** One entry of the `missed` output. */
export type Missed = MissedAssignment | MissedMembership | MissedPermissionSet;

/** A group member a complete read found otherwise than the snapshot kept (core/snapshot/memberships.ts missedMemberships). */
export interface MissedMembership {
  kind: 'membership';
  groupId: string;
  userId: string;
  /** `added`: a member the snapshot did not keep; `removed`: one it kept that the read did not find. */
  change: 'added' | 'removed';
}

export interface MissedAssignment {
  kind: 'assignment';
  accountId: string;
  permissionSetArn: string;
  principalType: SnapshotPrincipal['principalType'];
  principalId: string;
  /** What the snapshot said: `absent` (the read found it), `present` (the read did not). */
  was: 'absent' | 'present';
  /** The same, as the `missed` output's kinds all say it: `added` (was absent), `removed` (was present). */
  change: 'added' | 'removed';
}

/**
 * What the complete read found differently at the places the snapshot covered (its permission
 * sets, in its accounts) and no delta touched.
 */
export function missedBy(
  snapshot: Snapshot,
  complete: ReadonlyMap<string, readonly SnapshotPrincipal[]>,
  touched: ReadonlySet<string>,
): MissedAssignment[] {
  const sets = new Set(snapshot.permissionSets);
  const accounts = snapshot.accounts && new Set(snapshot.accounts);
  const covered = (key: string) => {
    const { accountId, permissionSetArn } = placeOf(key);
    return sets.has(permissionSetArn) && (accounts?.has(accountId) ?? true) && !touched.has(key);
  };
  const keys = [...new Set([...Object.keys(snapshot.places), ...complete.keys()])].filter(covered).sort();
  const missed: MissedAssignment[] = [];
  for (const key of keys) {
    const place = placeOf(key);
    const held = new Set((snapshot.places[key] ?? []).map(principalKey));
    const found = complete.get(key) ?? [];
    const foundKeys = new Set(found.map(principalKey));
    for (const p of [...found].sort(byPrincipal))
      if (!held.has(principalKey(p)))
        missed.push({ kind: 'assignment', ...place, ...p, was: 'absent', change: 'added' });
    for (const p of [...(snapshot.places[key] ?? [])].sort(byPrincipal))
      if (!foundKeys.has(principalKey(p)))
        missed.push({ kind: 'assignment', ...place, ...p, was: 'present', change: 'removed' });
  }
  return missed;
}
