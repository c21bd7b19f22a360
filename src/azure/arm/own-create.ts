// Whether an assignment is this step's when the answer to its create does not prove it: a 200 to a
// PUT that follows an attempt whose answer was lost, or (post step) a create sent without hearing
// back. ARM records who created an assignment (`createdBy`, an object ID) and when (`createdOn`);
// the assignment is this step's only when that record names the identity the step signs in as,
// since the step began.
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureScope } from '../../core/azure-scope.js';
import { safeIso } from '../../core/duration.js';
import { soleOwnershipOf } from '../../core/state/azure-reliance.js';
import type { AzureResolvedIds } from '../../core/types.js';
import { Deadline, NotSentError } from '../../engine/limits/deadline.js';
import type { OwnCreate } from '../../engine/calls/ownership-proofs.js';
import { CLOCK_SKEW_MS } from '../../engine/run/ownership.js';
import { waitForTerminalStatus } from '../../engine/run/wait-for-status.js';
import type { ArmReads } from './reads.js';
import { matches } from './roles.js';
import { assignmentNowOf } from './sole-ownership.js';

/** ARM's `createdOn`, for a person to read: never throws on a date ARM sent that no Date holds. */
const whenOf = (date: Date | undefined) => (date ? safeIso(date.getTime()) : 'an unknown time');

/** How long the post step keeps reading for an assignment whose create answer was lost (ARM's read lag). */
const READ_LAG_SECONDS = 10;

/**
 * The reads that cover ARM's read lag end once half of what remains of the step's deadline is
 * spent, and READ_LAG_SECONDS at most: the other half is the room to conclude and revoke. A window
 * that ended with the step's own would race its last read, which the deadline keeps from being
 * sent, against the window's end.
 */
function readLagWindow(step: Deadline): Deadline {
  return new Deadline(Math.min(READ_LAG_SECONDS, step.remainingMs() / 2 / 1000));
}

/** ARM records `objectId` (the signed-in identity's, lower-cased) as its creator, at or after `since` (epoch ms). */
function createdByThisStep(assignment: RoleAssignment, objectId: string | undefined, since: number): boolean {
  return (
    objectId !== undefined &&
    assignment.createdBy?.toLowerCase() === objectId &&
    assignment.createdOn !== undefined &&
    assignment.createdOn.getTime() >= since
  );
}

/** A create's final answer, and what came before it. */
export interface CreateAnswer {
  /** The HTTP status of the answer. */
  status: number | undefined;
  /** The assignment as ARM answered it. */
  record: RoleAssignment;
  /** An attempt before the answered one was not refused (create-attempts.ts): it may have made it. */
  earlierMayHaveApplied: boolean;
  /** When the first attempt was sent (epoch ms). */
  started: number;
  /** The identity the step signs in as (its token's `oid`). */
  objectId: string | undefined;
}

/** Whether the create made the assignment; when it did not, why, for the log. */
export type CreateVerdict = { created: true } | { created: false; note: string };

export function judgeCreateAnswer(answer: CreateAnswer): CreateVerdict {
  const { status, record, earlierMayHaveApplied, started, objectId } = answer;
  // 201: ARM created it for this request; the reads that follow only wait for ARM to catch up.
  if (status === 201) return { created: true };
  // 200: an assignment with this name and these properties was already there (someone made
  // it since findExisting looked, or reads do not show it yet). It is this step's only if an
  // earlier attempt of ours may have made it: ARM's record says who created it, and when.
  if (earlierMayHaveApplied && createdByThisStep(record, objectId, started - CLOCK_SKEW_MS))
    return { created: true };
  return {
    created: false,
    note: earlierMayHaveApplied
      ? `ARM answered 200 after a lost answer, and its record (created by ${record.createdBy ?? 'unknown'} at ${whenOf(record.createdOn)}) does not show this step made it: it is left alone by revoke-on-exit`
      : 'ARM answered 200: an identical assignment already existed under this name (reads did not show it yet), so this step did not create it and revoke-on-exit leaves it alone',
  };
}

/** Where the post step looks for a create the main step sent without hearing back. */
export interface LostCreate {
  scope: AzureScope;
  /** The name the create was sent under. */
  name: string;
  ids: AzureResolvedIds;
  /** The description the create was sent with. */
  description: string;
  objectId: string | undefined;
  /** When the create was sent, less an allowance for clock skew (epoch ms). */
  since: number;
  /** The step's deadline: the reads again end halfway to it (readLagWindow), or after READ_LAG_SECONDS. */
  deadline: Deadline;
}

/**
 * Post step: a create the main step sent without hearing back is this step's when ARM shows an
 * assignment under the name it wrote, for the same principal, role and scope, created by the
 * identity this step signs in as, after the step began. A few reads cover ARM's read lag.
 */
export async function ownershipOfLostCreate(reads: ArmReads, lost: LostCreate): Promise<OwnCreate> {
  const { scope, name, ids } = lost;
  // The first read is made whatever the window: "not created" rests on a read ARM answered, and
  // one the step's deadline keeps from being sent (NotSentError) is the caller's to report.
  let found = await reads.getAssignment(scope, { name });
  if (!found)
    await waitForTerminalStatus(
      async () => {
        found = await reads.getAssignment(scope, { name });
        return { status: found ? 'SUCCEEDED' : 'IN_PROGRESS' };
      },
      { deadline: readLagWindow(lost.deadline) },
    ).catch((error: unknown) => {
      // A read again that was not sent changes nothing of what the reads answered.
      if (!(error instanceof NotSentError)) throw error;
    });
  if (!found) return { ownership: 'not-created', why: `ARM shows no assignment named ${name}` };
  if (!matches(found, ids))
    return {
      ownership: 'not-created',
      why: `the assignment named ${name} is for another principal, role or scope`,
    };
  if (!createdByThisStep(found, lost.objectId, lost.since)) {
    return {
      ownership: 'not-created',
      why: `ARM records it as created by ${found.createdBy ?? 'unknown'} at ${whenOf(found.createdOn)}, not by this step's identity since the step began`,
    };
  }
  // The step's, and still its alone? (Its request ID was lost with the answer, so the post step's
  // re-check of a saved create, stillOwn, is not asked: it is made here.)
  const sole = soleOwnershipOf(lost.description, assignmentNowOf(found), lost.objectId);
  if (!sole.alone)
    return { ownership: 'not-created', why: sole.why, ...(sole.sweepEndsIt ? {} : { mayBeOwn: true }) };
  return { ownership: 'created' };
}
