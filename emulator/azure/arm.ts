// Azure Resource Manager's Microsoft.Authorization provider, api-version 2022-04-01: role
// assignments (create, get, delete, list) and role definitions (list, get, create, delete); and,
// at api-version 2020-10-01, PIM's schedule requests, schedules, instances and policies (pim.ts).
// All behind ARM's gateway checks: bearer token, api-version, subscription, token buckets, RBAC.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, startRecord } from '../common/http.js';
import { JwtError, type JwtClaims } from '../common/jwt.js';
import type { RequestRecord } from '../common/requests.js';
import { ArmFailure, authorizationFailure, fail, methodNotAllowed } from './arm-failure.js';
import type { AzureContext } from './context.js';
import { ARM_AUDIENCE } from './entra.js';
import { managedIdentityAnswer } from './managed-identities.js';
import { parseFilter } from './odata.js';
import {
  createPimHandler,
  PIM_API_VERSION,
  PIM_REQUEST_ACTIONS,
  PIM_RESOURCE_TYPES,
  pimActionsOf,
  pimOperationOf,
  pimWrites,
  type PimRequestAction,
  type PimResourceType,
  type PimRoute,
} from './pim.js';
import { settlePim } from './pim-state.js';
import { actionMatches, type RoleDefinitionRecord } from './roles.js';
import { isGuid, parseScopeSegments, pathSegments, ScopeError, type Scope } from './scope.js';
import { PRINCIPAL_TYPES, type PrincipalType } from './directory.js';
import { ROLE_DEFINITIONS, roleGuidFrom, toAssignment, type AssignmentRecord } from './state.js';
import { ArmBuckets, kindOf } from './throttling.js';

export const API_VERSION = '2022-04-01';

/** The audiences ARM accepts, as its InvalidAuthenticationTokenAudience message lists them. */
const ALLOWED_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

const RESOURCE_TYPES = ['roleAssignments', 'roleDefinitions', ...PIM_RESOURCE_TYPES] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/** The one api-version each resource type is served at: the ones @azure/arm-authorization@9 sends (facts §1). */
const API_VERSIONS: Record<ResourceType, string> = {
  roleAssignments: API_VERSION,
  roleDefinitions: API_VERSION,
  ...(Object.fromEntries(PIM_RESOURCE_TYPES.map((t) => [t, PIM_API_VERSION])) as Record<
    PimResourceType,
    string
  >),
};

interface ArmRoute {
  scope: Scope;
  resourceType: ResourceType;
  name?: string;
  /** `cancel` / `validate` after a schedule request's name. */
  action?: PimRequestAction;
}

const isPim = (route: ArmRoute): route is PimRoute =>
  (PIM_RESOURCE_TYPES as readonly string[]).includes(route.resourceType);

const noDashes = (guid: string) => guid.replace(/-/g, '');

/** "11/22/2026 9:03:02 PM": how ARM prints times in ExpiredAuthenticationToken. */
function armTime(date: Date): string {
  const h = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/**
 * Finds `…/providers/Microsoft.Authorization/{resource type}[/{name}[/{action}]]` at the end of
 * the path (the scope before it can itself contain `providers`).
 */
function parseRoute(pathname: string): ArmRoute | ArmFailure | undefined {
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
    const allowed = resourceType === 'roleAssignmentScheduleRequests' && action ? 2 : 1;
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

function operationOf(method: string, route: ArmRoute | undefined): string {
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
function actionsOf(method: string, route: ArmRoute): string[] {
  if (isPim(route)) return pimActionsOf(method, route);
  const resourceType = route.resourceType;
  const verb = method === 'PUT' ? 'write' : method === 'DELETE' ? 'delete' : 'read';
  return [`Microsoft.Authorization/${resourceType}/${verb}`];
}

export function createArmHandler(ctx: AzureContext) {
  const buckets = new ArmBuckets(() => ctx.config);
  const pim = createPimHandler(ctx, (items, url) => page(items, url));

  const authenticate = (req: IncomingMessage): JwtClaims => {
    const header = req.headers.authorization;
    const challenge = (error: string, description: string) => ({
      'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${ctx.state.tenantId}", error="${error}", error_description="${description}"`,
    });
    if (!header) {
      throw fail(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        challenge('invalid_token', "The authentication failed because of missing 'Authorization' header."),
      );
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw fail(
        401,
        'AuthenticationFailedInvalidHeader',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        challenge('invalid_token', "The authentication failed because of invalid 'Authorization' header."),
      );
    }
    let claims: JwtClaims;
    try {
      claims = ctx.entraIssuer.verify(m[1]!);
    } catch (error) {
      if (error instanceof JwtError && error.reason === 'expired') {
        const decoded = JSON.parse(
          Buffer.from(m[1]!.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as JwtClaims;
        throw fail(
          401,
          'ExpiredAuthenticationToken',
          `The access token expiry UTC time '${armTime(new Date((decoded.exp ?? 0) * 1000))}' is earlier than current UTC time '${armTime(new Date())}'.`,
          challenge('invalid_token', 'The access token has expired.'),
        );
      }
      throw fail(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('invalid_token', 'The access token is invalid.'),
      );
    }
    const aud = typeof claims.aud === 'string' ? claims.aud : '';
    if (!ALLOWED_AUDIENCES.includes(aud) && aud !== ARM_AUDIENCE) {
      throw fail(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
        challenge('invalid_token', 'The access token has been obtained from wrong audience or resource.'),
      );
    }
    return claims;
  };

  const checkSubscription = (scope: Scope) => {
    const id = scope.subscriptionId;
    if (id === undefined) return;
    if (!isGuid(id))
      throw fail(
        400,
        'InvalidSubscriptionId',
        `The provided subscription identifier '${id}' is malformed or invalid.`,
      );
    if (!ctx.state.hasSubscription(id))
      throw fail(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
  };

  const authorize = (caller: JwtClaims, actions: string[], scope: Scope, resourcePath: string) => {
    const oid = String(caller.oid ?? '');
    const denied = actions.find(
      (action) =>
        ctx.faults.authorizationFailed.some((pattern) => actionMatches(pattern, action)) ||
        !ctx.state.isAuthorized(oid, action, scope),
    );
    if (denied) throw authorizationFailure(caller, denied, resourcePath);
  };

  // ---- role assignments ----

  const createAssignment = (
    caller: JwtClaims,
    route: ArmRoute,
    name: string,
    text: string,
  ): [number, unknown] => {
    if (!isGuid(name))
      throw fail(
        400,
        'InvalidRoleAssignmentId',
        `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw fail(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`,
      );
    }
    const missing = (property: string) =>
      fail(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: 'Required property '${property}' not found in JSON. Path 'properties'.'.`,
      );
    const props = (body as { properties?: unknown } | null)?.properties;
    if (!props || typeof props !== 'object') throw missing('properties');
    const p = props as Record<string, unknown>;
    const str = (key: string): string | undefined => {
      const value = p[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string')
        throw fail(
          400,
          'InvalidRequestContent',
          `The request content was invalid and could not be deserialized: 'Error converting value to type 'System.String'. Path 'properties.${key}'.'.`,
        );
      return value;
    };
    const roleDefinitionId = str('roleDefinitionId');
    if (roleDefinitionId === undefined) throw missing('roleDefinitionId');
    const principalId = str('principalId');
    if (principalId === undefined) throw missing('principalId');
    const principalType = str('principalType');
    const description = str('description') ?? null;
    const condition = str('condition') ?? null;
    const conditionVersion = str('conditionVersion') ?? null;
    const delegatedManagedIdentityResourceId = str('delegatedManagedIdentityResourceId') ?? null;
    const scope = route.scope;

    const roleGuid = roleGuidFrom(roleDefinitionId);
    if (!roleGuid)
      throw fail(
        400,
        'InvalidRoleDefinitionId',
        `The role definition ID '${roleDefinitionId}' is not valid.`,
      );
    const role = ctx.state.roleDefinitions.get(roleGuid);
    if (!role || !ctx.state.roleAssignableAt(role, scope)) {
      // ARM answers 400 here, unlike GET of an unknown role definition (404).
      throw fail(
        400,
        'RoleDefinitionDoesNotExist',
        `The specified role definition with ID '${noDashes(roleGuid)}' does not exist.`,
      );
    }
    if (!isGuid(principalId))
      throw fail(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');
    if (principalType !== undefined && !PRINCIPAL_TYPES.includes(principalType as PrincipalType)) {
      throw fail(
        400,
        'InvalidPrincipalType',
        `The principal type '${principalType}' is not valid. Valid values are ${PRINCIPAL_TYPES.map((t) => `'${t}'`).join(', ')}.`,
      );
    }
    if (condition !== null && conditionVersion !== '2.0') {
      throw fail(
        400,
        'InvalidConditionVersion',
        conditionVersion === null
          ? 'The condition version must be specified when a condition is set. The only supported condition version is 2.0.'
          : `The condition version '${conditionVersion}' is not supported. The only supported condition version is 2.0.`,
      );
    }
    if (condition === null && conditionVersion !== null) {
      throw fail(400, 'InvalidConditionVersion', 'A condition version was specified without a condition.');
    }

    const now = Date.now();
    const principalKey = principalId.toLowerCase();
    const principal = ctx.state.principals.get(principalKey);
    const replicated =
      principal !== undefined && now - principal.createdAt >= ctx.config.principalReplicationDelayMs;
    const skipLookup = ctx.config.principalTypeSkipsReplicationCheck && principalType !== undefined;
    // An app registration's object ID (not its service principal's): azure-cli#5340's answer.
    if (ctx.state.directory.applications.some((a) => a.id === principalKey))
      throw fail(
        400,
        'PrincipalTypeNotSupported',
        'Principals of type Application cannot validly be used in role assignments.',
      );
    if (!replicated && !skipLookup) {
      throw fail(
        400,
        'PrincipalNotFound',
        `Principal ${noDashes(principalKey)} does not exist in the directory ${ctx.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype`,
      );
    }
    if (replicated && principalType !== undefined && principal.type !== principalType) {
      throw fail(
        400,
        'UnmatchedPrincipalType',
        `The PrincipalId '${noDashes(principalKey)}' has type '${principal.type}' , which is different from specified PrincipalType '${principalType}'.`,
      );
    }

    const nameKey = name.toLowerCase();
    const live = ctx.state.live();
    const sameName = live.find((a) => a.name === nameKey);
    if (sameName) {
      if (
        sameName.scope.key !== scope.key ||
        sameName.principalId !== principalKey ||
        sameName.roleGuid !== roleGuid
      ) {
        throw fail(
          409,
          'RoleAssignmentUpdateNotPermitted',
          'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
        );
      }
      // The same assignment again: description and condition may change; 200.
      sameName.description = description;
      sameName.condition = condition;
      sameName.conditionVersion = conditionVersion;
      sameName.delegatedManagedIdentityResourceId = delegatedManagedIdentityResourceId;
      sameName.updatedOn = new Date(now).toISOString();
      sameName.updatedBy = String(caller.oid ?? '');
      return [200, toAssignment(sameName)];
    }
    const duplicate = live.find(
      (a) => a.scope.key === scope.key && a.principalId === principalKey && a.roleGuid === roleGuid,
    );
    if (duplicate) {
      // The message names the existing assignment since ARM's 2025 change (api-facts §e).
      throw fail(
        409,
        'RoleAssignmentExists',
        `The role assignment already exists. The ID of the existing role assignment is ${noDashes(duplicate.name)}.`,
      );
    }
    if (scope.subscriptionId) {
      const sub = scope.subscriptionId.toLowerCase();
      const count = live.filter((a) => a.scope.subscriptionId?.toLowerCase() === sub).length;
      if (count >= ctx.config.maxAssignmentsPerSubscription) {
        throw fail(
          400,
          'RoleAssignmentLimitExceeded',
          `No more role assignments can be created for subscription '${scope.subscriptionId}'. The limit is ${ctx.config.maxAssignmentsPerSubscription}.`,
        );
      }
    } else if (scope.kind === 'managementGroup') {
      const count = live.filter((a) => a.scope.key === scope.key).length;
      if (count >= ctx.config.maxAssignmentsPerManagementGroup) {
        throw fail(
          400,
          'RoleAssignmentLimitExceeded',
          `No more role assignments can be created for management group '${scope.managementGroup}'. The limit is ${ctx.config.maxAssignmentsPerManagementGroup}.`,
        );
      }
    }
    const stamp = new Date(now).toISOString();
    const record: AssignmentRecord = {
      name: nameKey,
      scope,
      roleGuid,
      principalId: principalKey,
      principalType: principalType ?? principal?.type ?? 'User',
      description,
      condition,
      conditionVersion,
      delegatedManagedIdentityResourceId,
      createdOn: stamp,
      updatedOn: stamp,
      createdBy: String(caller.oid ?? ''),
      updatedBy: String(caller.oid ?? ''),
      visibleFrom: now + ctx.config.readAfterWriteDelayMs,
    };
    ctx.state.assignments.push(record);
    return [201, toAssignment(record)];
  };

  const getAssignment = (route: ArmRoute, name: string): [number, unknown] => {
    const found = ctx.state
      .visible()
      .find((a) => a.name === name.toLowerCase() && a.scope.key === route.scope.key);
    if (!found) throw fail(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
    return [200, toAssignment(found)];
  };

  const deleteAssignment = (route: ArmRoute, name: string): [number, unknown] => {
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
  };

  const listAssignments = (route: ArmRoute, url: URL): [number, unknown] => {
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
    const matches = ctx.state.visible().filter((a) => {
      const above = ctx.state.isAtOrAbove(a.scope, scope);
      const below = ctx.state.isAtOrAbove(scope, a.scope);
      if (atScope ? !above : !above && !below) return false;
      return principals.every((p) => a.principalId === p);
    });
    return [200, page(matches.map(toAssignment), url)];
  };

  /** One page of `items` from `$skipToken`, with a `nextLink` when more remain. */
  const page = (items: unknown[], url: URL) => {
    const offset = Number.parseInt(url.searchParams.get('$skipToken') ?? '0', 10) || 0;
    const size = Math.max(1, ctx.config.pageSize);
    const value = items.slice(offset, offset + size);
    if (offset + size >= items.length) return { value };
    // Not `new URL(path, base)`: a path from a `//subscriptions/…` request would be read as a host.
    const next = new URL(`${ctx.resourceManagerEndpoint}${url.pathname.replace(/^\/+/, '/')}${url.search}`);
    next.searchParams.set('$skipToken', String(offset + size));
    return { value, nextLink: next.toString() };
  };

  // ---- role definitions ----

  const definitionOf = (role: RoleDefinitionRecord, scope: Scope) => ({
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
  });

  const listDefinitions = (route: ArmRoute, url: URL): [number, unknown] => {
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
        roles.map((r) => definitionOf(r, route.scope)),
        url,
      ),
    ];
  };

  const roleAt = (route: ArmRoute, id: string): RoleDefinitionRecord => {
    if (!isGuid(id))
      throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
    const role = ctx.state.roleDefinitions.get(id.toLowerCase());
    if (!role || !ctx.state.roleAssignableAt(role, route.scope)) {
      throw fail(
        404,
        'RoleDefinitionDoesNotExist',
        `The specified role definition with ID '${noDashes(id.toLowerCase())}' does not exist.`,
      );
    }
    return role;
  };

  const putDefinition = (route: ArmRoute, id: string, text: string): [number, unknown] => {
    if (!isGuid(id))
      throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
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
        permissions: Array.isArray(props.permissions)
          ? (props.permissions as Record<string, string[]>[])
          : [],
      });
    } catch (error) {
      if (error instanceof ScopeError)
        throw fail(400, 'InvalidAssignableScope', `An assignable scope is not valid: ${error.message}.`);
      throw error;
    }
    return [201, definitionOf(role, route.scope)];
  };

  const deleteDefinition = (route: ArmRoute, id: string): [number, unknown] => {
    if (!isGuid(id))
      throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${id}' is not valid.`);
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
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    // Not `new URL(req.url, base)`: a path starting with `//` would be read as a host.
    const url = new URL(`${ctx.resourceManagerEndpoint}${req.url ?? '/'}`);
    const parsed = parseRoute(url.pathname);
    const route = parsed instanceof ArmFailure ? undefined : parsed;
    const entry: RequestRecord = startRecord(
      ctx.record,
      'arm',
      operationOf(method, route),
      req,
      route && isPim(route) ? pimWrites(method, route) : method === 'PUT' || method === 'DELETE',
    );
    const requestId = randomUUID();
    entry.requestId = requestId;
    const correlationId = String(req.headers['x-ms-correlation-request-id'] ?? randomUUID());
    const headers: Record<string, string> = {
      'cache-control': 'no-cache',
      pragma: 'no-cache',
      expires: '-1',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': correlationId,
      'x-ms-routing-request-id': `EMULATOR:${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z:${requestId}`,
    };
    /** Set when the answer is to be lost after the request is applied (faults.armLostAnswers). */
    let loseAnswerAfterMs: number | undefined;
    const reply = (status: number, body: unknown) => {
      if (loseAnswerAfterMs !== undefined) {
        entry.status = 0;
        entry.errorCode = 'ConnectionReset';
        setTimeout(() => res.socket?.destroy(), loseAnswerAfterMs).unref();
        return;
      }
      entry.status = status;
      const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
      if (code) entry.errorCode = code;
      if (body === undefined) {
        res.writeHead(status, { ...headers, 'content-length': '0' });
        res.end();
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    };

    const text = await readBody(req);
    if (method === 'PUT') entry.input = jsonBody(text);
    const lost = ctx.faults.armLostAnswers.find(
      (f) =>
        (f.times ?? 1) > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.pathIncludes === undefined || url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())),
    );
    if (lost?.applied) {
      lost.times = (lost.times ?? 1) - 1;
      loseAnswerAfterMs = lost.afterMs;
    } else if (lost) {
      lost.times = (lost.times ?? 1) - 1;
      entry.status = 0;
      entry.errorCode = 'ConnectionReset';
      setTimeout(() => res.socket?.destroy(), lost.afterMs).unref();
      return;
    }
    if (!(await applyTransportFaults(res, ctx.faults, ctx.random, entry))) return;
    try {
      // PIM's clock: outcomes, assignments starting and ending, applied before anything reads.
      settlePim(ctx.state, ctx.config);
      const caller = authenticate(req);
      const injected = ctx.faults.armFailures.find(
        (f) =>
          (f.times === undefined || f.times > 0) &&
          (f.method === undefined || f.method.toUpperCase() === method) &&
          (f.pathIncludes === undefined ||
            url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())) &&
          (!f.unfiltered || !url.searchParams.has('$filter')),
      );
      if (injected) {
        if (injected.times !== undefined) injected.times--;
        throw fail(injected.status, injected.code, injected.message);
      }
      const identity = managedIdentityAnswer(ctx, method, url, caller);
      if (identity) return reply(identity[0], identity[1]);
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        throw fail(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      if (parsed instanceof ArmFailure) throw parsed;
      if (!route)
        throw fail(
          404,
          'InvalidResourceType',
          `emulator: only Microsoft.Authorization roleAssignments, roleDefinitions and the PIM resource types (${PIM_RESOURCE_TYPES.join(', ')}) are emulated (${method} ${url.pathname}).`,
        );
      const served = API_VERSIONS[route.resourceType];
      if (apiVersion !== served) {
        throw fail(
          400,
          'NoRegisteredProviderFound',
          `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${route.resourceType}'. The supported api-versions are '${served}'. The supported locations are ', global'.`,
        );
      }
      checkSubscription(route.scope);

      const kind = kindOf(method);
      const owner = route.scope.subscriptionId
        ? `subscription:${route.scope.subscriptionId.toLowerCase()}`
        : 'tenant';
      const level = route.scope.subscriptionId ? 'subscription' : 'tenant';
      const verb = { reads: 'read', writes: 'write', deletes: 'delete' }[kind];
      const throttled = (retryAfter: number | undefined) =>
        fail(
          429,
          level === 'subscription' ? 'SubscriptionRequestsThrottled' : 'TenantRequestsThrottled',
          `Number of '${verb}' requests for ${level === 'subscription' ? `subscription '${route.scope.subscriptionId}'` : `tenant '${ctx.state.tenantId}'`} actor '${String(caller.oid ?? '')}' exceeded. Please try again after ${retryAfter ?? 'some'} seconds.`,
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        );
      const taken = buckets.take(`${owner}:${String(caller.oid ?? '')}`, kind);
      headers[`x-ms-ratelimit-remaining-${level}-${kind}`] = String(taken.remaining);
      if (level === 'subscription')
        headers[`x-ms-ratelimit-remaining-subscription-global-${kind}`] = String(taken.remainingGlobal);
      if (!taken.ok) throw throttled(taken.retryAfterSeconds);
      if (ctx.faults.throttleRate > 0 && ctx.random() < ctx.faults.throttleRate) {
        throw throttled(ctx.faults.throttleWithoutRetryAfter ? undefined : ctx.config.faultRetryAfterSeconds);
      }
      if (ctx.faults.serverErrorRate > 0 && ctx.random() < ctx.faults.serverErrorRate) {
        if (ctx.random() < 0.5)
          throw fail(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable. Please try again later.',
          );
        throw fail(
          500,
          'InternalServerError',
          `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${requestId}', request correlation id '${correlationId}'.`,
        );
      }

      const resourcePath = `${route.scope.path === '/' ? '' : route.scope.path}/providers/Microsoft.Authorization/${route.resourceType}${route.name ? `/${route.name}` : ''}`;
      authorize(caller, actionsOf(method, route), route.scope, route.name ? resourcePath : route.scope.path);

      const name = route.name;
      let result: [number, unknown];
      if (isPim(route)) result = pim({ method, route, caller, url, text });
      else if (route.resourceType === 'roleAssignments') {
        if (!name) {
          if (method !== 'GET') throw methodNotAllowed(method);
          result = listAssignments(route, url);
        } else if (method === 'PUT') result = createAssignment(caller, route, name, text);
        else if (method === 'DELETE') result = deleteAssignment(route, name);
        else if (method === 'GET') {
          if (!isGuid(name))
            throw fail(
              400,
              'InvalidRoleAssignmentId',
              `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
            );
          result = getAssignment(route, name);
        } else throw methodNotAllowed(method);
      } else if (!name) {
        if (method !== 'GET') throw methodNotAllowed(method);
        result = listDefinitions(route, url);
      } else if (method === 'PUT') result = putDefinition(route, name, text);
      else if (method === 'DELETE') result = deleteDefinition(route, name);
      else if (method === 'GET') result = [200, definitionOf(roleAt(route, name), route.scope)];
      else throw methodNotAllowed(method);
      reply(result[0], result[1]);
    } catch (error) {
      if (!(error instanceof ArmFailure)) throw error;
      Object.assign(headers, error.headers);
      reply(error.status, { error: { code: error.code, message: error.message } });
    }
  };
  return { handle, reset: () => buckets.reset() };
}

/** A request's JSON object body, for the request record; undefined when it is not one. */
function jsonBody(text: string): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
