// How ARM shows PIM eligibility (api-version 2020-10-01), as the examples PutRoleEligibilityScheduleRequest,
// GetRoleEligibilitySchedulesByScope and GetRoleEligibilityScheduleInstanceByName shape it
// (__tests__/fixtures/contracts/azure/2020-10-01/examples): ids and types with a capital R, a bare
// GUID in `targetRoleEligibilityScheduleId`, the schedule's `roleEligibilityScheduleRequestId` the
// request's full id, an instance without `updatedOn`. And what reads see now: requests within their
// retention, schedules current or future, instances active now.
import type { AzureConfig } from '../tenant/config.js';
import type { EligibilityRequestRecord, EligibilityScheduleRecord } from '../tenant/eligibility-records.js';
import type { Scope } from '../tenant/scope.js';
import type { AzureState } from '../tenant/state.js';
import { roleDefinitionIdAt } from './policy.js';
import { expandedProperties } from './schedule-render.js';

const PROVIDER = '/providers/Microsoft.Authorization';
const prefix = (scope: Scope) => (scope.path === '/' ? '' : scope.path);
const iso = (ms: number) => new Date(ms).toISOString();

export const eligibilityRequestId = (r: { scope: Scope; name: string }) =>
  `${prefix(r.scope)}${PROVIDER}/RoleEligibilityScheduleRequests/${r.name}`;
export const eligibilityScheduleId = (s: { scope: Scope; name: string }) =>
  `${prefix(s.scope)}${PROVIDER}/RoleEligibilitySchedules/${s.name}`;

/** Requests reads still return: made less than config.eligibilityRequestRetentionMs ago. */
export const retainedRequests = (state: AzureState, config: AzureConfig, now = Date.now()) =>
  state.eligibility.requests.filter((r) => now - r.createdAt < config.eligibilityRequestRetentionMs);

/**
 * Schedules now: current and future ones. The service ends an eligibility at its endDateTime; an
 * ended one is no longer listed, as active schedules (rest-sample "Important": schedules show current
 * and future assignments).
 */
export const currentEligibilitySchedules = (state: AzureState, now = Date.now()) =>
  state.eligibility.schedules.filter((s) => s.endedAt === undefined && (s.endMs === null || now < s.endMs));

/** Instances now: eligibilities in force now (started, not ended). */
export const currentEligibilityInstances = (state: AzureState, now = Date.now()) =>
  currentEligibilitySchedules(state, now).filter((s) => s.startMs <= now);

/** A request as in PutRoleEligibilityScheduleRequest. */
export function toEligibilityRequest(state: AzureState, r: EligibilityRequestRecord) {
  return {
    properties: {
      targetRoleEligibilityScheduleId: r.targetScheduleName,
      targetRoleEligibilityScheduleInstanceId: r.targetInstanceName,
      scope: r.scope.path,
      roleDefinitionId: roleDefinitionIdAt(r.scope, r.roleGuid),
      principalId: r.principalId,
      principalType: r.principalType,
      requestType: r.requestType,
      status: r.status,
      approvalId: null,
      scheduleInfo: r.scheduleInfo,
      ticketInfo: r.ticketInfo,
      justification: r.justification,
      requestorId: r.requestorId,
      createdOn: iso(r.createdAt),
      condition: r.condition,
      conditionVersion: r.conditionVersion,
      expandedProperties: expandedProperties(state, r.scope, r.roleGuid, r.principalId, r.principalType),
    },
    name: r.name,
    id: eligibilityRequestId(r),
    type: 'Microsoft.Authorization/RoleEligibilityScheduleRequests',
  };
}

/** Direct at its own scope; Inherited when listed at a scope below it (as active schedules). */
const memberType = (state: AzureState, s: EligibilityScheduleRecord, listedAt?: Scope) =>
  listedAt && listedAt.key !== s.scope.key && state.isAtOrAbove(s.scope, listedAt) ? 'Inherited' : 'Direct';

/** What a schedule and its instance both show. */
function common(s: EligibilityScheduleRecord) {
  return {
    scope: s.scope.path,
    roleDefinitionId: roleDefinitionIdAt(s.scope, s.roleGuid),
    principalId: s.principalId,
    principalType: s.principalType,
    status: 'Provisioned',
  };
}

/** A schedule as in GetRoleEligibilitySchedulesByScope. */
export function toEligibilitySchedule(state: AzureState, s: EligibilityScheduleRecord, listedAt?: Scope) {
  return {
    properties: {
      ...common(s),
      roleEligibilityScheduleRequestId: eligibilityRequestId({ scope: s.scope, name: s.requestName }),
      startDateTime: iso(s.startMs),
      endDateTime: s.endMs === null ? null : iso(s.endMs),
      memberType: memberType(state, s, listedAt),
      createdOn: iso(s.createdAt),
      updatedOn: iso(s.updatedAt),
      condition: s.condition,
      conditionVersion: s.conditionVersion,
      expandedProperties: expandedProperties(state, s.scope, s.roleGuid, s.principalId, s.principalType),
    },
    name: s.name,
    id: eligibilityScheduleId(s),
    type: 'Microsoft.Authorization/RoleEligibilitySchedules',
  };
}

/** An instance as in GetRoleEligibilityScheduleInstanceByName: its own name, no `updatedOn`. */
export function toEligibilityInstance(state: AzureState, s: EligibilityScheduleRecord, listedAt?: Scope) {
  return {
    properties: {
      ...common(s),
      roleEligibilityScheduleId: eligibilityScheduleId(s),
      startDateTime: iso(s.startMs),
      endDateTime: s.endMs === null ? null : iso(s.endMs),
      memberType: memberType(state, s, listedAt),
      createdOn: iso(Math.max(s.startMs, s.createdAt)),
      condition: s.condition,
      conditionVersion: s.conditionVersion,
      expandedProperties: expandedProperties(state, s.scope, s.roleGuid, s.principalId, s.principalType),
    },
    name: s.instanceName,
    id: `${prefix(s.scope)}${PROVIDER}/RoleEligibilityScheduleInstances/${s.instanceName}`,
    type: 'Microsoft.Authorization/RoleEligibilityScheduleInstances',
  };
}
