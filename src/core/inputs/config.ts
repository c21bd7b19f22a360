// The step's configuration: every input parsed, checked and typed. It is three things side by
// side: the step's plan (`RunPlan` and its `OperationRequest`, ./operation-requests.ts: the
// operation, its grants or its request, its budgets), the session settings a cloud adapter signs
// in with (`AwsSessionSettings`, `AzureSessionSettings`: who it is, where the endpoints are), and
// how an adapter makes its writes (`AzureWriteOptions`; AWS has none). An adapter is typed with the settings it uses only, so it
// cannot read the operation or the grant list: the engine hands it the grant it acts on.
import type { EffectOptions } from './effect-inputs.js';
import type { AssignmentType, GrantOfCloud } from '../types.js';
import type { Duration } from '../duration.js';
import type { AzureRunMark } from '../run-marks.js';
import type { DeferredAwsGrants } from './org-expansion.js';
import type { WorkflowContext } from '../run-context.js';
import type { AzureEnvironmentName } from './endpoints.js';
import type { AuditLogTarget } from './audit-log.js';
import type { OperationRequest, ProvisionOperation } from './operation-requests.js';
import type { StepOperation } from './step-operation.js';

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

/**
 * What the AWS adapter signs in with and reaches: the Region, the role and its session, the
 * instance and identity store (discovered when not given), and the type of principals given by
 * ID, as the session resolves them. AWS has no write options: an assignment is its IDs alone.
 */
export interface AwsSessionSettings extends EffectOptions {
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
  /**
   * `target: group:…`: the grants are memberships of Entra groups through PIM for groups (Graph),
   * not role assignments; `pimOnboard`, a group PIM does not manage yet may be onboarded by its
   * first request (`pim-onboard: true`), which cannot be undone.
   */
  groups?: GroupWriteOptions | undefined;
}

/** How memberships of groups are written (`target: group:…`). */
export interface GroupWriteOptions {
  /** `pim-onboard: true`: a group PIM does not manage yet is onboarded by its first request, for good. */
  pimOnboard: boolean;
  /**
   * The run each request's justification names after the description (`[cloud-access:…:run:…]`),
   * `ephemeral` when the post step ends them (`revoke-on-exit`). None outside a run.
   */
  mark?: AzureRunMark | undefined;
  /** The run's page: each request's `ticketInfo` names it. */
  runUrl?: string | undefined;
}

/** What the Azure driver is given: its session, and how its writes are made. */
export type AzureSettings = AzureSessionSettings & AzureWriteOptions;

/** What a cloud's adapter is given (core/inputs/settings.ts picks it out of a step's config). */
export type AdapterSettings = AwsSessionSettings | AzureSettings;

export type AwsConfig = RunPlan<GrantOfCloud<'aws'>> &
  AwsSessionSettings &
  AwsStepOptions &
  (OperationRequest | ProvisionOperation);

/** The step's inputs always say where Microsoft Graph is. */
export interface AzureGraphEndpoint {
  graphEndpoint: string;
  graphTokenScope: string;
}

export type AzureConfig = RunPlan<GrantOfCloud<'azure'>> &
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
/** What each operation asks for: part of every step's config, and named with it. */
export type * from './operation-requests.js';
