// The revoke the post step runs: the saved grants, signed in as the main step was. Pure.
import { parseDuration, type Duration } from './duration.js';
import type { AwsConfig, AzureConfig, StepConfig, WorkflowContext } from './inputs/index.js';
import type { LoadedState } from './saved-state.js';

/** What the post step reads of its own inputs: its budget (the rest comes from the saved state). */
export interface PostInputs {
  postTimeoutSeconds: number;
  run: WorkflowContext;
}

/**
 * The revoke the post step runs: the saved entries' grants, signed in as the main step was. Every
 * value that shaped a write is the main step's; only the post step's budget is its own.
 */
export function revokePlanOf(state: LoadedState, post: PostInputs): StepConfig {
  const { settings } = state.header;
  const common = {
    operation: 'revoke' as const,
    wait: true,
    timeoutSeconds: post.postTimeoutSeconds,
    postTimeoutSeconds: post.postTimeoutSeconds,
    revokeOnExit: false,
    dryRun: false,
    maxConcurrency: state.header.maxConcurrency,
    audience: settings.audience,
    run: post.run,
  };
  if (settings.cloud === 'aws') {
    const config: AwsConfig = {
      ...common,
      cloud: 'aws',
      grants: state.created.map((e) => e.grant).filter((g) => g.cloud === 'aws'),
      provision: undefined,
      principalType: settings.principalType,
      region: settings.region,
      roleToAssume: settings.roleToAssume,
      roleSessionName: settings.roleSessionName,
      instanceArn: settings.instanceArn,
      identityStoreId: undefined,
      onlyOutdated: true,
    };
    return config;
  }
  const duration = settings.duration ? (parseDuration(settings.duration) as Duration) : undefined;
  const config: AzureConfig = {
    ...common,
    cloud: 'azure',
    grants: state.created.map((e) => e.grant).filter((g) => g.cloud === 'azure'),
    principalType: settings.principalType,
    clientId: settings.clientId,
    tenantId: settings.tenantId,
    environment: settings.environment,
    authorityHost: settings.authorityHost,
    resourceManagerEndpoint: settings.resourceManagerEndpoint,
    tokenScope: settings.tokenScope,
    // The post step acts on the object IDs main resolved and never asks Graph.
    graphEndpoint: '',
    graphTokenScope: '',
    assignmentName: undefined,
    condition: undefined,
    conditionVersion: undefined,
    description: settings.description,
    delegatedManagedIdentityResourceId: undefined,
    duration,
  };
  return config;
}
