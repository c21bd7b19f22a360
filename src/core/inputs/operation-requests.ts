// What each operation asks for beyond grants, as its inputs say it: a reconcile's manifest, a
// sweep's and a report's reach, a request's inputs, provision's permission sets and accounts; and
// the union that ties each to its operation (`OperationRequest`), which the step's config
// (./config.ts) is made of and names with it. Types only: each operation's parser fills its own
// (./reconcile-inputs.ts, ./sweep-inputs.ts, ./report-inputs.ts, ./request-inputs.ts, ./aws.ts).
import type { AzureRoleRef, PermissionSetRef, AzureGrant } from '../types.js';
import type { ALL_PROVISIONED_ACCOUNTS, AwsTarget } from './org-targets.js';
import type { Parsed } from './grants.js';
import type { AccessRequestInputs } from './request-inputs.js';
import type { SnapshotInputs } from './snapshot-inputs.js';
import type { PruneMode } from './prune-inputs.js';
import type { UsageRequest } from './usage-inputs.js';

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
  /** AWS (input `policy-checks`): what each changed permission set allows, proven before any write. */
  policyChecks: 'on' | 'required' | 'off';
}

/**
 * Azure: the targets a read names (a sweep's, a report's) in the forms of the kinds whose targets
 * are not ARM scopes, each under the key its kind declares from its own room, as a TypeScript
 * module augmentation (PIM for groups: `groups`, ./azure-group-refs.ts). A kind of its own targets
 * adds its key there, not here: this shared interface declares none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- each kind's room adds its key
export interface SectionTargets {}

/** `operation: sweep`: end ephemeral grants whose run has finished or whose duration passed. */
export interface SweepRequest extends SectionTargets {
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
  scopes: AzureGrant['scope'][];
}

/**
 * `operation: report`: who holds what, read-only. AWS reads `permissionSets` (every one of the
 * instance when empty) in the `awsTargets` accounts and OUs (every account when empty); Azure reads
 * at or under each of `scopes`, keeping the `roles` (every role when empty).
 */
export interface ReportRequest extends Partial<SnapshotInputs>, SectionTargets {
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
  scopes?: AzureGrant['scope'][];
  roles?: AzureRoleRef[];
  /** `last-used: true`: where the sign-ins are read, and the window (./usage-inputs.ts). */
  usage?: UsageRequest;
  /** `prune: pull-request`: a pull request removing the manifest rows nobody used (./prune-inputs.ts). */
  prune?: PruneMode;
}

/** `operation: review`: the campaign and where its reviewers file is (core/inputs/review-inputs.ts). */
export interface ReviewInputs {
  /** The campaign's name; undefined: the run's quarter (`campaignOf`). */
  campaign: string | undefined;
  /** `campaign-start`: when a named campaign starts, ISO 8601 UTC; undefined: not given. */
  campaignStart: string | undefined;
  /** The reviewers file, a path in the repository read at the default branch's head. */
  reviewers: string;
  /** The access policy whose `people` tell which rows grant a reviewer (self-review). */
  policy: string;
  /** Reads and writes the campaign's issues; masked, never printed. */
  githubToken: string;
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
  | { operation: 'request'; request: AccessRequestInputs }
  | { operation: 'review'; report: ReportRequest; review: ReviewInputs };

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
