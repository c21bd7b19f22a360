// The step's configuration: every input parsed, checked and typed (`StepConfig`), the one name for
// what the steps and the adapters are given (the engine sees only the grants).
import type { AwsGrant, AzureGrant, Operation, PermissionSetRef } from '../types.js';
import type { Duration } from '../duration.js';
import type { ALL_PROVISIONED_ACCOUNTS } from '../provision-plan.js';
import type { WorkflowContext } from '../run-context.js';
import type { AzureEnvironmentName } from './endpoints.js';

export interface CommonConfig {
  operation: Operation;
  wait: boolean;
  timeoutSeconds: number;
  /** The post step's own budget, so a tight `timeout-seconds` never cuts cleanup short. */
  postTimeoutSeconds: number;
  revokeOnExit: boolean;
  dryRun: boolean;
  maxConcurrency: number;
  audience: string;
  /** The run the step belongs to: the defaults name it, and the job summary links to it. */
  run: WorkflowContext;
}

/** `operation: provision`: the permission sets to re-provision, and to which accounts. */
export interface ProvisionRequest {
  accounts: string[] | typeof ALL_PROVISIONED_ACCOUNTS;
  permissionSets: PermissionSetRef[] | '*';
}

export interface AwsConfig extends CommonConfig {
  cloud: 'aws';
  /** Assign and revoke: every principal × account × permission set (none for provision). */
  grants: AwsGrant[];
  provision: ProvisionRequest | undefined;
  principalType: 'USER' | 'GROUP';
  region: string;
  roleToAssume: string | undefined;
  roleSessionName: string;
  instanceArn: string | undefined;
  identityStoreId: string | undefined;
  onlyOutdated: boolean;
}

export interface AzureConfig extends CommonConfig {
  cloud: 'azure';
  grants: AzureGrant[];
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

export type StepConfig = AwsConfig | AzureConfig;

/** The run the defaults name (the session name, the description) and the summary links to. */
export type { WorkflowContext } from '../run-context.js';
