// A kind's own part of the saved state: the creates of a kind beside the assignments that its
// section says end with the job (engine/run/saved-sections.ts), saved by the main step under the
// same header and keys as the grants' entries, each as `{nonce, section, entry, sentAt}`. The
// `entry` is the kind's own JSON: only its section's parser reads it, in the post step, before any
// call. Here are the main step's save and the post step's first checks, which are the header's
// nonce and the entry's frame; an entry without `section` is a grant's (./saved-state-checks.ts),
// so a state saved before sections saved anything loads as it did. Pure.
import { STATE_VERSION, type SavedSectionEntry, type StateHeader, type StepState } from './saved-state.js';
import { settingsOf, type SavedSettings } from './saved-settings.js';
import type { StepConfig } from '../inputs/index.js';

/** How the post step signs in (as the main step did) and how many revokes it sends at once. */
export interface PostStepSettings {
  settings: SavedSettings;
  maxConcurrency: number;
}

/** How the post step of a step run with `config` signs in, and how many revokes it sends at once. */
export const postStepSettingsOf = (config: StepConfig): PostStepSettings => ({
  settings: settingsOf(config),
  maxConcurrency: config.maxConcurrency,
});

/**
 * The main step's record of its sections' creates that end with the job: a header for `count` of
 * them, saved before the first is sent, then a slot for each create, its entry saved there as it
 * is sent and again as it is answered. The header says the grants end with the job: the kind's
 * section says so, not an input.
 */
export function sectionSaves(
  state: StepState,
  { settings, maxConcurrency }: PostStepSettings,
  count: number,
): (section: string) => (entry: object) => void {
  const header: StateHeader = {
    version: STATE_VERSION,
    nonce: state.newNonce(),
    count,
    revokeOnExit: true,
    settings,
    maxConcurrency,
    leftAlone: 0,
  };
  state.saveHeader(header);
  let next = 0;
  return (section) => {
    if (next >= count) throw new Error(`more section entries than the ${count} the header saved`);
    const slot = next++;
    const sentAt = Date.now();
    return (entry) => {
      const saved: SavedSectionEntry = { nonce: header.nonce, section, entry, sentAt };
      state.saveGrant(slot, saved);
    };
  };
}
