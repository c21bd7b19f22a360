// The one interface each cloud adapter implements. The engine owns everything else: concurrency,
// deadline, retry and polling, so both clouds behave the same way.
import type { Deadline } from './deadline.js';
import type { StatusSnapshot } from './poll.js';
import type { OidcTokenSource } from '../github/oidc.js';
import type { Cloud, Grant, ResolvedIds } from '../core/types.js';

export interface ExistingAssignment {
  /** Azure: the role assignment resource ID. */
  assignmentId?: string;
  /** Azure: the role assignment name (GUID). */
  name?: string;
}

/** A write the service accepted and that finishes later. */
export interface PendingRequest {
  requestId: string;
  assignmentId?: string;
  /** One status read (Describe…Status, or a read-back); the engine decides when to call it. */
  poll(): Promise<StatusSnapshot>;
  /** Frees a quota slot held while the request is outstanding. */
  release?(): void;
}

export type WriteOutcome =
  | { kind: 'pending'; request: PendingRequest }
  | { kind: 'done'; requestId?: string; changed: boolean; alreadyExisted?: boolean; assignmentId?: string }
  | { kind: 'failed'; requestId?: string; failureReason: string };

export interface GrantDriver {
  readonly cloud: Cloud;
  /** Authenticates and discovers what every grant needs; fails the step at once when it cannot. */
  prepare(): Promise<void>;
  /** Resolves the names in a grant to IDs; shared lookups are made once. */
  resolve(grant: Grant): Promise<ResolvedIds>;
  /** The assignment as it is now, or undefined when it does not exist. */
  findExisting(ids: ResolvedIds): Promise<ExistingAssignment | undefined>;
  create(ids: ResolvedIds): Promise<WriteOutcome>;
  remove(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome>;
  /** One status read of a create sent earlier (by the main step), for the post step to let it finish. */
  followCreate?(requestId: string): Promise<StatusSnapshot>;
  /** Calls made, by operation, and throttled responses seen (for logs and benchmarks). */
  readonly stats: CallStats;
}

export interface CallStats {
  calls: Record<string, number>;
  throttled: number;
  retries: number;
}

export function emptyStats(): CallStats {
  return { calls: {}, throttled: 0, retries: 0 };
}

/** What the steps give a cloud adapter: the step's deadline, the OIDC token source, cancellation, debug logging. */
export interface AdapterDeps {
  deadline: Deadline;
  requestToken: OidcTokenSource;
  signal?: AbortSignal;
  debug?: (message: string) => void;
}
