// ARM's role assignment create (PUT), with the service's checks in its order: the body, the role
// and principal given, the principal in the directory, an update of the same name, a duplicate,
// the scope's limit.
import type { JwtClaims } from '../../common/jwt.js';
import { fail, noDashes } from '../rest/failure.js';
import type { ArmRoute } from './route.js';
import type { AzureContext } from '../tenant/context.js';
import { PRINCIPAL_TYPES, type PrincipalType } from '../tenant/directory.js';
import { isGuid, type Scope } from '../tenant/scope.js';
import { roleGuidFrom, toAssignment, type AssignmentRecord } from '../tenant/role-assignments.js';
import type { Principal } from '../tenant/state.js';

/** The properties a create names, as read from its body. */
interface AssignmentRequest {
  roleDefinitionId: string;
  principalId: string;
  principalType: string | undefined;
  description: string | null;
  condition: string | null;
  conditionVersion: string | null;
  delegatedManagedIdentityResourceId: string | null;
}

export function createAssignment(
  ctx: AzureContext,
  caller: JwtClaims,
  route: ArmRoute,
  name: string,
  text: string,
): [number, unknown] {
  if (!isGuid(name))
    throw fail(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  checkResourceGroup(ctx, route.scope);
  const request = readRequest(text);
  const { principalType, description, condition, conditionVersion, delegatedManagedIdentityResourceId } =
    request;
  const scope = route.scope;
  const roleGuid = checkRequest(ctx, scope, request);
  const now = Date.now();
  const principalKey = request.principalId.toLowerCase();
  const principal = checkPrincipal(ctx, request, now);

  const nameKey = name.toLowerCase();
  const live = ctx.state.live();
  const sameName = live.find((a) => a.name === nameKey);
  if (sameName) return updateSameName(sameName, { ...request, principalKey, roleGuid, scope, now, caller });
  checkRoom(ctx, live, scope, principalKey, roleGuid);
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
}

/**
 * A scope in a resource group names one that exists: ARM's gateway answers 404 ResourceGroupNotFound
 * otherwise ("Resource group 'NAME' could not be found."), before the role assignment is looked at.
 */
export function checkResourceGroup(ctx: AzureContext, scope: Scope): void {
  const { subscriptionId, resourceGroup } = scope;
  if (!subscriptionId || !resourceGroup || ctx.state.hasResourceGroup(subscriptionId, resourceGroup)) return;
  throw fail(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

/** The body's properties, or the InvalidRequestContent ARM answers. */
function readRequest(text: string): AssignmentRequest {
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
  // An empty string is no condition: "To delete a role assignment condition, … set both the
  // condition and condition version to either an empty string or null" (conditions-role-assignments-rest).
  const condition = str('condition') || null;
  // "If condition is specified without conditionVersion, the version is set to the default value
  // of 2.0" (the same article).
  const conditionVersion = str('conditionVersion') || (condition === null ? null : '2.0');
  const delegatedManagedIdentityResourceId = str('delegatedManagedIdentityResourceId') ?? null;
  return {
    roleDefinitionId,
    principalId,
    principalType,
    description,
    condition,
    conditionVersion,
    delegatedManagedIdentityResourceId,
  };
}

/** The role (assignable at the scope), the principal ID and type, the condition: the role's GUID. */
function checkRequest(ctx: AzureContext, scope: Scope, request: AssignmentRequest): string {
  const { roleDefinitionId, principalId, principalType, condition, conditionVersion } = request;
  const roleGuid = roleGuidFrom(roleDefinitionId);
  if (!roleGuid)
    throw fail(400, 'InvalidRoleDefinitionId', `The role definition ID '${roleDefinitionId}' is not valid.`);
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
      `The condition version '${conditionVersion}' is not supported. The only supported condition version is 2.0.`,
    );
  }
  if (condition === null && conditionVersion !== null) {
    throw fail(400, 'InvalidConditionVersion', 'A condition version was specified without a condition.');
  }
  return roleGuid;
}

/** The principal in the directory (replicated, or skipped by its type), and of the type given. */
function checkPrincipal(ctx: AzureContext, request: AssignmentRequest, now: number): Principal | undefined {
  const { principalId, principalType } = request;
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
  return principal;
}

/** The same assignment again: an update of its description and condition, or 409 if more differs. */
function updateSameName(
  sameName: AssignmentRecord,
  update: AssignmentRequest & {
    principalKey: string;
    roleGuid: string;
    scope: Scope;
    now: number;
    caller: JwtClaims;
  },
): [number, unknown] {
  const { principalKey, roleGuid, scope, now, caller, principalType } = update;
  const { description, condition, conditionVersion, delegatedManagedIdentityResourceId } = update;
  // "Only the condition, conditionVersion, and description properties can be edited. You must
  // specify the other properties to match the existing role assignment" (Edit a condition).
  if (
    sameName.scope.key !== scope.key ||
    sameName.principalId !== principalKey ||
    sameName.roleGuid !== roleGuid ||
    (principalType !== undefined && principalType !== sameName.principalType) ||
    delegatedManagedIdentityResourceId !== sameName.delegatedManagedIdentityResourceId
  ) {
    throw fail(
      409,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    );
  }
  // The same assignment again: an update of its description and condition, in place; 200.
  sameName.description = description;
  sameName.condition = condition;
  sameName.conditionVersion = conditionVersion;
  sameName.updatedOn = new Date(now).toISOString();
  sameName.updatedBy = String(caller.oid ?? '');
  return [200, toAssignment(sameName)];
}

/** No duplicate of the assignment, and room for one more at the scope's subscription or management group. */
function checkRoom(
  ctx: AzureContext,
  live: AssignmentRecord[],
  scope: Scope,
  principalKey: string,
  roleGuid: string,
): void {
  const duplicate = live.find(
    (a) => a.scope.key === scope.key && a.principalId === principalKey && a.roleGuid === roleGuid,
  );
  if (duplicate) {
    // The message names the existing assignment since ARM's 2025 change (Azure/azure-cli PR
    // #32027).
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
}
