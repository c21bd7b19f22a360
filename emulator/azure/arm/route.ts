// What ARM's handlers (gateway.ts, assignments.ts, definitions.ts) share: the route a
// `…/providers/Microsoft.Authorization/…` path names, the one api-version each resource type is
// served at, the operation and RBAC actions a call is.
import type { JwtClaims } from '../../common/jwt.js';
import { ArmFailure, fail } from '../rest/failure.js';
import {
  PIM_API_VERSION,
  PIM_REQUEST_ACTIONS,
  PIM_REQUEST_TYPES,
  PIM_RESOURCE_TYPES,
  pimActionsOf,
  pimOperationOf,
  type PimRequestAction,
  type PimResourceType,
  type PimRoute,
} from '../pim/route.js';
import { parseScopeSegments, pathSegments, ScopeError, type Scope } from '../tenant/scope.js';

export const API_VERSION = '2022-04-01';

const RESOURCE_TYPES = ['roleAssignments', 'roleDefinitions', ...PIM_RESOURCE_TYPES] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * The one api-version each resource type is served at: the ones @azure/arm-authorization@9 sends
 * (its models' apiVersion parameters).
 */
export const API_VERSIONS: Record<ResourceType, string> = {
  roleAssignments: API_VERSION,
  roleDefinitions: API_VERSION,
  ...(Object.fromEntries(PIM_RESOURCE_TYPES.map((t) => [t, PIM_API_VERSION])) as Record<
    PimResourceType,
    string
  >),
};

export interface ArmRoute {
  scope: Scope;
  resourceType: ResourceType;
  name?: string;
  /** `cancel` / `validate` after a schedule request's name. */
  action?: PimRequestAction;
}

export const isPim = (route: ArmRoute): route is PimRoute =>
  (PIM_RESOURCE_TYPES as readonly string[]).includes(route.resourceType);

/**
 * Finds `…/providers/Microsoft.Authorization/{resource type}[/{name}[/{action}]]` at the end of
 * the path (the scope before it can itself contain `providers`).
 */
export function parseRoute(pathname: string): ArmRoute | ArmFailure | undefined {
  const segments = pathSegments(pathname);
  for (let i = segments.length - 2; i >= 0; i--) {
    if (
      segments[i]!.toLowerCase() !== 'providers' ||
      segments[i + 1]!.toLowerCase() !== 'microsoft.authorization'
    )
      continue;
    const type = segments[i + 2];
    const rest = segments.slice(i + 3);
    const resourceType = RESOURCE_TYPES.find((t) => t.toLowerCase() === type?.toLowerCase());
    const action = PIM_REQUEST_ACTIONS.find((a) => a === rest[1]?.toLowerCase());
    const allowed =
      resourceType && PIM_REQUEST_TYPES.includes(resourceType as PimResourceType) && action ? 2 : 1;
    if (!resourceType || rest.length > allowed) {
      return fail(
        400,
        'InvalidResourceType',
        `The resource type '${type ?? ''}' could not be found in the namespace 'Microsoft.Authorization' for api version '${API_VERSION}'.`,
      );
    }
    try {
      return {
        scope: parseScopeSegments(segments.slice(0, i)),
        resourceType,
        ...(rest[0] ? { name: rest[0] } : {}),
        ...(allowed === 2 ? { action } : {}),
      };
    } catch (error) {
      if (error instanceof ScopeError)
        return fail(
          400,
          'InvalidScope',
          `The scope '/${segments.slice(0, i).join('/')}' is not valid: ${error.message}.`,
        );
      throw error;
    }
  }
  return undefined;
}

export function operationOf(method: string, route: ArmRoute | undefined): string {
  if (!route) return 'unknown';
  if (isPim(route)) return pimOperationOf(method, route);
  if (route.resourceType === 'roleAssignments') {
    if (!route.name) return 'RoleAssignments_ListForScope';
    return (
      { PUT: 'RoleAssignments_Create', DELETE: 'RoleAssignments_Delete' }[method] ?? 'RoleAssignments_Get'
    );
  }
  if (!route.name) return 'RoleDefinitions_List';
  return (
    { PUT: 'RoleDefinitions_CreateOrUpdate', DELETE: 'RoleDefinitions_Delete' }[method] ??
    'RoleDefinitions_Get'
  );
}

/** The RBAC actions a call needs; a 403 names the first one the caller lacks. */
export function actionsOf(method: string, route: ArmRoute): string[] {
  if (isPim(route)) return pimActionsOf(method, route);
  const resourceType = route.resourceType;
  const verb = method === 'PUT' ? 'write' : method === 'DELETE' ? 'delete' : 'read';
  return [`Microsoft.Authorization/${resourceType}/${verb}`];
}

/** A call past the gateway's checks, as the role assignment and role definition handlers take it. */
export interface ArmCall {
  method: string;
  route: ArmRoute;
  caller: JwtClaims;
  url: URL;
  text: string;
}
