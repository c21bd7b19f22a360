// The AzureEmulator's methods that add to the tenant and read it back, beside index.ts (which
// starts the servers): principals, apps, roles, subscriptions and assignments; PIM's schedules and
// policies; the Entra directory's objects.
import { randomUUID } from 'node:crypto';
import type { AzureEmulator } from './emulator-api.js';
import { toInstance, toRequest, toSchedule } from './pim/schedule-render.js';
import { currentInstances, currentSchedules, newGuid, settlePim } from './pim/schedules.js';
import type { AzureContext } from './tenant/context.js';
import { parseScope } from './tenant/scope.js';
import { roleGuidFrom, toAssignment } from './tenant/role-assignments.js';
import { SEED } from './tenant/state.js';
import { assign } from './seed.js';

/** What the emulator's methods that add and read share: the context, whose state reset() replaces. */
type Ctx = Pick<AzureContext, 'state' | 'config'>;

/** Principals, apps, roles, subscriptions, management groups and role assignments. */
export function tenantMethods(
  ctx: Ctx,
): Pick<
  AzureEmulator,
  | 'addPrincipal'
  | 'addRoleAssignment'
  | 'roleAssignments'
  | 'findRoleAssignment'
  | 'addApp'
  | 'addRoleDefinition'
  | 'addSubscription'
  | 'addManagementGroup'
  | 'addResourceGroup'
> {
  return {
    addPrincipal(opts = {}) {
      return ctx.state.addPrincipal(opts.type ?? 'User', opts.createdAt ?? Date.now(), opts.id);
    },
    addRoleAssignment: (a) => assign(ctx.state, a),
    roleAssignments() {
      settlePim(ctx.state, ctx.config);
      return ctx.state.live().map(toAssignment);
    },
    findRoleAssignment(scope, principalId, role) {
      settlePim(ctx.state, ctx.config);
      const key = parseScope(scope).key;
      const guid = roleGuidFrom(role);
      const found = ctx.state
        .live()
        .find(
          (a) => a.scope.key === key && a.principalId === principalId.toLowerCase() && a.roleGuid === guid,
        );
      return found && toAssignment(found);
    },
    addApp: (app) => addApp(ctx, app),
    addRoleDefinition: (role) =>
      ctx.state.addRoleDefinition({ ...role, permissions: role.permissions ?? [] }),
    addSubscription(subscriptionId = randomUUID(), opts = {}) {
      ctx.state.addSubscription(subscriptionId, opts.managementGroup, opts.displayName);
      return subscriptionId;
    },
    addManagementGroup: (name, parent) => ctx.state.addManagementGroup(name, parent),
    addResourceGroup(name, subscriptionId = SEED.subscriptionId) {
      ctx.state.addResourceGroup(subscriptionId, name);
      return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
    },
  };
}

/** PIM's requests, schedules and instances, and its policy rules. */
export function pimMethods(
  ctx: Ctx,
): Pick<AzureEmulator, 'pim' | 'addRoleAssignmentSchedule' | 'setPimPolicy'> {
  return {
    pim() {
      settlePim(ctx.state, ctx.config);
      return {
        requests: ctx.state.pimRequests.map((r) => toRequest(ctx.state, r)),
        schedules: currentSchedules(ctx.state).map((v) => toSchedule(ctx.state, v)),
        instances: currentInstances(ctx.state).map((v) => toInstance(ctx.state, v)),
      };
    },
    addRoleAssignmentSchedule: (a) => addRoleAssignmentSchedule(ctx, a),
    setPimPolicy(settings, role) {
      if (role === undefined) ctx.config.pimPolicy = { ...ctx.config.pimPolicy, ...settings };
      else ctx.config.pimPolicies[role] = { ...ctx.config.pimPolicies[role], ...settings };
    },
  };
}

/** The Entra directory's users, groups, applications and managed identities. */
export function directoryMethods(
  ctx: Ctx,
): Pick<AzureEmulator, 'addUser' | 'addGroup' | 'addApplication' | 'addManagedIdentity'> {
  return {
    addUser: (user) => ctx.state.directory.addUser(user),
    addGroup: (group) => ctx.state.directory.addGroup(group),
    addApplication: (app) => ctx.state.directory.addApplication(app),
    addManagedIdentity: (identity) =>
      ctx.state.directory.addManagedIdentity({
        name: identity.name,
        resourceGroup: identity.resourceGroup ?? 'rg-identities',
        subscriptionId: identity.subscriptionId ?? SEED.subscriptionId,
        ...(identity.principalId ? { principalId: identity.principalId } : {}),
      }),
  };
}

function addApp(ctx: Ctx, app: Parameters<AzureEmulator['addApp']>[0]): ReturnType<AzureEmulator['addApp']> {
  const registration = ctx.state.addApp({
    ...(app.clientId ? { clientId: app.clientId } : {}),
    federatedCredentials: app.federatedSubjects.map((subject) => ({
      issuer: app.issuer ?? SEED.githubIssuer,
      subject,
      audiences: app.audiences ?? [SEED.audience],
    })),
  });
  for (const { scope, role } of app.roleAtScopes ?? []) {
    const guid =
      roleGuidFrom(role) ??
      [...ctx.state.roleDefinitions.values()].find((r) => r.roleName.toLowerCase() === role.toLowerCase())
        ?.guid;
    if (!guid) throw new Error(`emulator: no role named ${role}`);
    assign(ctx.state, {
      scope,
      roleDefinitionId: guid,
      principalId: registration.objectId,
      principalType: 'ServicePrincipal',
    });
  }
  return { clientId: registration.clientId, objectId: registration.objectId };
}

function addRoleAssignmentSchedule(
  ctx: Ctx,
  a: Parameters<AzureEmulator['addRoleAssignmentSchedule']>[0],
): ReturnType<AzureEmulator['addRoleAssignmentSchedule']> {
  const roleGuid = roleGuidFrom(a.roleDefinitionId);
  if (!roleGuid || !ctx.state.roleDefinitions.has(roleGuid))
    throw new Error(`emulator: no role definition ${a.roleDefinitionId}`);
  const principalId = a.principalId.toLowerCase();
  const now = Date.now();
  const startMs = a.startMs ?? now;
  const endMs = a.endMs ?? null;
  const scope = parseScope(a.scope);
  const name = (a.name ?? newGuid()).toLowerCase();
  const iso = (ms: number) => new Date(ms).toISOString();
  // As if an AdminAssign had been provisioned at `now`: settlePim makes the schedule and the role assignment.
  ctx.state.pimRequests.push({
    name: (a.requestName ?? newGuid()).toLowerCase(),
    scope,
    roleGuid,
    principalId,
    principalType: ctx.state.principals.get(principalId)?.type ?? 'User',
    requestType: 'AdminAssign',
    scheduleInfo: {
      startDateTime: iso(startMs),
      expiration:
        endMs === null
          ? { type: 'NoExpiration', endDateTime: null, duration: null }
          : { type: 'AfterDateTime', endDateTime: iso(endMs), duration: null },
    },
    justification: null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    condition: null,
    conditionVersion: null,
    requestorId: (a.requestorId ?? SEED.appObjectId).toLowerCase(),
    createdOn: iso(now),
    status: 'Accepted',
    dueAt: now,
    outcome: 'Provisioned',
    approvalId: null,
    targetScheduleName: name,
    targetInstanceName: (a.assignmentName ?? newGuid()).toLowerCase(),
    startMs,
    endMs,
  });
  settlePim(ctx.state, ctx.config, now);
  const view = currentSchedules(ctx.state, now).find((v) => v.name === name);
  if (!view) throw new Error('emulator: the schedule ends before it starts');
  return toSchedule(ctx.state, view);
}
