// The snapshot a run keeps: written on the ETag it was read with; a run that loses that race reads
// the winner's and merges its reads into it once (the older watermark and complete read kept, so
// nothing either missed is taken as read), else says it was not written.
import { parseSnapshot, type Snapshot } from '../../core/snapshot/format.js';
import { mergedSnapshot } from '../../core/snapshot/merge.js';
import type { SnapshotStore } from './store.js';

/** The snapshot written, on the ETag read; the loser of a race merges into the winner's once. */
export async function kept(
  run: { store: SnapshotStore; mayWrite: boolean; notWritten?: string | undefined },
  stored: { found: boolean; etag?: string },
  next: Snapshot,
): Promise<string> {
  if (!run.mayWrite) return `snapshot: not written, ${run.notWritten ?? 'this run may not write it'}`;
  const first = await run.store.write(next, stored.found ? stored.etag : undefined);
  if (first === 'written') return `snapshot: written to ${run.store.where}`;
  const theirs = await run.store.read();
  const parsed = theirs.found && !theirs.unreadable ? parseSnapshot(theirs.content) : undefined;
  if (typeof parsed !== 'object' || parsed.instance !== next.instance || parsed.scope !== next.scope)
    return `snapshot: not written, another run wrote ${run.store.where} meanwhile`;
  const merged: Snapshot = {
    ...mergedSnapshot(parsed, {
      places: new Map(Object.entries(next.places)),
      groups: new Map(Object.entries(next.groups)),
      watermark: new Date(Math.min(Date.parse(parsed.watermark), Date.parse(next.watermark))),
    }),
    completeReadAt: parsed.completeReadAt < next.completeReadAt ? parsed.completeReadAt : next.completeReadAt,
  };
  const second = theirs.found ? await run.store.write(merged, theirs.etag) : 'lost';
  return second === 'written'
    ? `snapshot: another run wrote ${run.store.where} meanwhile; this run's reads were merged into it`
    : `snapshot: not written, other runs wrote ${run.store.where} meanwhile`;
}
