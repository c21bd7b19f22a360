// The post step's first question for every grant the main step saved: did this step create it?
// Only the service's word counts; whatever cannot be confirmed is left alone and reported.
import { NotSentError, type WaitBound } from '../limits/deadline.js';
import type { GrantDriver } from '../calls/driver.js';
import type { Ownership } from '../calls/ownership-proofs.js';
import { waitForTerminalStatus } from './wait-for-status.js';
import { describeError } from '../../core/errors.js';
import type { GrantStatus, ResolvedIds } from '../../core/types.js';

/** What the post step knows of a create the main step sent (core/state/saved-state.ts's SavedGrant). */
export interface SavedCreate {
  ids: ResolvedIds;
  ownership: Exclude<Ownership, 'not-created'>;
  requestId?: string;
  /** When the main step first sent the create (the runner's clock, epoch ms). */
  sentAt: number;
  /** When the answer to the create arrived (the runner's clock, epoch ms). */
  answeredAt?: number;
}

/**
 * How much earlier than the runner's clock said the service may have stamped a create (clocks
 * differ a little): a lost create is looked for from `sentAt` less this. Kept small, since every
 * second of it is a window in which someone else's create of the same grant would pass for ours.
 */
export const CLOCK_SKEW_MS = 2_000;

export type OwnershipVerdict =
  | { ours: true }
  /** Not revoked: `status` and `reason` say why, for the log and summary. */
  | {
      ours: false;
      status: GrantStatus;
      reason: string;
      leftInPlace?: boolean;
      /** Left in place though it may be the step's: the service cannot tell (a person should look). */
      mayBeOwn?: boolean;
      /** Another party removed it since, and nothing made it again: absent. */
      gone?: boolean;
    };

/** Not shown to be the step's, so not revoked: said, and with `mayBeOwn` for a person to look at. */
function leftInPlace(why: string, mayBeOwn: boolean | undefined): OwnershipVerdict {
  return {
    ours: false,
    status: 'SUCCEEDED',
    reason: `left in place: ${why}`,
    leftInPlace: true,
    ...(mayBeOwn ? { mayBeOwn: true } : {}),
  };
}

/**
 * Whether a grant the step created is still its alone, asked as close to its delete as can be (the
 * post step asks in each delete's own turn): made by the step once is not final, since deleted and
 * made again it is another's, and relied on by another run since it is shared. Asked whether or
 * not the create's answer carried a request ID: the Azure check reads the assignment itself, and
 * AWS's says what it cannot prove without one.
 */
export async function stillTheStepsAlone(saved: SavedCreate, driver: GrantDriver): Promise<OwnershipVerdict> {
  if (!driver.stillOwn) return { ours: true };
  try {
    const proof = await driver.stillOwn(saved.ids, saved.requestId ?? '', saved.sentAt);
    if (proof.created) return { ours: true };
    if (proof.gone)
      return { ours: false, status: 'SUCCEEDED', reason: `nothing to revoke: ${proof.why}`, gone: true };
    return leftInPlace(proof.why, proof.mayBeOwn);
  } catch (error) {
    return {
      ours: false,
      status: error instanceof NotSentError ? 'IN_PROGRESS' : 'FAILED',
      reason: `not revoked: could not confirm the assignment is still the one this step created: ${describeError(error)}`,
    };
  }
}

/**
 * Whether the step's create made the assignment (the service's word), as the main step left it.
 * `created`: the main step saw the service confirm it, and nothing is read again. `accepted`: the
 * create request is followed to its end, and is the step's if it SUCCEEDED. `unknown`: the service
 * is asked what this step's create did (`findOwnCreate`). A failed read is this grant's failure
 * only: the caller goes on with the others.
 */
export async function createdByStep(
  saved: SavedCreate,
  driver: GrantDriver,
  options: WaitBound,
): Promise<OwnershipVerdict> {
  try {
    let ownership = saved.ownership;
    let requestId = saved.requestId;
    if (ownership === 'created') return { ours: true };
    if (ownership === 'contested') return await contested(saved, driver);
    if (ownership === 'unknown') {
      const found = await driver.findOwnCreate(saved.ids, saved.sentAt - CLOCK_SKEW_MS);
      if (found.ownership === 'not-created' && found.absent)
        return { ours: false, status: 'SUCCEEDED', reason: `nothing to revoke: ${found.why}` };
      if (found.ownership === 'not-created') return leftInPlace(found.why, found.mayBeOwn);
      if (found.ownership === 'created') return { ours: true };
      ownership = found.ownership;
      requestId = found.requestId;
    }
    if (!requestId || !driver.readCreate)
      return {
        ours: false,
        status: 'FAILED',
        reason: 'left in place: the create request cannot be followed',
      };
    const snapshot = await waitForTerminalStatus(() => driver.readCreate!(requestId, saved.ids), options);
    if (snapshot.status === 'SUCCEEDED') {
      // The request ended SUCCEEDED; whether it is what made the assignment, only the driver can tell (AWS).
      const proof = (await driver.proveCreated?.(saved.ids, requestId, saved.answeredAt)) ?? {
        created: true,
      };
      if (proof.created) return { ours: true };
      return leftInPlace(proof.why, true);
    }
    // Still pending, and following it longer changes nothing (Azure refused to cancel it): its reason.
    if (snapshot.awaiting !== undefined)
      return {
        ours: false,
        status: 'FAILED',
        reason: `not revoked: this step's create request ${requestId} ${snapshot.awaiting}`,
      };
    if (snapshot.status === 'FAILED')
      return {
        ours: false,
        status: 'SUCCEEDED',
        reason: `nothing to revoke: this step's create request ${requestId} FAILED (${snapshot.failureReason ?? 'no reason given'})`,
      };
    return {
      ours: false,
      status: 'IN_PROGRESS',
      reason: `not revoked: this step's create request ${requestId} was still IN_PROGRESS when the ${options.deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed; revoke it by hand once it ends`,
    };
  } catch (error) {
    return {
      ours: false,
      // The deadline kept a read from being sent: as unfinished as a request still running.
      status: error instanceof NotSentError ? 'IN_PROGRESS' : 'FAILED',
      reason: `not revoked: could not confirm this step created it: ${describeError(error)}`,
    };
  }
}

/**
 * A create of the step's that SUCCEEDED while another party's create for the same assignment ran
 * too: not the step's to revoke. Still there, it is said (a person should look); gone, nothing is.
 */
async function contested(saved: SavedCreate, driver: GrantDriver): Promise<OwnershipVerdict> {
  const why =
    "this step's create SUCCEEDED, but another create for the same assignment ran too, and the service does not say which made it";
  if (!(await driver.findExisting(saved.ids)))
    return { ours: false, status: 'SUCCEEDED', reason: `nothing to revoke: ${why}, and it is gone now` };
  return leftInPlace(why, true);
}
