// Whether a run may start from a snapshot, or must read completely: a snapshot of another
// instance, scope or format (format.ts refuses the last), or whose last complete read is older than
// `full-read-every`, is not used. The age counts from the complete read, not the watermark: a
// snapshot refreshed by deltas every run still ages, so what CloudTrail cannot show (a write it
// never delivered, a snapshot edited in the bucket) is found within `full-read-every`. Pure.
import { CLOUDTRAIL_HISTORY_MS } from '../duration.js';
import type { Snapshot } from './format.js';

export interface SnapshotWanted {
  instance: string;
  scope: string;
  now: number;
  fullReadEveryMs: number;
}

export type SnapshotUse = { use: true } | { use: false; reason: string };

const days = (ms: number) => `${Math.round((ms / 86_400_000) * 10) / 10} days`;

export function snapshotUse(snapshot: Snapshot, wanted: SnapshotWanted): SnapshotUse {
  if (snapshot.instance !== wanted.instance)
    return { use: false, reason: `it is of another instance (${snapshot.instance})` };
  if (snapshot.scope !== wanted.scope) return { use: false, reason: 'it is of another scope' };
  const complete = Date.parse(snapshot.completeReadAt);
  const watermark = Date.parse(snapshot.watermark);
  if (watermark > wanted.now || complete > wanted.now)
    return { use: false, reason: 'its times are after now' };
  if (watermark < complete) return { use: false, reason: 'its watermark is before its complete read' };
  const age = wanted.now - complete;
  if (age > wanted.fullReadEveryMs)
    return {
      use: false,
      reason: `its last complete read is ${days(age)} old, more than full-read-every (${days(wanted.fullReadEveryMs)})`,
    };
  // CloudTrail keeps 90 days: a watermark beyond them leaves writes no lookup can show.
  if (wanted.now - watermark > CLOUDTRAIL_HISTORY_MS - 3_600_000)
    return { use: false, reason: "its watermark is beyond CloudTrail's 90 days of event history" };
  return { use: true };
}
