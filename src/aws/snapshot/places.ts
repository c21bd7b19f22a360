// The places a snapshot read works with (./delta-read.ts): the assignments by place, the places a
// read covers, and those where the plan would write, which are read again before it does.
import { placeKey, placeOf } from '../../core/snapshot/merge.js';
import type { SnapshotPrincipal } from '../../core/snapshot/format.js';
import type { ReadAssignment, ReadScope } from '../reads/every-assignment.js';

/** An assignment the manifest asks for, at its place. */
export interface DesiredAt {
  accountId: string;
  permissionSetArn: string;
  principalType: string;
  principalId: string;
}

export type Places = Map<string, SnapshotPrincipal[]>;
const assignmentKey = (a: { principalType: string; principalId: string }) =>
  `${a.principalType}:${a.principalId}`;

/** The places a read covers: the managed ones, and the desired ones. */
export function scopeOf(scope: ReadScope, desired: readonly DesiredAt[]) {
  const sets = new Set(scope.managedPermissionSets);
  const managed = (key: string) => {
    const { accountId, permissionSetArn } = placeOf(key);
    return sets.has(permissionSetArn) && (scope.managedAccounts?.has(accountId) ?? true);
  };
  const desiredKeys = new Set([
    ...desired.map((d) => placeKey(d.accountId, d.permissionSetArn)),
    ...scope.desiredPlaces.map((d) => placeKey(d.accountId, d.permissionSetArn)),
  ]);
  return { managed, desired: desiredKeys, has: (key: string) => managed(key) || desiredKeys.has(key) };
}

/** The places where the plan would create (a desired assignment missing) or delete (a managed one not desired). */
export function placesThePlanChanges(
  places: Places,
  desired: readonly DesiredAt[],
  managed: (key: string) => boolean,
): Set<string> {
  const wanted = new Map<string, Set<string>>();
  for (const d of desired) {
    const key = placeKey(d.accountId, d.permissionSetArn);
    wanted.set(key, (wanted.get(key) ?? new Set()).add(assignmentKey(d)));
  }
  const changes = new Set<string>();
  for (const [key, keys] of wanted) {
    const held = new Set((places.get(key) ?? []).map(assignmentKey));
    if ([...keys].some((k) => !held.has(k))) changes.add(key);
  }
  for (const [key, principals] of places)
    if (managed(key) && principals.some((p) => !wanted.get(key)?.has(assignmentKey(p)))) changes.add(key);
  return changes;
}

/** The permission sets of the places where the plan would create or delete. */
export function setsWrittenAt(places: Places, desired: readonly DesiredAt[], scope: ReadScope): string[] {
  const changes = placesThePlanChanges(places, desired, scopeOf(scope, desired).managed);
  return [...changes].map((key) => placeOf(key).permissionSetArn);
}

/** The assignments by place, with every desired place read (empty when none is there). */
export function placesOf(assignments: readonly ReadAssignment[], desired: readonly DesiredAt[]): Places {
  const places: Places = new Map();
  for (const a of assignments) {
    const key = placeKey(a.accountId, a.permissionSetArn);
    places.set(key, [
      ...(places.get(key) ?? []),
      { principalType: a.principalType, principalId: a.principalId },
    ]);
  }
  for (const d of desired) {
    const key = placeKey(d.accountId, d.permissionSetArn);
    if (!places.has(key)) places.set(key, []);
  }
  return places;
}
