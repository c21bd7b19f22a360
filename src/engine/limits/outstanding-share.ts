// The decisions behind a step's share of IAM Identity Center's 15 outstanding creates
// (./adaptive-semaphore.ts), pure: what a refusal says the share is, and when to look for more.
//
// A refusal for too many outstanding creates is not a rate: it says the instance holds 15 creates
// at this moment, and the step knows how many of them are its own. That is its share (someone
// else holds the rest); cutting by a factor instead (./aimd.ts) either keeps more than the
// instance has room for or gives away slots another job then leaves idle. A slot frees when a
// create ends: one of the step's own (it learns that from its status reads, and its refused
// create takes that slot at once, with no backoff), or one of the others' (which it cannot see:
// it finds those by sending one create beyond its share, a probe, at about the time one of
// theirs should end, and when its own end: jobs that started together end waves together).

/**
 * What the step holds after a refusal: the slots its other creates hold, at least `floor`. A
 * refusal means another client holds the rest. Keeping less gives slots away that nobody takes at
 * once: the other client only finds them by a probe, up to half a hold later. Capped at half the
 * instance, a step that held 15 when a wave's refills raced another job's probe kept 8, the other
 * (its own share cut by its refusals) held 2, and 5 slots stood idle until the next probe: two
 * reconciles of 45 creates each lost 1.4 s of the instance's time in 14.3 s, 1.2 s without the cap.
 */
export function shareAfterRefusal(limit: number, othersHeld: number, floor: number): number {
  return Math.max(floor, Math.min(limit, othersHeld));
}

/**
 * What an accepted probe makes of the share: one more slot, then two, four … for each probe
 * accepted in a row since the last refusal (`acceptedBefore`), up to the ceiling. A refusal may
 * say less than the instance has room for (the TPS quota's refusal of a create has the same
 * name): probes accepted in a row say the
 * room is there, and one slot a round trip took a step cut to 8 six round trips to fill 15 again.
 */
export function shareAfterProbe(limit: number, ceiling: number, acceptedBefore = 0): number {
  return Math.min(ceiling, limit + 2 ** Math.min(acceptedBefore, 4));
}

/** How long a create holds its slot, until the step has seen one end. */
export const DEFAULT_HOLD_MS = 1_000;

/** The least time between two probes: a refused probe costs a call of the instance's 20 TPS. */
export const MIN_PROBE_MS = 100;

/**
 * How long after a refusal the next probe goes: the others hold `ceiling - share` slots, each for
 * about `holdMs` (as long as the step's own creates hold theirs), so one of them ends every
 * `holdMs / (ceiling - share)` on average. Each probe refused in a row doubles it, up to half of
 * `holdMs`: a step whose probes waited a whole hold found the slots of a job that had ended up to
 * a hold late, with most of the instance idle meanwhile (1.25 s of 10 slots at the end of a 12 s
 * bound); at two probes a hold, a refused probe costs one call of the instance's 20 a second.
 */
export function probeDelayMs(holdMs: number, share: number, ceiling: number, refusedInARow: number): number {
  const othersHeld = Math.max(1, ceiling - share);
  const delay = (holdMs / othersHeld) * 2 ** Math.min(refusedInARow, 16);
  return Math.round(Math.max(MIN_PROBE_MS, Math.min(holdMs / 2, delay)));
}

/**
 * When the next probe may go once one of the step's own creates has ended: now, unless one went
 * within a quarter of a hold. Jobs that started together send their creates in waves that end
 * together, so the moment the step's own end is when the others' end too (or were seen to have
 * ended for good, when their job is over); one probe then, rather than at the next probe's time,
 * finds them. One a quarter hold at most: a wave's ends come together, and each refused probe
 * costs a call.
 */
export function probeAtOwnEnd(probeAt: number, lastProbeAt: number, holdMs: number, now: number): number {
  return Math.min(probeAt, Math.max(now, lastProbeAt + holdMs / 4));
}

/** How long a create holds its slot, from the ones that ended: a moving average (newest weighs 0.3). */
export function nextHoldMs(current: number | undefined, sample: number): number {
  return current === undefined ? sample : current * 0.7 + sample * 0.3;
}
