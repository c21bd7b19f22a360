// The state the main step leaves its post step, as a format: what a header and an entry hold, and
// how the post step checks them. Pure; the sign-in settings the header carries are
// ./saved-settings.ts, the revoke they become ../plan/revoke.ts, the keys they are saved under
// ./step-state.ts, and github/state.ts reads and writes the runner's files.
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
import { parseSettings, type SavedSettings } from './saved-settings.js';
import { awsGrantOf, azureGrantOf, type SavedIds } from './saved-ids.js';
import type { AwsGrant, AzureGrant, Grant, IdsOf, WrittenGrant } from '../types.js';

export type * from './saved-settings.js';
export { describeSignIn, settingsOf } from './saved-settings.js';

export const STATE_VERSION = 3;

/**
 * Ownership as saved: `created` proven by the main step; `accepted` and `unknown` still to be
 * settled by the post step; `contested` not the step's to revoke, but said if it is still there.
 */
/** A driver's state for its post step: a JSON object only that driver reads (engine/calls/driver.ts's AdapterState). */
export type HandedOver = { readonly [key: string]: unknown };

export type SavedOwnership = 'created' | 'accepted' | 'unknown' | 'contested';

export interface StateHeader {
  version: typeof STATE_VERSION;
  /** Random per run of the main step: entries without it were not written by this step. */
  nonce: string;
  /** Entry slots 0 … count-1 (one per grant of the step); entries beyond are ignored. */
  count: number;
  /**
   * Only a main step whose grants end with the job leaves the post step anything to do:
   * `revoke-on-exit: true`, or on AWS a `duration` (then also in `settings`).
   */
  revokeOnExit: true;
  settings: SavedSettings;
  /** What the main step's driver handed over (its `postState()`), saved and given back unread. */
  handedOver?: HandedOver;
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
export interface SavedEntry extends SavedIds {
  nonce: string;
  /** As the main step's inputs wrote it: what the post step's log and summary show. */
  written: WrittenGrant;
  ownership: SavedOwnership;
  /** The create request (AWS request ID; Azure with `duration`, the PIM request name). */
  requestId?: string;
  /** When the create was first sent (epoch ms). */
  sentAt: number;
  /** When the answer to the create arrived (epoch ms): a later proof calibrates the service's clock by it. */
  answeredAt?: number;
}

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

export interface LoadedState {
  header: StateHeader;
  /** Entries that passed every check, in slot order. */
  created: SavedGrant[];
  /** Why entries were ignored, for a warning. */
  ignored: string[];
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
  const handedOver = h.handedOver;
  if (
    handedOver !== undefined &&
    (typeof handedOver !== 'object' || handedOver === null || Array.isArray(handedOver))
  )
    return "the saved state header's handed-over state is not an object";
  const maxConcurrency = Number.isInteger(h.maxConcurrency) ? (h.maxConcurrency as number) : 10;
  return {
    version: STATE_VERSION,
    nonce: h.nonce,
    count: h.count as number,
    revokeOnExit: true,
    settings,
    ...(handedOver ? { handedOver: handedOver as HandedOver } : {}),
    maxConcurrency: Math.min(Math.max(maxConcurrency, 1), 100),
    leftAlone: Number.isInteger(h.leftAlone) ? (h.leftAlone as number) : 0,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

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
