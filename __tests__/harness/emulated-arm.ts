// Entra and ARM for the Azure adapter's tests: the emulator, started in the jest process, which
// the adapter reaches with its own credential (a GitHub OIDC token exchanged with Entra) and the
// real @azure/arm-authorization client, through the `authority-host` and
// `resource-manager-endpoint` inputs over TLS. The jest process has no NODE_EXTRA_CA_CERTS, so
// the SDK's own Node HTTP client is handed the emulator's CA, as that variable would give it.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { startAzureEmulator, type AzureEmulator, type RoleAssignment } from '../../emulator/azure/index.js';
import { SEED } from '../../emulator/azure/tenant/state.js';
import { createJwtIssuer } from '../../emulator/common/jwt.js';
import type { RequestRecord } from '../../emulator/common/requests.js';
import { createAzureCredential } from '../../src/azure/sdk/credentials.js';
import { parseInputs, type AzureConfig } from '../../src/core/inputs/index.js';
import type { AzureGrant, AzureGroupGrant } from '../../src/core/types.js';

export const SUB = SEED.subscriptionId;
export const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
export const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';
/** The identity the adapter signs in as (its token's `oid`), which ARM records as `createdBy`. */
export const OBJECT_ID = SEED.appObjectId;
/** The Graph application permissions PIM for groups needs: names, memberships, both schedules, the policy. */
export const GROUP_PIM_GRAPH_ROLES = [
  'User.Read.All',
  'GroupMember.Read.All',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.Read.AzureADGroup',
];
/** Someone else. */
const OTHER_IDENTITY = '99999999-9999-4999-8999-999999999999';

export interface EmulatedArm {
  readonly az: AzureEmulator;
  /** `METHOD /path` of every ARM request, in order (Entra's token requests left out). */
  requests(): string[];
  /** Every ARM request's method and the status it was answered with, in order. */
  answers(): { method: string; status: number }[];
  /** The request ID ARM answered the `nth` request of `method` with. */
  requestIdOf(method: string, nth?: number): string;
  /** The `properties` of the last PUT's body. */
  lastBody(): unknown;
  /** An assignment of PRINCIPAL that exists now, in place of any of that name at the scope. */
  add(
    name: string,
    roleGuid?: string,
    scope?: string,
    made?: { by?: string; on?: Date; description?: string; condition?: string; updatedBy?: string },
  ): RoleAssignment;
  /** The step's plan over this emulator, from its inputs: role assignments at scopes. */
  plan(inputs: Record<string, string>): AzureConfig & { grants: AzureGrant[] };
  /** The step's plan of memberships of groups (`target: group:…`). */
  groupPlan(inputs: Record<string, string>): AzureConfig & { grants: AzureGroupGrant[] };
  /**
   * The adapter's credential (signing in with a GitHub token the emulator trusts), one for the
   * file, signed in before the tests: a test's deadline is not spent on the token exchange.
   */
  credential(): TokenCredential;
  /** A GitHub OIDC token for `audience` that the emulator's Entra trusts (the adapter's token source). */
  requestToken(audience: string): Promise<string>;
  /** The SDK's Node HTTP client, trusting the emulator's CA. */
  readonly httpClient: HttpClient;
}

/** Starts the emulator for the test file; each test begins from its seeded state, with PRINCIPAL a user. */
export function emulatedArm(): EmulatedArm {
  let emulator: AzureEmulator | undefined;
  const records: RequestRecord[] = [];
  const github = createJwtIssuer();
  const running = () => {
    if (!emulator) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  const arm = () => records.filter((r) => r.service === 'arm');
  let httpClient: HttpClient | undefined;
  let credential: TokenCredential | undefined;
  const requestToken = async (audience: string) => {
    const now = Math.floor(Date.now() / 1000);
    return github.sign({
      iss: SEED.githubIssuer,
      sub: SEED.subject,
      aud: audience,
      iat: now,
      nbf: now - 5,
      exp: now + 300,
    });
  };
  const parsed = (inputs: Record<string, string>) => {
    const all: Record<string, string> = { cloud: 'azure', ...running().actionInputs, ...inputs };
    return parseInputs((name) => all[name] ?? '', {}) as AzureConfig;
  };
  const plan = (inputs: Record<string, string>) => parsed(inputs) as AzureConfig & { grants: AzureGrant[] };
  const groupPlan = (inputs: Record<string, string>) =>
    parsed(inputs) as AzureConfig & { grants: AzureGroupGrant[] };

  beforeAll(async () => {
    emulator = await startAzureEmulator({
      verifyGithubToken: (token) => github.verify(token, 60),
      record: (r) => void records.push(r),
    });
    const inner = createDefaultHttpClient();
    // One settings object, so the client keeps one agent for it.
    const tlsSettings = { ca: emulator.caCert };
    httpClient = {
      sendRequest: (request) => inner.sendRequest(Object.assign(request, { tlsSettings })),
    };
    const signedIn = plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
    credential = createAzureCredential(signedIn, requestToken, () => undefined, httpClient);
    // As ArmSession asks for it (@azure/identity caches CAE and non-CAE tokens apart).
    await credential.getToken(signedIn.tokenScope, { enableCae: true });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    running().reset();
    records.length = 0;
    // Replicated long ago, as a principal a step names usually is.
    running().addPrincipal({ id: PRINCIPAL, type: 'User', createdAt: 0 });
    // A PIM-for-groups request's instance listed as soon as it provisions, for the tests that seed
    // memberships and read them back: the lag (config.groupPimInstanceDelayMs) is the business of
    // the tests that set it (__tests__/azure/graph/group-pim-instance.test.ts).
    running().config.groupPimInstanceDelayMs = 0;
  });

  return {
    get az() {
      return running();
    },
    get httpClient() {
      if (!httpClient) throw new Error('the emulator starts in beforeAll');
      return httpClient;
    },
    requests: () => arm().map((r) => `${r.method} ${decodeURIComponent(r.path)}`),
    answers: () => arm().map((r) => ({ method: r.method, status: r.status })),
    requestIdOf(method, nth = 0) {
      const id = arm().filter((r) => r.method === method)[nth]?.requestId;
      if (!id) throw new Error(`no ${method} request ${nth}`);
      return id;
    },
    lastBody: () =>
      (
        arm()
          .filter((r) => r.method === 'PUT')
          .at(-1)?.input as { properties?: unknown } | undefined
      )?.properties,
    add(name, roleGuid = READER, scope = SCOPE, made = {}) {
      const { state } = running();
      const index = state.assignments.findIndex((a) => a.name === name.toLowerCase());
      if (index >= 0) state.assignments.splice(index, 1);
      return running().addRoleAssignment({
        scope,
        roleDefinitionId: roleGuid,
        principalId: PRINCIPAL,
        principalType: 'User',
        name,
        createdBy: made.by ?? OTHER_IDENTITY,
        createdOn: made.on ?? new Date(0),
        ...(made.description !== undefined ? { description: made.description } : {}),
        ...(made.condition !== undefined ? { condition: made.condition } : {}),
        ...(made.updatedBy !== undefined ? { updatedBy: made.updatedBy } : {}),
      });
    },
    plan,
    groupPlan,
    requestToken,
    credential() {
      if (!credential) throw new Error('the emulator starts in beforeAll');
      return credential;
    },
  };
}
