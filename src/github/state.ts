// What the main step leaves for the post step: the grants it created, by resolved ID, and the
// ones it left alone. Never a credential or token: the post step authenticates afresh.
//
// Each created grant is saved under a key of its own the moment its create is sent, so a step
// that is cancelled or killed mid-batch still leaves a complete record, and a batch of N grants
// writes O(N) bytes of state rather than re-writing a growing list.
import * as core from '@actions/core';
import type { Cloud, Grant, ResolvedIds } from '../core/types.js';

const HEADER_KEY = 'cloud-access';
const GRANT_KEY_PREFIX = 'cloud-access-grant-';

export interface SavedGrant extends Grant {
  resolved: ResolvedIds;
  /** AWS: the CreateAccountAssignment request, which the post step lets finish before revoking. */
  createRequestId?: string;
}

export interface StateHeader {
  version: 1;
  cloud: Cloud;
  /** AWS: the instance the grants were made in (discovered or given). */
  instanceArn?: string;
  /** Grants that existed before the step: the post step leaves them alone and says so. */
  leftAlone: Grant[];
}

export interface SavedState extends StateHeader {
  /** Grants this step created (or sent a create for), which the post step revokes. */
  created: SavedGrant[];
}

export function saveHeader(header: StateHeader): void {
  core.saveState(HEADER_KEY, JSON.stringify(header));
}

/** Records (or, with `undefined`, forgets) the grant at `index` of the step's grant list. */
export function saveGrant(index: number, grant: SavedGrant | undefined): void {
  core.saveState(`${GRANT_KEY_PREFIX}${index}`, grant ? JSON.stringify(grant) : '');
}

export function loadState(env: NodeJS.ProcessEnv = process.env): SavedState | undefined {
  const raw = env[`STATE_${HEADER_KEY}`];
  if (!raw) return undefined;
  const header = JSON.parse(raw) as StateHeader;
  if (header.version !== 1) return undefined;
  const created = Object.entries(env)
    .filter(([name, value]) => name.startsWith(`STATE_${GRANT_KEY_PREFIX}`) && value)
    .sort(
      ([a], [b]) =>
        Number(a.slice(`STATE_${GRANT_KEY_PREFIX}`.length)) -
        Number(b.slice(`STATE_${GRANT_KEY_PREFIX}`.length)),
    )
    .map(([, value]) => JSON.parse(value!) as SavedGrant);
  return { ...header, created };
}
