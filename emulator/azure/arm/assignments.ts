// ARM's role assignments at api-version 2022-04-01: create (arm/assignment-create.ts, with the
// service's checks, in its order), get, delete and list, past arm/gateway.ts's gateway checks.
import { fail, methodNotAllowed } from '../rest/failure.js';
import { page } from '../rest/page.js';
import type { ArmCall, ArmRoute } from './route.js';
import type { AzureContext } from '../tenant/context.js';
import { parseFilter } from '../rest/odata.js';
import { isGuid } from '../tenant/scope.js';
import { toAssignment } from '../tenant/role-assignments.js';
import { createAssignment } from './assignment-create.js';

/** `…/roleAssignments[/{name}]`: the answer to one call. */
export function roleAssignments(ctx: AzureContext, call: ArmCall): [number, unknown] {
  const { method, route, caller, url, text } = call;
  const name = route.name;
  if (!name) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return listAssignments(ctx, route, url);
  }
  if (method === 'PUT') return createAssignment(ctx, caller, route, name, text);
  if (method === 'DELETE') return deleteAssignment(ctx, route, name);
  if (method !== 'GET') throw methodNotAllowed(method);
  if (!isGuid(name))
    throw fail(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  return getAssignment(ctx, route, name);
}

function getAssignment(ctx: AzureContext, route: ArmRoute, name: string): [number, unknown] {
  const [found] = ctx.state.read((a) => a.name === name.toLowerCase() && a.scope.key === route.scope.key);
  if (!found) throw fail(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
  return [200, toAssignment(found)];
}

function deleteAssignment(ctx: AzureContext, route: ArmRoute, name: string): [number, unknown] {
  const found = ctx.state
    .live()
    .find((a) => a.name === name.toLowerCase() && a.scope.key === route.scope.key);
  // 204: "Role assignment was already deleted or does not exist" (RoleAssignments_Delete).
  if (!found) return [204, undefined];
  const now = Date.now();
  found.deletedAt = now;
  found.hiddenFrom = Math.max(now + ctx.config.readAfterWriteDelayMs, found.visibleFrom);
  ctx.state.prune(now);
  return [200, toAssignment(found)];
}

function listAssignments(ctx: AzureContext, route: ArmRoute, url: URL): [number, unknown] {
  const scope = route.scope;
  const filter = url.searchParams.get('$filter');
  const terms = filter ? parseFilter(filter, ['atScope', 'principalId', 'assignedTo']) : [];
  if (!terms) {
    throw fail(
      400,
      'UnsupportedQuery',
      `The filter '${filter ?? ''}' is not supported. Supported filters are: atScope(), principalId eq '{id}', assignedTo('{id}'), combined with 'and'.`,
    );
  }
  const atScope = terms.some((t) => t.kind === 'atScope');
  const principals = terms.flatMap((t) =>
    t.kind === 'principalId' || t.kind === 'assignedTo' ? [t.id.toLowerCase()] : [],
  );
  const matches = ctx.state.read((a) => {
    const above = ctx.state.isAtOrAbove(a.scope, scope);
    const below = ctx.state.isAtOrAbove(scope, a.scope);
    if (atScope ? !above : !above && !below) return false;
    return principals.every((p) => a.principalId === p);
  });
  return [200, page(ctx, matches.map(toAssignment), url)];
}
