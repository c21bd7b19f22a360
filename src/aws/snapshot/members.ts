// A snapshot's groups, for a report with `expand-groups`: each group's members as user ID →
// membership ID (DeleteGroupMembership names only the membership, so the snapshot says whose group
// it was), read again only where a membership write touched the group or the snapshot lacks it; a
// deleted group keeps no member rows and is not read. The memberships a read no longer finds are
// kept with their group and user for 24 hours (core/snapshot/memberships.ts).
import { MEMBERSHIP_ID, type Snapshot } from '../../core/snapshot/format.js';
import { removedMemberships } from '../../core/snapshot/memberships.js';
import { groupMemberships } from '../directory/group-members.js';
import type { SsoSession } from '../sso/session.js';

/**
 * The groups' members: the snapshot's where no membership write touched them, the others read; the
 * snapshot to keep holds what was read (a group whose membership IDs are not the store's shape is
 * read again next time rather than kept), and how many groups were read.
 */
export async function membersOf(
  session: SsoSession,
  groups: readonly string[],
  known: Snapshot['groups'],
  kept: { next: Snapshot; previous: Snapshot | undefined; now: number },
): Promise<{ members: Map<string, string[]>; read: number }> {
  const { next } = kept;
  const wanted = [...new Set(groups)];
  const toRead = wanted.filter((g) => !Object.hasOwn(known, g));
  const read =
    toRead.length > 0 ? await groupMemberships(session, session.identityStore!, toRead) : new Map();
  next.groups = { ...known };
  for (const [group, members] of read)
    if ([...members.values()].every((m) => MEMBERSHIP_ID.test(m)))
      next.groups[group] = Object.fromEntries(members);
  next.removedMemberships = removedMemberships(kept.previous, next.groups, kept.now);
  return {
    members: new Map(
      wanted.map((g) => [g, read.has(g) ? [...read.get(g)!.keys()] : Object.keys(known[g] ?? {})]),
    ),
    read: toRead.length,
  };
}
