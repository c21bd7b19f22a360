import { pollDelayMs, type Random } from './backoff.js';
import type { Deadline } from './deadline.js';
import type { GrantStatus } from '../core/types.js';

export interface StatusSnapshot {
  status: GrantStatus;
  failureReason?: string;
  /** False when the request turned out to change nothing (e.g. deleting what was already gone). */
  changed?: boolean;
}

/**
 * Reads a request's status until it is terminal or the deadline passes. Returns the last
 * snapshot: IN_PROGRESS means the deadline came first.
 */
export async function waitForTerminalStatus(
  check: () => Promise<StatusSnapshot>,
  options: { deadline: Deadline; random?: Random; signal?: AbortSignal },
): Promise<StatusSnapshot> {
  for (let attempt = 0; ; attempt++) {
    if (!(await options.deadline.sleep(pollDelayMs(attempt, options.random), options.signal))) {
      return { status: 'IN_PROGRESS' };
    }
    const snapshot = await check();
    if (snapshot.status !== 'IN_PROGRESS') return snapshot;
  }
}
