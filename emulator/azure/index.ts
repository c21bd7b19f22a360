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
import { createEntraHandler } from './entra.js';
import { listenHttps, type HttpsServer } from './https.js';
import { ROLE_GUIDS, type Permission, type RoleDefinitionRecord } from './roles.js';
import { parseScope } from './scope.js';
import {
  AzureState,
  SEED,
  roleGuidFrom,
  toAssignment,
  type PrincipalType,
  type RoleAssignment,
} from './state.js';
import { createTlsMaterial } from './tls.js';

export { API_VERSION } from './arm.js';
export type { AzureConfig, AzureFaults, InjectedArmFailure } from './config.js';
export { ROLE_GUIDS } from './roles.js';
export type { Permission, RoleDefinitionRecord } from './roles.js';
export { SEED } from './state.js';
export type {
  AppRegistration,
  AzureState,
  FederatedCredential,
  PrincipalType,
  RoleAssignment,
} from './state.js';

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
  const stamp = new Date().toISOString();
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
    createdBy: null,
    updatedBy: null,
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
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await tls.remove();
    throw error;
  }
  ctx.authorityHost = servers[0]!.url;
  ctx.resourceManagerEndpoint = servers[1]!.url;

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
    },
    authorityHost: ctx.authorityHost,
    resourceManagerEndpoint: ctx.resourceManagerEndpoint,
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
    roleAssignments: () => ctx.state.live().map(toAssignment),
    findRoleAssignment(scope, principalId, role) {
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
