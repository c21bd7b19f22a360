// The Azure half of the emulator: Microsoft Entra's token endpoint and ARM's
// Microsoft.Authorization provider, each on its own HTTPS port on 127.0.0.1 with a certificate
// from a CA made at start, so the unmodified @azure/identity and @azure/arm-authorization talk
// to it (they refuse plain http). Tests seed and inspect it through the helpers below.
import { randomUUID } from 'node:crypto';
import { createRandom } from '../common/http.js';
import { createJwtIssuer, type JwtClaims } from '../common/jwt.js';
import type { RecordRequest } from '../common/requests.js';
import { createArmHandler } from './arm.js';
import { defaultAzureConfig, defaultAzureFaults, type AzureConfig, type AzureFaults } from './config.js';
import type { AzureContext } from './context.js';
import type {
  DirectoryApplication,
  DirectoryGroup,
  DirectoryServicePrincipal,
  DirectoryUser,
  EntraDirectory,
  PrincipalType,
  UserAssignedIdentity,
} from './directory.js';
import { createEntraHandler } from './entra.js';
import { createGraphHandler } from './graph.js';
import { listenHttps, type HttpsServer } from './https.js';
import type { PimPolicySettings } from './pim-records.js';
import {
  currentInstances,
  currentSchedules,
  newGuid,
  settlePim,
  toInstance,
  toRequest,
  toSchedule,
} from './pim-state.js';
import { ROLE_GUIDS, type Permission, type RoleDefinitionRecord } from './roles.js';
import { parseScope } from './scope.js';
import { AzureState, SEED, roleGuidFrom, toAssignment, type RoleAssignment } from './state.js';
import { createTlsMaterial } from './tls.js';

export { API_VERSION } from './arm.js';
export type { AzureConfig, AzureFaults, InjectedArmFailure } from './config.js';
export { PIM_API_VERSION } from './pim.js';
export {
  defaultPimPolicy,
  PIM_STATUSES,
  TERMINAL_STATUSES,
  type EnablementRule,
  type PimPolicySettings,
  type PimStatus,
} from './pim-records.js';
export { ROLE_GUIDS } from './roles.js';
export type { Permission, RoleDefinitionRecord } from './roles.js';
export { SEED } from './state.js';
export { MANAGED_IDENTITY_API_VERSION } from './managed-identities.js';
export type {
  DirectoryApplication,
  DirectoryGroup,
  DirectoryServicePrincipal,
  DirectoryUser,
  PrincipalType,
  UserAssignedIdentity,
} from './directory.js';
export type { AppRegistration, AzureState, FederatedCredential, RoleAssignment } from './state.js';

/** The env var naming the ARM endpoint (the action's `resource-manager-endpoint` input). */
export const ARM_ENDPOINT_ENV = 'EMULATOR_ARM_ENDPOINT';

export interface AzureEmulatorDeps {
  /** Verifies a GitHub OIDC JWT (signature, expiry) and returns its claims; throws JwtError otherwise. */
  verifyGithubToken(token: string): JwtClaims;
  record: RecordRequest;
}

export interface AddRoleAssignment {
  scope: string;
  /** A role GUID or a full role definition ID. */
  roleDefinitionId: string;
  principalId: string;
  principalType?: PrincipalType;
  /** GUID; random by default. */
  name?: string;
  description?: string;
  condition?: string;
  conditionVersion?: string;
  /**
   * Reads (GET, list) do not show it for this long, as when someone else wrote it moments ago:
   * it exists all the same, so a PUT of the same name answers 200 and one of another name for the
   * same principal, role and scope 409 RoleAssignmentExists.
   */
  hiddenForMs?: number;
  /** The identity ARM records as having made it (`createdBy`); none by default. */
  createdBy?: string;
  /** When it was made (`createdOn`); now by default. */
  createdOn?: Date;
}

/** A PIM active assignment made at once (AdminAssign request Provisioned, schedule, role assignment). */
export interface AddRoleAssignmentSchedule {
  scope: string;
  /** A role GUID or a full role definition ID. */
  roleDefinitionId: string;
  principalId: string;
  /** ms since the epoch; now by default. */
  startMs?: number;
  /** ms since the epoch; null (the default) for no expiration. */
  endMs?: number | null;
  /** The schedule's GUID name; random by default. */
  name?: string;
  /** The role assignment's (and instance's) GUID name; random by default. */
  assignmentName?: string;
  /** The Provisioned AdminAssign request's GUID name; random by default. */
  requestName?: string;
  /** Who asked for it (the request's requestorId, the role assignment's createdBy); the seeded app by default. */
  requestorId?: string;
}

/** PIM as the ARM GETs show it now: every request (terminal ones too), current schedules, instances active now. */
export interface PimSnapshot {
  requests: ReturnType<typeof toRequest>[];
  schedules: ReturnType<typeof toSchedule>[];
  instances: ReturnType<typeof toInstance>[];
}

export interface AddApp {
  clientId?: string;
  /** Subjects of federated credentials with GitHub's issuer and audience api://AzureADTokenExchange. */
  federatedSubjects: string[];
  /** Roles (name or GUID) its service principal holds. */
  roleAtScopes?: { scope: string; role: string }[];
  /** Defaults to GitHub's issuer. */
  issuer?: string;
  audiences?: string[];
}

export interface AzureEmulator {
  /**
   * For the action's process: NODE_EXTRA_CA_CERTS, AZURE_TENANT_ID, AZURE_CLIENT_ID,
   * AZURE_SUBSCRIPTION_ID, AZURE_AUTHORITY_HOST and EMULATOR_ARM_ENDPOINT.
   */
  readonly env: Record<string, string>;
  /** The action's inputs that sign in to this emulator's Entra and reach its ARM: `client-id`, `tenant-id`, `authority-host`, `resource-manager-endpoint`. */
  readonly actionInputs: Record<string, string>;
  /** `https://127.0.0.1:PORT`: Entra. */
  readonly authorityHost: string;
  /** `https://127.0.0.1:PORT2`: ARM. */
  readonly resourceManagerEndpoint: string;
  /** `https://127.0.0.1:PORT3`: Microsoft Graph (the action's `graph-endpoint`). */
  readonly graphEndpoint: string;
  /** The emulator's CA certificate (PEM), valid until close(). */
  readonly caCertPath: string;
  readonly caCert: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The seeded app registration (client ID) and its service principal's object ID. */
  readonly clientId: string;
  readonly objectId: string;
  readonly state: AzureState;
  /** Mutable; reset() restores the defaults. */
  config: AzureConfig;
  /** Mutable, all off by default; reset() turns them off. */
  faults: AzureFaults;
  /** Every access token the Entra emulator has issued, oldest first. */
  readonly issuedAccessTokens: string[];

  /** A principal in the directory; `createdAt` (ms) defaults to now (see config.principalReplicationDelayMs). */
  addPrincipal(opts?: { type?: PrincipalType; createdAt?: number; id?: string }): string;
  /** An assignment made at once (no request), visible to reads at once unless `hiddenForMs`. */
  addRoleAssignment(assignment: AddRoleAssignment): RoleAssignment;
  /** Every assignment that exists now (including ones reads do not see yet). */
  roleAssignments(): RoleAssignment[];
  findRoleAssignment(scope: string, principalId: string, role: string): RoleAssignment | undefined;
  addApp(app: AddApp): { clientId: string; objectId: string };
  /** A custom role (two with the same name at different scopes are allowed). */
  addRoleDefinition(role: {
    roleName: string;
    assignableScopes: string[];
    permissions?: Partial<Permission>[];
    guid?: string;
    description?: string;
  }): RoleDefinitionRecord;
  /** A subscription, in `managementGroup` (default: the tenant root group). */
  addSubscription(subscriptionId?: string, opts?: { managementGroup?: string }): string;
  addManagementGroup(name: string, parent?: string): void;
  /** PIM requests, schedules and instances as ARM shows them now (also in GET /_emulator/state). */
  pim(): PimSnapshot;
  /** A PIM active assignment that exists at once (someone else's, or set-up for a test). */
  addRoleAssignmentSchedule(schedule: AddRoleAssignmentSchedule): ReturnType<typeof toSchedule>;
  /**
   * Sets PIM policy rules (merged into the current ones): of one role (GUID or name) at every
   * scope, or of every role. Same as editing config.pimPolicies / config.pimPolicy.
   */
  setPimPolicy(settings: Partial<PimPolicySettings>, role?: string): void;
  /** A user; `guest: true` with `mail` makes a B2B guest (`alice_contoso.com#EXT#@…`). */
  addUser(user: Parameters<EntraDirectory['addUser']>[0]): DirectoryUser;
  /** A group; display names need not be unique. */
  addGroup(group: Parameters<EntraDirectory['addGroup']>[0]): DirectoryGroup;
  /** An app registration with its service principal (the registration needs no federated credential). */
  addApplication(app: Parameters<EntraDirectory['addApplication']>[0]): {
    application: DirectoryApplication;
    servicePrincipal: DirectoryServicePrincipal;
  };
  /** A user-assigned managed identity (in the seeded subscription unless given) and its service principal. */
  addManagedIdentity(identity: {
    name: string;
    resourceGroup?: string;
    subscriptionId?: string;
    principalId?: string;
  }): UserAssignedIdentity;
  /** Signs an access token as the Entra emulator would (for tests of ARM's token checks). */
  signAccessToken(claims: JwtClaims): string;
  reset(): void;
  close(): Promise<void>;
}

function seed(state: AzureState): void {
  state.addManagementGroup(SEED.managementGroup);
  state.addSubscription(SEED.subscriptionId, SEED.managementGroup);
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

function assign(state: AzureState, a: AddRoleAssignment): RoleAssignment {
  const roleGuid = roleGuidFrom(a.roleDefinitionId);
  if (!roleGuid || !state.roleDefinitions.has(roleGuid))
    throw new Error(`emulator: no role definition ${a.roleDefinitionId}`);
  const principalId = a.principalId.toLowerCase();
  const stamp = (a.createdOn ?? new Date()).toISOString();
  const record = {
    name: (a.name ?? randomUUID()).toLowerCase(),
    scope: parseScope(a.scope),
    roleGuid,
    principalId,
    principalType: a.principalType ?? state.principals.get(principalId)?.type ?? 'User',
    description: a.description ?? null,
    condition: a.condition ?? null,
    conditionVersion: a.conditionVersion ?? (a.condition ? '2.0' : null),
    delegatedManagedIdentityResourceId: null,
    createdOn: stamp,
    updatedOn: stamp,
    createdBy: a.createdBy ?? null,
    updatedBy: a.createdBy ?? null,
    visibleFrom: a.hiddenForMs ? Date.now() + a.hiddenForMs : 0,
  };
  state.assignments.push(record);
  return toAssignment(record);
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
