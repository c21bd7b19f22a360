// Where and as whom the main step signed in, and what else its post step's driver needs besides
// each saved grant's IDs: saved in the state header, so that the post step signs in as the main
// step did whatever its own (re-evaluated) inputs say. Pure; ./saved-state.ts holds the rest of the format.
import { CLOUDTRAIL_HISTORY_MS, parseDuration, PIM_MINIMUM_MS } from '../duration.js';
import type { AzureConfig, StepConfig } from '../inputs/index.js';
import type { AzureEnvironmentName } from '../inputs/endpoints.js';

export { describeSignIn } from '../inputs/post-step.js';
import { AWS_REGION, GUID, IAM_ROLE_ARN, ROLE_SESSION_NAME } from '../patterns.js';

/** AWS: what the post step signs in with and needs besides each entry's IDs. */
export interface SavedAwsSettings {
  cloud: 'aws';
  region: string;
  roleToAssume?: string;
  roleSessionName: string;
  audience: string;
  principalType: 'USER' | 'GROUP';
  /**
   * `duration`, in ISO 8601, and when the grants expire (unix seconds): they end with the job
   * whatever the post step's own, re-evaluated `revoke-on-exit` says (operations/revoke-on-exit/index.ts).
   */
  duration?: string;
  expiresAt?: number;
}

/** Azure: what the post step signs in with and needs besides each entry's IDs. */
export interface SavedAzureSettings {
  cloud: 'azure';
  clientId?: string;
  tenantId?: string;
  environment: AzureEnvironmentName;
  authorityHost: string;
  resourceManagerEndpoint: string;
  tokenScope: string;
  audience: string;
  principalType: AzureConfig['principalType'];
  /** Written as the justification of a PIM removal. */
  description: string;
  /** `duration`, in ISO 8601: the grants are time-bound, removed through PIM. */
  duration?: string;
}

export type SavedSettings = SavedAwsSettings | SavedAzureSettings;

/** The settings a step's post step needs (saved with the header). */
export function settingsOf(config: StepConfig): SavedSettings {
  if (config.cloud === 'aws')
    return {
      cloud: 'aws',
      region: config.region,
      ...(config.roleToAssume ? { roleToAssume: config.roleToAssume } : {}),
      roleSessionName: config.roleSessionName,
      audience: config.audience,
      principalType: config.principalType,
      ...(config.timeBound
        ? { duration: config.timeBound.duration.iso, expiresAt: config.timeBound.expiresAt }
        : {}),
    };
  return {
    cloud: 'azure',
    ...(config.clientId ? { clientId: config.clientId } : {}),
    ...(config.tenantId ? { tenantId: config.tenantId } : {}),
    environment: config.environment,
    authorityHost: config.authorityHost,
    resourceManagerEndpoint: config.resourceManagerEndpoint,
    tokenScope: config.tokenScope,
    audience: config.audience,
    principalType: config.principalType,
    description: config.description,
    ...(config.duration ? { duration: config.duration.iso } : {}),
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isHttps = (v: unknown): v is string => isString(v) && /^https:\/\/[^\s]+$/.test(v);

export function parseSettings(value: unknown): SavedSettings | string {
  if (typeof value !== 'object' || value === null) return 'missing';
  const s = value as Record<string, unknown>;
  if (!isString(s.audience) || s.audience.length > 1024) return 'audience';
  if (s.cloud === 'aws') {
    if (!isString(s.region) || !AWS_REGION.test(s.region)) return 'region';
    if (s.roleToAssume !== undefined && (!isString(s.roleToAssume) || !IAM_ROLE_ARN.test(s.roleToAssume)))
      return 'role-to-assume';
    if (!isString(s.roleSessionName) || !ROLE_SESSION_NAME.test(s.roleSessionName))
      return 'role-session-name';
    if (s.principalType !== 'USER' && s.principalType !== 'GROUP') return 'principal-type';
    const timeBound = parseAwsTimeBound(s.duration, s.expiresAt);
    if (typeof timeBound === 'string') return timeBound;
    return {
      cloud: 'aws',
      region: s.region,
      ...(s.roleToAssume ? { roleToAssume: s.roleToAssume } : {}),
      roleSessionName: s.roleSessionName,
      audience: s.audience,
      principalType: s.principalType,
      ...timeBound,
    };
  }
  if (s.cloud === 'azure') {
    for (const key of ['clientId', 'tenantId'] as const)
      if (s[key] !== undefined && (!isString(s[key]) || !GUID.test(s[key]))) return key;
    if (!['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'].includes(s.environment as string))
      return 'environment';
    if (!isHttps(s.authorityHost) || !isHttps(s.resourceManagerEndpoint) || !isHttps(s.tokenScope))
      return 'endpoints';
    if (!['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'].includes(s.principalType as string))
      return 'principal-type';
    if (!isString(s.description) || s.description.length > 2048) return 'description';
    if (s.duration !== undefined && (!isString(s.duration) || typeof parseDuration(s.duration) === 'string'))
      return 'duration';
    return {
      cloud: 'azure',
      ...(s.clientId ? { clientId: s.clientId as string } : {}),
      ...(s.tenantId ? { tenantId: s.tenantId as string } : {}),
      environment: s.environment as AzureEnvironmentName,
      authorityHost: s.authorityHost,
      resourceManagerEndpoint: s.resourceManagerEndpoint,
      tokenScope: s.tokenScope,
      audience: s.audience,
      principalType: s.principalType as SavedAzureSettings['principalType'],
      description: s.description,
      ...(s.duration ? { duration: s.duration } : {}),
    };
  }
  return 'cloud';
}

/** AWS `duration` and expiry: both or neither, the duration within what the inputs accept. */
function parseAwsTimeBound(
  duration: unknown,
  expiresAt: unknown,
): { duration?: string; expiresAt?: number } | string {
  if (duration === undefined && expiresAt === undefined) return {};
  if (!isString(duration)) return 'duration';
  const parsed = parseDuration(duration);
  if (typeof parsed === 'string' || parsed.ms < PIM_MINIMUM_MS || parsed.ms > CLOUDTRAIL_HISTORY_MS)
    return 'duration';
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt) || expiresAt <= 0) return 'expiry';
  return { duration, expiresAt };
}
