// A step's config split by who uses it: the settings its cloud's adapter is given are picked out
// of it, so that the adapter is handed those and never the plan (the operation, the grants) beside
// them. Pure.
import type {
  AdapterSettings,
  AwsConfig,
  AwsSessionSettings,
  AzureConfig,
  AzureSessionSettings,
  AzureSettings,
  StepConfig,
} from './config.js';
import { effectOptionsOf } from './effect-inputs.js';

/** Every key of `T`, each present (its value may be undefined): nothing the adapter reads is left out. */
type EveryKey<T> = { [K in keyof Required<T>]: T[K] | undefined };

/** Whether the adapter signs in with a GitHub OIDC token (rather than the ambient credentials). */
export function signsInWithToken(settings: AwsSessionSettings | AzureSessionSettings): boolean {
  return settings.cloud === 'aws'
    ? Boolean(settings.roleToAssume)
    : Boolean(settings.clientId && settings.tenantId);
}

/** The settings the step's adapter signs in with (and, on Azure, writes with). */
export function adapterSettingsOf(config: StepConfig): AdapterSettings {
  return config.cloud === 'aws' ? awsSettingsOf(config) : azureSettingsOf(config);
}

/**
 * What only an AWS step's config holds, and an Azure one's never does: OU and root targets still to
 * expand, a `duration`'s time-bound claim, an access request's reliance session name.
 */
export function awsOnlyOf(
  config: StepConfig,
): Partial<Pick<AwsConfig, 'orgTargets' | 'timeBound' | 'relianceSessionName'>> {
  return config.cloud === 'aws' ? config : {};
}

/**
 * What only an Azure step's config holds, and an AWS one's never does: the run mark a relying step
 * registers, and the GitHub token it reads other runs with.
 */
export function azureOnlyOf(
  config: StepConfig,
): Partial<Pick<AzureConfig, 'relianceMark' | 'relianceRunsToken'>> {
  return config.cloud === 'azure' ? config : {};
}

export function awsSettingsOf(config: AwsConfig): AwsSessionSettings {
  return {
    cloud: 'aws',
    audience: config.audience,
    principalType: config.principalType,
    region: config.region,
    roleToAssume: config.roleToAssume,
    roleSessionName: config.roleSessionName,
    relianceSessionName: config.relianceSessionName,
    instanceArn: config.instanceArn,
    identityStoreId: config.identityStoreId,
    ...effectOptionsOf(config),
  } satisfies EveryKey<AwsSessionSettings>;
}

export function azureSettingsOf(config: AzureConfig): AzureSettings {
  return {
    cloud: 'azure',
    audience: config.audience,
    principalType: config.principalType,
    clientId: config.clientId,
    tenantId: config.tenantId,
    environment: config.environment,
    authorityHost: config.authorityHost,
    resourceManagerEndpoint: config.resourceManagerEndpoint,
    tokenScope: config.tokenScope,
    graphEndpoint: config.graphEndpoint,
    graphTokenScope: config.graphTokenScope,
    assignmentName: config.assignmentName,
    condition: config.condition,
    conditionVersion: config.conditionVersion,
    description: config.description,
    delegatedManagedIdentityResourceId: config.delegatedManagedIdentityResourceId,
    duration: config.duration,
    relianceMark: config.relianceMark,
    assignmentType: config.assignmentType,
    requestOwner: config.requestOwner,
    groups: config.groups,
  } satisfies EveryKey<AzureSettings>;
}
