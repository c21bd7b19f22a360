// Which status reads the follower (./follow.ts) will make, for kinds read many at once: requests
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

/** When the read of the group the first due request starts is made: at the last due time within JOIN_MS of it. */
export function joinedReadAt(firstDue: number, dues: Iterable<number>): number {
  let at = firstDue;
  for (const due of dues) if (due > at && due <= firstDue + JOIN_MS) at = due;
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
