// How the engine follows the assignment driver's requests (engine/run/follow.ts): creates and
// deletes apart, each kind with its own completion time, and one List…Status call reading every
// outstanding request of its kind.
import type { PlannedRead, StatusPacing } from '../../engine/calls/status.js';
import { ASSIGNMENT_REQUEST_EXPECTED_MS, readRecentRequests, type RequestKind } from '../trail/requests.js';
import type { SsoSession } from './session.js';

export function assignmentPacing(session: SsoSession, kind: RequestKind): StatusPacing {
  return {
    key: `aws:${kind}`,
    expectedMs: ASSIGNMENT_REQUEST_EXPECTED_MS,
    readMany: (requestIds) => readRecentRequests(session, kind, requestIds),
    ...(kind === 'create'
      ? {
          expectReads: (source: object, reads: PlannedRead[]) =>
            session.expectFirstPriority(source, callsOfCreationReads(reads)),
        }
      : {}),
  };
}

/**
 * The first-priority calls the creation status reads ahead bring: each read one call (unless sent),
 * and for each request it reads the create that takes its slot once it has ended.
 */
function callsOfCreationReads(reads: PlannedRead[]): number[] {
  return reads.flatMap((read) => Array<number>((read.sent ? 0 : 1) + read.requests).fill(read.at));
}
