// What the state holds that differs by cloud, and how the post step checks it: each entry, the
// grant as written, its IDs as text, checked back into the grant they stand for against the
// cloud's patterns. Pure; where and as whom the main step signed in is ./saved-settings.ts, and
// ./saved-state.ts holds the header, the keys, and the save and load of the whole.
import { parseAzureScope, unsafePathReason } from '../azure-scope.js';
import {
  ACCOUNT_ID,
  GUID,
  IDENTITY_STORE_PRINCIPAL_ID,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
} from '../patterns.js';
import { isAzurePrincipalType } from '../principal-forms.js';
import type { AwsGrant, AzureGrant, Grant, IdsOf, WrittenGrant } from '../types.js';
import type { SavedSettings } from './saved-settings.js';

export type { SavedAwsSettings, SavedAzureSettings, SavedSettings } from './saved-settings.js';

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
