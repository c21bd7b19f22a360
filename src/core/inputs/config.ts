// The step's configuration: every input parsed, checked and typed. It is two things side by side:
// the plan the engine runs (`RunPlan`: the operation, its grants, its budgets) and the settings a
// cloud adapter is given (`AwsSettings`, `AzureSettings`: how to sign in, where to write). An
// adapter is typed with its settings only, so it cannot read the operation or the grant list: the
// engine hands it the grant it acts on.
import type { AwsGrant, AzureGrant, Operation, PermissionSetRef } from '../types.js';
import type { Duration } from '../duration.js';
import type { DeferredAwsGrants } from '../org-expansion.js';
import type { ALL_PROVISIONED_ACCOUNTS } from '../provision-plan.js';
import type { WorkflowContext } from '../run-context.js';
import type { AzureEnvironmentName } from './endpoints.js';

/** What the step does: a grant operation, or `reconcile` (the grants come from a manifest). */
export type StepOperation = Operation | 'reconcile';

/** `operation: reconcile`: the manifest, as a path in the workspace, and the deletes it may make. */
export interface ReconcileRequest {
  manifest: string;
  maxDeletions: number;
}

/** What the engine runs: the operation, the grants it acts on, and the step's budgets. */
export interface RunPlan<G> {
  operation: StepOperation;
  /** `operation: reconcile` only. */
  reconcile?: ReconcileRequest;
  /** Assign and revoke: every principal × target × role (none for provision). */
  grants: G[];
  wait: boolean;
  timeoutSeconds: number;
  /** The post step's own budget, so a tight `timeout-seconds` never cuts cleanup short. */
  postTimeoutSeconds: number;
  revokeOnExit: boolean;
  dryRun: boolean;
  maxConcurrency: number;
  /** The run the step belongs to: the defaults name it, and the job summary links to it. */
  run: WorkflowContext;
}

/** The inputs every plan shares, before the cloud's section is parsed. */
export type CommonConfig = Omit<RunPlan<never>, 'grants'> & { audience: string };

/** `operation: provision`: the permission sets to re-provision, and to which accounts. */
export interface ProvisionRequest {
  accounts: string[] | typeof ALL_PROVISIONED_ACCOUNTS;
  permissionSets: PermissionSetRef[] | '*';
}

/** What the AWS adapter is given: how to sign in, and the instance it writes to. */
export interface AwsSettings {
  cloud: 'aws';
  audience: string;
  principalType: 'USER' | 'GROUP';
  region: string;
  roleToAssume: string | undefined;
  roleSessionName: string;
  instanceArn: string | undefined;
  identityStoreId: string | undefined;
}

export interface AwsConfig extends RunPlan<AwsGrant>, AwsSettings {
  provision: ProvisionRequest | undefined;
  /**
   * OU, root or path targets: `grants` (or `provision`'s accounts) wait for the expansion
   * (core/org-expansion.ts), made before any write.
   */
  orgTargets?: DeferredAwsGrants;
  onlyOutdated: boolean;
}

/** What the Azure adapter is given: how to sign in, where ARM is, and how its writes are made. */
export interface AzureSettings {
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
  /** Microsoft Graph, which resolves principals given by name (`environment`'s, or `graph-endpoint`). */
  graphEndpoint: string;
  /** `<graph>/.default`: the same federated credential, another token. */
  graphTokenScope: string;
  assignmentName: string | undefined;
  condition: string | undefined;
  conditionVersion: string | undefined;
  description: string;
  delegatedManagedIdentityResourceId: string | undefined;
  /** `duration`: each assignment is time-bound, made and removed through PIM schedule requests. */
  duration: Duration | undefined;
}

export interface AzureConfig extends RunPlan<AzureGrant>, AzureSettings {}

export type StepConfig = AwsConfig | AzureConfig;

/** The run the defaults name (the session name, the description) and the summary links to. */
export type { WorkflowContext } from '../run-context.js';
