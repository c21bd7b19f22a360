// What a run that keeps a snapshot says of it: where it is kept, its scope, how old it may be, whether
// this run may write it, and the reads it falls back to. The read (./delta-read.ts) and the opened
// object (./opened.ts) both take it.
import type { ReadReport } from '../../engine/run/reconciler.js';
import type { KeptSetContent } from '../../core/snapshot/set-contents.js';
import type { KeptSetFacts } from '../../core/snapshot/set-facts.js';
import type { ReadAssignment, ReadScope } from '../reads/every-assignment.js';
import type { SnapshotStore } from './store.js';

export interface SnapshotRun {
  store: SnapshotStore;
  /** core/snapshot/format.ts snapshotScope. */
  scope: string;
  fullReadEveryMs: number;
  /**
   * `event-history-roles`: a role in each other account that administers the instance, whose
   * CloudTrail event history the delta reads too (./other-histories.ts).
   */
  eventHistoryRoles?: readonly string[];
  /** False on an event that may not write (a pull request's): the snapshot is read, never written. */
  mayWrite: boolean;
  /** Why it may not write, for the notice. */
  notWritten?: string;
  /**
   * The complete read when the snapshot is not used (default: a reconcile's, the cheaper plan);
   * a report's reads by place, the one plan that sees a deleted principal's assignments.
   */
  completeRead?: (scope: ReadScope) => Promise<{ assignments: ReadAssignment[]; read: ReadReport }>;
  /**
   * A report plans no write: nothing to read again before one. Default true: every place where
   * the plan would create or delete is read again.
   */
  readBeforeWrites?: boolean;
  /**
   * A report that reads usage into the snapshot's ledger (`last-used: true`): the snapshot is kept
   * once that read is done, with the ledger, instead of when the assignments are read.
   */
  keepLater?: boolean;
  /**
   * The groups whose members the run shows (a report's `expand-groups`), of the assignments read:
   * a group CloudTrail's membership writes touched, or the snapshot lacks, is read again; the
   * others' members are the snapshot's.
   */
  groupsOf?: (assignments: readonly ReadAssignment[]) => string[];
  /**
   * Names the principals the plan will show (a reconcile's: those assigned at a place read that the
   * manifest does not ask for there), before the snapshot is kept, so it keeps their names too: the
   * next run reads a name again only where CloudTrail says the principal changed. Best effort, in
   * the step's labels budget; a name not read is left to the plan's own naming, which says why.
   */
  namePrincipals?: (
    principals: readonly Pick<ReadAssignment, 'principalId' | 'principalType'>[],
  ) => Promise<void>;
  /**
   * The content of the permission sets the manifest defines (a reconcile's): given the snapshot's
   * that no write since touched, the others read; given none, every set read (a complete read).
   * Undefined when the manifest defines none.
   */
  setContents?: (
    kept: Readonly<Record<string, KeptSetContent>> | undefined,
  ) => Promise<SetContentsRead | undefined>;
  /**
   * A reconcile's: the facts the snapshot keeps of the managed permission sets the manifest does
   * not define (their name, session duration and tags), for a session fence's preview: the
   * snapshot's where no write touched a set, read where one did or it kept none.
   */
  setFacts?: (sets: readonly string[]) => Promise<Record<string, KeptSetFacts>>;
}

export interface SetContentsRead {
  /** By ARN: each defined set the instance holds, as the snapshot keeps it. */
  contents: Record<string, KeptSetContent>;
  /** The sets read by this step. */
  read: number;
  /** Whether the instance holds a set of this ARN now. */
  exists(arn: string): boolean;
}
