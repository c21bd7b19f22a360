// Where and as whom the main step signed in, as the state saves it for its post step: one table
// per cloud, whose every field says how the main step's config gives it, how the post step checks
// it back, and what the post step's adapter is given of it. The tables are written against the
// saved types (`satisfies`), so a field added to one is a field the type system asks for here, and
// nowhere else. The post step signs in as the main step did, whatever its own re-evaluated inputs
// say. Pure.
import { CLOUDTRAIL_HISTORY_MS, parseDuration, PIM_MINIMUM_MS, type Duration } from '../duration.js';
import type { AdapterSettings, AwsConfig, AzureConfig, StepConfig } from '../inputs/index.js';
import type { AzureEnvironmentName } from '../inputs/endpoints.js';
import { AWS_REGION, GUID, IAM_ROLE_ARN, ROLE_SESSION_NAME } from '../patterns.js';
import { ASSIGNMENT_TYPES, type AssignmentType, type Cloud } from '../types.js';
import {
  audience,
  auditFields,
  isHttps,
  isString,
  matched,
  matchedIfGiven,
  optional,
  type SavedField,
  type SavedFields,
} from './saved-fields.js';

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
  auditLog?: string;
  auditFirst?: number;
  /** `end-sessions: false`, saved only then: the post step's revokes leave live sessions as they are. */
  endSessions?: false;
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
  /** `assignment-type`, when not `active` (`eligible`: the grants are PIM eligibilities, removed as such). */
  assignmentType?: AssignmentType;
  auditLog?: string;
  auditFirst?: number;
  /** The grants are memberships of groups (`target: group:…`), removed through PIM for groups. */
  groups?: true;
  /**
   * Microsoft Graph, saved with `audit-log` (the post step's records name principals given by
   * object ID) and with `groups` (the post step removes memberships through Graph).
   */
  graphEndpoint?: string;
  graphTokenScope?: string;
}

export type SavedSettings = SavedAwsSettings | SavedAzureSettings;

/** AWS `duration` and expiry: both or neither, the duration within what the inputs accept. */
const awsDuration = (v: unknown): boolean => {
  if (!isString(v)) return false;
  const parsed = parseDuration(v);
  return typeof parsed !== 'string' && parsed.ms >= PIM_MINIMUM_MS && parsed.ms <= CLOUDTRAIL_HISTORY_MS;
};

const AWS_FIELDS = {
  region: { of: (c) => c.region, ...matched(AWS_REGION, 'region') },
  roleToAssume: { of: (c) => c.roleToAssume || undefined, ...matchedIfGiven(IAM_ROLE_ARN, 'role-to-assume') },
  roleSessionName: { of: (c) => c.roleSessionName, ...matched(ROLE_SESSION_NAME, 'role-session-name') },
  audience,
  principalType: {
    of: (c) => c.principalType,
    valid: (v) => v === 'USER' || v === 'GROUP',
    problem: 'principal-type',
  },
  duration: {
    of: (c) => c.timeBound?.duration.iso,
    valid: (v, s) => (v === undefined ? s.expiresAt === undefined : awsDuration(v)),
    problem: 'duration',
    adapter: false,
  },
  expiresAt: {
    of: (c) => c.timeBound?.expiresAt,
    valid: (v, s) =>
      v === undefined ? s.duration === undefined : typeof v === 'number' && Number.isSafeInteger(v) && v > 0,
    problem: 'expiry',
    adapter: false,
  },
  ...auditFields('aws'),
  endSessions: {
    of: (c) => (c.endSessions === false ? false : undefined),
    valid: optional((v) => v === false),
    problem: 'end-sessions',
  },
} satisfies SavedFields<SavedAwsSettings, AwsConfig>;

const endpoint = { valid: isHttps, problem: 'endpoints' };

const AZURE_FIELDS = {
  clientId: { of: (c) => c.clientId || undefined, ...matchedIfGiven(GUID, 'clientId') },
  tenantId: { of: (c) => c.tenantId || undefined, ...matchedIfGiven(GUID, 'tenantId') },
  environment: {
    of: (c) => c.environment,
    valid: (v) => ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'].includes(v as string),
    problem: 'environment',
  },
  authorityHost: { of: (c) => c.authorityHost, ...endpoint },
  resourceManagerEndpoint: { of: (c) => c.resourceManagerEndpoint, ...endpoint },
  tokenScope: { of: (c) => c.tokenScope, ...endpoint },
  audience,
  principalType: {
    of: (c) => c.principalType,
    valid: (v) => ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'].includes(v as string),
    problem: 'principal-type',
  },
  description: {
    of: (c) => c.description,
    valid: (v) => isString(v) && v.length <= 2048,
    problem: 'description',
  },
  duration: {
    of: (c) => c.duration?.iso,
    valid: optional((v) => isString(v) && typeof parseDuration(v) !== 'string'),
    problem: 'duration',
    // The post step's adapter removes through PIM with it, as the main step wrote.
    adapter: (v) => parseDuration(v) as Duration,
  },
  assignmentType: {
    of: (c) => (c.assignmentType === 'active' ? undefined : c.assignmentType),
    // Saved only for a kind that is not active, which ends with the job only within its
    // `duration` (an eligibility: core/inputs/azure-eligible.ts).
    valid: (v, s) =>
      v === undefined ||
      (ASSIGNMENT_TYPES.some((t) => t !== 'active' && t === v) && s.duration !== undefined),
    problem: 'assignment-type',
  },
  ...auditFields('azure'),
  groups: {
    of: (c) => (c.groups ? true : undefined),
    valid: optional((v) => v === true),
    problem: 'groups',
    // The post step onboards nothing: it removes what its main step made.
    adapter: () => ({ pimOnboard: false }),
  },
  graphEndpoint: {
    of: (c) => ((c.auditLog && !c.dryRun) || c.groups ? c.graphEndpoint : undefined),
    valid: optional((v, s) => isHttps(v) && (s.auditLog !== undefined || s.groups === true)),
    problem: 'endpoints',
  },
  graphTokenScope: {
    of: (c) => ((c.auditLog && !c.dryRun) || c.groups ? c.graphTokenScope : undefined),
    valid: optional((v, s) => isHttps(v) && v === `${String(s.graphEndpoint)}/.default`),
    problem: 'endpoints',
  },
} satisfies SavedFields<SavedAzureSettings, AzureConfig>;

/** A field of either cloud, its types checked above. */
type AnyField = Omit<SavedField<never, unknown>, 'adapter'> & {
  adapter?: false | ((value: never) => unknown);
};

/** The fields of a cloud's settings, in the order the state saves them. */
const FIELDS: Record<Cloud, Record<string, AnyField>> = {
  aws: AWS_FIELDS,
  azure: AZURE_FIELDS,
};

/** The settings a step's post step needs (saved with the header). */
export function settingsOf(config: StepConfig): SavedSettings {
  const saved: Record<string, unknown> = { cloud: config.cloud };
  for (const [key, field] of Object.entries(FIELDS[config.cloud])) {
    const value = (field.of as (c: StepConfig) => unknown)(config);
    if (value !== undefined) saved[key] = value;
  }
  return saved as unknown as SavedSettings;
}

/**
 * The saved settings checked back, and in the same pass what the post step's adapter is given of
 * them (`signIn`): signed in as the main step was, and on Azure removing as it wrote (the
 * description is a PIM removal's justification), every value the main step's; Microsoft Graph
 * only with `audit-log`, to name in its records the object IDs main resolved. Or the first setting
 * that is not valid (the audience first).
 */
export function parseSettings(value: unknown): { settings: SavedSettings; signIn: AdapterSettings } | string {
  if (typeof value !== 'object' || value === null) return 'missing';
  const s = value as Record<string, unknown>;
  if (!audience.valid(s.audience)) return audience.problem;
  if (s.cloud !== 'aws' && s.cloud !== 'azure') return 'cloud';
  const settings: Record<string, unknown> = { cloud: s.cloud };
  const signIn: Record<string, unknown> = { cloud: s.cloud };
  for (const [key, field] of Object.entries(FIELDS[s.cloud])) {
    const v = s[key];
    if (!field.valid(v, s)) return field.problem;
    if (v !== undefined) settings[key] = v;
    if (field.adapter !== false)
      signIn[key] = v === undefined || !field.adapter ? v : field.adapter(v as never);
  }
  return { settings: settings as unknown as SavedSettings, signIn: signIn as unknown as AdapterSettings };
}

/**
 * Whether the main step's grants end with the job whatever the post step's own `revoke-on-exit`
 * says: an AWS `duration`, which the session name records (PIM ends Azure's itself).
 */
export const endsWithJob = (settings: SavedSettings): boolean =>
  settings.cloud === 'aws' && settings.duration !== undefined;
