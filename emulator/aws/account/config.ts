// The knobs of the AWS emulator: service behaviour (config), injected faults, and what the
// service handlers share.
import type { RecordRequest } from '../../common/requests.js';
import type { HtmlPage, TransportFaults } from '../../common/http.js';
import type { AwsCredential } from '../protocol/auth.js';
import type { AwsState } from './state.js';

/** The shapes a refusal for the outstanding creates may take (AwsConfig.outstandingCreatesRefusal). */
export type OutstandingCreatesRefusal = 'recorded' | 'model' | 'rate' | 'conflict';

export interface AwsConfig {
  /** How long a CreateAccountAssignment / DeleteAccountAssignment stays IN_PROGRESS. */
  writeDelayMs: number;
  /** How long a ProvisionPermissionSet stays IN_PROGRESS. */
  provisionDelayMs: number;
  /** "IAM Identity Center APIs have a collective throttle limit of 20 TPS" (User Guide, quotas). */
  tps: number;
  /** "Identity Store APIs have a throttle limit of 20 TPS per API." */
  identityStoreTps: number;
  /**
   * Organizations calls a second, per API. AWS documents throttling (TooManyRequestsException)
   * but publishes no rate for these reads: this is the emulator's own figure.
   */
  organizationsTps: number;
  /** "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls." */
  maxOutstandingCreates: number;
  /**
   * How a create beyond `maxOutstandingCreates` is refused (../sso-admin/assignments.ts
   * OUTSTANDING_REFUSALS): `recorded`, as an SDK recorded AWS answering it (the default);
   * `model`, the same error with the model's status for it (429); `rate`, the TPS quota's answer
   * (429 "Rate exceeded"), which a client cannot tell from a rate throttle; `conflict`,
   * ConflictException (409), which AWS also answers to too many writes at once.
   */
  outstandingCreatesRefusal: OutstandingCreatesRefusal;
  /** "You can make up to three concurrent calls to ProvisionPermissionSet." */
  maxConcurrentProvisionings: number;
  /** STS credential lifetime when the request has no DurationSeconds. */
  credentialLifetimeSeconds: number;
  /**
   * A delete of an assignment that does not exist: accepted then FAILED with the EntitlementItem
   * reason ('failed'), or ResourceNotFoundException at once ('not-found'). Terraform handles both.
   */
  deleteMissing: 'failed' | 'not-found';
  /** Page size of the List operations when the request has no MaxResults. */
  defaultPageSize: number;
  /**
   * The most items one List answer carries, whatever MaxResults asks: AWS may answer fewer, with a
   * NextToken, so clients that follow it must not rely on MaxResults (the model's bound, 100, by default).
   */
  maxPageSize: number;
  /**
   * How long after its time an event shows in CloudTrail's LookupEvents (default 0 here). The real
   * service delivers an event within about 15 minutes of the call (typically about 5, and the
   * CloudTrail User Guide guarantees no time): tests set this to see what a reader makes of events
   * not delivered yet.
   */
  cloudTrailDelayMs: number;
  /** "LookupEvents: 2 transactions per second (TPS) per account per Region" (CloudTrail quotas). */
  cloudTrailTps: number;
  /** The instance's other Regions (ListRegions; multi-Region replication), none by default. */
  replicaRegions: string[];
  /** Athena's workgroups (every account has `primary`); a query in another is refused. */
  athenaWorkGroups: string[];
  /** The Athena tables (`<database>.<table>`) over the organization trail's records. */
  athenaTables: string[];
  /** How long an Athena query stays QUEUED, then RUNNING, before it ends. */
  athenaQueuedMs: number;
  athenaRunningMs: number;
  /** Athena calls a second, per API (StartQueryExecution's quota is 20; the reads' more). */
  athenaTps: number;
}

/**
 * An error answer injected for one operation: a request to `operation` whose top-level input
 * members equal every entry of `match` is answered with this error, `times` times (unlimited when
 * absent; each answer counts it down).
 */
export interface FailRequest {
  operation: string;
  /** Top-level input members (`AccountAssignmentCreationRequestId`, `TargetId` …) and the values they must equal. */
  match?: Record<string, string>;
  /** Only requests signed for this Region (a CloudTrail Region of a replicated instance that fails). */
  region?: string;
  status: number;
  /** The error code (`__type` suffix), e.g. `AccessDeniedException`. Not checked against the model. */
  code: string;
  message: string;
  times?: number;
}

export interface AwsFaults extends TransportFaults {
  /** Probability (0..1) of ThrottlingException (429) on SSO Admin and Identity Store calls. */
  throttleRate: number;
  /** Probability (0..1) of InternalServerException (500). */
  serverErrorRate: number;
  /** Probability (0..1) of ConflictException (409) on writes. */
  conflictRate: number;
  /** Operation names answered 403 AccessDeniedException. */
  accessDenied: string[];
  /** Matching CreateAccountAssignment requests are accepted, then end FAILED with `reason`. */
  failCreations: { reason: string; accountId?: string; permissionSetArn?: string; principalId?: string }[];
  /** ProvisionPermissionSet ends FAILED for these accounts (they stay outdated). */
  provisionFailures: Record<string, string>;
  /** The next N AssumeRoleWithWebIdentity calls answer IDPCommunicationError. */
  stsIdpCommunicationErrors: number;
  /** SSO Admin and Identity Store requests answered with an injected error (the first entry that matches). */
  failRequests: FailRequest[];
  /** The next Athena queries started end FAILED, one each, with these StateChangeReasons (consumed). */
  athenaQueryFailures: string[];
  /**
   * Requests to `operation` (SSO Admin, Identity Store, CloudTrail) answered with an HTML page in
   * place of the service's answer, before the service sees them: a proxy's or a wrong endpoint's.
   */
  htmlPages: (HtmlPage & { operation: string })[];
  /**
   * Request IDs for the next Create/DeleteAccountAssignment calls, one each, in order (consumed);
   * the request's status can be described under that ID whatever it looks like.
   */
  forcedRequestIds: string[];
  /**
   * Another party's create of the same assignment is accepted just before a matching
   * CreateAccountAssignment is (each entry once): the race between a step's read and its create.
   */
  rivalCreations: { accountId?: string; permissionSetArn?: string; principalId?: string }[];
  /**
   * Another party's delete of the same assignment completes just before a matching
   * CreateAccountAssignment is accepted (each entry once), recorded in CloudTrail as `caller`'s:
   * the race between a step's read that found the assignment and its create (another job's post
   * step ending it meanwhile).
   */
  rivalDeletions: {
    accountId?: string;
    permissionSetArn?: string;
    principalId?: string;
    caller: { principalArn: string; sessionName?: string };
  }[];
  /**
   * Another party's put of a permission set's inline policy (its whole text, `inlinePolicy`) lands
   * just after a matching ProvisionPermissionSet is accepted (each entry once): a sibling step's
   * late put, made from a read before this step's put and sent after this step's read-back.
   */
  rivalPolicyPuts: { permissionSetArn?: string; inlinePolicy: string }[];
}

export interface TrustedRole {
  arn: string;
  /** Globs on the token's `sub`, `*` matching any run of characters. */
  trustedSubjects: string[];
  /** The `aud` the trust policy requires. */
  audience: string;
  /** The role's maximum session duration (DurationSeconds above it is refused). */
  maxSessionDurationSeconds?: number;
}

/**
 * A role of another account that a signed-in principal may assume (sts:AssumeRole): its trust
 * policy names the principals it trusts, by role or user ARN, or every principal of an account by
 * `arn:aws:iam::<account>:root`.
 */
export interface AssumableRole {
  arn: string;
  trustedPrincipals: string[];
  /**
   * The IAM actions its sessions may call (`cloudtrail:LookupEvents` …); any other is 403
   * AccessDeniedException. Absent: every action.
   */
  allows?: string[];
}

/**
 * A call as CloudTrail records it: who (role and session name, or user) did what, when, and what
 * it answered. SSO Admin and Identity Store writes are recorded as they are served; tests plant
 * more (`addCloudTrailEvent`, `createAssignmentAs`). LookupEvents shows each as an `Event` whose
 * `CloudTrailEvent` is the record CloudTrail would deliver (`./cloudtrail-record.ts`).
 */
export interface CloudTrailEvent {
  /** `sso.amazonaws.com`, `identitystore.amazonaws.com`, or any a test plants. */
  eventSource: string;
  eventName: string;
  /** `arn:aws:sts::123456789012:assumed-role/cloud-access/<session name>` for STS sessions. */
  principalArn: string;
  sessionName?: string;
  accessKeyId: string;
  errorCode?: string;
  errorMessage?: string;
  /** The request's input as the SDK sent it (`InstanceArn`, `TargetId` …); the record says `instanceArn` … */
  requestParameters: Record<string, unknown>;
  /** The answer's members as CloudTrail records them (camelCase); null for errors and empty answers. */
  responseElements: Record<string, unknown> | null;
  /** The call's time, epoch ms (CloudTrail keeps whole seconds). */
  at: number;
  /** A UUID, LookupEvents' `EventId` and the record's `eventID`. */
  eventId: string;
  /**
   * The record's `requestID`: the call's request ID. For Create/DeleteAccountAssignment it is the
   * assignment request's ID, which AWS makes the same (seen in real records).
   */
  requestId: string;
  /** false unless planted otherwise: every recorded call is a write. */
  readOnly?: boolean;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** The caller's session came from AssumeRoleWithWebIdentity (`webIdFederationData` in the record). */
  webIdentity?: boolean;
  /** When the caller's session was issued, epoch ms (`sessionContext.attributes.creationDate`). */
  sessionIssuedAt?: number;
  /** LookupEvents' `Resources`; none for IAM Identity Center's calls. */
  resources?: { ResourceType: string; ResourceName: string }[];
  /** Replaces the `userIdentity` built from `principalArn` (a person signed in through Identity Center …). */
  userIdentity?: Record<string, unknown>;
  /** LookupEvents' `Username`; by default the session name of a role, the name of a user. */
  username?: string;
  /** The parameters as recorded, not camelCased (a SCIM call's HTTP body, `Operations` as sent). */
  verbatimParameters?: boolean;
  /**
   * `AwsServiceEvent` for what the service records on its own behalf (the portal's
   * GetRoleCredentials): no request parameters or answer, and `serviceEventDetails` instead.
   * Default `AwsApiCall`.
   */
  eventType?: 'AwsApiCall' | 'AwsServiceEvent';
  /** A service event's details (GetRoleCredentials: `account_id`, `role_name`). */
  serviceEventDetails?: Record<string, unknown>;
}

export interface AwsStats {
  /** Requests answered ThrottlingException, by quota or by injected fault. */
  throttled: number;
  /** Requests received, by operation. */
  byOperation: Record<string, number>;
  /** Error answers, by code. */
  errors: Record<string, number>;
  /** The most CreateAccountAssignment requests there were IN_PROGRESS at once. */
  maxOutstandingCreates: number;
  /** CreateAccountAssignment calls refused because `maxOutstandingCreates` (the config's) were running. */
  outstandingCreatesRefused: number;
}

export const emptyAwsStats = (): AwsStats => ({
  throttled: 0,
  byOperation: {},
  errors: {},
  maxOutstandingCreates: 0,
  outstandingCreatesRefused: 0,
});

export const defaultAwsConfig = (): AwsConfig => ({
  writeDelayMs: 300,
  provisionDelayMs: 300,
  tps: 20,
  identityStoreTps: 20,
  organizationsTps: 20,
  maxOutstandingCreates: 15,
  outstandingCreatesRefusal: 'recorded',
  maxConcurrentProvisionings: 3,
  credentialLifetimeSeconds: 3600,
  deleteMissing: 'failed',
  defaultPageSize: 100,
  maxPageSize: 100,
  cloudTrailDelayMs: 0,
  cloudTrailTps: 2,
  replicaRegions: [],
  athenaWorkGroups: ['primary'],
  athenaTables: ['cloudtrail.org_trail'],
  athenaQueuedMs: 100,
  athenaRunningMs: 400,
  athenaTps: 20,
});

export const defaultAwsFaults = (): AwsFaults => ({
  latencyMs: 0,
  resetRate: 0,
  hangRate: 0,
  throttleRate: 0,
  serverErrorRate: 0,
  conflictRate: 0,
  accessDenied: [],
  failCreations: [],
  provisionFailures: {},
  stsIdpCommunicationErrors: 0,
  failRequests: [],
  athenaQueryFailures: [],
  htmlPages: [],
  forcedRequestIds: [],
  rivalCreations: [],
  rivalDeletions: [],
  rivalPolicyPuts: [],
});

/** What the STS, SSO Admin, Identity Store and CloudTrail handlers share. */
export interface AwsContext {
  readonly state: AwsState;
  /**
   * The one Region the IAM Identity Center instance lives in (its home Region): SSO Admin, Identity
   * Store and CloudTrail answer a request signed for another Region as AWS does there.
   */
  readonly region: string;
  config: AwsConfig;
  faults: AwsFaults;
  roles: TrustedRole[];
  /** Roles a signed-in principal may assume (sts:AssumeRole); none by default. */
  assumableRoles: AssumableRole[];
  readonly stats: AwsStats;
  readonly cloudTrail: CloudTrailEvent[];
  readonly random: () => number;
  readonly record: RecordRequest;
  /** The issued STS sessions and the static key pair. */
  credential(accessKeyId: string): AwsCredential | undefined;
  issueCredential(credential: AwsCredential): void;
}
