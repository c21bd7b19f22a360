// Whether a run may start from a snapshot, or must read completely: a snapshot of another
// instance, scope or format (format.ts refuses the last), or whose last complete read is older than
// `full-read-every`, is not used. The age counts from the complete read, not the watermark: a
// snapshot refreshed by deltas every run still ages, so what CloudTrail cannot show (a write it
// never delivered, a snapshot edited in the bucket) is found within `full-read-every`. Nor is one
// whose times lie after the step's clock by more than runners' clocks drift apart: CloudTrail
// refuses a lookup that starts after it ends (InvalidTimeRangeException), and a time ahead is a
// runner's clock gone wrong or an object written by hand. Pure.
import { CLOUDTRAIL_HISTORY_MS, describeDuration } from '../duration.js';
import type { Snapshot } from './format.js';

export interface SnapshotWanted {
  instance: string;
  scope: string;
  now: number;
  fullReadEveryMs: number;
}

export type SnapshotUse = { use: true } | { use: false; reason: string };

/** How far a snapshot's times may lie after the step's clock: runners' clocks differ by seconds. */
export const CLOCK_AHEAD_MS = 5 * 60_000;

const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
] as const;

/** A limit in its own unit, as it was written (`1m`: "1 minute", `7d`: "7 days"). */
export function describeLimit(ms: number): string {
  for (const [unit, size] of UNITS)
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  return describeDuration(ms);
}

/** A span to the second, in its two largest units: `1 min 18 s`, `8 d 3 h`. */
export function describeSpan(ms: number): string {
  const seconds = Math.max(1_000, ms - (ms % 1_000));
  const parts = describeDuration(seconds).split(/ (?=\d)/);
  return parts.slice(0, 2).join(' ');
}

/** Why a snapshot's times cannot be those of a read this step's clock has seen; undefined when they can. */
export function timesAhead(snapshot: Snapshot, now: number): string | undefined {
  for (const [what, at] of [
    ['watermark', snapshot.watermark],
    ['last complete read', snapshot.completeReadAt],
  ] as const) {
    const ahead = Date.parse(at) - now;
    if (ahead > CLOCK_AHEAD_MS)
      return `its ${what} (${at}) lies ${describeSpan(ahead)} after this step's clock, more than ${describeLimit(CLOCK_AHEAD_MS)} (a runner's clock ahead, or an object written by hand)`;
  }
  return undefined;
}

export function snapshotUse(snapshot: Snapshot, wanted: SnapshotWanted): SnapshotUse {
  if (snapshot.instance !== wanted.instance)
    return { use: false, reason: `it is of another instance (${snapshot.instance})` };
  if (snapshot.scope !== wanted.scope) return { use: false, reason: 'it is of another scope' };
  const ahead = timesAhead(snapshot, wanted.now);
  if (ahead) return { use: false, reason: ahead };
  const complete = Date.parse(snapshot.completeReadAt);
  const watermark = Date.parse(snapshot.watermark);
  if (watermark < complete) return { use: false, reason: 'its watermark is before its complete read' };
  const age = wanted.now - complete;
  if (age > wanted.fullReadEveryMs)
    return {
      use: false,
      reason: `its last complete read is ${describeSpan(age)} old, more than full-read-every (${describeLimit(wanted.fullReadEveryMs)})`,
    };
  // CloudTrail keeps 90 days: a watermark beyond them leaves writes no lookup can show.
  if (wanted.now - watermark > CLOUDTRAIL_HISTORY_MS - 3_600_000)
    return { use: false, reason: "its watermark is beyond CloudTrail's 90 days of event history" };
  return { use: true };
}
