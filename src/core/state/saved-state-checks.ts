// The post step's reading of the state the main step saved (./saved-state.ts): the header's checks,
// then each entry's: the grant as written, its IDs as text, checked back into the grant they stand
// for by the kind the main step wrote (core/kinds/: its `savedIds`); where and as whom the main
// step signed in is ./saved-settings.ts. Whatever the job's environment holds may have been
// planted, so nothing unchecked is acted on. A module of its own because only the post step reads:
// the main step, which saves the state from its first line, never loads these checks. Pure.
import { savedGrantOf, settingsKindOf, type KindName, type SavedIds } from '../kinds/index.js';
import type { WrittenGrant } from '../types.js';
import { auditLogOf } from './saved-fields.js';
import { parseSettings } from './saved-settings.js';
import {
  STATE_VERSION,
  type HandedOver,
  type LoadedSectionEntry,
  type LoadedHeader,
  type LoadedState,
  type SavedGrant,
  type SavedKeys,
  type SavedOwnership,
} from './saved-state.js';

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * The state as saved (`header`, and entries by slot), or why there is nothing to act on. Entries
 * that fail a check are left out and said in `ignored`; a header that fails one makes the whole
 * state void (`string`).
 */
export function parseSavedState({ header, entries }: SavedKeys): LoadedState | { nothing: string } | string {
  if (!header) return { nothing: 'the main step saved no state' };
  const parsed = parseHeader(header);
  if (typeof parsed !== 'object') return parsed;
  if ('nothing' in parsed) return parsed;
  const ignored: string[] = [];
  const created: SavedGrant[] = [];
  const sections: LoadedSectionEntry[] = [];
  for (const { slot, value } of entries) {
    if (!/^(0|[1-9]\d{0,5})$/.test(slot) || Number(slot) >= parsed.count) {
      ignored.push(`entry ${slot}: not one of the ${parsed.count} entries the main step saved`);
      continue;
    }
    const e = savedObject(value);
    // A kind's section's entry is framed here and read by its own parser in the post step.
    const entry =
      typeof e === 'string'
        ? e
        : 'section' in e
          ? parseSectionEntry(e, parsed.nonce, Number(slot))
          : parseEntry(e, parsed, Number(slot));
    if (typeof entry === 'string') ignored.push(`entry ${slot}: ${entry}`);
    else if ('section' in entry) sections.push(entry);
    else created.push(entry);
  }
  created.sort((a, b) => a.slot - b.slot);
  sections.sort((a, b) => a.slot - b.slot);
  return { header: parsed, created, ignored, ...(sections.length > 0 ? { sections } : {}) };
}

function parseHeader(raw: string): LoadedHeader | { nothing: string } | string {
  const h = savedObject(raw);
  if (typeof h === 'string') return `the saved state header is ${h}`;
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
  const checked = parseSettings(h.settings);
  if (typeof checked === 'string') return `the saved sign-in settings are not valid: ${checked}`;
  const settings = checked.settings;
  const handedOver = h.handedOver;
  if (
    handedOver !== undefined &&
    (typeof handedOver !== 'object' || handedOver === null || Array.isArray(handedOver))
  )
    return "the saved state header's handed-over state is not an object";
  const maxConcurrency = Number.isInteger(h.maxConcurrency) ? (h.maxConcurrency as number) : 10;
  // What the post step makes of the settings, once: where its records go, and every entry's kind.
  const auditLog = settings.auditLog ? auditLogOf(settings.auditLog, settings.cloud) : undefined;
  return {
    version: STATE_VERSION,
    nonce: h.nonce,
    count: h.count as number,
    revokeOnExit: true,
    settings,
    signIn: checked.signIn,
    ...(auditLog ? { auditLog } : {}),
    kind: settingsKindOf(settings),
    ...(handedOver ? { handedOver: handedOver as HandedOver } : {}),
    maxConcurrency: Math.min(Math.max(maxConcurrency, 1), 100),
    leftAlone: Number.isInteger(h.leftAlone) ? (h.leftAlone as number) : 0,
  };
}

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

function parseWritten(value: unknown): WrittenGrant | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const w = value as Record<string, unknown>;
  const ok = (v: unknown): v is string => isString(v) && v.length <= 4096;
  return ok(w.principal) && ok(w.target) && ok(w.role)
    ? { principal: w.principal, target: w.target, role: w.role }
    : undefined;
}

/**
 * The entry saved in `slot` (its JSON read), checked: written under the header's nonce, its IDs those of a grant of
 * the kind the header's settings say the main step wrote (checked by the kind); or why it is ignored.
 */
export function parseEntry(
  e: Record<string, unknown>,
  header: { nonce: string; kind: KindName },
  slot: number,
): SavedGrant | string {
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
  const { kind } = header;
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

/** A section's entry in `slot`, its frame checked (the header's nonce, a kind's name), or why it is ignored. */
export function parseSectionEntry(
  e: Record<string, unknown>,
  nonce: string,
  slot: number,
): LoadedSectionEntry | string {
  if (e.nonce !== nonce) return 'not written by this step (its nonce does not match)';
  if (typeof e.section !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(e.section))
    return 'no valid kind of section';
  if (typeof e.entry !== 'object' || e.entry === null || Array.isArray(e.entry))
    return 'its entry is not an object';
  return { slot, section: e.section, entry: e.entry };
}
