// The one interface each cloud adapter implements. The engine owns everything else: concurrency,
// deadline, retry and polling, so both clouds behave the same way.
import type { Deadline } from './deadline.js';
import type { StatusPacing, StatusSnapshot } from './follow.js';
import type { CreationsAtRead } from '../core/saved-state.js';
import type { Cloud, Grant, ResolvedIds } from '../core/types.js';

export interface ExistingAssignment {
  /** Azure: the role assignment resource ID (with `duration`, its schedule's ID). */
  assignmentId?: string;
  /** Azure: the role assignment name (GUID). */
  name?: string;
  /** Azure with `duration`: when it ends (ISO 8601 UTC); absent when it is permanent. */
  expiresAt?: string;
  /** What the log should say of it when an assign finds it there (e.g. until when it lasts). */
  note?: string;
  /** Azure with `duration`: a request that has not made it yet (awaiting approval): a revoke cancels it. */
  pendingRequest?: { name: string; status: string };
}

/** What a dry run adds to a grant it would write: what the write would set, and the rules it meets. */
export interface WritePreview {
  note?: string;
  expiresAt?: string;
}

/**
 * Whether an assignment is this step's to revoke. Only the service can say so: revoke-on-exit
 * acts on `created` (and on `accepted` once the request ends SUCCEEDED), never on a guess.
 */
export type Ownership =
  /** The service confirmed this step created it: AWS, its create request ended SUCCEEDED; Azure, ARM answered 201. */
  | 'created'
  /** AWS: this step's create request was accepted and has not ended; it is the step's if it ends SUCCEEDED. */
  | 'accepted'
  /** The create was sent and no answer came back: resolved before anything is revoked, and left alone if it cannot be. */
  | 'unknown'
  /**
   * AWS: the create SUCCEEDED, but another party's create for the same assignment ran too, and the
   * service does not say which made it: left in place (the post step says so if it is still there).
   */
  | 'contested'
  /** Refused, never sent, or already there: not the step's. */
  | 'not-created';

/** A write the service accepted and that finishes later. */
export interface PendingRequest {
  requestId: string;
  assignmentId?: string;
  /**
   * A create: true when its acceptance already proves this step created the assignment (Azure's
   * 201; ARM's later reads only catch up), false when only its ending SUCCEEDED will (AWS).
   */
  createdOnAcceptance?: boolean;
  /** One status read (Describe…Status, or a read-back); the engine decides when to call it. */
  poll(): Promise<StatusSnapshot>;
  /** How long requests like it take, and how to read many at once (engine/follow.ts). */
  pacing?: StatusPacing;
  /** Frees a quota slot held while the request is outstanding. */
  release?(): void;
}

export type WriteOutcome =
  | { kind: 'pending'; request: PendingRequest }
  | {
      kind: 'done';
      requestId?: string;
      /**
       * A create: true only when the service confirmed this request created the assignment. False
       * means the assignment was already as the write intended (there for a create, gone for a delete).
       */
      changed: boolean;
      assignmentId?: string;
      expiresAt?: string;
      /** How the assignment is left, when not as the write intended (a removal Azure refused for now). */
      after?: 'present' | 'absent';
      /** A removal the service refused for now, of an assignment it ends itself at `expiresAt`. */
      endsOnItsOwn?: true;
      /** Why it ended so, when the log should say (e.g. ARM answered 200: it was there already). */
      note?: string;
    }
  | { kind: 'failed'; requestId?: string; failureReason: string };

/** What the post step learns about a create the main step sent without hearing back. */
export type OwnCreate =
  | { ownership: 'created'; requestId?: string }
  | { ownership: 'accepted'; requestId: string }
  /** `mayBeOwn`: the service cannot tell whose it is (a person should look), rather than showing it is another's. */
  | { ownership: 'not-created'; why: string; mayBeOwn?: true; absent?: true };

/** Whether a create request that ended SUCCEEDED is what made the assignment. */
export type CreateProof = { created: true } | { created: false; why: string };

export interface GrantDriver<G extends Grant = Grant> {
  readonly cloud: Cloud;
  /** Authenticates and discovers what every grant needs; fails the step at once when it cannot. */
  prepare(): Promise<void>;
  /** Resolves the names in a grant to IDs; shared lookups are made once. */
  resolve(grant: G): Promise<ResolvedIds>;
  /** The assignment as it is now, or undefined when it does not exist. */
  findExisting(ids: ResolvedIds): Promise<ExistingAssignment | undefined>;
  create(ids: ResolvedIds): Promise<WriteOutcome>;
  remove(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome>;
  /**
   * Dry run: what the write would set and whether the service's rules allow it (Azure with
   * `duration`: the end time and the PIM policy's maximum). Throws what the write would fail with.
   */
  preview?(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WritePreview>;
  /**
   * Post step: one status read of a create request the main step sent and saw accepted (AWS), or
   * that had not ended when the main step ended (Azure with `duration`; one still pending is
   * cancelled, since the post step's work is to end what the main step started).
   */
  followCreate?(requestId: string, ids: ResolvedIds): Promise<StatusSnapshot>;
  /**
   * Post step: whether a create the main step sent without hearing back (`unknown`) made the
   * assignment, by what the service recorded since `since` (epoch ms: when the create was sent,
   * less an allowance for clock skew).
   */
  findOwnCreate(ids: ResolvedIds, since: number): Promise<OwnCreate>;
  /**
   * Whether this step's create request `requestId`, which ended SUCCEEDED, made the assignment,
   * rather than finding it made by another party's create that raced it (AWS: a duplicate create
   * ends SUCCEEDED too). Absent: the request's success proves it (Azure's 201, a PIM request).
   */
  proveCreated?(ids: ResolvedIds, requestId: string, answeredAt?: number): Promise<CreateProof>;
  /**
   * What the post step's driver needs, besides each grant's IDs, to act where this one did (AWS:
   * the instance it discovered). Saved with the state; given back as `AdapterDeps.saved`.
   */
  postState?(): AdapterState;
  /** Calls made, by operation, and throttled responses seen (for logs and benchmarks). */
  readonly stats: CallStats;
}

export interface AdapterState {
  instanceArn?: string;
  /** AWS: the create requests running when the main step began reading (aws/ownership-proof.ts). */
  creationsAtRead?: CreationsAtRead;
  /** Post step: the create requests the main step sent and heard back about (none is another party's). */
  ownCreates?: string[];
}

export interface CallStats {
  calls: Record<string, number>;
  throttled: number;
  retries: number;
}

export function emptyStats(): CallStats {
  return { calls: {}, throttled: 0, retries: 0 };
}

/** A fresh identity token for `audience` (GitHub's OIDC token), requested for every exchange. */
export type TokenSource = (audience: string) => Promise<string>;

/** What the steps give a cloud adapter: the step's deadline, the OIDC token source, cancellation, logging. */
export interface AdapterDeps {
  deadline: Deadline;
  requestToken: TokenSource;
  signal?: AbortSignal;
  debug?: (message: string) => void;
  /** A plain log line, for what a user waits on (a write retried until a principal replicates). */
  info?: (message: string) => void;
  /** Post step: what the main step's driver handed over (`postState()`). */
  saved?: AdapterState;
}
