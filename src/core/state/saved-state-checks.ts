// The post step's reading of the state the main step saved (./saved-state.ts): the header's checks,
// then each entry's (./saved-per-cloud.ts). Whatever the job's environment holds may have been
// planted, so nothing unchecked is acted on. A module of its own because only the post step reads:
// the main step, which saves the state from its first line, never loads these checks. Pure.
import { parseEntry, savedObject, type SavedGrant } from './saved-per-cloud.js';
import { parseSettings } from './saved-settings.js';
import {
  STATE_VERSION,
  type HandedOver,
  type LoadedState,
  type SavedKeys,
  type StateHeader,
} from './saved-state.js';

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
