// The IAM Identity Center session that the assignment driver and the provisioner share: the SDK
// clients and the call runners that pace, retry and count every call (its parts, built in
// ./session-parts.ts), the instance (given, saved by the main step, or discovered), and the names
// grants use, looked up once per step.
import type {
  ServiceInputTypes as IdentityStoreInput,
  ServiceOutputTypes as IdentityStoreOutput,
} from '@aws-sdk/client-identitystore';
import {
  ListInstancesCommand,
  type PermissionSet,
  type Tag,
  type ServiceInputTypes as SsoAdminInput,
  type ServiceOutputTypes as SsoAdminOutput,
} from '@aws-sdk/client-sso-admin';
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { AwsPrincipalRef, PermissionSetRef } from '../../core/types.js';
import type { KeptSetContent } from '../../core/snapshot/set-contents.js';
import type { KeptSetFacts } from '../../core/snapshot/set-facts.js';
import type { CallObserver } from '../../engine/calls/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import type { AwsHandedOver } from './handed-over.js';
import type { AdaptiveSemaphore } from '../../engine/limits/adaptive-semaphore.js';
import { SharedReads } from '../../engine/limits/shared-reads.js';
import type { AwsClients, AwsTransport } from '../sdk/clients.js';
import { paginate, type Paging } from '../sdk/paginate.js';
import type { PermissionSetNames, PermissionSetReads } from '../directory/permission-set-names.js';
import { SessionSetReads } from './session-set-reads.js';
import { SessionPrincipals } from './session-principals.js';
import type { IdentityStoreCommand, SsoAdminCommand, SsoCalls } from '../sdk/sso-calls.js';
import { chooseInstance } from './instances.js';
import { partsSignedInAs, sessionParts, type SessionPacers, type SsoSessionParts } from './session-parts.js';

export class SsoSession implements SsoCalls {
  readonly stats: CallStats;
  /** Shared with the Organizations reader of OU and root targets: one sign-in for both. */
  readonly clients: AwsClients;
  /** Names resolved once per step, however many grants use them. */
  private readonly reads = new SharedReads();
  private instanceArn: string | undefined;
  private identityStoreId: string | undefined;
  /** The instance's outstanding-create slots (./session-parts.ts). */
  readonly outstandingCreates: AdaptiveSemaphore;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly parts: SsoSessionParts,
    /** Post step: the instance the main step worked in. */
    saved?: AwsHandedOver,
  ) {
    this.clients = parts.clients;
    this.stats = parts.stats;
    this.outstandingCreates = parts.outstandingCreates;
    this.instanceArn = saved?.instanceArn ?? settings.instanceArn;
    this.identityStoreId = settings.identityStoreId;
  }

  /**
   * This session signed in a second time, with the same role, as `roleSessionName`: CloudTrail
   * records that name with the writes it sends (a step's reliance, core/run-marks.ts). Its SDK
   * clients are its own and sign in on their first call, through the same credential provider;
   * the pace, the counts, the instance and the outstanding-create slots are this session's.
   */
  signedInAs(roleSessionName: string): SsoSession {
    return new SsoSession(
      { ...this.settings, roleSessionName },
      partsSignedInAs(this.parts, roleSessionName),
      { instanceArn: this.instance },
    );
  }

  /** The principals known by ID and name (./session-principals.ts), over this session's once-per-step reads. */
  private readonly principals = new SessionPrincipals(this, this.reads, async () => {
    if (!this.identityStoreId)
      await this.reads.get('identity-store', () => this.prepare({ identityStore: true }));
    return this.identityStoreId!;
  });

  /** Principals' user names and group display names by ID, as the store answered them: what a plan shows. */
  readonly principalNames: Map<string, string> = this.principals.names;

  /** The identity store, once given or discovered (`prepare({ identityStore: true })`). */
  get identityStore(): string | undefined {
    return this.identityStoreId;
  }

  get instance(): string {
    if (!this.instanceArn) throw new Error('prepare() must run first');
    return this.instanceArn;
  }

  /**
   * Discovers the instance with ListInstances when it was not given, and the identity store with
   * it when `identityStore` says a principal is a name (or, else, when a name is first looked up).
   */
  async prepare(options: { identityStore?: boolean } = {}): Promise<void> {
    const needsStore = !this.identityStoreId && options.identityStore === true;
    if (this.instanceArn && !needsStore) return;
    const instances = await this.paginate(
      'ListInstances',
      (nextToken) => new ListInstancesCommand({ NextToken: nextToken }),
      (page) => page.Instances,
    );
    const chosen = chooseInstance(instances, this.instanceArn, this.settings.region);
    this.instanceArn = chosen.InstanceArn;
    this.identityStoreId ??= chosen.IdentityStoreId;
  }

  /**
   * One SSO Admin call through the call runner. A retry sends the same command again: the SDK
   * builds, signs and sends a fresh request from it every time.
   */
  send<I extends SsoAdminInput, O extends SsoAdminOutput>(
    operation: string,
    command: SsoAdminCommand<I, O>,
    observer?: CallObserver,
  ): Promise<O> {
    return this.parts.call(
      operation,
      (signal) => this.clients.ssoAdmin.send(command, { abortSignal: signal }),
      observer,
    );
  }

  /**
   * Creates (and the reads that free their slots) `source` expects at these times: the limiter
   * keeps places for them from later calls (engine/limits/window-room.ts).
   */
  expectFirstPriority(source: object, at: number[]): void {
    this.parts.limiter?.expect?.(source, at);
  }

  /** One Identity Store call, retried and counted as SSO Admin calls are, under its own quota. */
  sendIdentityStore<I extends IdentityStoreInput, O extends IdentityStoreOutput>(
    operation: string,
    command: IdentityStoreCommand<I, O>,
  ): Promise<O> {
    return this.parts.identityStoreCall(operation, async (signal) =>
      (await this.clients.identityStore()).send(command, { abortSignal: signal }),
    );
  }

  /** One IAM call (the AWS-managed policies a manifest names), retried and counted as SSO Admin calls are. */
  sendIam<O>(operation: string, send: (client: IAMClient, signal: AbortSignal) => Promise<O>): Promise<O> {
    return this.parts.call(operation, async (signal) => send(await this.clients.iam(), signal));
  }

  /** One Access Analyzer call (a permission set's policy checks), retried and counted as SSO Admin calls are. */
  sendAccessAnalyzer<O>(
    operation: string,
    send: (client: AccessAnalyzerClient, signal: AbortSignal) => Promise<O>,
  ): Promise<O> {
    return this.parts.call(operation, async (signal) => send(await this.clients.accessAnalyzer(), signal));
  }

  /** One Athena call (a report's sign-ins from a table of the trail), retried and counted as SSO Admin calls are. */
  sendAthena<O>(
    operation: string,
    send: (client: AthenaClient, signal: AbortSignal) => Promise<O>,
  ): Promise<O> {
    return this.parts.call(operation, async (signal) => send(await this.clients.athena(), signal));
  }

  /** Every item of a paginated SSO Admin list (aws/sdk/paginate.ts). */
  paginate<I extends SsoAdminInput, O extends SsoAdminOutput & { NextToken?: string | undefined }, T>(
    operation: string,
    makeCommand: (nextToken: string | undefined) => SsoAdminCommand<I, O>,
    pick: (page: O) => T[] | undefined,
    paging?: Paging<T>,
  ): Promise<T[]> {
    return paginate(operation, (nextToken) => this.send(operation, makeCommand(nextToken)), pick, paging);
  }

  /**
   * A principal's Identity Store ID: given, and confirmed to be of `type`, or looked up by user
   * name or group display name of `type` (`principal-type`, or a manifest entry's own). Once per
   * step each.
   */
  principalId(
    ref: AwsPrincipalRef,
    type: AwsSessionSettings['principalType'] = this.settings.principalType,
  ): Promise<string> {
    return this.principals.idOf(ref, type);
  }

  /** Principals a snapshot kept, confirmed of their type, with their names: not described again this step. */
  knowPrincipals(kept: Readonly<Record<string, { principalType: 'USER' | 'GROUP'; name: string }>>): void {
    this.principals.know(kept);
  }

  /** The permission sets known by name (./session-set-reads.ts), over this session's once-per-step reads. */
  private readonly sets = new SessionSetReads(this, this.reads);

  knowPermissionSetNames(kept: Readonly<Record<string, string>>): void {
    this.sets.knowNames(kept);
  }

  /** The defined sets' contents a snapshot kept, untouched since: a dry run's word, never a write's ground. */
  knowPermissionSetContents(kept: Readonly<Record<string, KeptSetContent>>): void {
    this.sets.knowContents(kept);
  }

  /** The content a snapshot kept of the set, untouched since (`knowPermissionSetContents`). */
  keptPermissionSetContent(arn: string): KeptSetContent | undefined {
    return this.sets.keptContent(arn);
  }

  /** The managed sets' facts a snapshot kept that the manifest does not define, untouched since. */
  knowPermissionSetFacts(kept: Readonly<Record<string, KeptSetFacts>>): void {
    this.sets.knowFacts(kept);
  }

  /** A set's name, session duration and tags a snapshot kept, untouched since: a dry run's word, never a write's ground. */
  keptPermissionSetFacts(arn: string): KeptSetFacts | undefined {
    return this.sets.keptFactsOf(arn);
  }

  /** Each of `arns` whose name a snapshot gave described before a write at it: another name stops the step. */
  confirmPermissionSetNames(arns: Iterable<string>, where?: string): Promise<void> {
    return this.sets.confirmNames(arns, where);
  }

  /** A permission set's ARN: given, or found by name, describing only until it is. */
  permissionSetArn(ref: PermissionSetRef): Promise<string> {
    return this.sets.arnOf(ref);
  }

  /** Every permission set of the instance by name: one list, one describe each, once per step. */
  permissionSetsByName(): Promise<Map<string, string>> {
    return this.sets.names.all();
  }

  /** The permission set as the name lookup's describe answered it (a defined set's content starts from it). */
  describedPermissionSet(arn: string): PermissionSet | undefined {
    return this.sets.describedSet(arn);
  }

  /** The list and describes behind names, each made once per step (a reconcile's tag forms share them). */
  readonly permissionSets: PermissionSetReads = this.sets.reads;

  /**
   * A permission set's tags (ListTagsForResource), read once per step: the tag forms of
   * `manages.permission-sets`, the defined sets' content and the search for this manifest's sets
   * it no longer defines all ask for them before any write.
   */
  permissionSetTags(arn: string): Promise<Tag[]> {
    return this.sets.tags(arn);
  }

  /** Names looked up over `permissionSets`. */
  readonly permissionSetNames: PermissionSetNames = this.sets.names;
}

/** What tests replace: the transport and credentials (AwsTransport), and the pacing (SessionPacers). */
export interface SsoSessionSeams extends AwsTransport, SessionPacers {}

/**
 * The session a step works through, signed in with `deps.requestToken` (or the default chain); a
 * post step's with what its main step's driver handed over, checked (./handed-over.ts).
 */
export function createSsoSession(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  seams: SsoSessionSeams = {},
  handedOver: AwsHandedOver = {},
): SsoSession {
  return new SsoSession(settings, sessionParts(settings, deps, seams), handedOver);
}
