// A snapshot's group members after CloudTrail's membership writes: the groups no write touched
// keep their rows, a deleted group keeps none (its members go with it; its assignments stay,
// orphaned, as AWS keeps them), a deleted user's rows go; and the memberships a re-read no longer
// found, kept with their group and user for 24 hours, so a DeleteGroupMembership (which names only
// the membership) seen again inside CloudTrail's overlap still resolves without reading every
// group. And the principals kept with their names, less those CloudTrail says changed; and the
// names of the principals a plan shows, kept as display text only, less the same. Pure.
import { IDENTITY_STORE_PRINCIPAL_ID } from '../patterns.js';
import { isPlainName, type KeptPrincipal, type RemovedMembership, type Snapshot } from './format.js';
import type { Touched } from './events.js';
import type { MissedMembership } from './merge.js';

/** How long a removed membership's group and user are kept. */
export const REMOVED_MEMBERSHIP_KEPT_MS = 24 * 3_600_000;

/** The groups whose members still hold, by group: `{}` for a deleted group, none when every group is read again. */
export function keptGroups(
  snapshot: Snapshot,
  touched: Pick<Touched, 'everyGroup' | 'groups' | 'deletedGroups' | 'deletedUsers'>,
): Snapshot['groups'] {
  if (touched.everyGroup) return {};
  const kept: Snapshot['groups'] = {};
  for (const [group, members] of Object.entries(snapshot.groups))
    if (!touched.groups.has(group))
      kept[group] = Object.fromEntries(
        Object.entries(members).filter(([user]) => !touched.deletedUsers.has(user)),
      );
  for (const group of touched.deletedGroups) kept[group] = {};
  return kept;
}

/**
 * After a complete read: the members the previous snapshot kept otherwise than the groups read now
 * hold, in each group it kept and read again that no write since explains (one that names the
 * group, deletes it, or deletes the user; none when a write named no group, since the delta read
 * every group again then). A group not read now says nothing.
 */
export function missedMemberships(
  kept: Snapshot['groups'],
  read: Snapshot['groups'],
  touched: Pick<Touched, 'everyGroup' | 'groups' | 'deletedGroups' | 'deletedUsers'>,
): MissedMembership[] {
  if (touched.everyGroup) return [];
  const missed: MissedMembership[] = [];
  const explained = (group: string) => touched.groups.has(group) || touched.deletedGroups.has(group);
  for (const groupId of Object.keys(kept).sort()) {
    const now = read[groupId];
    if (!now || explained(groupId)) continue;
    const was = kept[groupId]!;
    const users = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
    for (const userId of users) {
      if (touched.deletedUsers.has(userId) || Object.hasOwn(was, userId) === Object.hasOwn(now, userId))
        continue;
      missed.push({
        kind: 'membership',
        groupId,
        userId,
        change: Object.hasOwn(now, userId) ? 'added' : 'removed',
      });
    }
  }
  return missed;
}

/**
 * The removed memberships to keep: the previous snapshot's younger than 24 hours, and each of its
 * rows that the groups now held no longer hold (a group absent from `groups` was not read: its rows
 * are not taken as removed).
 */
export function removedMemberships(
  previous: Pick<Snapshot, 'groups' | 'removedMemberships'> | undefined,
  groups: Snapshot['groups'],
  now: number,
): Record<string, RemovedMembership> {
  const kept: Record<string, RemovedMembership> = {};
  if (!previous) return kept;
  for (const [id, removed] of Object.entries(previous.removedMemberships))
    if (now - Date.parse(removed.removedAt) <= REMOVED_MEMBERSHIP_KEPT_MS) kept[id] = removed;
  for (const [group, members] of Object.entries(previous.groups)) {
    const held = groups[group];
    if (!held) continue;
    for (const [user, id] of Object.entries(members))
      if (held[user] !== id) kept[id] = { group, user, removedAt: new Date(now).toISOString() };
  }
  return kept;
}

/** The kept principals still good: none deleted, renamed, or a member of a group SCIM patched (PatchGroup may rename it). */
export function keptPrincipals(snapshot: Snapshot, touched: PrincipalChanges): Record<string, KeptPrincipal> {
  const gone = changedSince(touched);
  return Object.fromEntries(Object.entries(snapshot.principals).filter(([id]) => !gone(id)));
}

type PrincipalChanges = Pick<
  Touched,
  'everyPrincipal' | 'changedPrincipals' | 'deletedGroups' | 'deletedUsers' | 'groups'
>;

/** Whether CloudTrail's writes since may have renamed or deleted the principal (every one, when a write named none). */
function changedSince(touched: PrincipalChanges): (id: string) => boolean {
  if (touched.everyPrincipal) return () => true;
  const gone = new Set([...touched.changedPrincipals, ...touched.deletedGroups, ...touched.deletedUsers]);
  return (id) => gone.has(id);
}

/**
 * The user names and group display names the snapshot kept (its `names` of Identity Store IDs)
 * that no write since may have changed: an UpdateGroup or UpdateUser (the store's API, the
 * console), SCIM's user writes and PatchGroup, a delete. They only label the plan's rows: never
 * the ground of a write, whose principal is the one its ID (resolved or confirmed this run) says.
 */
export function keptPrincipalNames(
  names: Readonly<Record<string, string>> | undefined,
  touched: PrincipalChanges,
): Record<string, string> {
  const gone = changedSince(touched);
  return Object.fromEntries(
    Object.entries(names ?? {}).filter(([id]) => IDENTITY_STORE_PRINCIPAL_ID.test(id) && !gone(id)),
  );
}

/** The names the step knows of the principals assigned at the places kept: the next run's labels. */
export function principalNamesAt(
  places: Snapshot['places'],
  known: ReadonlyMap<string, string>,
  /** The groups whose members the run shows (a report's `expand-groups`): their users' names too. */
  groups: Snapshot['groups'] = {},
): Record<string, string> {
  const names: Record<string, string> = {};
  const keep = (id: string) => {
    const name = known.get(id);
    if (name && isPlainName(name)) names[id] = name;
  };
  for (const principals of Object.values(places)) for (const { principalId } of principals) keep(principalId);
  for (const members of Object.values(groups)) for (const user of Object.keys(members)) keep(user);
  return names;
}
