// What an adapter tells the engine about a request it wrote: the request to follow
// (`PendingRequest`, or a `HeldCheck` for a create answered "there already"), one status read
// (`StatusSnapshot`) and how reads of its kind are paced (`StatusPacing`). The adapters implement
// these; the engine's follower (../run/follow.ts) uses them.
import type { LatencyPrior } from '../limits/latency.js';
import type { GrantStatus } from '../../core/types.js';

/** One status read, as the engine sees it. */
export interface StatusSnapshot {
  status: GrantStatus;
  failureReason?: string;
  /** False when the request turned out to change nothing (e.g. deleting what was already gone). */
  changed?: boolean;
  /** Azure with `duration`: when the assignment ends (ISO 8601 UTC). */
  expiresAt?: string;
  /**
   * The assignment the read found, when it tells which (a held one's: HeldCheck; what a request
   * that SUCCEEDED put in force, where the service names it only then).
   */
  assignmentId?: string;
  /** What the step must say as a warning of this grant (a request that SUCCEEDED whose effect could not be read). */
  warning?: string;
  /**
   * IN_PROGRESS, and waiting will not end it (a request that awaits someone's approval): following
   * stops, and this says why and what to do.
   */
  awaiting?: string;
}

/** How a request's status reads are paced: which requests finish alike, and a first guess. */
export interface StatusPacing extends LatencyPrior {
  /** Requests with the same key take alike; the follower learns one estimate per key. */
  key: string;
  /**
   * One call that reads many requests of this key at once: the snapshot of each of `requestIds`
   * it shows as still running or succeeded. Those it does not show (not on its page, or failed:
   * the reason needs a read of its own) are read on their own when due.
   */
  readMany?(requestIds: string[]): Promise<Map<string, StatusSnapshot>>;
  /**
   * Told, each time it changes, which reads of this pacing's requests a follower will make (none
   * once it follows none), under one `source` object per follower and pacing: an adapter whose
   * writes wait for those reads (a create for the slot an ended one frees) tells its rate limiter to
   * keep places for them (./planned-reads.ts).
   */
  expectReads?(source: object, reads: PlannedRead[]): void;
}

/** A status read the follower will make: when, for how many requests, and whether it was already sent. */
export interface PlannedRead {
  at: number;
  requests: number;
  sent: boolean;
}

/** What the follower needs of a request: its ID, one status read, and its pacing. */
export interface FollowedRequest {
  requestId: string;
  poll(): Promise<StatusSnapshot>;
  pacing?: StatusPacing;
}

/** Used when an adapter gives no pacing: a write that is read back soon after it is made. */
export const DEFAULT_PACING: StatusPacing = { key: 'default', expectedMs: 1_000 };

/** A write the service accepted and that finishes later. */
export interface PendingRequest {
  requestId: string;
  assignmentId?: string;
  /**
   * A create: true when its acceptance already proves this step created the assignment (Azure's
   * 201; ARM's later reads only catch up), false when only its ending SUCCEEDED will (AWS).
   */
  createdOnAcceptance?: boolean;
  /**
   * The write took effect when the service answered it (Azure's PUT and DELETE): following it only
   * waits for the service's reads to show it, so the grant gives its `max-concurrency` place to the
   * next grant first. Unset: the service is still working on it (AWS's asynchronous requests).
   */
  appliedOnAnswer?: boolean;
  /** One status read (Describe…Status, or a read-back); the engine decides when to call it. */
  poll(): Promise<StatusSnapshot>;
  /** How long requests like it take, and how to read many at once (engine/run/follow.ts). */
  pacing?: StatusPacing;
  /** Frees a quota slot held while the request is outstanding. */
  release?(): void;
}

/**
 * A create the service answered "there already" for (ARM's 409 RoleAssignmentExists: held under
 * another name), whose reads do not show that assignment yet (they lag the service's writes):
 * nothing was written, and whether what is held is the grant asked for is for a read to tell. The
 * engine reads it again as it follows a request (engine/run/follow.ts: paced, within the deadline,
 * the grant counted in flight by the progress lines), whatever `wait` says, until a read tells:
 * SUCCEEDED, it is the grant, unchanged; FAILED, it is not, and why. Still unread at the deadline,
 * the grant fails, saying so. Never the step's to revoke.
 */
export interface HeldCheck {
  /** The create's answer's request ID ('' when it carried none). */
  requestId: string;
  /** One read: IN_PROGRESS while none shows it; SUCCEEDED with its `assignmentId`; or FAILED. */
  poll(): Promise<StatusSnapshot>;
  pacing?: StatusPacing;
  /** What cannot be told while no read shows it, for the grant's failure at the deadline. */
  unread: string;
}
