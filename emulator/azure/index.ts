// The Azure half of the emulator: Microsoft Entra's token endpoint and ARM's
// Microsoft.Authorization provider, each on its own HTTPS port on 127.0.0.1 with a certificate
// from a CA made at start, so the unmodified @azure/identity and @azure/arm-authorization talk
// to it (they refuse plain http). Tests seed and inspect it through the helpers below.
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
import { AzureState, SEED } from './tenant/state.js';
import { seed } from './seed.js';
import { createTlsMaterial, type TlsMaterial } from './server/tls.js';
import { startAzurite } from './azurite.js';
import { directoryMethods, pimMethods, tenantMethods } from './tenant-api.js';
import { activationMethods } from './activation-api.js';
import { eligibilityMethods } from './eligibility-api.js';
import { groupPimMethods } from './pim-groups-api.js';

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
export type { RoleAssignment } from './tenant/role-assignments.js';
export type { AppRegistration, AzureState, FederatedCredential } from './tenant/state.js';
export { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from './azurite.js';
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
  /** Start Azurite too (`audit-log`'s Blob Storage): ./azurite.ts. */
  azurite?: boolean;
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
  const servers = await listen(ctx, tls, arm.handle);
  const azurite = deps.azurite
    ? await startAzurite(tls).catch(async (error: unknown) => {
        await Promise.all(servers.map((s) => s.close()));
        await tls.remove();
        throw error;
      })
    : undefined;

  const emulator: AzureEmulator = {
    ...addresses(ctx, tls),
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
    ...tenantMethods(ctx),
    ...pimMethods(ctx),
    ...eligibilityMethods(ctx),
    ...activationMethods(ctx),
    ...groupPimMethods(ctx),
    ...directoryMethods(ctx),
    signAccessToken: (claims) => entraIssuer.sign(claims),
    ...(azurite ? { azuriteBlobEndpoint: azurite.blobEndpoint } : {}),
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
      await Promise.all([...servers.map((s) => s.close()), azurite?.close()]);
      await tls.remove();
    },
  };
  return emulator;
}

/** Entra's, ARM's and Graph's HTTPS servers, their addresses set in `ctx`; none left listening on a failure. */
async function listen(
  ctx: { -readonly [K in keyof AzureContext]: AzureContext[K] },
  tls: TlsMaterial,
  armHandler: ReturnType<typeof createArmHandler>['handle'],
): Promise<HttpsServer[]> {
  const servers: HttpsServer[] = [];
  try {
    const entraHandler = createEntraHandler(ctx);
    servers.push(
      await listenHttps(tls, (req, res) =>
        entraHandler(req, res, new URL(`${ctx.authorityHost}${req.url ?? '/'}`)),
      ),
    );
    servers.push(await listenHttps(tls, armHandler));
    servers.push(await listenHttps(tls, createGraphHandler(ctx)));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await tls.remove();
    throw error;
  }
  ctx.authorityHost = servers[0]!.url;
  ctx.resourceManagerEndpoint = servers[1]!.url;
  ctx.graphEndpoint = servers[2]!.url;
  return servers;
}

/** Where the emulator listens and what signs in to it: the action's environment and inputs, the seeded IDs. */
function addresses(
  ctx: AzureContext,
  tls: TlsMaterial,
): Pick<
  AzureEmulator,
  | 'env'
  | 'actionInputs'
  | 'authorityHost'
  | 'resourceManagerEndpoint'
  | 'graphEndpoint'
  | 'caCertPath'
  | 'caCert'
  | 'tenantId'
  | 'subscriptionId'
  | 'clientId'
  | 'objectId'
> {
  return {
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
  };
}
