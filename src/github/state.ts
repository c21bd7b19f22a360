// What the main step leaves for the post step: the grants it created, by resolved ID, and nothing
// else. Never a credential or token: the post step authenticates afresh.
//
// The post step gets the job's environment with the step's own saved state laid over it, so a
// `STATE_*` name an earlier step wrote to GITHUB_ENV reaches it too. The state is therefore bound
// to the step that wrote it: the header carries a random nonce and the number of entry slots,
// every entry carries the nonce, and an entry that does not match, or whose IDs do not pass the
// patterns the inputs are held to, is ignored with a warning.
//
// Each grant is saved under a key of its own the moment its create is sent, so a step cancelled
// or killed mid-batch still leaves a complete record. Each value stays a few kilobytes at most
// (Linux refuses to start a process with one environment variable over 128 KiB).
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { parseAzureScope, unsafePathReason } from '../core/azure-scope.js';
import {
  ACCOUNT_ID,
  GUID,
  IDENTITY_STORE_PRINCIPAL_ID,
  INSTANCE_ARN,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
} from '../core/patterns.js';
import type { Cloud, Grant, ResolvedIds } from '../core/types.js';
import type { Ownership } from '../engine/driver.js';

const HEADER_KEY = 'cloud-access';
const ENTRY_KEY_PREFIX = 'cloud-access-grant-';
const VERSION = 2;

export interface StateHeader {
  version: typeof VERSION;
  /** Random per run of the main step: entries without it were not written by this step. */
  nonce: string;
  /** Entry slots 0 … count-1 (one per grant of the step); entries beyond are ignored. */
  count: number;
  cloud: Cloud;
  /** When the main step began (epoch ms): what counts as "since the step began" for ownership. */
  startedAt: number;
  /** AWS: the instance the grants were made in (discovered or given). */
  instanceArn?: string;
  /** How many grants existed before the step (left alone; only the count is kept). */
  leftAlone: number;
}

/** A grant the main step created, or sent a create for. */
export interface SavedGrant {
  nonce: string;
  /** As the user wrote it, for the log and summary. */
  grant: Grant;
  ids: ResolvedIds;
  ownership: Exclude<Ownership, 'not-created'>;
  /** AWS: the CreateAccountAssignment request, which the post step follows when it has not ended. */
  requestId?: string;
}

export interface LoadedState {
  header: StateHeader;
  /** Entries that passed every check, in slot order. */
  created: SavedGrant[];
  /** Why entries or names were ignored, for warnings. */
  ignored: string[];
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function saveHeader(header: StateHeader): void {
  core.saveState(HEADER_KEY, JSON.stringify(header));
}

/** Records (or, with `undefined`, forgets) the grant in slot `index`. */
export function saveGrant(index: number, entry: SavedGrant | undefined): void {
  core.saveState(`${ENTRY_KEY_PREFIX}${index}`, entry ? JSON.stringify(entry) : '');
}

/**
 * The state this step's main step saved, or undefined when there is none or its header is not
 * one this version wrote for `cloud`. `ignored` says what was dropped and why.
 */
export function loadState(cloud: Cloud, env: NodeJS.ProcessEnv = process.env): LoadedState | undefined {
  const raw = env[`STATE_${HEADER_KEY}`];
  if (!raw) return undefined;
  const header = parseHeader(raw, cloud);
  if (typeof header === 'string') {
    return {
      header: { version: VERSION, nonce: '', count: 0, cloud, startedAt: 0, leftAlone: 0 },
      created: [],
      ignored: [`the saved state header was ignored: ${header}`],
    };
  }
  const ignored: string[] = [];
  const created: SavedGrant[] = [];
  const prefix = `STATE_${ENTRY_KEY_PREFIX}`;
  const slots = Object.entries(env)
    .filter(([name, value]) => name.startsWith(prefix) && value)
    .map(([name, value]) => ({ name, slot: name.slice(prefix.length), value: value! }));
  for (const { name, slot, value } of slots) {
    if (!/^(0|[1-9]\d{0,5})$/.test(slot) || Number(slot) >= header.count) {
      ignored.push(`${name}: not one of the ${header.count} entries the main step saved`);
      continue;
    }
    const entry = parseEntry(value, header);
    if (typeof entry === 'string') ignored.push(`${name}: ${entry}`);
    else created[Number(slot)] = entry;
  }
  return { header, created: created.filter(Boolean), ignored };
}

function parseHeader(raw: string, cloud: Cloud): StateHeader | string {
  let h: Partial<StateHeader>;
  try {
    h = JSON.parse(raw) as Partial<StateHeader>;
  } catch {
    return 'it is not JSON';
  }
  if (typeof h !== 'object' || h === null) return 'it is not an object';
  if (h.version !== VERSION) return `version ${String(h.version)} is not ${VERSION}`;
  if (typeof h.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(h.nonce)) return 'it has no valid nonce';
  if (!Number.isInteger(h.count) || h.count! < 0 || h.count! > 100_000) return 'its entry count is not valid';
  if (h.cloud !== cloud) return `it was written for cloud \`${String(h.cloud)}\`, not \`${cloud}\``;
  if (typeof h.startedAt !== 'number' || !Number.isFinite(h.startedAt)) return 'it has no start time';
  if (h.instanceArn !== undefined && (typeof h.instanceArn !== 'string' || !INSTANCE_ARN.test(h.instanceArn)))
    return 'its instance ARN is not valid';
  return {
    version: VERSION,
    nonce: h.nonce,
    count: h.count!,
    cloud,
    startedAt: h.startedAt,
    ...(h.instanceArn ? { instanceArn: h.instanceArn } : {}),
    leftAlone: Number.isInteger(h.leftAlone) ? h.leftAlone! : 0,
  };
}

function parseEntry(raw: string, header: StateHeader): SavedGrant | string {
  let e: Partial<SavedGrant>;
  try {
    e = JSON.parse(raw) as Partial<SavedGrant>;
  } catch {
    return 'not JSON';
  }
  if (typeof e !== 'object' || e === null) return 'not an object';
  if (e.nonce !== header.nonce) return 'not written by this step (its nonce does not match)';
  if (e.ownership !== 'created' && e.ownership !== 'accepted' && e.ownership !== 'unknown')
    return 'no valid ownership';
  const grant = e.grant;
  if (
    !grant ||
    typeof grant.principal !== 'string' ||
    typeof grant.target !== 'string' ||
    typeof grant.role !== 'string'
  )
    return 'no grant as written';
  const ids = e.ids;
  if (!ids || typeof ids !== 'object') return 'no IDs';
  const invalid = header.cloud === 'aws' ? invalidAwsIds(ids) : invalidAzureIds(ids);
  if (invalid) return invalid;
  if (e.requestId !== undefined && (typeof e.requestId !== 'string' || !REQUEST_ID.test(e.requestId)))
    return 'its request ID is not valid';
  if (e.ownership === 'accepted' && !e.requestId) return 'an accepted create without a request ID';
  return {
    nonce: e.nonce,
    grant: { principal: grant.principal, target: grant.target, role: grant.role },
    ids,
    ownership: e.ownership,
    ...(e.requestId ? { requestId: e.requestId } : {}),
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

function invalidAwsIds(ids: Partial<ResolvedIds>): string | undefined {
  if (!isString(ids.principalId) || !IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
    return 'its principal ID is not an Identity Store ID';
  if (!isString(ids.targetId) || !ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
  if (!isString(ids.roleId) || !PERMISSION_SET_ARN.test(ids.roleId))
    return 'its role is not a permission set ARN';
  if (ids.name !== undefined) return 'it has an Azure assignment name';
  return undefined;
}

function invalidAzureIds(ids: Partial<ResolvedIds>): string | undefined {
  if (!isString(ids.principalId) || !GUID.test(ids.principalId)) return 'its principal ID is not a GUID';
  const scope = isString(ids.targetId) ? parseAzureScope(ids.targetId) : 'missing';
  if (typeof scope === 'string' || scope.scope !== ids.targetId)
    return 'its target is not a normalised Azure scope';
  if (!isString(ids.roleId) || !ROLE_DEFINITION_ID.test(ids.roleId) || unsafePathReason(ids.roleId))
    return 'its role is not a role definition ID';
  if (!isString(ids.name) || !GUID.test(ids.name)) return 'its assignment name is not a GUID';
  return undefined;
}
