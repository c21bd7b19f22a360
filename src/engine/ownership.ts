// The post step's first question for every grant the main step saved: did this step create it?
// Only the service's word counts; whatever cannot be confirmed is left alone and reported.
import type { WaitBound } from './deadline.js';
import type { GrantDriver, Ownership } from './driver.js';
import { waitForTerminalStatus } from './poll.js';
import { describeError } from '../core/errors.js';
import type { GrantStatus, ResolvedIds } from '../core/types.js';

export interface SavedCreate {
  ids: ResolvedIds;
  ownership: Exclude<Ownership, 'not-created'>;
  requestId?: string;
}

export type OwnershipVerdict =
  | { ours: true }
  /** Not revoked: `status` and `reason` say why, for the log and summary. */
  | { ours: false; status: GrantStatus; reason: string };

/**
 * `created`: the main step saw the service confirm it, and nothing is read again. `accepted`: the
 * create request is followed to its end, and is the step's if it SUCCEEDED. `unknown`: the service
 * is asked what this step's create did (`findOwnCreate`). A failed read is this grant's failure
 * only: the caller goes on with the others.
 */
export async function confirmOwnership(
  saved: SavedCreate,
  driver: GrantDriver,
  options: WaitBound & { since: number },
): Promise<OwnershipVerdict> {
  try {
    let ownership = saved.ownership;
    let requestId = saved.requestId;
    if (ownership === 'created') return { ours: true };
    if (ownership === 'unknown') {
      const found = await driver.findOwnCreate(saved.ids, options.since);
      if (found.ownership === 'not-created')
        return { ours: false, status: 'SUCCEEDED', reason: `left in place: ${found.why}` };
      if (found.ownership === 'created') return { ours: true };
      ownership = found.ownership;
      requestId = found.requestId;
    }
    if (!requestId || !driver.followCreate)
      return { ours: false, status: 'FAILED', reason: 'left in place: the create request cannot be followed' };
    const snapshot = await waitForTerminalStatus(() => driver.followCreate!(requestId), options);
    if (snapshot.status === 'SUCCEEDED') return { ours: true };
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
      status: 'FAILED',
      reason: `not revoked: could not confirm this step created it: ${describeError(error)}`,
    };
  }
}
