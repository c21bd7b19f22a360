// What PIM for groups holds in some groups, with the evidence of who made each membership: each
// group's schedule instances (what is in force now, with its end) and schedules (the request each
// was made by, `createdUsing`), both kinds, in `$batch` requests (../graph/group-pim-reads.ts); then
// each request read once, for its `createdBy` and its `justification` (the action's marker). A
// request Graph no longer returns proves nothing: the membership is unproven. What a report, a
// reconcile and a sweep of groups read. Nothing here writes.
import { describeError } from '../../core/errors.js';
import type { AzureGroupRef } from '../../core/inputs/azure-group-refs.js';
import { GUID } from '../../core/patterns.js';
import { principalKey } from '../../core/principal-forms.js';
import { GraphError } from '../graph/client.js';
import type { Directory } from '../graph/directory.js';
import {
  groupPimOf,
  type GroupMembershipKind,
  type GroupPim,
  type GroupScheduleRequest,
} from '../graph/group-pim.js';
import { heldDirectly, readGroupMemberships, type GroupMembershipRecord } from '../graph/group-pim-reads.js';

/** One membership in force, with the request that made it (or why that request is not known). */
export interface GroupHolding {
  membership: GroupMembershipRecord;
  /** The request its schedule names, as Graph returns it. */
  request?: GroupScheduleRequest;
  /** Why there is no `request`: Graph no longer returns it, or the schedule names none. */
  unproven?: string;
}

export interface GroupHoldings {
  holdings: GroupHolding[];
  /** Groups (by ID) whose memberships could not be read, each with why: none of theirs is known. */
  unread: Map<string, string>;
  /** Graph requests sent (a `$batch` counts once). */
  requests: number;
}

const KINDS: readonly GroupMembershipKind[] = ['active', 'eligible'];

/**
 * Every membership of `groups`, each resolved by name or taken by its object ID (a name that
 * matches no group, or several, fails the step naming it), with the groups' object IDs.
 */
export async function readHoldingsOf(
  directory: Directory,
  groups: readonly AzureGroupRef[],
): Promise<GroupHoldings & { ids: string[] }> {
  const resolved = await directory.resolvePrincipals(groups);
  const ids = [...new Set(groups.map((g) => resolved.get(principalKey(g))!.objectId.toLowerCase()))];
  return { ids, ...(await readGroupHoldings(groupPimOf(directory), ids)) };
}

/** Every membership of each group (object IDs), active and eligible, with its request. */
export async function readGroupHoldings(pim: GroupPim, groupIds: readonly string[]): Promise<GroupHoldings> {
  const before = pim.calls.requests;
  const unread = new Map<string, string>();
  const found: { from: string; membership: GroupMembershipRecord; requestId: string | undefined }[] = [];
  for (const kind of KINDS) {
    const [instances, schedules] = await Promise.all([
      readGroupMemberships(pim, groupIds, kind, 'instances'),
      readGroupMemberships(pim, groupIds, kind, 'schedules'),
    ]);
    const requestOf = new Map<string, string>();
    for (const [group, answer] of [...instances, ...schedules]) {
      if (!answer.ok) unread.set(group, describeError(answer.failure));
      else
        for (const m of answer.memberships)
          if (m.scheduleId && m.createdUsing) requestOf.set(m.scheduleId, m.createdUsing);
    }
    for (const [group, answer] of instances)
      if (answer.ok && !unread.has(group))
        // One held through another group is that group's, listed as its member's: the group's own is read.
        for (const membership of answer.memberships.filter(heldDirectly))
          found.push({
            from: group,
            membership,
            requestId: membership.scheduleId && requestOf.get(membership.scheduleId),
          });
  }
  // A group one of whose reads failed is unread for both kinds: none of its memberships is known,
  // not even those of the kind read first (a sweep says it sweeps none of them, and must not).
  const known = found.filter(({ from }) => !unread.has(from));
  const holdings = await Promise.all(
    known.map(({ membership, requestId }) => withRequest(pim, membership, requestId)),
  );
  return { holdings, unread, requests: pim.calls.requests - before };
}

/** The membership with its request read; one Graph no longer returns leaves it unproven. */
async function withRequest(
  pim: GroupPim,
  membership: GroupMembershipRecord,
  requestId: string | undefined,
): Promise<GroupHolding> {
  if (membership.accessUnknown !== undefined)
    return {
      membership,
      unproven: `Graph names its access \`${membership.accessUnknown}\`, neither member nor owner`,
    };
  if (!requestId || !GUID.test(requestId)) return { membership, unproven: 'its schedule names no request' };
  try {
    const request = await pim.read(membership.kind, requestId);
    const other = otherMembershipOf(request, membership);
    if (other) return { membership, unproven: `the request its schedule names (${requestId}) made ${other}` };
    const changed = changedEndOf(request, membership);
    if (changed) return { membership, unproven: changed };
    return { membership, request };
  } catch (error) {
    if (!(error instanceof GraphError) || error.status !== 404) throw error;
    return { membership, unproven: `Graph no longer returns the request that made it (${requestId})` };
  }
}

/**
 * Whether the request a schedule names is for another membership than the one read (another
 * principal, group or access): in words, or undefined when it is this one's. Such a request proves
 * nothing of this membership, whoever sent it.
 */
function otherMembershipOf(request: GroupScheduleRequest, m: GroupMembershipRecord): string | undefined {
  const differs = (said: string | undefined, is: string) => (said ?? '').toLowerCase() !== is.toLowerCase();
  if (differs(request.principalId, m.principalId))
    return `another principal's membership (${request.principalId ?? 'none said'})`;
  if (differs(request.groupId, m.groupId))
    return `a membership of another group (${request.groupId ?? 'none said'})`;
  if (differs(request.accessId, m.access)) return `another access (${request.accessId ?? 'none said'})`;
  return undefined;
}

/** How far the end shown may stray from the end its request asked for (start times are the service's). */
const END_SLACK_MS = 5 * 60_000;

/**
 * Why the membership is not as its request made it, or undefined: it ends later than the request
 * asked, or never. An adminExtend or adminUpdate (an administrator's, say) keeps the schedule and
 * its `createdUsing`, so that request no longer proves whose the membership is.
 */
function changedEndOf(request: GroupScheduleRequest, m: GroupMembershipRecord): string | undefined {
  if (request.expiresAt === undefined) return undefined;
  const end = m.end === undefined ? Number.NaN : Date.parse(m.end);
  if (end <= Date.parse(request.expiresAt) + END_SLACK_MS) return undefined;
  return `it ends ${m.end === undefined ? 'never' : `at ${m.end}`}, not the end ${request.expiresAt} the request its schedule names (${request.id}) asked for: the schedule was changed since (an adminExtend or adminUpdate)`;
}
