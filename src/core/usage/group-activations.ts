// Who last used an eligible membership of a group (PIM for groups): its newest activation, read from
// the assignment schedule requests Microsoft Graph lists for the group
// (`identityGovernance/privilegedAccess/group/assignmentScheduleRequests`, see
// src/azure/group/usage.ts). An activation is a request with `action` `selfActivate` (the person
// activates their eligible membership: privilegedAccessGroupAssignmentScheduleRequest's actions,
// https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupassignmentschedulerequest) that ended `Provisioned`, the status a request
// that took effect shows (__tests__/fixtures/contracts/azure/graph-v1.0/pim-groups/assignmentScheduleRequests-get.json); a denied,
// failed, cancelled or pending one activated nothing, and an admin's request is no one's use. It is a
// use of the row of that principal, group and access (`member` / `owner`) only: a membership of
// another access, group or person is not this one. The requests are counted as kept as long as
// ARM's are (./activations.ts ACTIVATIONS_KEPT_MS): no Microsoft page states how long Graph keeps
// them. Every field came from a server and is checked for its shape. Pure.
import { GUID } from '../patterns.js';
import { activationsIn } from './activations.js';
import type { NameSpan } from './last-used.js';
import type { NotAUse, SignIn } from './sign-ins.js';

/** A group's assignment schedule request as Graph lists it: every field as the server sent it. */
export type ListedGroupRequest = Record<string, unknown>;

/** One activation of an eligible membership: who, which group, which access, when. */
export interface GroupActivation {
  /** The request's ID (a GUID, lower case): the row's `lastUsedEvent`. */
  id: string;
  /** Epoch ms: the request's `createdDateTime`. */
  at: number;
  /** Lower case. */
  principalId: string;
  /** Lower case. */
  groupId: string;
  access: 'member' | 'owner';
}

/** An eligible membership's row, as the join needs it. */
export interface GroupActivatedRow {
  principalId: string;
  groupId: string;
  /** The row's role: its access (`member` / `owner`). */
  access: string;
  /** Where the row is shown: the group's ID as the row has it. */
  targetId: string;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);

/** The activation a listed request stands for, or why it is none. */
export function groupActivationOf(
  r: ListedGroupRequest,
): { activation: GroupActivation } | { notAUse: NotAUse } {
  // Graph writes its enums by their members' names (`selfActivate`); read without regard to case.
  if (lower(r.action) !== 'selfactivate') return { notAUse: 'other-event' };
  if (r.status !== 'Provisioned') return { notAUse: 'error' };
  const at = typeof r.createdDateTime === 'string' ? Date.parse(r.createdDateTime) : NaN;
  const access = lower(r.accessId);
  const ids = [r.id, r.principalId, r.groupId];
  if (
    !ids.every((id) => typeof id === 'string' && GUID.test(id)) ||
    (access !== 'member' && access !== 'owner') ||
    !Number.isFinite(at)
  )
    return { notAUse: 'malformed' };
  const [id, principalId, groupId] = ids.map((v) => (v as string).toLowerCase()) as [string, string, string];
  return { activation: { id, at, principalId, groupId, access } };
}

/** The requests' activations, and how many of each other sort were read. */
export const groupActivationsOf = (requests: Iterable<ListedGroupRequest>) =>
  activationsIn(requests, groupActivationOf);

/**
 * The activations as the report's join takes sign-ins: each activation by a row's principal of its
 * group and access a sign-in of that person to the row's target (the group) under the row's access
 * as the set's name, through the person's own membership (never one they hold through a group);
 * and those names, each its own.
 */
export function groupActivationSignIns(
  rows: readonly GroupActivatedRow[],
  activations: readonly GroupActivation[],
): { signIns: SignIn[]; roleNames: NameSpan[] } {
  const signIns = new Map<string, SignIn>();
  for (const row of rows) {
    const principalId = row.principalId.toLowerCase();
    const groupId = row.groupId.toLowerCase();
    for (const a of activations) {
      if (a.principalId !== principalId || a.groupId !== groupId || a.access !== row.access.toLowerCase())
        continue;
      signIns.set(`${a.id}|${row.targetId}|${row.access}`, {
        eventId: a.id,
        at: a.at,
        userId: a.principalId,
        accountId: row.targetId,
        setName: row.access,
        through: principalId,
      });
    }
  }
  const roleNames = [...new Set(rows.map((r) => r.access))].map((id) => ({ id, name: id }));
  return { signIns: [...signIns.values()], roleNames };
}
