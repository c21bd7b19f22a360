// What each grant's write came to: the service's answer (refused, done at once, or accepted and
// followed to a terminal status) turned into the grant's result.
import { settleOwnership, type OnOwnership } from './create-ownership.js';
import { NotSentError, type Deadline } from '../limits/deadline.js';
import type { GrantDriver, WriteOutcome } from '../calls/driver.js';
import type { HeldCheck, PendingRequest } from '../calls/status.js';
import type { RequestFollower } from './follow.js';
import type { StatusSnapshot } from '../calls/status.js';
import { mayHaveBeenApplied } from '../calls/call-failures.js';
import { describeError } from '../../core/errors.js';
import type { Grant, IdsOf } from '../../core/types.js';
import type { AssignmentState, GrantResult, PlannedChange } from '../../core/grant-result.js';

/** A grant's result, but for its duration (the scheduler adds it). */
export type Reported = Omit<GrantResult, 'durationMs'>;

/** A grant's result so far: everything but its status. */
export type Known = Omit<GrantResult, 'durationMs' | 'status'>;

/** What the write of one grant is judged against once it is sent. */
export interface Write<G extends Grant> {
  grant: G;
  ids: IdsOf<G>;
  known: Known;
  /** What the assignment should be once the write is done. */
  intended: 'present' | 'absent';
}

/** What every answer of one run is judged with. */
export interface AnswerContext<G extends Grant> {
  driver: GrantDriver<G>;
  options: {
    operation: 'assign' | 'revoke';
    wait: boolean;
    deadline: Deadline;
    onOwnership?: OnOwnership<G> | undefined;
  };
  /** Follows every accepted request of the run, learning how long they take. */
  follower: RequestFollower;
}

/** The result of a write the service answered: refused, done at once, or accepted and followed. */
export async function judgeOutcome<G extends Grant>(
  outcome: WriteOutcome,
  write: Write<G>,
  run: AnswerContext<G>,
): Promise<Reported> {
  const reported = await judgeEnd(outcome, write, run);
  // The write's own warning, and the one its followed read gave: both said.
  const warnings = [outcome.warning, reported.warning].filter((w): w is string => !!w);
  return warnings.length > 0 ? { ...reported, warning: [...new Set(warnings)].join('; ') } : reported;
}

async function judgeEnd<G extends Grant>(
  outcome: WriteOutcome,
  write: Write<G>,
  run: AnswerContext<G>,
): Promise<Reported> {
  const { known, intended } = write;
  switch (outcome.kind) {
    case 'failed':
      return failedAs(known, outcome.failureReason, optionalRequestId(outcome.requestId));
    case 'done':
      return {
        ...known,
        status: 'SUCCEEDED',
        changed: outcome.changed,
        // A write the service left short of its intent (a removal it refused for now): as the reads found it.
        before:
          outcome.after !== undefined && outcome.after !== intended
            ? known.before
            : beforeShownBy(outcome.changed, intended, known.change),
        after: outcome.after ?? intended,
        ...optionalRequestId(outcome.requestId),
        ...(outcome.assignmentId ? { assignmentId: outcome.assignmentId } : {}),
        ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}),
        ...(outcome.endsOnItsOwn ? { endsOnItsOwn: true } : {}),
        ...(outcome.note ? { note: outcome.note } : {}),
      };
    case 'pending':
      try {
        return await followRequest(outcome.request, write, run);
      } finally {
        outcome.request.release?.();
      }
    case 'held':
      return readHeld(outcome.check, write, run);
  }
}

/**
 * An assignment the service answered was there already, read until a read tells what it is
 * (../calls/status.ts HeldCheck), whatever `wait` says: nothing is pending in the service, and the
 * step cannot end before it knows whether the grant is there. Nothing was written, so one still
 * unread at the deadline fails the grant, saying so.
 */
async function readHeld<G extends Grant>(
  check: HeldCheck,
  { known, intended }: Write<G>,
  { follower, options }: AnswerContext<G>,
): Promise<Reported> {
  const answered = { ...known, ...optionalRequestId(check.requestId) };
  const snapshot = await followedUnlessUnsent(follower, check);
  const { seconds, input } = options.deadline;
  switch (snapshot.status) {
    case 'SUCCEEDED':
      return {
        ...answered,
        status: 'SUCCEEDED',
        changed: false,
        before: intended,
        after: intended,
        ...(snapshot.assignmentId ? { assignmentId: snapshot.assignmentId } : {}),
      };
    case 'FAILED':
      return failedAs(
        answered,
        snapshot.failureReason ?? 'the read of the assignment held failed without a reason',
      );
    default:
      return failedAs(
        answered,
        `${check.unread}; still unread when the ${seconds}s deadline (\`${input}\`) passed: raise \`${input}\` to wait longer for the service's reads`,
      );
  }
}

/** An accepted write, followed to a terminal status unless `wait` is off or the deadline comes first. */
async function followRequest<G extends Grant>(
  request: PendingRequest,
  { grant, ids, known, intended }: Write<G>,
  { follower, options, driver }: AnswerContext<G>,
): Promise<Reported> {
  // An update rewrites an assignment that is there: no create whose ownership is to be settled.
  const assign = options.operation === 'assign' && known.change !== 'update';
  const accepted = {
    ...known,
    requestId: request.requestId,
    ...(request.assignmentId ? { assignmentId: request.assignmentId } : {}),
  };
  if (!options.wait) return { ...accepted, status: 'IN_PROGRESS', changed: true, after: 'unknown' };
  const snapshot = await followedUnlessUnsent(follower, request);
  switch (snapshot.status) {
    case 'SUCCEEDED': {
      const changed = snapshot.changed ?? true;
      const unproven =
        assign && !request.createdOnAcceptance
          ? await settleOwnership(grant, ids, request.requestId, driver, options.onOwnership)
          : undefined;
      return {
        ...accepted,
        status: 'SUCCEEDED',
        changed,
        before: beforeShownBy(changed, intended, known.change),
        after: intended,
        ...(snapshot.assignmentId ? { assignmentId: snapshot.assignmentId } : {}),
        ...(snapshot.expiresAt ? { expiresAt: snapshot.expiresAt } : {}),
        ...(snapshot.warning ? { warning: snapshot.warning } : {}),
        ...(unproven ? { note: unproven } : {}),
      };
    }
    case 'FAILED':
      if (assign) options.onOwnership?.(grant, ids, 'not-created');
      return failedAs(accepted, snapshot.failureReason ?? 'the service reported FAILED without a reason');
    default:
      if (snapshot.awaiting !== undefined)
        return {
          ...accepted,
          status: 'IN_PROGRESS',
          changed: true,
          awaiting: true,
          failureReason: snapshot.awaiting,
        };
      return {
        ...accepted,
        status: 'IN_PROGRESS',
        changed: true,
        failureReason: `still IN_PROGRESS when the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed; request ${request.requestId} may still finish; ${options.deadline.advice}`,
      };
  }
}

/** A grant that failed before the service answered its write (or before it was sent). */
export function failedBeforeAnswer(error: unknown, known: Known, assign: boolean): Reported {
  if (error instanceof NotSentError) {
    return {
      ...known,
      status: 'IN_PROGRESS',
      failureReason: `${error.message}; nothing was written for this grant`,
    };
  }
  return {
    ...known,
    status: 'FAILED',
    failureReason: describeError(error),
    ...(assign && mayHaveBeenApplied(error)
      ? {
          note: 'the create was sent but its answer never came: it may have been applied. revoke-on-exit revokes it only if the service shows this step created it',
        }
      : {}),
  };
}

/**
 * What a write that SUCCEEDED shows the assignment was before it, whatever the reads said (they
 * may lag the service): one that changed nothing found it as intended already (a create answered
 * "it is there", a delete answered "not found"); one that changed it found the opposite. An
 * update rewrote an assignment that was there.
 */
function beforeShownBy(
  changed: boolean,
  intended: 'present' | 'absent',
  change: PlannedChange,
): AssignmentState {
  if (change === 'update' || !changed) return intended;
  return intended === 'present' ? 'absent' : 'present';
}

/** A grant that FAILED for `failureReason` (and what `more` adds): the assignment is as it was before. */
function failedAs(known: Known, failureReason: string, more: Partial<Known> = {}): Reported {
  return { ...known, status: 'FAILED', failureReason, after: known.before, ...more };
}

/**
 * What `follower` reads of `followed` to its end; one read the deadline kept from being sent is
 * still IN_PROGRESS (the write, if one was sent, was accepted).
 */
function followedUnlessUnsent(
  follower: RequestFollower,
  followed: HeldCheck | PendingRequest,
): Promise<StatusSnapshot> {
  return follower.follow(followed).catch((error: unknown): StatusSnapshot => {
    if (error instanceof NotSentError) return { status: 'IN_PROGRESS' };
    throw error;
  });
}

function optionalRequestId(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}
