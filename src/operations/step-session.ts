// What a step is given once it signs in (steps/sessions.ts opens it): the deadline, the signed-in
// driver, and what the operations that hold one share of it.
import type { ExpandTargets } from '../aws/index.js';
import type { CloudAccessError } from '../core/errors.js';
import type { Grant } from '../core/types.js';
import type { RunPlan } from '../core/inputs/index.js';
import type { AdapterState, GrantDriver } from '../engine/calls/driver.js';
import type { CallActivity } from '../engine/calls/read-progress.js';
import type { Deadline } from '../engine/limits/deadline.js';
import type { AuditLogTarget } from '../core/inputs/index.js';
import type { AuditStep } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { SavedSection } from '../engine/run/saved-sections.js';

/** `audit-log` for one step: where, as which step of which run, and the first record's number. */
export interface AuditPlan {
  target: AuditLogTarget;
  step: AuditStep;
  firstNumber: number;
}

/**
 * The audit a post step follows: where its main step recorded, and the number after the main
 * step's records. The step and run its records name are the post step's own, made where the main
 * step's are (steps/audit-trail.ts).
 */
export type SavedAudit = Pick<AuditPlan, 'target' | 'firstNumber'>;

/** What a session takes of the step's plan: its budgets (the deadline). */
export type SessionPlan = Pick<RunPlan<unknown>, 'timeoutSeconds' | 'postTimeoutSeconds'>;

/** What the post step's session takes of its plan: its own budget, `post-timeout-seconds`. */
export type PostSessionPlan = Pick<RunPlan<unknown>, 'postTimeoutSeconds'>;

export interface SessionOptions {
  /** The post step runs on its own budget (`post-timeout-seconds`), the others on `timeout-seconds`. */
  step: 'main' | 'post';
  signal?: AbortSignal;
  /** Post step: what the main step's driver handed over, unread. */
  saved?: AdapterState;
  /** Post step: the create requests its saved entries carry (`AdapterDeps.ownCreates`). */
  ownCreates?: string[];
  /** A step that may rely on another run's grant: whose runs it may ask GitHub about (`AdapterDeps.readRuns`). */
  runs?: { token: string; repository?: string | undefined; repositoryId?: string | undefined };
  /** `audit-log`: the step records each change it makes (absent: no records, as in a dry run). */
  audit?: AuditPlan;
}

export interface Session {
  deadline: Deadline;
  driver: GrantDriver;
  /** AWS: OU, root and path targets into accounts (aws/index.ts). */
  expandTargets?: ExpandTargets;
  /** Where the step's calls stand, for the progress lines of a long read. */
  activity?: CallActivity;
  /** `audit-log`'s trail: every write of the session's grants waits for the step's first record. */
  audit?: AuditTrail;
  /** The post step's parts of the kinds whose sections save creates that end with the job, over this session. */
  sections?: readonly SavedSection[];
}

/**
 * Whether a step may make its grants at all, asked once its session is signed in and its targets
 * are expanded, before any write (an access request's rule, decided on what the grants resolve
 * to: operations/request/within-rule.ts). Each refusal stops the step with nothing written.
 */
export type GrantAdmission = (
  grants: readonly Grant[],
  session: Pick<Session, 'driver' | 'expandTargets'>,
) => Promise<CloudAccessError[]>;
