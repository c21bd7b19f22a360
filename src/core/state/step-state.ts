// The state the main step leaves its post step, as both steps see it: a header, then an entry per
// grant under a key of its own, each saved the moment it changes, so a step cancelled or killed
// mid-batch still leaves a complete record. Where the keys are kept is the runner's (GITHUB_STATE,
// read back as `STATE_<key>` variables: github/state.ts) or a test's map; the format and its
// checks are ./saved-state.ts.
import {
  parseSavedState,
  STATE_VERSION,
  type SavedEntry,
  type StateClaim,
  type StateHeader,
} from './saved-state.js';
import { ENTRY_KEY_PREFIX, HEADER_KEY } from './state-keys.js';

/** The main step's writes and the post step's read of the one state they share. */
export interface StepState {
  /**
   * The first thing the main step does, before any input is read or request sent: a header with no
   * entries. Whatever happens next, the post step sees this step's own header, never one an earlier
   * step planted in the job's environment.
   */
  claim(): void;
  /** A fresh random nonce for a header: entries without their header's nonce are not this step's. */
  newNonce(): string;
  saveHeader(header: StateHeader): void;
  /** Records (or, with `undefined`, forgets) the grant in slot `index`. */
  saveGrant(index: number, entry: SavedEntry | undefined): void;
  /**
   * The post step's view: the header and every entry; `nothing` when the main step left nothing to
   * revoke, a string when the header is void.
   */
  load(): ReturnType<typeof parseSavedState>;
}

/** Where the keys live: `put` saves one for the post step ('' forgets it), `saved` reads them back. */
export interface KeyedStore {
  put(key: string, value: string): void;
  saved(key: string): string | undefined;
  /** Every saved key that starts with `prefix`, with its value. */
  savedWithPrefix(prefix: string): [key: string, value: string][];
  newNonce(): string;
}

export function stepState(store: KeyedStore): StepState {
  const putHeader = (header: StateHeader | StateClaim) => store.put(HEADER_KEY, JSON.stringify(header));
  return {
    newNonce: () => store.newNonce(),
    claim: () => putHeader({ version: STATE_VERSION, nonce: store.newNonce(), count: 0 }),
    saveHeader: putHeader,
    saveGrant: (index, entry) => store.put(`${ENTRY_KEY_PREFIX}${index}`, entry ? JSON.stringify(entry) : ''),
    load: () =>
      parseSavedState(
        store.saved(HEADER_KEY),
        store
          .savedWithPrefix(ENTRY_KEY_PREFIX)
          .filter(([, value]) => value)
          .map(([key, value]) => ({ slot: key.slice(ENTRY_KEY_PREFIX.length), value })),
      ),
  };
}
