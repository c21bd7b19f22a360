// PIM for groups as Graph v1.0 shows it: a request settled to its outcome once its provisioning
// time has passed (an adminAssign makes a schedule, an adminRemove ends one), and the requests,
// schedules and instances rendered in the shapes of Graph's documented examples
// (__tests__/fixtures/contracts/azure/graph-v1.0/pim-groups/). Enum values are written as Graph's
// metadata names its members, in lower camel case (`memberType` `direct` | `group`,
// `assignmentType` `assigned` | `activated`): the documented examples' `Direct` and `Assigned` are
// hand-written, and Graph serialises an enum by its member's name.
import { createHash, randomUUID } from 'node:crypto';
import type { AzureState } from '../tenant/state.js';
import type { GroupPimKind, GroupRequestRecord, GroupScheduleRecord } from '../tenant/pim-groups-records.js';

/** Statuses a request waits in: it has not taken effect (nor will, until something changes). */
export const PENDING_STATUSES = new Set([
  'PendingProvisioning',
  'PendingApproval',
  'PendingApprovalProvisioning',
  'PendingAdminDecision',
  'PendingEvaluation',
  'Accepted',
  'Granted',
]);

/** Requests whose provisioning time has passed take their outcome, and make or end their schedule. */
export function settleGroupPim(state: AzureState, now: number = Date.now()): void {
  const store = state.groupPim;
  for (const r of store.requests) {
    if (r.completedAt !== null || r.settleAt > now) continue;
    r.status = r.outcome;
    // A request that waits for someone (a fault's PendingApproval) never takes effect by itself.
    if (PENDING_STATUSES.has(r.outcome)) continue;
    r.completedAt = now;
    if (r.outcome === 'Provisioned' && r.action === 'adminAssign') store.schedules.push(scheduleOf(r, now));
    if (r.outcome === 'Revoked' && r.action === 'adminRemove') {
      const ended = store.schedules.find((s) => s.id === r.targetScheduleId && s.removedAt === undefined);
      if (ended) {
        ended.removedAt = now;
        ended.modifiedAt = now;
      }
    }
  }
}

function scheduleOf(r: GroupRequestRecord, now: number): GroupScheduleRecord {
  const start = Math.max(Date.parse(r.startDateTime), r.createdAt);
  const end = endOf(r, start);
  return {
    id: r.targetScheduleId,
    instanceId: `${r.groupId}_${r.accessId}_${randomUUID()}`,
    instanceAt: r.instanceAt,
    kind: r.kind,
    accessId: r.accessId,
    principalId: r.principalId,
    groupId: r.groupId,
    start,
    end,
    expiration: r.expiration,
    createdUsing: r.id,
    createdAt: now,
    modifiedAt: now,
  };
}

/** The end of a request's window (ms), null for none. */
function endOf(r: GroupRequestRecord, start: number): number | null {
  if (r.expiration.type === 'afterDateTime' && r.expiration.endDateTime)
    return Date.parse(r.expiration.endDateTime);
  if (r.expiration.type === 'afterDuration') return start + (r.durationMs ?? 0);
  return null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const collection = (kind: GroupPimKind, what: string) => `${kind}Schedule${what}`;

/** `@odata.context` of a collection of `kind` (`Requests`, `Schedules`, `Instances`). */
export const contextOf = (graph: string, kind: GroupPimKind, what: string, entity = false) =>
  `${graph}/v1.0/$metadata#identityGovernance/privilegedAccess/group/${collection(kind, what)}${entity ? '/$entity' : ''}`;

export function renderRequest(r: GroupRequestRecord): Record<string, unknown> {
  return {
    id: r.id,
    status: r.status,
    completedDateTime: iso(r.completedAt),
    createdDateTime: iso(r.createdAt),
    approvalId: null,
    customData: null,
    createdBy: r.createdBy,
    action: r.action,
    isValidationOnly: false,
    justification: r.justification,
    scheduleInfo: { startDateTime: r.startDateTime, recurrence: null, expiration: r.expiration },
    ticketInfo: { ticketNumber: r.ticketNumber, ticketSystem: r.ticketSystem },
    principalId: r.principalId,
    accessId: r.accessId,
    groupId: r.groupId,
    targetScheduleId: r.targetScheduleId,
  };
}

export function renderSchedule(s: GroupScheduleRecord): Record<string, unknown> {
  return {
    id: s.id,
    accessId: s.accessId,
    groupId: s.groupId,
    principalId: s.principalId,
    memberType: 'direct',
    ...(s.kind === 'assignment' ? { assignmentType: 'assigned' } : {}),
    status: 'Provisioned',
    createdDateTime: iso(s.createdAt),
    modifiedDateTime: iso(s.modifiedAt),
    createdUsing: s.createdUsing,
    scheduleInfo: { startDateTime: iso(s.start), recurrence: null, expiration: s.expiration },
  };
}

/**
 * An instance in force: the schedule's principal's own (`direct`), or, `through` a group that holds
 * the schedule, one of that group's (transitive) members' (`group`), under the group's schedule.
 */
export function renderInstance(s: GroupScheduleRecord, through?: string): Record<string, unknown> {
  return {
    id: through === undefined ? s.instanceId : memberInstanceId(s, through),
    principalId: through ?? s.principalId,
    startDateTime: iso(s.start),
    endDateTime: iso(s.end),
    accessId: s.accessId,
    groupId: s.groupId,
    memberType: through === undefined ? 'direct' : 'group',
    ...(s.kind === 'assignment'
      ? { assignmentType: 'assigned', assignmentScheduleId: s.id }
      : { eligibilityScheduleId: s.id }),
  };
}

/** A member's instance's ID, the same at every read: `<groupId>_<accessId>_<GUID>` as Graph's are. */
function memberInstanceId(s: GroupScheduleRecord, member: string): string {
  const h = createHash('sha256').update(`${s.instanceId}|${member}`).digest('hex');
  return `${s.groupId}_${s.accessId}_${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The instances of schedules in force, each schedule's principal's own and, where that principal
 * is a group, one for each of its members (nested groups followed): a membership held through a
 * group is listed with the member as its principal and `memberType: group` (as ARM's PIM lists a
 * role held through a group with `memberType: Group`; reading, not a documented example).
 */
export function renderInstances(
  state: AzureState,
  schedules: readonly GroupScheduleRecord[],
): Record<string, unknown>[] {
  return schedules.flatMap((s) => [
    renderInstance(s),
    ...(state.directory.groups.some((g) => g.id === s.principalId)
      ? state.directory.transitiveMembers(s.principalId).map((m) => renderInstance(s, m))
      : []),
  ]);
}
