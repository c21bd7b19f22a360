// The runner's side of the saved state: the main step writes its header and entries to GITHUB_STATE,
// and the post step reads them back as `STATE_<key>` variables. The format and its checks are
// core/state/saved-state.ts; this module only reads and writes.
//
// Each grant is saved under a key of its own the moment its create is sent, so a step cancelled
// or killed mid-batch still leaves a complete record. An entry is a few hundred bytes, so a batch
// of 1,000 stays far below Linux's limits (128 KiB for one variable, 2 MiB for the whole environment).
import { saveState } from '@actions/core';
import { randomBytes } from 'node:crypto';
import {
  parseSavedState,
  STATE_VERSION,
  type LoadedState,
  type SavedEntry,
  type StateClaim,
  type StateHeader,
} from '../core/state/saved-state.js';
import { ENTRY_KEY_PREFIX, HEADER_KEY } from './state-keys.js';

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function saveHeader(header: StateHeader | StateClaim): void {
  saveState(HEADER_KEY, JSON.stringify(header));
}

/**
 * The first thing the main step does, before any input is read or request sent: a header with no
 * entries. Whatever happens next, the post step sees this step's own header, never one an earlier
 * step planted in the job's environment.
 */
export function claimState(): void {
  saveHeader({ version: STATE_VERSION, nonce: newNonce(), count: 0 });
}

/** Records (or, with `undefined`, forgets) the grant in slot `index`. */
export function saveGrant(index: number, entry: SavedEntry | undefined): void {
  saveState(`${ENTRY_KEY_PREFIX}${index}`, entry ? JSON.stringify(entry) : '');
}

/**
 * The state this step's main step saved, read from the post step's environment: its header and
 * every entry; `nothing` when the main step left nothing to revoke, a string when the header is void.
 */
export function loadState(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof parseSavedState> {
  const prefix = `STATE_${ENTRY_KEY_PREFIX}`;
  const entries = Object.entries(env)
    .filter(([name, value]) => name.startsWith(prefix) && value)
    .map(([name, value]) => ({ slot: name.slice(prefix.length), value: value! }));
  return parseSavedState(env[`STATE_${HEADER_KEY}`], entries);
}

export type { LoadedState };
