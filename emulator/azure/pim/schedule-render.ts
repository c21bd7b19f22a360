// How ARM shows PIM's role assignment schedule requests, schedules and instances (api-version
// 2020-10-01), as the examples PutRoleAssignmentScheduleRequest, GetRoleAssignmentScheduleByName
// and GetRoleAssignmentScheduleInstancesByScope shape them
// (__tests__/fixtures/contracts/azure/2020-10-01/examples), with the expanded properties (scope,
// role, principal) eligibility shows too (./eligibility-render.ts). What the lists see: ./schedules.ts.
import type { PimRequestRecord } from '../tenant/pim-records.js';
import type { Scope } from '../tenant/scope.js';
import type { AzureState } from '../tenant/state.js';
import { roleDefinitionIdAt, scopeDetails } from './policy.js';
import { iso, type ScheduleView } from './schedules.js';

const PROVIDER = '/providers/Microsoft.Authorization';
const prefix = (scope: Scope) => (scope.path === '/' ? '' : scope.path);

export function expandedProperties(
  state: AzureState,
  scope: Scope,
  roleGuid: string,
  principalId: string,
  principalType: string,
) {
  const role = state.roleDefinitions.get(roleGuid);
  const app = [...state.apps.values()].find((a) => a.objectId === principalId);
  const domain = [...state.tenantDomains][0] ?? 'example.onmicrosoft.com';
  return {
    scope: scopeDetails(scope),
    roleDefinition: {
      id: roleDefinitionIdAt(scope, roleGuid),
      displayName: role?.roleName ?? roleGuid,
      type: role?.type ?? 'CustomRole',
    },
    principal: {
      id: principalId,
      displayName: app?.displayName ?? `${principalType} ${principalId.slice(0, 8)}`,
      email: principalType === 'User' ? `user-${principalId.slice(0, 8)}@${domain}` : null,
      type: principalType,
    },
  };
}

export const requestId = (r: { scope: Scope; name: string }) =>
  `${prefix(r.scope)}${PROVIDER}/RoleAssignmentScheduleRequests/${r.name}`;
const scheduleId = (s: { scope: Scope; name: string }) =>
  `${prefix(s.scope)}${PROVIDER}/RoleAssignmentSchedules/${s.name}`;

/** A request as in PutRoleAssignmentScheduleRequest / GetRoleAssignmentScheduleRequestByName. */
export function toRequest(state: AzureState, r: PimRequestRecord) {
  return {
    properties: {
      // A bare GUID, as in the examples (__tests__/fixtures/contracts/azure/2020-10-01/examples).
      targetRoleAssignmentScheduleId: r.targetScheduleName,
      targetRoleAssignmentScheduleInstanceId: r.requestType === 'AdminRemove' ? r.targetInstanceName : null,
      // SelfActivate: the eligibility schedule it activates, a bare GUID as the target's is.
      ...(r.requestType === 'SelfActivate'
        ? { linkedRoleEligibilityScheduleId: r.linkedEligibilityScheduleName ?? null }
        : {}),
      scope: r.scope.path,
      roleDefinitionId: roleDefinitionIdAt(r.scope, r.roleGuid),
      principalId: r.principalId,
      principalType: r.principalType,
      requestType: r.requestType,
      status: r.status,
      approvalId: r.approvalId,
      scheduleInfo: r.scheduleInfo,
      ticketInfo: r.ticketInfo,
      justification: r.justification,
      requestorId: r.requestorId,
      createdOn: r.createdOn,
      condition: r.condition,
      conditionVersion: r.conditionVersion,
      expandedProperties: expandedProperties(state, r.scope, r.roleGuid, r.principalId, r.principalType),
    },
    name: r.name,
    id: requestId(r),
    type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
  };
}

/**
 * `memberType`: Inherited when listed at a scope below its own, else Direct (terraform matches
 * `memberType == Direct` and the scope to find its own schedule; inference).
 */
const memberType = (state: AzureState, s: ScheduleView, listedAt?: Scope) =>
  listedAt && listedAt.key !== s.scope.key && state.isAtOrAbove(s.scope, listedAt) ? 'Inherited' : 'Direct';

/** A schedule as in GetRoleAssignmentScheduleByName. */
export function toSchedule(state: AzureState, s: ScheduleView, listedAt?: Scope) {
  return {
    properties: {
      linkedRoleEligibilityScheduleId: null,
      assignmentType: 'Assigned',
      scope: s.scope.path,
      roleDefinitionId: roleDefinitionIdAt(s.scope, s.roleGuid),
      principalId: s.principalId,
      principalType: s.principalType,
      status: 'Provisioned',
      roleAssignmentScheduleRequestId: s.requestName
        ? requestId({ scope: s.scope, name: s.requestName })
        : null,
      startDateTime: iso(s.startMs),
      endDateTime: s.endMs === null ? null : iso(s.endMs),
      memberType: memberType(state, s, listedAt),
      createdOn: s.createdOn,
      updatedOn: s.updatedOn,
      condition: s.condition,
      conditionVersion: s.conditionVersion,
      expandedProperties: expandedProperties(state, s.scope, s.roleGuid, s.principalId, s.principalType),
    },
    name: s.name,
    id: scheduleId(s),
    type: 'Microsoft.Authorization/RoleAssignmentSchedules',
  };
}

/**
 * An instance as in GetRoleAssignmentScheduleInstancesByScope: named after the role assignment
 * that `originRoleAssignmentId` points at (as in that example).
 */
export function toInstance(state: AzureState, s: ScheduleView, listedAt?: Scope) {
  return {
    properties: {
      originRoleAssignmentId: `${prefix(s.scope)}${PROVIDER}/roleAssignments/${s.assignmentName}`,
      linkedRoleEligibilityScheduleId: null,
      linkedRoleEligibilityScheduleInstanceId: null,
      assignmentType: 'Assigned',
      scope: s.scope.path,
      roleDefinitionId: roleDefinitionIdAt(s.scope, s.roleGuid),
      principalId: s.principalId,
      principalType: s.principalType,
      status: 'Provisioned',
      roleAssignmentScheduleId: scheduleId(s),
      startDateTime: iso(s.startMs),
      endDateTime: s.endMs === null ? null : iso(s.endMs),
      memberType: memberType(state, s, listedAt),
      createdOn: s.createdOn,
      condition: s.condition,
      conditionVersion: s.conditionVersion,
      expandedProperties: expandedProperties(state, s.scope, s.roleGuid, s.principalId, s.principalType),
    },
    name: s.assignmentName,
    id: `${prefix(s.scope)}${PROVIDER}/RoleAssignmentScheduleInstances/${s.assignmentName}`,
    type: 'Microsoft.Authorization/RoleAssignmentScheduleInstances',
  };
}
