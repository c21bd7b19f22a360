// What the state holds of each grant, and how the post step checks it: each entry, the grant as
// written, its IDs as text, written and checked back into the grant they stand for by the kind the
// main step wrote (core/kinds/: its `savedIds`). Pure; where and as whom the main step signed in is ./saved-settings.ts, and
// ./saved-state.ts holds the header, the keys, and the save and read of the whole, and
// ./saved-state-checks.ts the post step's checks of the header.
import { savedGrantOf, type SavedIds } from '../kinds/index.js';
import type { Grant, IdsOf, WrittenGrant } from '../types.js';
import { savedKindOf, type SavedSettings } from './saved-settings.js';

export type { Resolved, SavedIds } from '../kinds/index.js';
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
/**
 * Ownership as saved: `created` proven by the main step; `accepted` and `unknown` still to be
 * settled by the post step; `contested` not the step's to revoke, but said if it is still there.
 */
export type SavedOwnership = 'created' | 'accepted' | 'unknown' | 'contested';

/** A saved entry, checked, with the grant it stands for: one entry type per kind of grant the registry makes. */
export type SavedGrant = SavedGrantOf<Grant>;

type SavedGrantOf<G extends Grant> = G extends Grant ? SavedEntry<G> : never;

interface SavedEntry<G extends Grant> {
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
 * The entry saved in `slot`, checked: written under the header's nonce, its IDs those of a grant of
 * the kind the header's settings say the main step wrote (checked by the kind); or why it is ignored.
 */
export function parseEntry(
  raw: string,
  header: { nonce: string; settings: SavedSettings },
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
  // The kind the main step wrote, by its settings; an entry names it (one saved before it did not).
  const kind = savedKindOf(header.settings);
  if (e.kind !== undefined && e.kind !== kind)
    return 'its kind is not the kind of access the main step wrote';
  const grant = savedGrantOf(kind, ids, written, requestId);
  if (typeof grant === 'string') return grant;
  const shared = {
    slot,
    ownership: e.ownership as SavedOwnership,
    ...(requestId ? { requestId } : {}),
    sentAt: e.sentAt,
    ...(typeof e.answeredAt === 'number' ? { answeredAt: e.answeredAt } : {}),
  };
  return { ...shared, grant, ids: grant.resolved } as SavedGrant;
}
