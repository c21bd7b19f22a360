// The step's configuration: every input parsed, checked and typed. It is three things side by
// side: the step's plan (`RunPlan` and its `OperationRequest`: the operation, its grants or its
// request, its budgets), the session settings a cloud adapter signs in with (`AwsSessionSettings`,
// `AzureSessionSettings`: who it is, where the endpoints are), and how an adapter makes its writes
// (`AzureWriteOptions`; AWS has none). An adapter is typed with the settings it uses only, so it
// cannot read the operation or the grant list: the engine hands it the grant it acts on.
import type { AzureScope } from '../azure-scope.js';
import type { AssignmentType, AwsGrant, AzureGrant, AzureRoleRef, PermissionSetRef } from '../types.js';
import type { Duration } from '../duration.js';
import type { AzureRunMark } from '../run-marks.js';
import type { DeferredAwsGrants } from './org-expansion.js';
import type { ALL_PROVISIONED_ACCOUNTS, AwsTarget } from './org-targets.js';
import type { Parsed } from './grants.js';
import type { WorkflowContext } from '../run-context.js';
import type { AccessRequestInputs } from './request-inputs.js';
import type { AzureEnvironmentName } from './endpoints.js';
import type { AuditLogTarget } from './audit-log.js';
import type { StepOperation } from './step-operation.js';
import type { SnapshotInputs } from './snapshot-inputs.js';

/**
 * `operation: reconcile`: the manifest, as a path in the workspace, and the deletes it may make;
 * AWS: where its snapshot is kept (`snapshot`, `full-read-every`).
 */
export interface ReconcileRequest extends SnapshotInputs {
  manifest: string;
  maxDeletions: number;
  /**
   * Whose claims leave a grant the manifest does not list in place (core/claims/): AWS IAM role
   * ARNs, Azure object IDs (lower case); none: the reconcile's own identity.
   */
  createdBy: string[];
  /** Reads whether the run a claim names has finished; '' when none is given. */
  githubToken: string;
  /** AWS: how far back CloudTrail is read for claims on what the plan would delete. */
  lookbackSeconds: number;
}

/** `operation: sweep`: end ephemeral grants whose run has finished or whose duration passed. */
export interface SweepRequest {
  /**
   * AWS: IAM role ARNs whose sessions' creates count; Azure: object IDs (createdBy), lower case.
   * Empty: the sweep's own (AWS: `role-to-assume`; Azure: decided by the adapter from its token).
   */
  createdBy: string[];
  /** Reads workflow runs through the GitHub REST API; masked, never printed. */
  githubToken: string;
  /**
   * AWS: how far back CloudTrail is read, seconds (input `lookback`, default `35d`, at most `90d`;
   * forms like `7d`, `36h`, `90m`, ISO 8601 `P7D`/`PT36H`).
   */
  lookbackSeconds: number;
  /** More revokes than this: the plan is reported and nothing is written (input `max-deletions`). */
  maxDeletions: number;
  /**
   * The step fails while a grant no sweep will end has been stuck for over a day (input
   * `fail-on-stuck`, default true), so a scheduled workflow turns red.
   */
  failOnStuck: boolean;
  /** Azure: the scopes swept (at or under each), from `target`. AWS: empty. */
  scopes: AzureScope[];
}

/**
 * `operation: report`: who holds what, read-only. AWS reads `permissionSets` (every one of the
 * instance when empty) in the `awsTargets` accounts and OUs (every account when empty); Azure reads
 * at or under each of `scopes`, keeping the `roles` (every role when empty).
 */
export interface ReportRequest extends Partial<SnapshotInputs> {
  /** Manifest paths in the workspace, read as reconcile reads them. */
  manifests: string[];
  /** A row per user reached through a group. */
  expandGroups: boolean;
  /** A previous report's JSON, a path in the workspace. */
  compareTo: string | undefined;
  /** As the sweep's: whose runs' grants are told apart (empty: the report's own identity). */
  createdBy: string[];
  /** AWS: how far back CloudTrail is read, seconds (default 90 days, all it keeps). */
  lookbackSeconds: number;
  /** Reads whether the run a claim names has finished, as a reconcile does; none or '' when not given. */
  githubToken?: string;
  awsTargets?: Parsed<AwsTarget>[];
  permissionSets?: PermissionSetRef[];
  scopes?: AzureScope[];
  roles?: AzureRoleRef[];
}

/**
 * The operation, with the request of the operations that have one: a discriminated union, so a
 * step that knows its operation holds its request without a check. `provision` is AWS's alone
 * (`ProvisionOperation`).
 */
export type OperationRequest =
  | { operation: 'assign' | 'revoke' }
  | { operation: 'reconcile'; reconcile: ReconcileRequest }
  | { operation: 'sweep'; sweep: SweepRequest }
  | { operation: 'report'; report: ReportRequest }
  | { operation: 'request'; request: AccessRequestInputs };

/**
 * The step's plan as its inputs say it: the operation, the grants of an assign or a revoke (none
 * for the other operations, whose request says what they act on), and the step's budgets. The
 * engine is never handed it: each step gives the engine only what one run needs.
 */
export interface RunPlan<G> {
  operation: StepOperation;
  /** Assign and revoke: every principal × target × role (none for provision). */
  grants: G[];
  wait: boolean;
  timeoutSeconds: number;
  /** The post step's own budget, so a tight `timeout-seconds` never cuts cleanup short. */
  postTimeoutSeconds: number;
  /**
   * The post step revokes what this step created: `revoke-on-exit: true`, or on AWS a `duration`
   * (outside a dry run), whose grants end with the job as well as at their expiry.
   */
  revokeOnExit: boolean;
  dryRun: boolean;
  maxConcurrency: number;
  /** The run the step belongs to: the defaults name it, and the job summary links to it. */
  run: WorkflowContext;
  /**
   * `audit-log`: where each change the step makes is recorded (engine/audit/); absent, none is.
   * A dry run records nothing.
   */
  auditLog?: AuditLogTarget;
  /** Valid inputs with a consequence the workflow's author should know of, warned before anything runs. */
  warnings?: string[];
}

/** The inputs every plan shares, before the cloud's section is parsed. */
export type CommonConfig = Omit<RunPlan<never>, 'grants'>;

/** `operation: provision`: the permission sets to re-provision, and to which accounts. */
export interface ProvisionRequest {
  accounts: string[] | typeof ALL_PROVISIONED_ACCOUNTS;
  permissionSets: PermissionSetRef[] | '*';
}

/** `operation: provision` (AWS only), with its request. */
export interface ProvisionOperation {
  operation: 'provision';
  provision: ProvisionRequest;
}

/**
 * What the AWS adapter signs in with and reaches: the Region, the role and its session, the
 * instance and identity store (discovered when not given), and the type of principals given by
 * ID, as the session resolves them. AWS has no write options: an assignment is its IDs alone.
 */
export interface AwsSessionSettings {
  cloud: 'aws';
  audience: string;
  principalType: 'USER' | 'GROUP';
  region: string;
  roleToAssume: string | undefined;
  roleSessionName: string;
  /**
   * The session name of the step's second sign-in, `…-r[<expiry>]`, under which it registers its
   * reliance on the grants it finds already in place (core/run-marks.ts); only for a step whose
   * grants are ephemeral and that signs in with `role-to-assume` under the default session name of
   * a known run: no sweep reads any other step's grants.
   */
  relianceSessionName?: string | undefined;
  instanceArn?: string | undefined;
  identityStoreId?: string | undefined;
}

/**
 * AWS `duration`: the step's grants end at `expiresAt` (unix seconds: when the step ran, plus the
 * duration), which the session name records. The post step revokes them when the job ends, and
 * `operation: sweep` after `expiresAt` if the job did not: IAM Identity Center itself has no end
 * time for an assignment.
 */
export interface AwsTimeBound {
  duration: Duration;
  expiresAt: number;
}

/** What only an AWS step has besides its session: `duration`, OU targets, provision's option. */
export interface AwsStepOptions {
  /** `duration` (assign only). */
  timeBound?: AwsTimeBound;
  /**
   * OU, root or path targets: `grants` (or `provision`'s accounts) wait for the expansion
   * (core/inputs/org-expansion.ts), made before any write.
   */
  orgTargets?: DeferredAwsGrants;
  onlyOutdated: boolean;
}

/** What the Azure adapter signs in with, and where ARM and Microsoft Graph are. */
export interface AzureSessionSettings {
  cloud: 'azure';
  audience: string;
  /** The type of principals given by object ID; a name's type comes from its form or from Graph. */
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
  clientId: string | undefined;
  tenantId: string | undefined;
  environment: AzureEnvironmentName;
  authorityHost: string;
  resourceManagerEndpoint: string;
  /** The scope of the Entra token ARM accepts. */
  tokenScope: string;
  /**
   * Microsoft Graph, which resolves principals given by name (`environment`'s, or
   * `graph-endpoint`). Absent in the post step, which acts on the object IDs main resolved.
   */
  graphEndpoint?: string;
  /** `<graph>/.default`: the same federated credential, another token. */
  graphTokenScope?: string;
}

/** How the Azure adapter makes its writes: what an assignment is written with, or removed with. */
export interface AzureWriteOptions {
  assignmentName?: string | undefined;
  condition?: string | undefined;
  conditionVersion?: string | undefined;
  /** An assignment's description, and the justification of a PIM request. */
  description: string;
  delegatedManagedIdentityResourceId?: string | undefined;
  /** `duration`: each assignment is time-bound, made and removed through PIM schedule requests. */
  duration: Duration | undefined;
  /**
   * The run an ephemeral step's assignments end with (`revoke-on-exit` without `duration`): the
   * reliance it registers on one it finds that another run's step made (shared grants). Absent
   * for every other step.
   */
  relianceMark?: AzureRunMark | undefined;
  /**
   * `assignment-type`: `eligible` makes each principal eligible through PIM eligibility schedule
   * requests (`duration` is how long the eligibility lasts); unset or `active`, it is assigned.
   */
  assignmentType?: AssignmentType | undefined;
  /**
   * Whose requests they are, for a kind that derives its requests' names from it (an eligibility:
   * core/kinds/azure-pim-eligible.ts): the repository, `github:<repository ID>`, or a reconcile's
   * manifest marker. Absent in the post step, which removes by the names main saved.
   */
  requestOwner?: string | undefined;
}

/** What the Azure driver is given: its session, and how its writes are made. */
export type AzureSettings = AzureSessionSettings & AzureWriteOptions;

/** What a cloud's adapter is given (core/inputs/settings.ts picks it out of a step's config). */
export type AdapterSettings = AwsSessionSettings | AzureSettings;

export type AwsConfig = RunPlan<AwsGrant> &
  AwsSessionSettings &
  AwsStepOptions &
  (OperationRequest | ProvisionOperation);

/** The step's inputs always say where Microsoft Graph is. */
export interface AzureGraphEndpoint {
  graphEndpoint: string;
  graphTokenScope: string;
}

export type AzureConfig = RunPlan<AzureGrant> &
  AzureSessionSettings &
  AzureWriteOptions &
  AzureGraphEndpoint &
  OperationRequest & {
    /**
     * `github-token` of a step with a `relianceMark`: it reads which runs named on a full
     * description have ended (core/state/azure-reliance.ts). The adapter never sees it.
     */
    relianceRunsToken?: string | undefined;
  };

export type StepConfig = AwsConfig | AzureConfig;

/** The config of a step running `operation` (one or several), its request included. */
export type ConfigOf<O extends StepOperation> = Extract<StepConfig, { operation: O }>;

/** The run the defaults name (the session name, the description) and the summary links to. */
export type { WorkflowContext } from '../run-context.js';
export type { AuditLogTarget } from './audit-log.js';
export type { StepOperation } from './step-operation.js';
