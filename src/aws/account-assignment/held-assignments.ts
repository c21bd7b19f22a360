// The account assignments a report holds, put together from what its reads found: each one named as
// a reconcile's plan names its rows (../reads/names.ts), with the manifest entry that lists it and
// CloudTrail's history of it (./history.ts), both by one key, the kind's; with `expand-groups`, each
// group's users, named alike. Apart from the reader (../report.ts), which decides where to read:
// this reads nothing but the names.
import { placeKeyOf } from '../../core/claims/aws-writes.js';
import { LISTED_KIND } from '../../core/kinds/index.js';
import { principalKindOf } from '../../core/shown-names.js';
import type { GroupMember, HeldAssignment } from '../../engine/run/access-reader.js';
import { nameAwsRows, type AwsNameSources } from '../reads/names.js';
import type { ReadAssignment } from '../reads/every-assignment.js';
import type { AssignmentHistory } from './history.js';

/** What the report's reads found beside the assignments. */
export interface HeldFound {
  history: AssignmentHistory;
  /** By place key: the manifest entry that lists it (../manifest/entries.ts). */
  listed: Map<string, { path: string; line: number }>;
  /** With `expand-groups`: each group's users' IDs, by the group's ID. */
  members: Map<string, string[]> | undefined;
}

/** The held assignments and the groups' members, named; what could not be named, as notes. */
export async function heldAssignments(
  assignments: ReadAssignment[],
  found: HeldFound,
  sources: Omit<AwsNameSources, 'permissionSets'>,
): Promise<{ held: HeldAssignment[]; members?: Map<string, GroupMember[]>; notes: string[] }> {
  const { session } = sources;
  const { history, listed, members } = found;
  const rows = assignments.map((a) => ({
    principalId: a.principalId,
    principalType: a.principalType,
    roleId: a.permissionSetArn,
    targetId: a.accountId,
  }));
  const naming = await nameAwsRows([...rows, ...memberRowsOf(members, rows)], {
    ...sources,
    permissionSets: new Map(),
  });
  // With every lookup answered, a principal still unnamed is one the store no longer holds.
  const named = naming.notes.length === 0;
  const gone = (id: string) => named && !session.principalNames.has(id);
  const held = assignments.map((a): HeldAssignment => {
    const names = naming.nameOf({
      principalId: a.principalId,
      principalType: a.principalType,
      roleId: a.permissionSetArn,
      targetId: a.accountId,
    });
    // One key for the manifest's entries and the runs' evidence: the kind's (core/kinds/).
    const key = placeKeyOf(placeOf(a));
    return {
      kind: LISTED_KIND.aws,
      principal: {
        id: a.principalId,
        name: names.principal,
        kind: principalKindOf(a.principalType),
        ...(gone(a.principalId) ? { gone: true } : {}),
      },
      role: { id: a.permissionSetArn, name: names.role },
      target: { id: a.accountId, name: names.target },
      manifest: listed.get(key),
      ...history.runs.get(key),
      granted: history.granted.get(key),
    };
  });
  return {
    held,
    ...(members ? { members: membersOf(members, session.principalNames) } : {}),
    notes: naming.notes,
  };
}

/** An assignment's place: what its key is built from, and its history read for. */
export const placeOf = (a: ReadAssignment) => ({
  principalType: a.principalType,
  principalId: a.principalId,
  permissionSetArn: a.permissionSetArn,
  accountId: a.accountId,
});

function membersOf(members: Map<string, string[]>, names: Map<string, string>): Map<string, GroupMember[]> {
  return new Map(
    [...members].map(([group, users]) => [
      group.toLowerCase(),
      users.map((id): GroupMember => ({ id, name: names.get(id) || undefined, kind: 'user' })),
    ]),
  );
}

/**
 * The rows that name a group's members: members need their names only, so each takes a role and
 * an account already named, and naming them describes nothing more.
 */
function memberRowsOf(
  members: Map<string, string[]> | undefined,
  rows: { roleId: string; targetId: string }[],
): { principalId: string; principalType: 'USER'; roleId: string; targetId: string }[] {
  return [...(members?.values() ?? [])].flat().map((id) => ({
    principalId: id,
    principalType: 'USER' as const,
    roleId: rows[0]?.roleId ?? '',
    targetId: rows[0]?.targetId ?? '',
  }));
}
