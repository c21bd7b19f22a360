// The one interface each cloud adapter implements. The engine owns everything else: concurrency,
// deadline, retry and polling, so both clouds behave the same way.
import type { WriteEffect } from './write-plan.js';
import type { NameFields } from '../../core/shown-names.js';
import type { Deadline } from '../limits/deadline.js';
import type { CallActivity } from './read-progress.js';
import type { HeldCheck, PendingRequest, StatusSnapshot } from './status.js';
import type { AssignmentType, Cloud, Grant, IdsOf } from '../../core/types.js';
import type { RunRef, RunState } from '../../core/claims/claims.js';
import type { CreateProof, OwnCreate, RelianceRemake } from './ownership-proofs.js';

/** What a driver's post-step methods answer (./ownership-proofs.ts, ./status.ts): a driver names its whole contract from here. */
export type { CreateProof, OwnCreate } from './ownership-proofs.js';
export type { StatusSnapshot } from './status.js';

export interface ExistingAssignment {
  /** Azure: the role assignment resource ID (with `duration`, its schedule's ID). */
  assignmentId?: string;
  /** Azure: the role assignment name (GUID). */
  name?: string;
  /** Azure with `duration`: when it ends (ISO 8601 UTC); absent when it is permanent. */
  expiresAt?: string;
  /** What the log should say of it when an assign finds it there (e.g. until when it lasts). */
  note?: string;
  /** What the step must be warned of when an assign finds it there (it ends with another run). */
  warning?: string;
  /** Azure with `duration`: a request that has not made it yet (awaiting approval): a revoke cancels it. */
  pendingRequest?: { name: string; status: string };
  /**
   * What the assignment grants beyond its key that is not what the grant asks for, in words (a
   * reconcile's Azure condition: `condition: none → …`): an assign rewrites it in place (`update`)
   * rather than leave it as it is.
   */
  outdated?: string;
}

/** What a dry run adds to a grant it would write: what the write would set, and the rules it meets. */
export interface WritePreview {
  note?: string;
  expiresAt?: string;
}

/**
 * A write's answer. Whatever its end, `warning` is what the step must be warned of because the
 * write was sent (a group's first PIM request onboards the group, for good): said once, and in the
 * job summary.
 */
export type WriteOutcome = WriteEnd & { warning?: string };

type WriteEnd =
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
  | {
      kind: 'failed';
      requestId?: string;
      failureReason: string;
      /**
       * A reliance's failure whose reason says what it left and what to do (Azure: the description
       * is full, shorten it; the deadline came before its marker read back): the engine, which
       * fails the grant for any reliance not registered, adds none of its own.
       */
      saysFix?: true;
    }
  | { kind: 'held'; check: HeldCheck };

/** What a step tells its driver before any grant: the grants, and whether their creates' ownership must be proven. */
export interface Preparation<G extends Grant = Grant> {
  /** What the step does with its grants (Azure with `duration`: an assign names its requests, a revoke also ends pending ones). */
  operation: 'assign' | 'revoke';
  grants: readonly G[];
  /** revoke-on-exit, and not a dry run: each create is proven the step's before it is saved as such. */
  proveOwnership: boolean;
}

export interface GrantDriver<G extends Grant = Grant> {
  readonly cloud: Cloud;
  /**
   * What other kinds of its session do after its writes (./write-plan.ts WriteEffect: a kind that
   * owns what the effect changes registers it): every path that writes through it runs them.
   */
  readonly effects?: readonly WriteEffect[];
  /** The word of its grants' kind when it is not `active` (Azure PIM eligibility): every result says so. */
  readonly assignmentType?: AssignmentType;
  /** A driver of several kinds' grants (a reconcile's plan): the word of the kind of the grant with these IDs. */
  assignmentTypeOf?(ids: IdsOf<G>): AssignmentType | undefined;
  /**
   * Authenticates and discovers what the grants it will act on need (AWS: the identity store,
   * when a principal is a name; the creates running now, when ownership must be proven); fails
   * the step at once when it cannot.
   */
  prepare(preparation?: Preparation<G>): Promise<void>;
  /** Resolves the names in a grant to IDs; shared lookups are made once. */
  resolve(grant: G): Promise<IdsOf<G>>;
  /**
   * What the cloud calls the IDs, as far as the reads the step made anyway answered (a principal
   * ID confirmed, a name resolved): for the results' `principalName`…; never a read of its own.
   */
  namesOf?(ids: IdsOf<G>): NameFields;
  /** The assignment as it is now, or undefined when it does not exist. */
  findExisting(ids: IdsOf<G>): Promise<ExistingAssignment | undefined>;
  create(ids: IdsOf<G>): Promise<WriteOutcome>;
  /**
   * A step whose grants end with the job found this one already in place: registers the run's
   * reliance on it where `operation: sweep` reads evidence, which is never a claim of creation
   * (AWS: a duplicate create under a second sign-in whose session name ends `-r`). Undefined when
   * the driver has no reliance to register (AWS: a `role-session-name` the user set). The engine
   * follows it as any write (../run/reliance.ts) and saves nothing of it for the post step.
   */
  registerReliance?(ids: IdsOf<G>, existing: ExistingAssignment): Promise<WriteOutcome | undefined>;
  /**
   * After a reliance `requestId` that SUCCEEDED (`ended`), or had not ended when the step stopped
   * following it: whether it made the grant again, the grant having been deleted since the step
   * read it in place (AWS: a duplicate create of an absent assignment makes it); one not ended is
   * never the step's. Undefined when it cannot have (nothing deleted it since). Absent: the service
   * says so in the reliance's answer, and its markers let a sweep end it (Azure's PUT answers 201).
   */
  relianceRemade?(ids: IdsOf<G>, requestId: string, ended: boolean): Promise<RelianceRemake | undefined>;
  remove(ids: IdsOf<G>, existing: ExistingAssignment | undefined): Promise<WriteOutcome>;
  /**
   * Rewrites an `outdated` assignment in place to what the grant asks for (Azure: its condition,
   * under its own name), and nothing else of it. A failure says what state the assignment is in.
   */
  update?(ids: IdsOf<G>, existing: ExistingAssignment): Promise<WriteOutcome>;
  /**
   * Dry run: what the write would set and whether the service's rules allow it (Azure with
   * `duration`: the end time and the PIM policy's maximum). Throws what the write would fail with.
   */
  preview?(ids: IdsOf<G>, existing: ExistingAssignment | undefined): Promise<WritePreview>;
  /**
   * Post step: one status read of a create request the main step sent and saw accepted (AWS), or
   * that had not ended when the main step ended (Azure with `duration`; one still pending is
   * cancelled, since the post step's work is to end what the main step started).
   */
  readCreate?(requestId: string, ids: IdsOf<G>): Promise<StatusSnapshot>;
  /**
   * Post step: whether a create the main step sent without hearing back (`unknown`) made the
   * assignment, by what the service recorded since `since` (epoch ms: when the create was sent,
   * less an allowance for clock skew).
   */
  findOwnCreate(ids: IdsOf<G>, since: number): Promise<OwnCreate>;
  /**
   * Whether this step's create request `requestId`, which ended SUCCEEDED, made the assignment,
   * rather than finding it made by another party's create that raced it (AWS: a duplicate create
   * ends SUCCEEDED too). Absent: the request's success proves it (Azure's 201, a PIM request).
   */
  proveCreated?(ids: IdsOf<G>, requestId: string, answeredAt?: number): Promise<CreateProof>;
  /**
   * Post step, before it deletes: whether the assignment its create `requestId` (sent at `sentAt`,
   * the runner's clock) made is still
   * that one (AWS: no delete of it, and no create of it by another party, since). Absent: an
   * assignment cannot be made again under the step's name (Azure names each per run).
   */
  stillOwn?(ids: IdsOf<G>, requestId: string, sentAt: number): Promise<CreateProof>;
  /**
   * What the post step's driver needs, besides each grant's IDs, to act where this one did (AWS:
   * the instance it discovered, the creates running as it began). Saved with the state as it is,
   * and given back as `AdapterDeps.saved`: only the adapter that gave it reads it.
   */
  postState?(): AdapterState;
  /** Calls made, by operation, and throttled responses seen (for logs and benchmarks). */
  readonly stats: CallStats;
}

/**
 * What a driver hands its post step: JSON the engine and the steps save and give back unread.
 * The adapter that gave it checks it on the way back (it comes from the runner's files).
 */
export interface AdapterState {
  readonly [key: string]: unknown;
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

/** Hides `secret` wherever the runner shows the step's output (the runner's `add-mask`). */
export type Mask = (secret: string) => void;

/**
 * What the steps give a cloud adapter: the step's deadline, the OIDC token source, the mask for
 * the credentials it gets, cancellation, logging.
 */
export interface AdapterDeps {
  deadline: Deadline;
  requestToken: TokenSource;
  mask: Mask;
  signal?: AbortSignal;
  debug?: (message: string) => void;
  /** A plain log line, for what a user waits on (a write retried until a principal replicates). */
  info?: (message: string) => void;
  /** Post step: what the main step's driver handed over (`postState()`), as it gave it. */
  saved?: AdapterState;
  /**
   * Post step: the create requests the main step sent and heard back about (none is another
   * party's), which every saved entry carries whatever the cloud.
   */
  ownCreates?: string[];
  /** Where the step's calls stand, for a long read's progress lines (./read-progress.ts). */
  activity?: CallActivity;
  /**
   * GitHub's word on runs of the step's repository (github/runs.ts, with `github-token`): a relying
   * step proves with it which reliance markers belong to ended runs when it needs their room.
   * Absent when the step has no token or relies on nothing.
   */
  readRuns?: ReadRuns;
}

/** The state of each run asked about (by runKeyOf), as the sweep reads them. */
export type ReadRuns = (runs: readonly RunRef[]) => Promise<ReadonlyMap<string, RunState>>;

/** The word of a grant's kind when it is not `active`: its driver's, or its own in a driver of several kinds. */
export function assignmentTypeOfGrant<G extends Grant>(
  driver: GrantDriver<G>,
  ids: IdsOf<G> | undefined,
): AssignmentType | undefined {
  return (ids && driver.assignmentTypeOf?.(ids)) ?? driver.assignmentType;
}
