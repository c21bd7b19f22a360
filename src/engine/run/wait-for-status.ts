// Following one request alone to its terminal status (an ownership check's read, an ARM write's
// wait), paced as a batch's requests are.
import type { Deadline } from '../limits/deadline.js';
import type { StatusPacing, StatusSnapshot } from '../calls/status.js';
import { RequestFollower } from './follow.js';

/**
 * Reads one request's status until it is terminal or the deadline passes, paced as a batch is
 * (from `pacing`'s prior: one request alone teaches nothing before it ends). Returns the last
 * snapshot: IN_PROGRESS means the deadline came first.
 */
export function waitForTerminalStatus(
  check: () => Promise<StatusSnapshot>,
  options: {
    deadline: Deadline;
    signal?: AbortSignal | undefined;
    pacing?: StatusPacing;
    requestId?: string;
  },
): Promise<StatusSnapshot> {
  const follower = new RequestFollower({ deadline: options.deadline, signal: options.signal });
  return follower.follow({
    requestId: options.requestId ?? 'the request',
    poll: check,
    ...(options.pacing ? { pacing: options.pacing } : {}),
  });
}
