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
// or killed mid-batch still leaves a complete record. An entry's slot is the grant's place in the
// step's own grant list, which the post step rebuilds from its inputs: the entry carries only what
// the inputs cannot give (resolved IDs, ownership, request ID), a few hundred bytes, so a batch of
// 1,000 stays far below Linux's limits (128 KiB for one variable, 2 MiB for the whole environment).
import { randomBytes } from 'node:crypto';
import { parseAzureScope, roleGuidOf, unsafePathReason } from '../core/azure-scope.js';
import {
  ACCOUNT_ID,
  GUID,
  IDENTITY_STORE_PRINCIPAL_ID,
  INSTANCE_ARN,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
} from '../core/patterns.js';
import type { StepConfig } from '../core/inputs/index.js';
import type { AwsGrant, AzureGrant, Cloud, Grant, ResolvedIds } from '../core/types.js';
import type { Ownership } from '../engine/driver.js';
import type { SavedCreate } from '../engine/ownership.js';
import { ENTRY_KEY_PREFIX, HEADER_KEY } from './state-keys.js';
import { saveState } from './workflow-commands.js';

const VERSION = 2;

export interface StateHeader {
  version: typeof VERSION;
  /** Random per run of the main step: entries without it were not written by this step. */
  nonce: string;
  /** Entry slots 0 … count-1 (one per grant of the step); entries beyond are ignored. */
  count: number;
  cloud: Cloud;
  /** AWS: the instance the grants were made in (discovered or given). */
  instanceArn?: string;
  /**
   * Where and as whom the main step signed in (AWS Region and role; Azure client, tenant and
   * endpoints): the post step refuses to act when its own differ, e.g. after a later step changed
   * `AWS_REGION` or `AZURE_CLIENT_ID` in the job's environment.
   */
  signIn: string;
  /** How many grants existed before the step (left alone; only the count is kept). */
  leftAlone: number;
}

/** What is saved for a grant the main step created, or sent a create for. */
export interface SavedEntry {
  nonce: string;
  /** The resolved principal and role; the target is the grant's own (an account ID, a normalised scope). */
  principalId: string;
  roleId: string;
  /** Azure: the role assignment name written. */
  name?: string;
  ownership: Exclude<Ownership, 'not-created'>;
  /** AWS: the CreateAccountAssignment request, which the post step follows when it has not ended. */
  requestId?: string;
  /** When the create was first sent (epoch ms): a lost create is looked for from then on. */
  sentAt: number;
}

/** A saved grant, joined with the step's own grant in its slot. */
export interface SavedGrant extends SavedCreate {
  /** The step's own grant in that slot (from its inputs; `grant.written` is what the log shows). */
  grant: Grant;
}

export interface LoadedState {
  header: StateHeader;
  /** Entries that passed every check, in slot order. */
  created: SavedGrant[];
  /** Why entries or names were ignored, for warnings. */
  ignored: string[];
}

/** What the post step must sign in with to act on the main step's state. */
export function signInOf(plan: StepConfig): string {
  return plan.cloud === 'aws'
    ? ['aws', plan.region, plan.roleToAssume ?? 'ambient credentials'].join(' ')
    : [
        'azure',
        plan.clientId ?? 'ambient credential',
        plan.tenantId ?? '',
        plan.authorityHost,
        plan.resourceManagerEndpoint,
      ].join(' ');
}

/** The post step's expectations of the state: cloud, sign-in, and (Azure) the name each grant is written under. */
export interface StateExpectations {
  cloud: Cloud;
  signIn: string;
  assignmentName?: (ids: ResolvedIds) => string;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function saveHeader(header: StateHeader): void {
  saveState(HEADER_KEY, JSON.stringify(header));
}

/**
 * The first thing the main step does, before any input is read or request sent: a header with no
 * entries. Whatever happens next, the post step sees this step's own header, never one an earlier
 * step planted in the job's environment.
 */
export function claimState(): void {
  saveState(HEADER_KEY, JSON.stringify({ version: VERSION, nonce: newNonce(), count: 0 }));
}

/** Records (or, with `undefined`, forgets) the grant in slot `index`. */
export function saveGrant(index: number, entry: SavedEntry | undefined): void {
  saveState(`${ENTRY_KEY_PREFIX}${index}`, entry ? JSON.stringify(entry) : '');
}

/**
 * The state this step's main step saved for `grants` (the step's own, from its inputs), or
 * undefined when there is none or its header is not one this version wrote for this cloud and
 * sign-in. `ignored` says what was dropped and why.
 */
export function loadState(
  grants: readonly Grant[],
  expected: StateExpectations,
  env: NodeJS.ProcessEnv = process.env,
): LoadedState | undefined {
  const raw = env[`STATE_${HEADER_KEY}`];
  if (!raw) return undefined;
  const header = parseHeader(raw, expected);
  if (typeof header === 'string') {
    return {
      header: emptyHeader('', expected),
      created: [],
      ignored: [`the saved state header was ignored: ${header}`],
    };
  }
  if (header.count === 0) return { header, created: [], ignored: [] };
  if (header.count !== grants.length) {
    return {
      header,
      created: [],
      ignored: [
        `the saved state is for ${header.count} grants, but this step's inputs make ${grants.length}`,
      ],
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
    const entry = parseEntry(value, header, grants[Number(slot)]!, expected);
    if (typeof entry === 'string') ignored.push(`${name}: ${entry}`);
    else created[Number(slot)] = entry;
  }
  return { header, created: created.filter(Boolean), ignored };
}

function emptyHeader(nonce: string, expected: StateExpectations): StateHeader {
  return {
    version: VERSION,
    nonce,
    count: 0,
    cloud: expected.cloud,
    signIn: expected.signIn,
    leftAlone: 0,
  };
}

function parseHeader(raw: string, expected: StateExpectations): StateHeader | string {
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
  // The claim the main step saves first: no entries, nothing else to check.
  if (h.count === 0) return emptyHeader(h.nonce, expected);
  if (h.cloud !== expected.cloud)
    return `it was written for cloud \`${String(h.cloud)}\`, not \`${expected.cloud}\``;
  if (h.signIn !== expected.signIn)
    return "the main step signed in elsewhere or as another identity than this post step would (the Region, role, client, tenant or endpoint changed in the job's environment)";
  if (h.instanceArn !== undefined && (typeof h.instanceArn !== 'string' || !INSTANCE_ARN.test(h.instanceArn)))
    return 'its instance ARN is not valid';
  return {
    version: VERSION,
    nonce: h.nonce,
    count: h.count!,
    cloud: expected.cloud,
    signIn: expected.signIn,
    ...(h.instanceArn ? { instanceArn: h.instanceArn } : {}),
    leftAlone: Number.isInteger(h.leftAlone) ? h.leftAlone! : 0,
  };
}

function parseEntry(
  raw: string,
  header: StateHeader,
  grant: Grant,
  expected: StateExpectations,
): SavedGrant | string {
  let e: Partial<SavedEntry>;
  try {
    e = JSON.parse(raw) as Partial<SavedEntry>;
  } catch {
    return 'not JSON';
  }
  if (typeof e !== 'object' || e === null) return 'not an object';
  if (e.nonce !== header.nonce) return 'not written by this step (its nonce does not match)';
  if (e.ownership !== 'created' && e.ownership !== 'accepted' && e.ownership !== 'unknown')
    return 'no valid ownership';
  if (typeof e.sentAt !== 'number' || !Number.isFinite(e.sentAt)) return 'no send time';
  if (e.requestId !== undefined && (typeof e.requestId !== 'string' || !REQUEST_ID.test(e.requestId)))
    return 'its request ID is not valid';
  if (e.ownership === 'accepted' && !e.requestId) return 'an accepted create without a request ID';
  if (typeof e.principalId !== 'string' || typeof e.roleId !== 'string') return 'no IDs';
  const ids: ResolvedIds = {
    principalId: e.principalId,
    targetId: grant.cloud === 'aws' ? grant.accountId : grant.scope.scope,
    roleId: e.roleId,
    ...(typeof e.name === 'string' ? { name: e.name } : {}),
  };
  // The header was checked to be for this step's cloud, which made these grants.
  const invalid = grant.cloud === 'aws' ? invalidAwsIds(ids, grant) : invalidAzureIds(ids, grant, expected);
  if (invalid) return invalid;
  return {
    grant,
    ids,
    ownership: e.ownership,
    ...(e.requestId ? { requestId: e.requestId } : {}),
    sentAt: e.sentAt,
  };
}

/** The saved IDs pass the input patterns, and agree with the grant wherever it names IDs itself. */
function invalidAwsIds(ids: ResolvedIds, grant: AwsGrant): string | undefined {
  if (!IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
    return 'its principal ID is not an Identity Store ID';
  if (grant.principal.kind === 'id' && grant.principal.id !== ids.principalId)
    return 'its principal ID is not the one the inputs name';
  if (!ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
  if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
  if (grant.permissionSet.kind === 'arn' && grant.permissionSet.arn !== ids.roleId)
    return 'its permission set is not the one the inputs name';
  if (ids.name !== undefined) return 'it has an Azure assignment name';
  return undefined;
}

function invalidAzureIds(
  ids: ResolvedIds,
  grant: AzureGrant,
  expected: StateExpectations,
): string | undefined {
  if (!GUID.test(ids.principalId) || ids.principalId !== grant.principalId)
    return 'its principal ID is not the one the inputs name';
  const scope = parseAzureScope(ids.targetId);
  if (typeof scope === 'string' || scope.scope !== ids.targetId)
    return 'its target is not a normalised Azure scope';
  if (!ROLE_DEFINITION_ID.test(ids.roleId) || unsafePathReason(ids.roleId))
    return 'its role is not a role definition ID';
  const roleGuid = roleGuidOf(ids.roleId);
  const role = grant.role;
  if (role.kind === 'guid' && role.guid !== roleGuid) return 'its role is not the one the inputs name';
  if (role.kind === 'id' && role.id.toLowerCase() !== ids.roleId.toLowerCase())
    return 'its role is not the one the inputs name';
  if (!ids.name || !GUID.test(ids.name)) return 'its assignment name is not a GUID';
  if (expected.assignmentName && expected.assignmentName(ids).toLowerCase() !== ids.name.toLowerCase())
    return 'its assignment name is not the one this step writes for the grant';
  return undefined;
}
