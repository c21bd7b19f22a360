// Which status reads the follower (../run/follow.ts) will make, for kinds read many at once: requests
// due within JOIN_MS of the first due are read together, in one call at the last of their due
// times. One call then shows them all ended, and the writes their ends let go (a create's slot
// passing to the next create) leave together and end together again, so a batch's requests stay
// in a few groups, each read with one call, rather than drifting apart into a read each. The plan
// is also told to the pacing (StatusPacing.expectReads), so that the rate limiter keeps places
// free for those reads and for the writes they let go.
import type { PlannedRead } from './status.js';

/** How long a read of many waits, past the first request due, for the others due just after it. */
export const JOIN_MS = 60;

/** A request followed: when its next read is due, and whether a read of it is on its way. */
export interface Due {
  at: number;
  underway: boolean;
}

/** A followed request waiting for its next read: when it is due, its kind, and whether that kind is read many at once. */
export interface Pending {
  at: number;
  key: string;
  together: boolean;
}

/**
 * When the follower's next round is: when the first request is due or, for a kind read many at
 * once, at the last due time of its kind within JOIN_MS of it; never past a request of another
 * kind due meanwhile (it does not wait for company it does not share). Undefined: nothing waits.
 */
export function nextRoundAt(pending: Pending[]): number | undefined {
  if (pending.length === 0) return undefined;
  const first = pending.reduce((a, b) => (b.at < a.at ? b : a));
  if (!first.together) return first.at;
  let at = first.at;
  for (const p of pending) if (p.key === first.key && p.at > at && p.at <= first.at + JOIN_MS) at = p.at;
  for (const p of pending) if (p.key !== first.key) at = Math.min(at, p.at);
  return at;
}

/**
 * The reads ahead, as the follower makes them, with how many requests each will read: the reads
 * under way first (as at `now`), then, for a kind read many at once (`together`), each group of
 * requests due within JOIN_MS of its first; otherwise a read per request.
 */
export function plannedReads(dues: Due[], now: number, together: boolean): PlannedRead[] {
  const reads: PlannedRead[] = [];
  const underway = dues.filter((d) => d.underway).length;
  if (underway > 0) reads.push({ at: now, requests: underway, sent: true });
  const waiting = dues
    .filter((d) => !d.underway)
    .map((d) => d.at)
    .sort((a, b) => a - b);
  for (let i = 0; i < waiting.length;) {
    const first = waiting[i]!;
    let j = i;
    while (j < waiting.length && (j === i || (together && waiting[j]! <= first + JOIN_MS))) j++;
    reads.push({ at: Math.max(now, waiting[j - 1]!), requests: j - i, sent: false });
    i = j;
  }
  return reads;
}
