// The permission-set kind's part in the AWS kinds' table (../kinds.ts), which names no effect of
// it: the effects it registers on an account assignment's delete (its session fence,
// ./session-fences.ts), and what a sweep takes out of what it wrote before (its expired fences,
// ./fence-sweep.ts).
import { sessionFencesOf } from './session-fences.js';

/** The effects the AWS assignment drivers of a session carry: one set per session, shared by its drivers. */
export const permissionSetEffectsOf = sessionFencesOf;

/**
 * The permission-set kind's upkeep in a sweep: its expired session fences, in the sets the
 * sweep's `created-by` sessions fenced within `lookback`.
 */
export const permissionSetUpkeep: typeof import('./fence-sweep.js').expiredFencesUpkeep = async (...args) => {
  // Loaded by the sweep alone: it reads CloudTrail, whose client no assign or revoke loads.
  const { expiredFencesUpkeep } = await import('./fence-sweep.js');
  return expiredFencesUpkeep(...args);
};
