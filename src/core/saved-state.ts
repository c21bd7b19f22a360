// The state the main step leaves its post step, as a format: what a header and an entry hold, and
// how the post step checks them and turns them back into a revoke plan. Pure; github/state.ts
// reads and writes the runner's files.
//
// Each entry carries the grant as the main step wrote and resolved it (principal ID, permission
// set or role definition ID, account or full scope, Azure assignment name, request ID, ownership)
// and the header carries where and as whom the main step signed in. The post step revokes exactly
// these entries and never derives a grant from its own inputs: the runner evaluates `with:` again
// for the post step, so `target: ${{ env.ACCOUNTS }}` may name other accounts by then.
//
// The header is the main step's own (it is the first thing the main step saves, and the runner
// lays the step's own state over the job's environment); an entry counts only when it carries the
// header's random nonce, so one planted through GITHUB_ENV by an earlier step is ignored.
import { parseAzureScope, unsafePathReason } from './azure-scope.js';
import { parseDuration, type Duration } from './duration.js';
import type { AwsConfig, AzureConfig, StepConfig, WorkflowContext } from './inputs/index.js';
import type { AzureEnvironmentName } from './inputs/endpoints.js';
import {
  ACCOUNT_ID,
  AWS_REGION,
  GUID,
  IAM_ROLE_ARN,
  IDENTITY_STORE_PRINCIPAL_ID,
  INSTANCE_ARN,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
  ROLE_SESSION_NAME,
} from './patterns.js';
import type { Cloud, Grant, ResolvedIds, WrittenGrant } from './types.js';

export const STATE_VERSION = 3;

/** Ownership as saved: `created` proven by the main step, or still to be settled by the post step. */
export type SavedOwnership = 'created' | 'accepted' | 'unknown';

/** AWS: what the post step signs in with and needs besides each entry's IDs. */
export interface AwsSettings {
  cloud: 'aws';
  region: string;
  roleToAssume?: string;
  roleSessionName: string;
  audience: string;
  principalType: 'USER' | 'GROUP';
  /** The instance the grants were made in (discovered or given). */
  instanceArn?: string;
  /**
   * Create requests that were running when the main step began reading, and when it began: a
   * create of the step's is its own only if none of these, nor any create made since, was for the
   * same assignment and ended SUCCEEDED (aws/ownership-proof.ts). `overflow`: too many to save,
   * so no `accepted` create can be proven the step's.
   */
  creationsAtRead?: CreationsAtRead;
}

export interface CreationsAtRead {
  takenAt: number;
  running: string[];
  overflow?: true;
}

/** Azure: what the post step signs in with and needs besides each entry's IDs. */
export interface AzureSettings {
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

export type SavedSettings = AwsSettings | AzureSettings;

export interface StateHeader {
  version: typeof STATE_VERSION;
  /** Random per run of the main step: entries without it were not written by this step. */
  nonce: string;
  /** Entry slots 0 … count-1 (one per grant of the step); entries beyond are ignored. */
  count: number;
  /** Only a main step with `revoke-on-exit: true` leaves the post step anything to do. */
  revokeOnExit: true;
  settings: SavedSettings;
  maxConcurrency: number;
  /** How many grants existed before the step (left alone; only the count is kept). */
  leftAlone: number;
}

/** The header the main step saves before it reads an input: no entries, nothing to revoke. */
export interface StateClaim {
  version: typeof STATE_VERSION;
  nonce: string;
  count: 0;
}

/** A grant the main step created, or sent a create for, as it wrote and resolved it. */
export interface SavedEntry {
  nonce: string;
  /** As the main step's inputs wrote it: what the post step's log and summary show. */
  written: WrittenGrant;
  principalId: string;
  /** AWS: the account ID. Azure: the full, normalised scope. */
  targetId: string;
  /** AWS: the permission set ARN. Azure: the role definition ID. */
  roleId: string;
  /** Azure: the role assignment (or, with `duration`, the PIM request) name written. */
  name?: string;
  ownership: SavedOwnership;
  /** The create request (AWS request ID; Azure with `duration`, the PIM request name). */
  requestId?: string;
  /** When the create was first sent (epoch ms). */
  sentAt: number;
}

/** A saved entry, checked, with the grant it stands for. */
export interface SavedGrant {
  slot: number;
  grant: Grant;
  ids: ResolvedIds;
  ownership: SavedOwnership;
  requestId?: string;
  sentAt: number;
}

export interface LoadedState {
  header: StateHeader;
  /** Entries that passed every check, in slot order. */
  created: SavedGrant[];
  /** Why entries were ignored, for a warning. */
  ignored: string[];
}

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

/** Where and as whom a step signs in, in one line (to say that the post step's inputs differ). */
export function describeSignIn(settings: SavedSettings): string {
  return settings.cloud === 'aws'
    ? `AWS Region ${settings.region} as ${settings.roleToAssume ?? 'the ambient credentials'}`
    : `Azure ${settings.resourceManagerEndpoint} as ${settings.clientId ? `client ${settings.clientId} of tenant ${settings.tenantId ?? ''}` : 'the ambient credential'}`;
}

/**
 * The state in `raw` (`header`, and entries by slot), or why there is nothing to act on. Entries
 * that fail a check are left out and said in `ignored`; a header that fails one makes the whole
 * state void (`string`).
 */
export function parseSavedState(
  header: string | undefined,
  entries: { slot: string; value: string }[],
): LoadedState | { nothing: string } | string {
  if (!header) return { nothing: 'the main step saved no state' };
  const parsed = parseHeader(header);
  if (typeof parsed !== 'object') return parsed;
  if ('nothing' in parsed) return parsed;
  const ignored: string[] = [];
  const created: SavedGrant[] = [];
  for (const { slot, value } of entries) {
    if (!/^(0|[1-9]\d{0,5})$/.test(slot) || Number(slot) >= parsed.count) {
      ignored.push(`entry ${slot}: not one of the ${parsed.count} entries the main step saved`);
      continue;
    }
    const entry = parseEntry(value, parsed, Number(slot));
    if (typeof entry === 'string') ignored.push(`entry ${slot}: ${entry}`);
    else created.push(entry);
  }
  created.sort((a, b) => a.slot - b.slot);
  return { header: parsed, created, ignored };
}

function parseHeader(raw: string): StateHeader | { nothing: string } | string {
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return 'the saved state header is not JSON';
  }
  if (typeof h !== 'object' || h === null) return 'the saved state header is not an object';
  if (h.version !== STATE_VERSION)
    return `the saved state header is version ${String(h.version)}, not ${STATE_VERSION}`;
  if (typeof h.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(h.nonce))
    return 'the saved state header has no valid nonce';
  if (h.count === 0 || h.revokeOnExit !== true)
    return {
      nothing: 'the main step saved no grants to revoke (revoke-on-exit was off for it, or it failed first)',
    };
  if (!Number.isInteger(h.count) || (h.count as number) < 0 || (h.count as number) > 100_000)
    return 'the saved state header has no valid entry count';
  const settings = parseSettings(h.settings);
  if (typeof settings === 'string') return `the saved sign-in settings are not valid: ${settings}`;
  const maxConcurrency = Number.isInteger(h.maxConcurrency) ? (h.maxConcurrency as number) : 10;
  return {
    version: STATE_VERSION,
    nonce: h.nonce,
    count: h.count as number,
    revokeOnExit: true,
    settings,
    maxConcurrency: Math.min(Math.max(maxConcurrency, 1), 100),
    leftAlone: Number.isInteger(h.leftAlone) ? (h.leftAlone as number) : 0,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isHttps = (v: unknown): v is string => isString(v) && /^https:\/\/[^\s]+$/.test(v);

function parseSettings(value: unknown): SavedSettings | string {
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
    if (s.instanceArn !== undefined && (!isString(s.instanceArn) || !INSTANCE_ARN.test(s.instanceArn)))
      return 'instance ARN';
    const creations = parseCreationsAtRead(s.creationsAtRead);
    if (typeof creations === 'string') return creations;
    return {
      cloud: 'aws',
      region: s.region,
      ...(s.roleToAssume ? { roleToAssume: s.roleToAssume } : {}),
      roleSessionName: s.roleSessionName,
      audience: s.audience,
      principalType: s.principalType,
      ...(s.instanceArn ? { instanceArn: s.instanceArn } : {}),
      ...(creations ? { creationsAtRead: creations } : {}),
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
      principalType: s.principalType as AzureSettings['principalType'],
      description: s.description,
      ...(s.duration ? { duration: s.duration } : {}),
    };
  }
  return 'cloud';
}

/** At most this many running creates are saved (a few hundred bytes each way below Linux's 128 KiB per variable). */
export const MAX_SAVED_RUNNING_CREATES = 1_000;

function parseCreationsAtRead(value: unknown): CreationsAtRead | undefined | string {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return 'creations at read';
  const c = value as Record<string, unknown>;
  if (typeof c.takenAt !== 'number' || !Number.isFinite(c.takenAt)) return 'creations at read';
  if (
    !Array.isArray(c.running) ||
    c.running.length > MAX_SAVED_RUNNING_CREATES ||
    !c.running.every((id) => isString(id) && REQUEST_ID.test(id))
  )
    return 'creations at read';
  return {
    takenAt: c.takenAt,
    running: c.running as string[],
    ...(c.overflow === true ? { overflow: true } : {}),
  };
}

function parseWritten(value: unknown): WrittenGrant | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const w = value as Record<string, unknown>;
  const ok = (v: unknown): v is string => isString(v) && v.length <= 4096;
  return ok(w.principal) && ok(w.target) && ok(w.role)
    ? { principal: w.principal, target: w.target, role: w.role }
    : undefined;
}

function parseEntry(raw: string, header: StateHeader, slot: number): SavedGrant | string {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  if (typeof e !== 'object' || e === null) return 'not an object';
  if (e.nonce !== header.nonce) return 'not written by this step (its nonce does not match)';
  if (e.ownership !== 'created' && e.ownership !== 'accepted' && e.ownership !== 'unknown')
    return 'no valid ownership';
  if (typeof e.sentAt !== 'number' || !Number.isFinite(e.sentAt)) return 'no send time';
  const written = parseWritten(e.written);
  if (!written) return 'no grant as written';
  if (!isString(e.principalId) || !isString(e.targetId) || !isString(e.roleId)) return 'no IDs';
  if (e.name !== undefined && !isString(e.name)) return 'its name is not text';
  const ids: ResolvedIds = {
    principalId: e.principalId,
    targetId: e.targetId,
    roleId: e.roleId,
    ...(e.name !== undefined ? { name: e.name } : {}),
  };
  const requestId = e.requestId;
  if (requestId !== undefined && !isString(requestId)) return 'its request ID is not text';
  if (e.ownership === 'accepted' && !requestId) return 'an accepted create without a request ID';
  const grant =
    header.settings.cloud === 'aws'
      ? awsGrantOf(ids, written, requestId)
      : azureGrantOf(ids, written, requestId);
  if (typeof grant === 'string') return grant;
  return {
    slot,
    grant,
    ids,
    ownership: e.ownership,
    ...(requestId ? { requestId } : {}),
    sentAt: e.sentAt,
  };
}

/** An AWS entry's IDs pass the service's patterns; the grant they stand for. */
function awsGrantOf(ids: ResolvedIds, written: WrittenGrant, requestId: string | undefined): Grant | string {
  if (!IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
    return 'its principal ID is not an Identity Store ID';
  if (!ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
  if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
  if (ids.name !== undefined) return 'it has an Azure assignment name';
  if (requestId !== undefined && !REQUEST_ID.test(requestId)) return 'its request ID is not valid';
  return {
    cloud: 'aws',
    principal: { kind: 'id', id: ids.principalId },
    accountId: ids.targetId,
    permissionSet: { kind: 'arn', arn: ids.roleId },
    written,
    resolved: ids,
  };
}

/** An Azure entry's IDs: a normalised scope, a role definition ID, GUIDs; the grant they stand for. */
function azureGrantOf(
  ids: ResolvedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Grant | string {
  if (!GUID.test(ids.principalId)) return 'its principal ID is not a GUID';
  const scope = parseAzureScope(ids.targetId);
  if (typeof scope === 'string' || scope.scope !== ids.targetId)
    return 'its target is not a normalised Azure scope';
  if (!ROLE_DEFINITION_ID.test(ids.roleId) || unsafePathReason(ids.roleId))
    return 'its role is not a role definition ID';
  if (!ids.name || !GUID.test(ids.name)) return 'its assignment name is not a GUID';
  // The PIM request name, or an ARM request ID (whose form ARM does not fix): text without separators.
  if (requestId !== undefined && !/^[\w-]{1,128}$/.test(requestId)) return 'its request ID is not valid';
  return {
    cloud: 'azure',
    principalId: ids.principalId.toLowerCase(),
    scope,
    role: { kind: 'id', id: ids.roleId },
    written,
    resolved: ids,
  };
}

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
    assignmentName: undefined,
    condition: undefined,
    conditionVersion: undefined,
    description: settings.description,
    delegatedManagedIdentityResourceId: undefined,
    duration,
  };
  return config;
}

/** The cloud a header's settings are for. */
export const cloudOf = (header: StateHeader): Cloud => header.settings.cloud;
