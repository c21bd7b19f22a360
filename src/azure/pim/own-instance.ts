// Which active PIM instance of a grant is the one the post step's own AdminAssign made. An
// AdminRemove names only principal, role and scope, so Azure ends whatever is active for them:
// the post step sends one only while the instance read now is the one its own request created,
// never on role and scope alone.
import type {
  RoleAssignmentSchedule,
  RoleAssignmentScheduleInstance,
  RoleAssignmentScheduleRequest,
} from '@azure/arm-authorization';
import { roleGuidOf } from '../../core/azure-scope.js';
import { parseServiceDuration } from '../../core/duration.js';
import { GUID } from '../../core/patterns.js';
import type { AzureResolvedIds } from '../../core/types.js';
import { sameScope } from '../arm/roles.js';
import { heldDirectly } from '../sdk/member-type.js';

/** A schedule or instance of this grant: exactly its scope, principal and role, assigned directly (not inherited or through a group). */
export function sameAssignment(
  s: Pick<RoleAssignmentScheduleInstance, 'scope' | 'principalId' | 'roleDefinitionId' | 'memberType'>,
  ids: AzureResolvedIds,
): boolean {
  return (
    sameScope(s.scope, ids.scope.scope) &&
    s.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
    s.roleDefinitionId !== undefined &&
    roleGuidOf(s.roleDefinitionId) === roleGuidOf(ids.roleId) &&
    // ARM's MemberType (`Inherited`, `Direct`, `Group`) is an extensible string enum: its case is not promised.
    heldDirectly(s.memberType)
  );
}

/**
 * A request is this step's when it is the AdminAssign of this grant's principal and role, made by
 * the identity the step signs in as (`objectId`, the token's `oid`, lower case; not checked when
 * the token did not carry one).
 */
export function isOwnRequest(
  request: RoleAssignmentScheduleRequest,
  ids: AzureResolvedIds,
  objectId: string | undefined,
): boolean {
  return (
    request.requestType === 'AdminAssign' &&
    request.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
    request.roleDefinitionId !== undefined &&
    roleGuidOf(request.roleDefinitionId) === roleGuidOf(ids.roleId) &&
    (request.scope === undefined || sameScope(request.scope, ids.scope.scope)) &&
    (objectId === undefined || request.requestorId?.toLowerCase() === objectId)
  );
}

/**
 * The GUID that ends an ID, lower case: Azure gives schedule and request IDs as full resource IDs
 * in some places and bare GUIDs in others (__tests__/fixtures/contracts/azure/2020-10-01/examples).
 * Undefined when the end is not a GUID.
 */
export function guidAtEnd(id: string | undefined): string | undefined {
  const last = id?.split('/').pop()?.toLowerCase();
  return last && GUID.test(last) ? last : undefined;
}

/** What the reads show now of a grant, for the post step's removal. */
export interface ActiveNow {
  /** The active instance of a schedule this step's request created. */
  own?: RoleAssignmentScheduleInstance;
  /** An instance or schedule of the grant made otherwise (by another request, or outside PIM) is shown. */
  othersShown: boolean;
  /** Why this step's instance is not taken for its own: it ends later than its request asked, or never. */
  extended?: string;
}

/** How far an end shown may stray from the end the request asked for (start times are the service's). */
const END_SLACK_MS = 5 * 60_000;

/** The end a request asked for (ms); null for none; undefined when it cannot be read. */
function askedEnd(request: RoleAssignmentScheduleRequest | undefined): number | null | undefined {
  const info = request?.scheduleInfo;
  const expiration = info?.expiration;
  if (expiration?.type === 'NoExpiration') return null;
  const end = expiration?.endDateTime
    ? new Date(expiration.endDateTime).getTime()
    : new Date(info?.startDateTime ?? Number.NaN).getTime() +
      (parseServiceDuration(expiration?.duration) ?? Number.NaN);
  return Number.isFinite(end) ? end : undefined;
}

/**
 * The grant's instance made by this step's AdminAssign (`requestName`), and whether anything else
 * of the grant is shown. This step's schedules are the one its request names as its target
 * (`targetRoleAssignmentScheduleId`; `request` only when it is this step's own) and any schedule
 * that names the request as its origin (`roleAssignmentScheduleRequestId`), as terraform links
 * them; an instance is this step's when its `roleAssignmentScheduleId` is one of them.
 */
export function activeNow(
  ids: AzureResolvedIds,
  requestName: string,
  request: RoleAssignmentScheduleRequest | undefined,
  schedules: RoleAssignmentSchedule[],
  instances: RoleAssignmentScheduleInstance[],
  now: number = Date.now(),
): ActiveNow {
  const ownRequest = guidAtEnd(requestName);
  const grantSchedules = schedules.filter((s) => sameAssignment(s, ids));
  const ownSchedules = new Set<string>();
  const target = guidAtEnd(request?.targetRoleAssignmentScheduleId);
  if (target) ownSchedules.add(target);
  for (const schedule of grantSchedules) {
    const guid = guidAtEnd(schedule.id ?? schedule.name);
    if (guid && ownRequest && guidAtEnd(schedule.roleAssignmentScheduleRequestId) === ownRequest)
      ownSchedules.add(guid);
  }
  const isOwn = (scheduleId: string | undefined) => {
    const guid = guidAtEnd(scheduleId);
    return guid !== undefined && ownSchedules.has(guid);
  };
  const grantInstances = instances.filter((i) => sameAssignment(i, ids));
  // An AdminExtend or AdminUpdate (an administrator's, say) keeps the schedule and the request it
  // names: an instance that ends later than that request asked, or never, is no longer the step's.
  const asked = askedEnd(request);
  const changed = grantInstances.find(
    (i) =>
      typeof asked === 'number' &&
      isOwn(i.roleAssignmentScheduleId) &&
      !((i.endDateTime?.getTime() ?? Number.NaN) <= asked + END_SLACK_MS),
  );
  const extended =
    changed &&
    `${changed.endDateTime ? `now ends at ${changed.endDateTime.toISOString()}` : 'now has no end'}, not ${new Date(asked!).toISOString()} as the request asked: it was changed since (an AdminExtend or AdminUpdate, an administrator's, say)`;
  // An instance whose end has passed is a stale read of one Azure has ended: not active, and not
  // a reason to send a removal that would end whatever is active for the grant now.
  const own = grantInstances.find(
    (i) =>
      i !== changed &&
      isOwn(i.roleAssignmentScheduleId) &&
      !(i.endDateTime && i.endDateTime.getTime() <= now),
  );
  return {
    ...(own ? { own } : {}),
    othersShown:
      !!changed ||
      grantInstances.some((i) => !isOwn(i.roleAssignmentScheduleId)) ||
      grantSchedules.some((s) => !isOwn(s.id ?? s.name)),
    ...(extended ? { extended } : {}),
  };
}
