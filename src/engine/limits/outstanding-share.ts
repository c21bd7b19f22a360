// The decisions behind a step's share of IAM Identity Center's 15 outstanding creates
// (./adaptive-semaphore.ts), pure: what a refusal says the share is, and when to look for more.
//
// A refusal for too many outstanding creates is not a rate: it says the instance holds 15 creates
// at this moment, and the step knows how many of them are its own. That is its share, exactly;
// cutting by a factor instead (./aimd.ts) either keeps more than the instance has room for or
// gives away slots another job then leaves idle. A slot frees when a create ends: one of the
// step's own (it learns that from its status reads, and its refused create takes that slot at
// once, with no backoff), or one of the others' (which it cannot see: it finds those by sending
// one create beyond its share, a probe, at about the time one of theirs should end).

/** What the step holds after a refusal: the slots its other creates hold, at least `floor`. */
export function shareAfterRefusal(limit: number, othersHeld: number, floor: number): number {
  return Math.max(floor, Math.min(limit, othersHeld));
}

/** What a probe's answer makes of the share: one more slot, up to the ceiling, when it was accepted. */
export function shareAfterProbe(limit: number, ceiling: number): number {
  return Math.min(ceiling, limit + 1);
}

/** How long a create holds its slot, until the step has seen one end. */
export const DEFAULT_HOLD_MS = 1_000;

/** The least time between two probes: a refused probe costs a call of the instance's 20 TPS. */
export const MIN_PROBE_MS = 100;

/**
 * How long after a refusal the next probe goes: the others hold `ceiling - share` slots, each for
 * about `holdMs` (as long as the step's own creates hold theirs), so one of them ends every
 * `holdMs / (ceiling - share)` on average. Each probe refused in a row doubles it, up to `holdMs`:
 * by then every create that was outstanding has ended, and a slot still taken is a new one's.
 */
export function probeDelayMs(holdMs: number, share: number, ceiling: number, refusedInARow: number): number {
  const othersHeld = Math.max(1, ceiling - share);
  const delay = (holdMs / othersHeld) * 2 ** Math.min(refusedInARow, 16);
  return Math.round(Math.max(MIN_PROBE_MS, Math.min(holdMs, delay)));
}

/** How long a create holds its slot, from the ones that ended: a moving average (newest weighs 0.3). */
export function nextHoldMs(current: number | undefined, sample: number): number {
  return current === undefined ? sample : current * 0.7 + sample * 0.3;
}
