// The Azure half of the emulator: Microsoft Entra's token endpoint and ARM's
// Microsoft.Authorization provider, each on its own HTTPS port on 127.0.0.1 with a certificate
// from a CA made at start, so the unmodified @azure/identity and @azure/arm-authorization talk
// to it (they refuse plain http). Tests seed and inspect it through the helpers below.
import { randomUUID } from 'node:crypto';
import { createRandom } from '../common/http.js';
import { createJwtIssuer, type JwtClaims } from '../common/jwt.js';
import type { RecordRequest } from '../common/requests.js';
import { createArmHandler } from './arm/gateway.js';
import { defaultAzureConfig, defaultAzureFaults } from './tenant/config.js';
import type { AzureContext } from './tenant/context.js';
import type { AzureEmulator } from './emulator-api.js';
import { createEntraHandler } from './entra/entra.js';
import { createGraphHandler } from './graph/graph.js';
import { listenHttps, type HttpsServer } from './server/https.js';
import {
  currentInstances,
  currentSchedules,
  newGuid,
  settlePim,
  toInstance,
  toRequest,
  toSchedule,
} from './pim/schedules.js';
import { parseScope } from './tenant/scope.js';
import { AzureState, SEED, roleGuidFrom, toAssignment } from './tenant/state.js';
import { assign, seed } from './seed.js';
import { createTlsMaterial } from './server/tls.js';

export { API_VERSION } from './arm/route.js';
export type { AzureConfig, AzureFaults, InjectedArmFailure } from './tenant/config.js';
export { PIM_API_VERSION } from './pim/route.js';
export {
  defaultPimPolicy,
  PIM_STATUSES,
  TERMINAL_STATUSES,
  type EnablementRule,
  type PimPolicySettings,
  type PimStatus,
} from './tenant/pim-records.js';
export { ROLE_GUIDS } from './tenant/roles.js';
export type { Permission, RoleDefinitionRecord } from './tenant/roles.js';
export { SEED } from './tenant/state.js';
export { MANAGED_IDENTITY_API_VERSION } from './arm/managed-identities.js';
export type {
  DirectoryApplication,
  DirectoryGroup,
  DirectoryServicePrincipal,
  DirectoryUser,
  PrincipalType,
  UserAssignedIdentity,
} from './tenant/directory.js';
export type { AppRegistration, AzureState, FederatedCredential, RoleAssignment } from './tenant/state.js';
export type {
  AddApp,
  AddRoleAssignment,
  AddRoleAssignmentSchedule,
  AzureEmulator,
  PimSnapshot,
} from './emulator-api.js';

/** The env var naming the ARM endpoint (the action's `resource-manager-endpoint` input). */
export const ARM_ENDPOINT_ENV = 'EMULATOR_ARM_ENDPOINT';

export interface AzureEmulatorDeps {
  /** Verifies a GitHub OIDC JWT (signature, expiry) and returns its claims; throws JwtError otherwise. */
  verifyGithubToken(token: string): JwtClaims;
  record: RecordRequest;
}

export async function startAzureEmulator(deps: AzureEmulatorDeps): Promise<AzureEmulator> {
  const tls = await createTlsMaterial();
  const entraIssuer = createJwtIssuer();
  let state = new AzureState();
  seed(state);
  let random = createRandom(1);

  const ctx: { -readonly [K in keyof AzureContext]: AzureContext[K] } = {
    state,
    config: defaultAzureConfig(),
    faults: defaultAzureFaults(),
    record: deps.record,
    verifyGithubToken: (token) => deps.verifyGithubToken(token),
    entraIssuer,
    authorityHost: '',
    resourceManagerEndpoint: '',
    graphEndpoint: '',
    issuedAccessTokens: [],
    random: () => random(),
  };
  const arm = createArmHandler(ctx);
  const servers: HttpsServer[] = [];
  try {
    const entraHandler = createEntraHandler(ctx);
    servers.push(
      await listenHttps(tls, (req, res) =>
        entraHandler(req, res, new URL(`${ctx.authorityHost}${req.url ?? '/'}`)),
      ),
    );
    servers.push(await listenHttps(tls, arm.handle));
    servers.push(await listenHttps(tls, createGraphHandler(ctx)));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await tls.remove();
    throw error;
  }
  ctx.authorityHost = servers[0]!.url;
  ctx.resourceManagerEndpoint = servers[1]!.url;
  ctx.graphEndpoint = servers[2]!.url;

  const emulator: AzureEmulator = {
    env: {
      NODE_EXTRA_CA_CERTS: tls.caCertPath,
      AZURE_TENANT_ID: SEED.tenantId,
      AZURE_CLIENT_ID: SEED.clientId,
      AZURE_SUBSCRIPTION_ID: SEED.subscriptionId,
      AZURE_AUTHORITY_HOST: ctx.authorityHost,
      [ARM_ENDPOINT_ENV]: ctx.resourceManagerEndpoint,
    },
    actionInputs: {
      'client-id': SEED.clientId,
      'tenant-id': SEED.tenantId,
      'authority-host': ctx.authorityHost,
      'resource-manager-endpoint': ctx.resourceManagerEndpoint,
      'graph-endpoint': ctx.graphEndpoint,
    },
    authorityHost: ctx.authorityHost,
    resourceManagerEndpoint: ctx.resourceManagerEndpoint,
    graphEndpoint: ctx.graphEndpoint,
    caCertPath: tls.caCertPath,
    caCert: tls.ca,
    tenantId: SEED.tenantId,
    subscriptionId: SEED.subscriptionId,
    clientId: SEED.clientId,
    objectId: SEED.appObjectId,
    get state() {
      return ctx.state;
    },
    get config() {
      return ctx.config;
    },
    set config(value) {
      ctx.config = value;
    },
    get faults() {
      return ctx.faults;
    },
    set faults(value) {
      ctx.faults = value;
    },
    get issuedAccessTokens() {
      return ctx.issuedAccessTokens;
    },
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
    addApp(app) {
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
    },
    addRoleDefinition: (role) =>
      ctx.state.addRoleDefinition({ ...role, permissions: role.permissions ?? [] }),
    addSubscription(subscriptionId = randomUUID(), opts = {}) {
      ctx.state.addSubscription(subscriptionId, opts.managementGroup);
      return subscriptionId;
    },
    addManagementGroup: (name, parent) => ctx.state.addManagementGroup(name, parent),
    pim() {
      settlePim(ctx.state, ctx.config);
      return {
        requests: ctx.state.pimRequests.map((r) => toRequest(ctx.state, r)),
        schedules: currentSchedules(ctx.state).map((v) => toSchedule(ctx.state, v)),
        instances: currentInstances(ctx.state).map((v) => toInstance(ctx.state, v)),
      };
    },
    addRoleAssignmentSchedule(a) {
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
    },
    setPimPolicy(settings, role) {
      if (role === undefined) ctx.config.pimPolicy = { ...ctx.config.pimPolicy, ...settings };
      else ctx.config.pimPolicies[role] = { ...ctx.config.pimPolicies[role], ...settings };
    },
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
    signAccessToken: (claims) => entraIssuer.sign(claims),
    reset() {
      state = new AzureState();
      seed(state);
      ctx.state = state;
      ctx.config = defaultAzureConfig();
      ctx.faults = defaultAzureFaults();
      ctx.issuedAccessTokens.length = 0;
      random = createRandom(1);
      arm.reset();
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await tls.remove();
    },
  };
  return emulator;
}
