// ARM's role definitions at api-version 2022-04-01: list, get, create or update (custom roles
// only) and delete, past arm/gateway.ts's gateway checks.
import { fail, methodNotAllowed, noDashes } from '../rest/failure.js';
import { page } from '../rest/page.js';
import type { ArmCall, ArmRoute } from './route.js';
import type { AzureContext } from '../tenant/context.js';
import { parseFilter } from '../rest/odata.js';
import type { RoleDefinitionRecord } from '../tenant/roles.js';
import { isGuid, parseScopeSegments, pathSegments, ScopeError, type Scope } from '../tenant/scope.js';
import { ROLE_DEFINITIONS } from '../tenant/role-assignments.js';

/** `…/roleDefinitions[/{id}]`: the answer to one call. */
export function roleDefinitions(ctx: AzureContext, call: ArmCall): [number, unknown] {
  const { method, route, url, text } = call;
  const name = route.name;
  if (!name) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return listDefinitions(ctx, route, url);
  }
  if (method === 'PUT') return putDefinition(ctx, route, name, text);
  if (method === 'DELETE') return deleteDefinition(ctx, route, name);
  if (method === 'GET') return [200, definitionOf(roleAt(ctx, route, name), route.scope)];
  throw methodNotAllowed(method);
}

function definitionOf(role: RoleDefinitionRecord, scope: Scope) {
  return {
    id: `${scope.subscriptionId ? `/subscriptions/${scope.subscriptionId}` : ''}${ROLE_DEFINITIONS}${role.guid}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.guid,
    properties: {
      roleName: role.roleName,
      type: role.type,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
    },
  };
}

function listDefinitions(ctx: AzureContext, route: ArmRoute, url: URL): [number, unknown] {
  const filter = url.searchParams.get('$filter');
  const terms = filter ? parseFilter(filter, ['roleName', 'type', 'atScopeAndBelow']) : [];
  if (!terms)
    throw fail(
      400,
      'UnsupportedQuery',
      `The filter '${filter ?? ''}' is not supported. Supported filters are: roleName eq '{name}', type eq 'BuiltInRole'|'CustomRole', atScopeAndBelow().`,
    );
  const andBelow = terms.some((t) => t.kind === 'atScopeAndBelow');
  const roles = [...ctx.state.roleDefinitions.values()].filter((role) => {
    const visible =
      ctx.state.roleAssignableAt(role, route.scope) ||
      (andBelow &&
        role.assignableScopes.some((s) =>
          ctx.state.isAtOrAbove(route.scope, parseScopeSegments(pathSegments(s))),
        ));
    return (
      visible &&
      terms.every((t) =>
        t.kind === 'roleName'
          ? role.roleName.toLowerCase() === t.name.toLowerCase()
          : t.kind === 'type'
            ? role.type.toLowerCase() === t.type.toLowerCase()
            : true,
      )
    );
  });
  return [
    200,
    page(
      ctx,
      roles.map((r) => definitionOf(r, route.scope)),
      url,
    ),
  ];
}

function roleAt(ctx: AzureContext, route: ArmRoute, id: string): RoleDefinitionRecord {
  if (!isGuid(id)) throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
  const role = ctx.state.roleDefinitions.get(id.toLowerCase());
  if (!role || !ctx.state.roleAssignableAt(role, route.scope)) {
    throw fail(
      404,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${noDashes(id.toLowerCase())}' does not exist.`,
    );
  }
  return role;
}

function putDefinition(ctx: AzureContext, route: ArmRoute, id: string, text: string): [number, unknown] {
  if (!isGuid(id)) throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
  const existing = ctx.state.roleDefinitions.get(id.toLowerCase());
  if (existing?.type === 'BuiltInRole')
    throw fail(400, 'RoleDefinitionUpdateNotPermitted', 'Built-in role definitions cannot be updated.');
  let props: Record<string, unknown>;
  try {
    props = ((JSON.parse(text) as { properties?: unknown }).properties ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw fail(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`,
    );
  }
  const roleName = props.roleName;
  if (typeof roleName !== 'string' || roleName === '')
    throw fail(400, 'RoleDefinitionNameNullOrEmpty', 'The role definition name cannot be null or empty.');
  const scopes = Array.isArray(props.assignableScopes)
    ? (props.assignableScopes as unknown[]).map(String)
    : [route.scope.path];
  const sameName = [...ctx.state.roleDefinitions.values()].find(
    (r) =>
      r.guid !== id.toLowerCase() &&
      r.roleName.toLowerCase() === roleName.toLowerCase() &&
      scopes.some((s) => r.assignableScopes.some((t) => t.toLowerCase() === s.toLowerCase())),
  );
  if (sameName)
    throw fail(
      409,
      'RoleDefinitionWithSameNameExists',
      'A custom role with the same name already exists in this directory. Use a different name.',
    );
  let role: RoleDefinitionRecord;
  try {
    role = ctx.state.addRoleDefinition({
      guid: id,
      roleName,
      description: typeof props.description === 'string' ? props.description : '',
      assignableScopes: scopes,
      permissions: Array.isArray(props.permissions) ? (props.permissions as Record<string, string[]>[]) : [],
    });
  } catch (error) {
    if (error instanceof ScopeError)
      throw fail(400, 'InvalidAssignableScope', `An assignable scope is not valid: ${error.message}.`);
    throw error;
  }
  return [201, definitionOf(role, route.scope)];
}

function deleteDefinition(ctx: AzureContext, route: ArmRoute, id: string): [number, unknown] {
  if (!isGuid(id)) throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
  const role = ctx.state.roleDefinitions.get(id.toLowerCase());
  if (!role) return [204, undefined];
  if (role.type === 'BuiltInRole')
    throw fail(400, 'RoleDefinitionDeleteNotPermitted', 'Built-in role definitions cannot be deleted.');
  if (ctx.state.live().some((a) => a.roleGuid === role.guid)) {
    throw fail(
      409,
      'RoleDefinitionHasAssignments',
      'There are existing role assignments referencing role (code: RoleDefinitionHasAssignments).',
    );
  }
  ctx.state.roleDefinitions.delete(role.guid);
  return [200, definitionOf(role, route.scope)];
}
