// A step whose grants end with the job registers its reliance on each grant it finds already in
// place, so that `operation: sweep` ends a shared grant only once the last run relying on it has
// finished (docs/ephemeral-access.md, "Overlapping jobs"). The write is the driver's; following it to a terminal
// status is the engine's, as for any write. A reliance that is not registered fails its grant: the
// grant is there all the same, but this job would run on it while a sweep, or the post step of the
// run that made it, may end it: a reliance is registered, or the step says it is not. One still going at the deadline, or whose answer was lost, may yet register: it is said.
import { describeError } from '../../core/errors.js';
import type { Grant, IdsOf } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { NotSentError } from '../limits/deadline.js';
import { mayHaveBeenApplied } from '../calls/call-failures.js';
import type { ExistingAssignment, WriteOutcome } from '../calls/driver.js';
import type { RelianceRemake } from '../calls/ownership-proofs.js';
import type { FollowedRequest } from '../calls/status.js';
import type { AnswerContext } from './grant-answers.js';

/** `saysFix`: its failure reason says what to do (../calls/driver.ts WriteOutcome); not kept in the result. */
export type Reliance = NonNullable<GrantResult['reliance']> & { saysFix?: true };

/**
 * The run's reliance on `grant`, which `existing` shows in place; undefined when the driver
 * registers none. One sent is asked whether it made the grant again (../calls/driver.ts
 * `relianceRemade`): SUCCEEDED and shown to, it is saved as the step's own create, for its post
 * step to revoke; else the result says why not (the step warns).
 */
export async function registerReliance<G extends Grant>(
  grant: G,
  ids: IdsOf<G>,
  existing: ExistingAssignment,
  run: AnswerContext<G>,
): Promise<Reliance | undefined> {
  const reliance = await sendReliance(ids, existing, run);
  // A FAILED one made nothing; one still running may yet, and is asked too (only to be said).
  if (!reliance?.requestId || reliance.status === 'FAILED') return reliance;
  const ended = reliance.status === 'SUCCEEDED';
  const remade = await remadeBy(ids, reliance.requestId, ended, run);
  if (!remade) return reliance;
  // Saved only where the step saves its creates: else nothing would revoke it, and it is not proven to.
  const onOwnership = run.options.onOwnership;
  const byStep = ended && remade.byStep && onOwnership !== undefined;
  if (byStep) onOwnership(grant, ids, 'created', reliance.requestId);
  return { ...reliance, remade: { byStep, why: remade.why } };
}

/**
 * What a result adds of its reliance: made again by it and shown the step's, it is the step's
 * create; not registered (FAILED), the grant fails, saying why, that the reliance made nothing
 * (the grant stays as it was) and, unless the driver's reason says it, what to do.
 */
export function relianceFields(withFlag: Reliance | undefined) {
  if (!withFlag) return {};
  const { saysFix, ...reliance } = withFlag;
  if (reliance.status === 'FAILED')
    return {
      reliance,
      status: 'FAILED' as const,
      failureReason: `its reliance is not registered: ${reliance.failureReason ?? 'no reason was given'}${saysFix ? '' : UNREGISTERED}`,
    };
  return reliance.remade?.byStep
    ? { reliance, changed: true, change: 'create' as const, after: 'present' as const }
    : { reliance };
}

/** What an unregistered reliance means for the job, and what to do, where the driver's reason does not say. */
const UNREGISTERED =
  "; this step's reliance made nothing, and the grant stays as it was, so a sweep, or the post step of the run that made it, may end it while this job runs. Fix the cause and run the job again, or put the jobs that share the grant in one `concurrency:` group so that none ends it while another runs";

async function remadeBy<G extends Grant>(
  ids: IdsOf<G>,
  requestId: string,
  ended: boolean,
  { driver }: AnswerContext<G>,
): Promise<RelianceRemake | undefined> {
  try {
    return await driver.relianceRemade?.(ids, requestId, ended);
  } catch (error) {
    return {
      byStep: false,
      why: `whether the grant was deleted after this step's read, and its reliance (request ${requestId}) made it again, could not be read: ${describeError(error)}`,
    };
  }
}

async function sendReliance<G extends Grant>(
  ids: IdsOf<G>,
  existing: ExistingAssignment,
  run: AnswerContext<G>,
): Promise<Reliance | undefined> {
  let outcome: WriteOutcome | undefined;
  try {
    outcome = await run.driver.registerReliance?.(ids, existing);
  } catch (error) {
    if (!mayHaveBeenApplied(error)) return { status: 'FAILED', failureReason: describeError(error) };
    // Sent, and its answer lost: it may have registered, and, were the grant deleted since the
    // step's read, made it again; with no request to read back, neither can be shown.
    return {
      status: 'IN_PROGRESS',
      failureReason: `its answer was lost: ${describeError(error)}`,
      remade: {
        byStep: false,
        why: "the answer to this step's reliance was lost, so whether the grant was deleted after this step's read and the reliance made it again cannot be shown",
      },
    };
  }
  if (!outcome) return undefined;
  const requestId =
    outcome.kind === 'pending'
      ? outcome.request.requestId
      : outcome.kind === 'held'
        ? outcome.check.requestId
        : outcome.requestId;
  const sent = requestId ? { requestId } : {};
  switch (outcome.kind) {
    case 'failed':
      return {
        status: 'FAILED',
        ...sent,
        failureReason: outcome.failureReason,
        ...(outcome.saysFix ? { saysFix: true as const } : {}),
      };
    case 'done':
      return { status: 'SUCCEEDED', ...sent };
    case 'pending':
      try {
        return { ...sent, ...(await followReliance(outcome.request, run)) };
      } finally {
        outcome.request.release?.();
      }
    case 'held':
      return { ...sent, ...(await followReliance(outcome.check, run)) };
  }
}

async function followReliance<G extends Grant>(
  request: FollowedRequest,
  { follower, options }: AnswerContext<G>,
): Promise<Reliance> {
  if (!options.wait) return { status: 'IN_PROGRESS' };
  const stillRunning: Reliance = {
    status: 'IN_PROGRESS',
    failureReason: `still IN_PROGRESS when the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed`,
  };
  try {
    const snapshot = await follower.follow(request);
    if (snapshot.status === 'SUCCEEDED') return { status: 'SUCCEEDED' };
    if (snapshot.status === 'FAILED')
      return {
        status: 'FAILED',
        failureReason: snapshot.failureReason ?? 'the service reported FAILED without a reason',
      };
    return stillRunning;
  } catch (error) {
    if (error instanceof NotSentError) return stillRunning;
    // Accepted, so it may yet register; only its status could not be read.
    return { status: 'IN_PROGRESS', failureReason: `its status could not be read: ${describeError(error)}` };
  }
}
