// What PIM's handlers (pim/pim.ts, pim/requests.ts) and ARM's routing (arm/route.ts) share: the PIM
// resource types and their routes, the operation and RBAC actions a call is, and the `$filter`
// terms their lists take.
import type { JwtClaims } from '../../common/jwt.js';
import { fail } from '../rest/failure.js';
import { parseFilter, type FilterTerm } from '../rest/odata.js';
import type { Scope } from '../tenant/scope.js';
import { roleGuidFrom } from '../tenant/role-assignments.js';
import type { AzureState } from '../tenant/state.js';

export const PIM_API_VERSION = '2020-10-01';

export const PIM_RESOURCE_TYPES = [
  'roleAssignmentScheduleRequests',
  'roleAssignmentSchedules',
  'roleAssignmentScheduleInstances',
  'roleEligibilityScheduleRequests',
  'roleEligibilitySchedules',
  'roleEligibilityScheduleInstances',
  'roleManagementPolicies',
  'roleManagementPolicyAssignments',
] as const;
export type PimResourceType = (typeof PIM_RESOURCE_TYPES)[number];

/** The request types that take `POST …/{name}/{action}`. */
export const PIM_REQUEST_TYPES: readonly PimResourceType[] = [
  'roleAssignmentScheduleRequests',
  'roleEligibilityScheduleRequests',
];

/** `POST …/role{Assignment,Eligibility}ScheduleRequests/{name}/{action}`. */
export const PIM_REQUEST_ACTIONS = ['cancel', 'validate'] as const;
export type PimRequestAction = (typeof PIM_REQUEST_ACTIONS)[number];

export interface PimRoute {
  scope: Scope;
  resourceType: PimResourceType;
  name?: string;
  action?: PimRequestAction;
}

const OPERATION_GROUPS: Record<PimResourceType, string> = {
  roleAssignmentScheduleRequests: 'RoleAssignmentScheduleRequests',
  roleAssignmentSchedules: 'RoleAssignmentSchedules',
  roleAssignmentScheduleInstances: 'RoleAssignmentScheduleInstances',
  roleEligibilityScheduleRequests: 'RoleEligibilityScheduleRequests',
  roleEligibilitySchedules: 'RoleEligibilitySchedules',
  roleEligibilityScheduleInstances: 'RoleEligibilityScheduleInstances',
  roleManagementPolicies: 'RoleManagementPolicies',
  roleManagementPolicyAssignments: 'RoleManagementPolicyAssignments',
};

/** The swagger's operationId, for the request log (`RoleAssignmentScheduleRequests_Create` …). */
export function pimOperationOf(method: string, route: PimRoute): string {
  const group = OPERATION_GROUPS[route.resourceType];
  if (!route.name) return `${group}_ListForScope`;
  if (route.action === 'cancel') return `${group}_Cancel`;
  if (route.action === 'validate') return `${group}_Validate`;
  return `${group}_${{ PUT: 'Create', PATCH: 'Update', DELETE: 'Delete' }[method] ?? 'Get'}`;
}

/**
 * The RBAC actions the caller needs, the gateway's first: ARM checks the operation's own action
 * (`Microsoft.Authorization/roleAssignmentScheduleRequests/write`, `…/cancel/action`,
 * `roleAssignmentScheduleInstances/read` …), and PIM requires
 * Microsoft.Authorization/roleAssignments/write to AdminAssign or AdminRemove and
 * Microsoft.Authorization/roleAssignments/read to list
 * (https://learn.microsoft.com/rest/api/authorization/privileged-role-assignment-rest-sample).
 */
export function pimActionsOf(method: string, route: PimRoute): string[] {
  const own = `Microsoft.Authorization/${route.resourceType}`;
  if (method === 'GET') return [`${own}/read`, 'Microsoft.Authorization/roleAssignments/read'];
  if (route.action === 'cancel')
    return [`${own}/cancel/action`, 'Microsoft.Authorization/roleAssignments/write'];
  if (PIM_REQUEST_TYPES.includes(route.resourceType))
    return [`${own}/write`, 'Microsoft.Authorization/roleAssignments/write'];
  return [`${own}/${method === 'DELETE' ? 'delete' : 'write'}`];
}

/** Whether the answer changes state (the request log's `write`): a new request, or a cancel. */
export const pimWrites = (method: string, route: PimRoute) =>
  method === 'PUT' || method === 'PATCH' || method === 'DELETE' || route.action === 'cancel';

export interface PimCall {
  method: string;
  route: PimRoute;
  caller: JwtClaims;
  url: URL;
  text: string;
}

/** The list's `$filter` terms; 400 UnsupportedQuery for any term the list does not take. */
export function filterTerms(call: PimCall, allowed: FilterTerm['kind'][], help: string): FilterTerm[] {
  const filter = call.url.searchParams.get('$filter');
  const terms = filter ? parseFilter(filter, allowed) : [];
  if (!terms)
    throw fail(
      400,
      'UnsupportedQuery',
      `The filter '${filter ?? ''}' is not supported. Supported filters are: ${help}, combined with 'and'.`,
    );
  return terms;
}

/** Items at, above or below the listed scope; with `atScope()`, at or above only (as roleAssignments). */
export function scopeMatches(state: AzureState, terms: FilterTerm[], item: Scope, listed: Scope) {
  const above = state.isAtOrAbove(item, listed);
  const below = state.isAtOrAbove(listed, item);
  return terms.some((t) => t.kind === 'atScope') ? above : above || below;
}

/** Whether a listed item meets one `$filter` term. */
export function termMatches(
  t: FilterTerm,
  item: { principalId: string; roleGuid: string; requestorId?: string | null },
  callerOid: string,
) {
  switch (t.kind) {
    case 'principalId':
    case 'assignedTo':
      // Group membership is not modelled: assignedTo() is the principal's own assignments.
      return item.principalId === t.id.toLowerCase();
    case 'roleDefinitionId':
      return item.roleGuid === roleGuidFrom(t.id);
    case 'asRequestor':
      return item.requestorId === callerOid;
    case 'asTarget':
      return item.principalId === callerOid;
    default:
      return true;
  }
}
