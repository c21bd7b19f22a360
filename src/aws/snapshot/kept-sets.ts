// The defined permission sets' content in a snapshot read (./delta-read.ts): the snapshot's kept
// where no write since touched the set, the others read (the run's SnapshotRun.setContents), kept
// in the next snapshot; and after a complete read, the sets whose kept content was read otherwise
// with no event to explain it (`missed`), a warning.
import type { Snapshot } from '../../core/snapshot/format.js';
import {
  missedSets,
  type KeptSetContent,
  type MissedPermissionSet,
} from '../../core/snapshot/set-contents.js';
import type { Missed } from '../../core/snapshot/merge.js';
import type { SnapshotRun } from './snapshot-run.js';

/** What a read hands on of the sets: the kept contents still holding, or what to compare with. */
export interface SetsOutcome {
  /** With the snapshot used: its contents no write since touched. */
  kept?: Record<string, KeptSetContent>;
  /** After a complete read: the previous snapshot's contents, and the sets written since. */
  missedAgainst?: { kept: Snapshot['permissionSetContents']; touched: ReadonlySet<string> };
}

/**
 * The sets' content read and kept in `next`; after a complete read, what it missed added to
 * `missed` and `warnings`. The count of sets read, for the notice.
 */
export async function readKeptSets(
  run: Pick<SnapshotRun, 'setContents' | 'store'>,
  outcome: { sets: SetsOutcome; next: Snapshot; missed: Missed[]; warnings: string[] },
  causes: string,
): Promise<number> {
  const sets = run.setContents && (await run.setContents(outcome.sets.kept));
  if (!sets) {
    delete outcome.next.permissionSetContents;
    return 0;
  }
  outcome.next.permissionSetContents = sets.contents;
  const against = outcome.sets.missedAgainst;
  if (against) {
    const missed = missedSets(against.kept, sets.contents, against.touched, sets.exists);
    if (missed.length > 0) {
      outcome.missed.push(...missed);
      outcome.warnings.push(missedSetsWarning(missed, run.store.where, causes));
    }
  }
  return sets.read;
}

function missedSetsWarning(missed: readonly MissedPermissionSet[], where: string, causes: string): string {
  const shown = missed
    .slice(0, 20)
    .map(
      (m) =>
        `${m.name} (${m.permissionSetArn}) ${m.change === 'removed' ? 'in the snapshot, no longer in the instance' : 'read with other content than the snapshot kept'}`,
    );
  return `snapshot: the complete read found ${missed.length} permission set(s) whose content the snapshot at ${where} kept otherwise, with no CloudTrail write since to explain it (missed): ${shown.join('; ')}${missed.length > shown.length ? '; …' : ''}. ${causes}`;
}
