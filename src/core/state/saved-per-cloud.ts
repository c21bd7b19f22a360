// What the state holds that differs by cloud, and how the post step checks it: where and as whom
// the main step signed in (the header's settings, so that the post step signs in as the main step
// did whatever its own, re-evaluated inputs say), and each entry: the grant as written, its IDs as
// text, checked back into the grant they stand for against the cloud's patterns. Pure;
// ./saved-state.ts holds the header, the keys, and the save and load of the whole.
import { parseAzureScope, unsafePathReason } from '../azure-scope.js';
import { CLOUDTRAIL_HISTORY_MS, parseDuration, PIM_MINIMUM_MS } from '../duration.js';
import type { AzureConfig } from '../inputs/index.js';
import type { AzureEnvironmentName } from '../inputs/endpoints.js';
import {
  ACCOUNT_ID,
  AWS_REGION,
  GUID,
  IAM_ROLE_ARN,
  IDENTITY_STORE_PRINCIPAL_ID,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
  ROLE_SESSION_NAME,
} from '../patterns.js';
import { isAzurePrincipalType } from '../principal-forms.js';
import type { AwsGrant, AzureGrant, Grant, IdsOf, WrittenGrant } from '../types.js';

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

const isString = (v: unknown): v is string => typeof v === 'string';

/** A saved value read back: the object it holds, or why it holds none. */
export function savedObject(raw: string): Record<string, unknown> | 'not JSON' | 'not an object' {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : 'not an object';
}
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

/** A grant with the IDs it was saved with. */
export type Resolved<G extends Grant> = G & { resolved: IdsOf<G> };

/** An entry's IDs as the state holds them: text. */
export interface SavedIds {
  principalId: string;
  /** AWS: the account ID. Azure: the full, normalised scope. */
  targetId: string;
  /** AWS: the permission set ARN. Azure: the role definition ID. */
  roleId: string;
  /** Azure: the role assignment (or, with `duration`, the PIM request) name written. */
  name?: string;
  /** The type written (AWS `USER` / `GROUP`, ARM's `User` …): the post step's rows show the kind. */
  principalType?: string;
}

/** An AWS entry's IDs pass the service's patterns; the grant they stand for. */
export function awsGrantOf(
  ids: SavedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Resolved<AwsGrant> | string {
  if (!IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
    return 'its principal ID is not an Identity Store ID';
  if (!ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
  if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
  if (ids.name !== undefined) return 'it has an Azure assignment name';
  if (requestId !== undefined && !REQUEST_ID.test(requestId)) return 'its request ID is not valid';
  if (![undefined, 'USER', 'GROUP'].includes(ids.principalType)) return 'its principal type is unknown';
  const kind = ids.principalType ? { principalType: ids.principalType as 'USER' | 'GROUP' } : {};
  return {
    cloud: 'aws',
    principal: { kind: 'id', id: ids.principalId },
    accountId: ids.targetId,
    permissionSet: { kind: 'arn', arn: ids.roleId },
    written,
    resolved: { cloud: 'aws', ...awsIdsOf(ids), ...kind },
  };
}

const awsIdsOf = ({ principalId, targetId: accountId, roleId }: SavedIds) => ({
  principalId,
  accountId,
  roleId,
});

/** An Azure entry's IDs: a normalised scope, a role definition ID, GUIDs; the grant they stand for. */
export function azureGrantOf(
  ids: SavedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Resolved<AzureGrant> | string {
  if (!GUID.test(ids.principalId)) return 'its principal ID is not a GUID';
  const scope = parseAzureScope(ids.targetId);
  if (typeof scope === 'string' || scope.scope !== ids.targetId)
    return 'its target is not a normalised Azure scope';
  if (!ROLE_DEFINITION_ID.test(ids.roleId) || unsafePathReason(ids.roleId))
    return 'its role is not a role definition ID';
  if (!ids.name || !GUID.test(ids.name)) return 'its assignment name is not a GUID';
  // The PIM request name, or an ARM request ID (whose form ARM does not fix): text without separators.
  if (requestId !== undefined && !/^[\w-]{1,128}$/.test(requestId)) return 'its request ID is not valid';
  const type = ids.principalType;
  if (type !== undefined && !isAzurePrincipalType(type)) return 'its principal type is unknown';
  const kind = type ? { principalType: type } : {};
  const principalId = ids.principalId.toLowerCase();
  return {
    cloud: 'azure',
    principal: { kind: 'object', id: principalId, bare: true },
    scope,
    role: { kind: 'id', id: ids.roleId },
    written,
    resolved: { cloud: 'azure', principalId, scope, roleId: ids.roleId, name: ids.name, ...kind },
  };
}

/**
 * Ownership as saved: `created` proven by the main step; `accepted` and `unknown` still to be
 * settled by the post step; `contested` not the step's to revoke, but said if it is still there.
 */
export type SavedOwnership = 'created' | 'accepted' | 'unknown' | 'contested';

/** A saved entry, checked, with the grant it stands for. */
export type SavedGrant = SavedGrantOf<AwsGrant> | SavedGrantOf<AzureGrant>;

interface SavedGrantOf<G extends Grant> {
  slot: number;
  grant: G;
  ids: IdsOf<G>;
  ownership: SavedOwnership;
  requestId?: string;
  sentAt: number;
  answeredAt?: number;
}

function parseWritten(value: unknown): WrittenGrant | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const w = value as Record<string, unknown>;
  const ok = (v: unknown): v is string => isString(v) && v.length <= 4096;
  return ok(w.principal) && ok(w.target) && ok(w.role)
    ? { principal: w.principal, target: w.target, role: w.role }
    : undefined;
}

/**
 * The entry saved in `slot`, checked: written under the header's nonce, its IDs those of a grant on
 * the header's cloud; or why it is ignored.
 */
export function parseEntry(
  raw: string,
  header: { nonce: string; settings: Pick<SavedSettings, 'cloud'> },
  slot: number,
): SavedGrant | string {
  const e = savedObject(raw);
  if (typeof e === 'string') return e;
  if (e.nonce !== header.nonce) return 'not written by this step (its nonce does not match)';
  if (!['created', 'accepted', 'unknown', 'contested'].includes(e.ownership as string))
    return 'no valid ownership';
  if (typeof e.sentAt !== 'number' || !Number.isFinite(e.sentAt)) return 'no send time';
  if (e.answeredAt !== undefined && (typeof e.answeredAt !== 'number' || !Number.isFinite(e.answeredAt)))
    return 'no valid answer time';
  const written = parseWritten(e.written);
  if (!written) return 'no grant as written';
  if (!isString(e.principalId) || !isString(e.targetId) || !isString(e.roleId)) return 'no IDs';
  if (e.name !== undefined && !isString(e.name)) return 'its name is not text';
  const ids: SavedIds = {
    principalId: e.principalId,
    targetId: e.targetId,
    roleId: e.roleId,
    ...(e.name !== undefined ? { name: e.name } : {}),
    ...(e.principalType !== undefined ? { principalType: e.principalType as string } : {}), // checked per cloud
  };
  const requestId = e.requestId;
  if (requestId !== undefined && !isString(requestId)) return 'its request ID is not text';
  if (e.ownership === 'accepted' && !requestId) return 'an accepted create without a request ID';
  const grant =
    header.settings.cloud === 'aws'
      ? awsGrantOf(ids, written, requestId)
      : azureGrantOf(ids, written, requestId);
  if (typeof grant === 'string') return grant;
  const shared = {
    slot,
    ownership: e.ownership as SavedOwnership,
    ...(requestId ? { requestId } : {}),
    sentAt: e.sentAt,
    ...(typeof e.answeredAt === 'number' ? { answeredAt: e.answeredAt } : {}),
  };
  return grant.cloud === 'aws'
    ? { ...shared, grant, ids: grant.resolved }
    : { ...shared, grant, ids: grant.resolved };
}
