// Whose an assignment is, in the words a driver (./driver.ts GrantDriver) answers in: whether the
// step's create made it (Ownership, CreateProof), what the post step learns of a create it never
// heard back about (OwnCreate), and whether a reliance made it again (RelianceRemake). Only the
// service can say so. Kept apart from the driver's interface because the engine's ownership rules
// (../run/ownership.ts, ../run/create-ownership.ts) and each adapter's proofs read and build these
// without calling a driver.

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

/** What the post step learns about a create the main step sent without hearing back. */
export type OwnCreate =
  | { ownership: 'created'; requestId?: string }
  | { ownership: 'accepted'; requestId: string }
  /** `mayBeOwn`: the service cannot tell whose it is (a person should look), rather than showing it is another's. */
  | { ownership: 'not-created'; why: string; mayBeOwn?: true; absent?: true };

/**
 * A reliance that made the grant again: `byStep` when the service shows it is what made it (then
 * it is the step's own create, which its post step revokes as any other), else it may have, and
 * nothing would end it (the step warns). `why` says which delete, and why not proven.
 */
export interface RelianceRemake {
  byStep: boolean;
  why: string;
}

/** Whether a create request that ended SUCCEEDED is what made the assignment. */
export type CreateProof =
  | { created: true }
  /**
   * `mayBeOwn`: the step's create may still be part of what holds it (a person should look).
   * `gone`: another party removed it, and nothing made it again: nothing to revoke.
   */
  | { created: false; why: string; mayBeOwn?: boolean; gone?: boolean };
