// Shared grants on ARM (core/state/azure-reliance.ts decides): a relying step's one write, the same
// assignment PUT again under its own name with the reliance marker appended to its description
// (the post step's read of whether what it created is still its own alone: ./sole-ownership.ts;
// the PUT itself: ./description-write.ts). ARM's answers are
// hostile: only an assignment whose every part the write sends back is of the form ARM writes is
// written again, and the role and principal sent are the step's own.
import type { RoleAssignment, RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import type { AzureRunMark } from '../../core/run-marks.js';
import { relianceWriteOf, type RelianceWrite } from '../../core/state/azure-reliance.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { EndedReliers } from './ended-reliers.js';
import { retryDelayMs } from '../../engine/limits/backoff.js';
import { DeadlineExceededError, NotSentError } from '../../engine/limits/deadline.js';
import { matches } from './roles.js';
import type { ArmSession } from './session.js';
import type { ResponseInfo } from './clients.js';
import { putDescription, rewritable } from './description-write.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What this step last wrote: ARM's answer, and the run whose creation marker it relies on. */
interface Written {
  answer: ResponseInfo | undefined;
  creator: AzureRunMark;
  writes: number;
  /** How many ended runs' markers the last write took out to make room. */
  removed: number;
}

/**
 * Registers `mark`'s reliance on the assignment of `ids` the step found in place: read once more
 * just before the write (another job may have appended its own marker since the step's read, and
 * a PUT writes the whole description), PUT under the name it has, then read back. ARM takes no
 * ETag on a role assignment and keeps the last write, so jobs relying at the same moment put their
 * descriptions over each other's: until this run's marker reads back, the step waits a jittered
 * backoff (which spreads the writers apart), reads again and writes again, up to the step's
 * deadline. Undefined when there is nothing to register: no run's creation marker on it, this
 * run's is there already; `failed` with why when it should be registered and cannot (the
 * description is full, another identity than its maker last wrote it, the deadline came before the
 * marker read back), which fails the grant (engine/run/reliance.ts): this job would run on a grant
 * a sweep may end. `ended`: GitHub's word on the runs named, the
 * step's one (./ended-reliers.ts), for the room made when this run's marker would not fit.
 */
export async function registerReliance(
  session: ArmSession,
  ids: AzureResolvedIds,
  mark: AzureRunMark,
  ended?: EndedReliers,
): Promise<WriteOutcome | undefined> {
  const { scope } = ids;
  const read = (name: string) => session.reads.getAssignment(scope, { name });
  const another = 'its name now holds another assignment';
  let found = (await session.reads.listForPrincipal(scope, ids.principalId)).find((a) => matches(a, ids));
  let written: Written | undefined;
  try {
    for (;;) {
      // A description too full for this run's marker: GitHub is asked which markers' runs have ended.
      const proven =
        found && ended && tooFull(rewritableDescription(found), mark)
          ? await ended.provenIn(rewritableDescription(found))
          : undefined;
      const next = nextWrite(found, mark, written, session.objectId, proven);
      if ('outcome' in next) return next.outcome;
      written = await writeReliance(session, ids, next, written?.writes ?? 0);
      // Read back: this run's marker there ends the loop (nextWrite: registered).
      found = await read(next.name);
      if (found && !matches(found, ids)) return notRegistered(another);
      if (found && relianceWriteOf(rewritableDescription(found), mark).registered) continue;
      if (!(await session.sleep(retryDelayMs(written.writes - 1, undefined))))
        return unregisteredAtDeadline(session, written.writes);
      // Read again after the wait: the next write starts from the description as it is now.
      found = await read(next.name);
      if (found && !matches(found, ids)) return notRegistered(another);
    }
  } catch (error) {
    if (written && error instanceof NotSentError) return unregisteredAtDeadline(session, written.writes);
    // The deadline passed while a write or its read-back was still being retried: this run's
    // marker was not seen there, whether or not that last write was replaced.
    if (written && error instanceof DeadlineExceededError)
      return unconfirmedAtDeadline(session, written.writes);
    throw error;
  }
}

type NextWrite =
  | { outcome: WriteOutcome | undefined }
  | {
      name: string;
      kept: Partial<RoleAssignmentCreateParameters>;
      decision: Extract<RelianceWrite, { write: true }>;
    };

/** What the assignment as read calls for: this run's marker written (again), or the outcome. */
function nextWrite(
  found: RoleAssignment | undefined,
  mark: AzureRunMark,
  written: Written | undefined,
  own: string | undefined,
  ended?: (mark: AzureRunMark) => boolean,
): NextWrite {
  const outcome = (value: WriteOutcome | undefined) => ({ outcome: value });
  if (!found) return outcome(notRegistered('ARM does not list it'));
  const current = rewritable(found);
  if (typeof current === 'string') return outcome(notRegistered(current));
  const decision = relianceWriteOf(current.description, mark, ended);
  if (decision.registered) return outcome(written ? registered(written) : undefined);
  const another = writtenByAnother(found, own);
  if (another)
    return outcome(
      written ? notRegistered(`${lost(written.writes)}, and then ${another}`) : cannotRegister(another),
    );
  if (!decision.write) {
    // The description full: no room for this run's marker.
    if (decision.warning)
      return outcome(
        written
          ? notRegistered(`${lost(written.writes)}, and then ${decision.warning}`)
          : cannotRegister(decision.warning),
      );
    return outcome(written ? notRegistered(`${lost(written.writes)}, and then ${decision.note}`) : undefined);
  }
  return { name: current.name, kept: current.kept, decision };
}

/** Whether this run's marker would not fit on the description as it is. */
function tooFull(description: string, mark: AzureRunMark): boolean {
  const decision = relianceWriteOf(description, mark);
  return !decision.write && decision.warning !== undefined;
}

/** Not registered: why; the engine adds what it means for the job and what to do. */
const notRegistered = (failureReason: string): WriteOutcome => ({ kind: 'failed', failureReason });

/**
 * Not registered, before any write of this step: why, which names what to do, and that the step
 * wrote nothing (the grant stays as the run that made it left it).
 */
const cannotRegister = (why: string): WriteOutcome => ({
  kind: 'failed',
  failureReason: `${why}. This step wrote nothing on it: the grant stays as it was`,
  saysFix: true,
});

/** The description a read shows, for the decision whether this run's marker is on it ('' when it is not text). */
const rewritableDescription = (found: RoleAssignment): string => text(found.description) ?? '';

/** One PUT of the assignment again, `decision`'s description with this run's marker in it. */
async function writeReliance(
  session: ArmSession,
  ids: AzureResolvedIds,
  { name, kept, decision }: Extract<NextWrite, { name: string }>,
  writes: number,
): Promise<Written> {
  const answer = await putDescription(session, ids, { name, kept }, decision.description);
  return { answer, creator: decision.creator, writes: writes + 1, removed: decision.removed?.length ?? 0 };
}

const lost = (writes: number) =>
  `another job's write replaced this run's reliance marker each of the ${writes} time${writes === 1 ? '' : 's'} it was written`;

/**
 * The deadline came before this run's marker read back (`why`, with the deadline's words to end
 * it): the grant fails, for its job would run on a grant a sweep may end.
 */
function unregisteredBy(session: ArmSession, why: (passed: string) => string): WriteOutcome {
  const { deadline } = session;
  return {
    kind: 'failed',
    saysFix: true,
    failureReason: `${why(`the ${deadline.seconds}s deadline (\`${deadline.input}\`) passed`)}, so a sweep may end this grant while this job runs. Put the jobs that share it in one \`concurrency:\` group, or ${deadline.advice}`,
  };
}

/** Its marker replaced after each write, until the deadline. */
const unregisteredAtDeadline = (session: ArmSession, writes: number): WriteOutcome =>
  unregisteredBy(session, (passed) => `${lost(writes)}, until ${passed}`);

/** The deadline came while the last write, or its read-back, was still being retried. */
const unconfirmedAtDeadline = (session: ArmSession, writes: number): WriteOutcome =>
  unregisteredBy(
    session,
    (passed) =>
      `this run's reliance marker, written ${writes} time${writes === 1 ? '' : 's'}, was not seen on the grant before ${passed}, ARM's answer to its last write or read-back still to come`,
  );

/**
 * Why this step writes nothing over the description: it was last written by an identity other
 * than the one that made the assignment and this step's. Its write would make that identity's
 * text (a marker copied in, say) look like the maker's to a sweep, which leaves it as it is.
 */
function writtenByAnother(found: RoleAssignment, own: string | undefined): string | undefined {
  const createdBy = text(found.createdBy)?.toLowerCase();
  const updatedBy = text(found.updatedBy)?.toLowerCase();
  if (!updatedBy || !createdBy || updatedBy === createdBy || updatedBy === own) return undefined;
  return `its description was last written by ${updatedBy}, not by ${createdBy} that made it, and this step writes nothing over another identity's text: a sweep whose \`created-by\` lists ${updatedBy} may end it while this job runs. Sign in as one identity in the steps that share a grant`;
}

function registered(written: Written): WriteOutcome {
  const { answer, creator, removed } = written;
  const room =
    removed > 0
      ? `; the markers of ${removed} run(s) GitHub says have ended were removed to make room for it`
      : '';
  // 201: it was removed between the read and the write, and this PUT made it again, markers and all.
  const madeAgain =
    answer?.status === 201
      ? "; it had been removed since this step's read, and this write made it again, so it stays until the sweep ends it"
      : '';
  return {
    kind: 'done',
    changed: false,
    ...(answer?.requestId ? { requestId: answer.requestId } : {}),
    note: `its marker appended to the description: run ${creator.runId} attempt ${creator.attempt}'s post step leaves it, and the sweep ends it once every run that relies on it has ended${room}${madeAgain}`,
  };
}
