// The ARM session both Azure drivers work through (the twin of aws/sso/session.ts's SsoSession): the SDK
// clients, one per subscription; the call runner that paces, retries and counts every call; the
// reads that serve several grants; the first Entra token and the identity it names; the deadline.
import type { AuthorizationManagementClient, RoleManagementPolicyAssignment } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureScope } from '../../core/azure-scope.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { azureSignedInLine, type AccessTokenClaims } from '../../core/signed-in.js';
import { decodeClaims } from '../../core/token-claims.js';
import type { AzureGrant, AzureResolvedIds } from '../../core/types.js';
import { createCallRunner, type CallRunner } from '../../engine/calls/call-runner.js';
import { type Deadline, DeadlineExceededError } from '../../engine/limits/deadline.js';
import { emptyStats, type AdapterDeps, type CallStats } from '../../engine/calls/driver.js';
import { ArmReads } from './reads.js';
import {
  createArmClients,
  createSubscriptionReader,
  type ArmClientFor,
  type SubscriptionInfo,
  type SubscriptionRead,
} from './clients.js';
import { createAzureCredential } from '../sdk/credentials.js';
import { createDirectory, type Directory } from '../graph/directory.js';
import { managedIdentityReader } from './managed-identity.js';
import { noTokenBeforeDeadline } from '../sdk/entra-errors.js';
import { armClassifier } from '../sdk/azure-errors.js';
import { ArmError } from '../sdk/arm-errors.js';
import { ArmPacer } from '../sdk/pacing.js';

export interface ArmSessionParts {
  clientFor: ArmClientFor;
  /** A subscription's read (its display name), on the same endpoint, credential and pacer. */
  subscriptions: SubscriptionRead;
  credential: TokenCredential;
  call: CallRunner;
  /** Principals by name (Microsoft Graph), the managed identities' object IDs, the client-ID mistake. */
  directory: Directory;
  stats: CallStats;
  deadline: Deadline;
  signal?: AbortSignal | undefined;
  debug?: ((message: string) => void) | undefined;
  /** A plain log line: whom the step signed in as, once. */
  info?: ((message: string) => void) | undefined;
}

export class ArmSession {
  readonly stats: CallStats;
  readonly reads: ArmReads;
  readonly deadline: Deadline;
  readonly debug: ((message: string) => void) | undefined;
  /** The signed-in identity's object ID, once `prepare` has read it from the token. */
  private tokenObjectId: string | undefined;
  /** Whether the step has said whom it signed in as. */
  private signedIn = false;

  constructor(
    private readonly settings: AzureSessionSettings,
    private readonly parts: ArmSessionParts,
  ) {
    this.stats = parts.stats;
    this.deadline = parts.deadline;
    this.debug = parts.debug;
    this.reads = new ArmReads(parts.clientFor, parts.call, parts.debug);
  }

  /**
   * The signed-in identity's object ID (the token's `oid`): ARM records it as an assignment's
   * `createdBy` and PIM as a request's `requestorId`, which is how a create whose answer was lost
   * is recognised as this step's.
   */
  get objectId(): string | undefined {
    return this.tokenObjectId;
  }

  get directory(): Directory {
    return this.parts.directory;
  }

  /**
   * Gets the first Entra token now, so a set-up error fails the step once, with its fix, before any
   * grant; then resolves every principal given by name at once (grants the post step was handed
   * come with their IDs, and never ask Graph again).
   */
  async prepare(grants: readonly AzureGrant[] = []): Promise<void> {
    await this.signIn();
    await this.parts.directory.resolve(grants.filter((g) => !g.resolved).map((g) => g.principal));
  }

  private async signIn(): Promise<void> {
    try {
      const token = await this.parts.call('GetToken', (signal) =>
        // enableCae as ARM's bearer-token policy asks, so its first request reuses this token
        // (@azure/identity caches CAE and non-CAE tokens apart).
        this.parts.credential.getToken(this.settings.tokenScope, { abortSignal: signal, enableCae: true }),
      );
      const claims: AccessTokenClaims = token ? decodeClaims(token.token) : {};
      this.tokenObjectId = typeof claims.oid === 'string' ? claims.oid.toLowerCase() : undefined;
      if (!this.signedIn) this.parts.info?.(azureSignedInLine(claims, this.settings));
      this.signedIn = true;
    } catch (error) {
      throw error instanceof DeadlineExceededError
        ? noTokenBeforeDeadline(error, this.settings.authorityHost)
        : error;
    }
  }

  /** One ARM call through the call runner, with the client of the scope's subscription. */
  send<T>(
    operation: string,
    scope: AzureScope,
    call: (client: AuthorizationManagementClient, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const client = this.parts.clientFor(scope);
    return this.parts.call(operation, (signal) => call(client, signal));
  }

  /** One subscription's read (Subscriptions_Get), through the call runner: paced, retried and counted. */
  subscription(subscriptionId: string): Promise<SubscriptionInfo> {
    return this.parts.call('Subscriptions_Get', (signal) => this.parts.subscriptions(subscriptionId, signal));
  }

  /** The grant's principal, scope and role definition ID (a role name looked up once per scope). */
  async idsOf(grant: AzureGrant): Promise<AzureResolvedIds> {
    const roleId = await this.reads.roleDefinitionId(grant.role, grant.scope);
    const principal = this.parts.directory.principalOf(grant.principal);
    return {
      cloud: 'azure',
      principalId: principal.objectId,
      scope: grant.scope,
      roleId,
      // A name's type comes from its form or Graph; `principal-type` is for object IDs.
      principalType: principal.type ?? this.settings.principalType,
      ...(principal.type ? {} : { principalTypeUnchecked: true }),
    };
  }

  /**
   * A write that names `principalId`, as `send`: an object ID ARM refuses as no principal that is
   * an application's client ID (graph/directory.ts) fails at once, saying so, instead of being retried
   * as a replication delay.
   */
  sendNamingPrincipal<T>(
    operation: string,
    scope: AzureScope,
    principalId: string,
    call: (client: AuthorizationManagementClient, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.send(operation, scope, async (client, signal) => {
      try {
        return await call(client, signal);
      } catch (error) {
        throw (await this.parts.directory.clientIdMistake(error, principalId)) ?? error;
      }
    });
  }

  /**
   * The scope's PIM policy assignments, read before a PIM write; undefined where the step may not
   * read them (roleManagementPolicyAssignments/read, a 403): the request is made all the same and
   * Azure applies the policy (its refusal is explained the same way).
   */
  async policyAssignmentsIfReadable(
    scope: AzureScope,
  ): Promise<RoleManagementPolicyAssignment[] | undefined> {
    try {
      return await this.reads.policyAssignments(scope);
    } catch (error) {
      if (!(error instanceof ArmError && error.statusCode === 403)) throw error;
      this.debug?.(`the PIM policy at ${scope.scope} could not be read (${error.message}); writing anyway`);
      return undefined;
    }
  }

  /** Waits, within the step's deadline and cancellation; false when the wait was cut short. */
  sleep(ms: number): Promise<boolean> {
    return this.deadline.sleep(ms, this.parts.signal);
  }
}

/** The session a step works through, signed in with the GitHub OIDC token from `deps.requestToken`. */
export function createArmSession(settings: AzureSessionSettings, deps: AdapterDeps): ArmSession {
  const stats = emptyStats();
  const call = createCallRunner({
    classify: armClassifier(settings),
    deadline: deps.deadline,
    stats,
    signal: deps.signal,
    ...(deps.debug ? { debug: deps.debug } : {}),
    ...(deps.info ? { info: deps.info } : {}),
    activity: deps.activity,
  });
  const credential = createAzureCredential(settings, deps.requestToken, deps.mask);
  const pacer = new ArmPacer((ms) => deps.deadline.sleep(ms, deps.signal));
  return new ArmSession(settings, {
    clientFor: createArmClients(settings, credential, pacer),
    subscriptions: createSubscriptionReader(settings, credential, pacer),
    credential,
    call,
    directory: createDirectory(
      settings,
      credential,
      deps,
      stats,
      undefined,
      managedIdentityReader(settings, credential),
    ),
    stats,
    deadline: deps.deadline,
    signal: deps.signal,
    debug: deps.debug,
    info: deps.info,
  });
}
