// How the rate limiter's window (./adaptive-limits.ts) is shared between first-priority calls (a
// create, and the status read that frees its slot) and later ones (deletes, reads), when both
// wait. Pure: the limiter passes its places and its clock.
//
// Creates are the scarce resource: 15 outstanding, each holding its slot for the whole write, so
// a create that waits for a place delays every create after it in its slot. Deletes have no such
// limit and fill the calls left. Two rules keep both going:
// - places for the calls expected soon: the follower knows when it will read creates' statuses
//   (../calls/planned-reads.ts), and each ended create's slot lets the next create go at once. A later
//   call holds its place for a whole window, so it may leave only if every first-priority call
//   expected within that window still finds a place. Without this, the window is full of deletes
//   when a group of creates ends, and the group's next creates leave one place-run-out apart
//   (50 ms each at 19 calls a second, 700 ms for a group of 13).
// - a share of the window for first-priority calls while later ones wait: a whole wave of 15
//   creates and its read in one window leaves deletes 3 places for the second it stays there. Held
//   to FIRST_SHARE, a wave splits in two groups a window apart, which the planned reads keep apart,
//   and deletes get the rest of every window.

/** One call's place in the window: until when it is held (Infinity until answered), and its priority. */
export interface WindowPlace {
  until: number;
  first: boolean;
}

/**
 * The share of the window first-priority calls may hold while later calls wait: 15 creates and
 * about two status reads per two-second write need a little under half of 19 calls a second.
 */
const FIRST_SHARE = 0.55;

/**
 * How many places first-priority calls may hold while later calls wait: never every place, however
 * low throttling cuts the limit (at 2, one each), but the one place of a limit of 1.
 */
export function firstShare(limit: number): number {
  return limit <= 1 ? 1 : Math.min(limit - 1, Math.ceil(limit * FIRST_SHARE));
}

/** First-priority places still held at `at`. */
export function firstHeldAt(places: Iterable<WindowPlace>, at: number): number {
  let held = 0;
  for (const p of places) if (p.first && p.until > at) held++;
  return held;
}

/**
 * When a later call may leave without taking a place an expected first-priority call will need:
 * `now`, or the next moment a place runs out (Infinity when none will before an answer comes; an
 * answer, a call's turn and a new expectation each make the limiter look again). A later call
 * sent now holds its place until a window from now; each first-priority call expected before then
 * must find a place beside it and the places still held then, up to the first-priority share.
 */
export function laterMayLeaveAt(
  places: WindowPlace[],
  expected: number[],
  options: { now: number; windowMs: number; limit: number },
): number {
  const { now, windowMs, limit } = options;
  // A call expected over a window ago is not coming (its expectation went stale): no place waits for it.
  const due = expected
    .filter((at) => at > now - windowMs && at < now + windowMs)
    .map((at) => Math.max(at, now))
    .sort((a, b) => a - b);
  const share = firstShare(limit);
  for (const [i, at] of due.entries()) {
    const held = places.filter((p) => p.until > at).length;
    // Never every place: at a limit of 1, a later call finds the one place of an empty window.
    const needed = Math.min(i + 1, Math.max(0, share - firstHeldAt(places, at)), limit - 1);
    if (held + 1 + needed > limit) {
      const runOut = places.map((p) => p.until).filter((until) => until > now && until !== Infinity);
      return runOut.length > 0 ? Math.min(...runOut) : Infinity;
    }
  }
  return now;
}
