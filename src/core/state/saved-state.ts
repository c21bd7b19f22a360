// The state the main step leaves its post step, whole: a header, then an entry per grant under a
// key of its own, each saved the moment it changes, so a step cancelled or killed mid-batch still
// leaves a complete record. Here are what the main step writes (the header, its settings, each
// entry's IDs as text) and the steps' save and read of it; the post step's checks of what it reads
// are ./saved-state-checks.ts (the header's and each entry's). Where the keys are kept is the runner's (GITHUB_STATE, read back as
// `STATE_<key>` variables: github/state.ts) or a test's map. Pure.
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
import type { AdapterSettings, AuditLogTarget } from '../inputs/index.js';
import type { KindName, SavedIds } from '../kinds/index.js';
import type { Grant, IdsOf, WrittenGrant } from '../types.js';
import type { SavedSettings } from './saved-settings.js';
import { ENTRY_KEY_PREFIX, HEADER_KEY } from './state-keys.js';

export type { Resolved, SavedIds } from '../kinds/index.js';
export type { SavedAwsSettings, SavedAzureSettings, SavedSettings } from './saved-settings.js';

/**
 * Ownership as saved: `created` proven by the main step; `accepted` and `unknown` still to be
 * settled by the post step; `contested` not the step's to revoke, but said if it is still there.
 */
export type SavedOwnership = 'created' | 'accepted' | 'unknown' | 'contested';

/** A saved entry, checked (./saved-state-checks.ts), with the grant it stands for: one entry type per kind of grant the registry makes. */
export type SavedGrant = SavedGrantOf<Grant>;

type SavedGrantOf<G extends Grant> = G extends Grant ? CheckedEntry<G> : never;

interface CheckedEntry<G extends Grant> {
  slot: number;
  grant: G;
  ids: IdsOf<G>;
  ownership: SavedOwnership;
  requestId?: string;
  sentAt: number;
  answeredAt?: number;
}

export const STATE_VERSION = 3;

/** A driver's state for its post step: a JSON object only that driver reads (engine/calls/driver.ts's AdapterState). */
export type HandedOver = { readonly [key: string]: unknown };

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
  /**
   * The kind of access the grant is (core/kinds/), which reads its IDs back. Absent from an entry an
   * older main step saved: the kind its settings say (the loaded header's `kind`).
   */
  kind?: KindName;
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

/** A section's entry as the main step saves it. */
export interface SavedSectionEntry {
  nonce: string;
  /** The kind whose section saved it: the one whose parser reads `entry`. */
  section: string;
  entry: object;
  /** When the create it stands for was sent (epoch ms). */
  sentAt: number;
}

/** A section's entry as the post step loads it: its frame checked, its `entry` still the kind's to parse. */
export interface LoadedSectionEntry {
  slot: number;
  section: string;
  entry: unknown;
}

/** The header as the post step loads it (./saved-state-checks.ts): with what it makes of the settings, once. */
export interface LoadedHeader extends StateHeader {
  /** What the post step's adapter is given: signed in as the main step was (./saved-settings.ts parseSettings). */
  signIn: AdapterSettings;
  /** `audit-log`, parsed: where the post step's records follow the main step's. */
  auditLog?: AuditLogTarget;
  /** The kind of access the main step wrote, by where and how it signed in: every entry's kind. */
  kind: KindName;
}

export interface LoadedState {
  header: LoadedHeader;
  /** Entries that passed every check, in slot order. */
  created: SavedGrant[];
  /** Why entries were ignored, for a warning. */
  ignored: string[];
  /** The entries of kinds' sections (./saved-sections.ts), in slot order: present only when there are some. */
  sections?: LoadedSectionEntry[];
}

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
  saveGrant(index: number, entry: SavedEntry | SavedSectionEntry | undefined): void;
  /** The post step's view: the header and every entry as saved, unchecked (./saved-state-checks.ts checks them). */
  saved(): SavedKeys;
}

/** The state as saved: the header's text, and each non-empty entry's by slot. */
export interface SavedKeys {
  header: string | undefined;
  entries: { slot: string; value: string }[];
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
    saved: () => ({
      header: store.saved(HEADER_KEY),
      entries: store
        .savedWithPrefix(ENTRY_KEY_PREFIX)
        .filter(([, value]) => value)
        .map(([key, value]) => ({ slot: key.slice(ENTRY_KEY_PREFIX.length), value })),
    }),
  };
}
