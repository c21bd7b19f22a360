// The state every Azure emulator starts with (a management group, a subscription, the action's
// app registration with a federated credential, and its User Access Administrator assignments),
// and a role assignment written straight into the state, as the seed and the tests make them.
import { randomUUID } from 'node:crypto';
import type { AddRoleAssignment } from './emulator-api.js';
import { ROLE_GUIDS } from './tenant/roles.js';
import { parseScope } from './tenant/scope.js';
import { roleGuidFrom, toAssignment, type RoleAssignment } from './tenant/role-assignments.js';
import { SEED, type AzureState } from './tenant/state.js';

export function seed(state: AzureState): void {
  state.addManagementGroup(SEED.managementGroup);
  state.addSubscription(SEED.subscriptionId, SEED.managementGroup);
  for (const name of SEED.resourceGroups) state.addResourceGroup(SEED.subscriptionId, name);
  state.addApp({
    clientId: SEED.clientId,
    objectId: SEED.appObjectId,
    displayName: 'cloud-access',
    federatedCredentials: [{ issuer: SEED.githubIssuer, subject: SEED.subject, audiences: [SEED.audience] }],
  });
  const uaa = (scope: string, name: string) =>
    assign(state, {
      scope,
      roleDefinitionId: ROLE_GUIDS.UserAccessAdministrator,
      principalId: SEED.appObjectId,
      principalType: 'ServicePrincipal',
      name,
    });
  uaa(`/subscriptions/${SEED.subscriptionId}`, '6f1c2e8a-4b3d-4a5e-9c7f-1d2e3f4a5b6c');
  // Also at the management group above it, so assignments at management group scope can be tried.
  uaa(
    `/providers/Microsoft.Management/managementGroups/${SEED.managementGroup}`,
    '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  );
}

export function assign(state: AzureState, a: AddRoleAssignment): RoleAssignment {
  const roleGuid = roleGuidFrom(a.roleDefinitionId);
  if (!roleGuid || !state.roleDefinitions.has(roleGuid))
    throw new Error(`emulator: no role definition ${a.roleDefinitionId}`);
  const principalId = a.principalId.toLowerCase();
  const scope = parseScope(a.scope);
  // Written straight into the state, as someone made it in the portal: its resource group exists.
  if (scope.subscriptionId && scope.resourceGroup)
    state.addResourceGroup(scope.subscriptionId, scope.resourceGroup);
  const stamp = (a.createdOn ?? new Date()).toISOString();
  const record = {
    name: (a.name ?? randomUUID()).toLowerCase(),
    scope,
    roleGuid,
    principalId,
    principalType: a.principalType ?? state.principals.get(principalId)?.type ?? 'User',
    description: a.description ?? null,
    condition: a.condition ?? null,
    conditionVersion: a.conditionVersion ?? (a.condition ? '2.0' : null),
    delegatedManagedIdentityResourceId: null,
    createdOn: stamp,
    updatedOn: a.updatedOn?.toISOString() ?? stamp,
    createdBy: a.createdBy ?? null,
    updatedBy: a.updatedBy ?? a.createdBy ?? null,
    visibleFrom: a.hiddenForMs ? Date.now() + a.hiddenForMs : 0,
    ...(a.hiddenForReads ? { hiddenReads: a.hiddenForReads } : {}),
  };
  state.assignments.push(record);
  return toAssignment(record);
}
