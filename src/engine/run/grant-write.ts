// One grant's write, as the grant writer (./run-grants.ts) sends each: its IDs and the assignment
// as it is read (ahead of its turn when a place comes free), the write sent or not (already as
// asked, a dry run, a delete left by its last check), and its request followed to a terminal
// status. What every grant of a batch shares is its Run.
import { createTracked, type OnOwnership } from './create-ownership.js';
import type { Deadline } from '../limits/deadline.js';
import type { ExistingAssignment, GrantDriver, WriteOutcome } from '../calls/driver.js';
import { failedBeforeAnswer, judgeOutcome, type AnswerContext, type Reported } from './grant-answers.js';
import { refusedByService } from '../calls/call-failures.js';
import type { BatchProgress } from '../calls/progress.js';
import { registerReliance, relianceFields } from './reliance.js';
import type { Grant, IdsOf, Operation } from '../../core/types.js';
import type { GrantResult, PlannedChange } from '../../core/grant-result.js';
import type { AuditTrail } from '../audit/trail.js';

export interface RunGrantsOptions<G extends Grant = Grant> {
  operation: Exclude<Operation, 'provision'>;
  dryRun: boolean;
  wait: boolean;
  maxConcurrency: number;
  deadline: Deadline;
  signal?: AbortSignal;
  /** Called as a create's ownership becomes known (./create-ownership.ts); the main step saves it. */
  onOwnership?: OnOwnership<G>;
  /** Called with each result as soon as its grant ends (for per-grant log groups). */
  onResult?: (result: GrantResult) => void;
  /**
   * Revoke: send the delete even when the read finds nothing. The post step revokes creates this
   * step made moments before, which reads may not show yet: an IN_PROGRESS
   * CreateAccountAssignment is not listed, and ARM's reads lag its writes. Deleting what is absent
   * changes nothing.
   */
  deleteWhenAbsent?: boolean;
  /**
   * Assign, by a step whose grants end with the job: each grant found already in place gets the
   * run's reliance registered on it (./reliance.ts), so that no sweep ends it while this run goes.
   */
  relyOnExisting?: boolean;
  /**
   * Revoke: asked in each grant's own turn, just before its delete is sent; what it answers leaves
   * the grant in place. What a batch checked before its first delete can change while it works
   * through the rest (another job relies on a grant since), so a delete is judged as late as can be.
   */
  confirmDelete?: (grant: G, ids: IdsOf<G>) => Promise<LeftInPlace | undefined>;
  /** Says where the grants stand while they wait (../calls/progress.ts); shared by a step's batches. */
  progress?: BatchProgress;
  /**
   * `audit-log`: no write is sent before the step's first record is written, and each change is
   * recorded as its grant ends (../audit/trail.ts). A dry run records nothing.
   */
  audit?: AuditTrail;
  now?: () => number;
}

/** A delete not sent after all, and why (`status` SUCCEEDED: left by rule; else the check failed). */
export interface LeftInPlace {
  status: GrantResult['status'];
  reason: string;
  /** The check found the assignment gone. */
  gone?: boolean;
}

export function baseResult<G extends Grant>(
  grant: G,
  driver: GrantDriver<G>,
  options: Pick<RunGrantsOptions<G>, 'operation'>,
) {
  return {
    cloud: driver.cloud,
    operation: options.operation,
    ...grant.written,
    changed: false,
    before: 'unknown' as const,
    after: 'unknown' as const,
    change: 'none' as const,
  };
}

/** What every grant of one run shares, with the driver and operation of one write. */
export interface Run<G extends Grant> extends AnswerContext<G> {
  options: Omit<RunGrantsOptions<G>, 'maxConcurrency'>;
  /** Each grant's reads (its IDs and the assignment as it is), started ahead of its turn. */
  reads: Map<G, Promise<GrantReads<G>>>;
}

/** A grant's IDs and the assignment as it is, or why they could not be read (with the IDs, once resolved). */
export type GrantReads<G extends Grant> =
  { ids: IdsOf<G>; existing: ExistingAssignment | undefined } | { ids?: IdsOf<G>; failed: unknown };

/** The grant's IDs and current assignment, read once: ahead of its turn, or when it comes. */
export function readAhead<G extends Grant>(grant: G, run: Run<G>): Promise<GrantReads<G>> {
  let reads = run.reads.get(grant);
  if (!reads) {
    reads = readGrant(grant, run.driver);
    run.reads.set(grant, reads);
  }
  return reads;
}

/** Never rejects: a read made ahead that fails is reported when the grant's turn comes. */
async function readGrant<G extends Grant>(grant: G, driver: GrantDriver<G>): Promise<GrantReads<G>> {
  const saved: IdsOf<G> | undefined = grant.resolved as IdsOf<G> | undefined;
  const savedName = saved?.name;
  let ids: IdsOf<G> | undefined;
  try {
    ids = saved ?? (await driver.resolve(grant));
    let existing = await driver.findExisting(ids);
    // Saved IDs name one assignment: one found under another name (Azure lists the principal's
    // assignments) is someone else's, made after ours was removed, and is not touched.
    if (savedName && existing?.name && existing.name.toLowerCase() !== savedName.toLowerCase())
      existing = undefined;
    return { ids, existing };
  } catch (failed) {
    return ids ? { ids, failed } : { failed };
  }
}

/** Gives a grant's place to the next once only reads are left of it. */
type Release = () => void;

/** One grant's turn: `release` gives its place to the next once only reads are left of it. */
export async function runGrant<G extends Grant>(grant: G, run: Run<G>, release: Release): Promise<Reported> {
  const { driver, options } = run;
  const assign = options.operation === 'assign';
  const base = baseResult(grant, driver, options);
  const reads = await readAhead(grant, run);
  // A read's failure: no write was sent, so none may have been applied.
  if ('failed' in reads)
    return failedBeforeAnswer(
      reads.failed,
      { ...base, ...(reads.ids ? { resolved: reads.ids } : {}) },
      false,
    );
  const { ids, existing } = reads;
  try {
    const deleteAnyway = !assign && !existing && options.deleteWhenAbsent === true;
    // A read that found nothing is not proof of absence when the delete is sent anyway.
    const before = existing ? 'present' : deleteAnyway ? 'unknown' : 'absent';
    const known = {
      ...base,
      ...driver.namesOf?.(ids),
      resolved: ids,
      before,
      ...(existing?.assignmentId ? { assignmentId: existing.assignmentId } : {}),
      ...(existing?.expiresAt ? { expiresAt: existing.expiresAt } : {}),
    } as const;
    // There, but not as asked (a reconcile's Azure condition): rewritten in place.
    const outdated = assign && existing?.outdated !== undefined ? existing : undefined;
    if (assign === Boolean(existing) && !deleteAnyway && !outdated) {
      // Already as asked: assigning what exists, or revoking what is absent, changes nothing.
      const reliance =
        assign && existing && options.relyOnExisting && !options.dryRun
          ? await registerReliance(grant, ids, existing, run)
          : undefined;
      return {
        ...known,
        status: 'SUCCEEDED',
        after: before,
        ...(assign && existing?.note ? { note: existing.note } : {}),
        ...(assign && existing?.warning ? { warning: existing.warning } : {}),
        ...relianceFields(reliance),
      };
    }
    const change: PlannedChange = outdated ? 'update' : assign ? 'create' : 'delete';
    if (options.dryRun) {
      const preview = outdated ? undefined : await driver.preview?.(ids, existing);
      return { ...known, ...preview, status: 'SUCCEEDED', change, after: before };
    }

    const left = !assign && !outdated ? await options.confirmDelete?.(grant, ids) : undefined;
    if (left)
      return {
        ...known,
        status: left.status,
        // Found gone by the check: there was nothing to revoke.
        ...(left.gone ? { before: 'absent', after: 'absent' } : { after: before }),
        ...(left.status === 'SUCCEEDED' ? { note: left.reason } : { failureReason: left.reason }),
      };
    const sent = { ...known, change };
    const outcome = await sendWrite(() =>
      outdated
        ? updateOf(driver)(ids, outdated)
        : assign
          ? createTracked(grant, ids, driver, options.onOwnership)
          : driver.remove(ids, existing),
    );
    if ('refused' in outcome) return failedBeforeAnswer(outcome.refused, sent, false);
    // Applied already, or nothing to write (held already): only reads are left, and the next
    // grant's write need not wait for them.
    if ((outcome.kind === 'pending' && outcome.request.appliedOnAnswer) || outcome.kind === 'held') release();
    const write = { grant, ids, known: sent, intended: assign ? 'present' : 'absent' } as const;
    const result = await judgeOutcome(outcome, write, run);
    // The create's answer said it was there already (ARM: 409 RoleAssignmentExists, or 200 under
    // its name, where a read may lag): relied on, as one the read found.
    const thereAlready = outcome.kind === 'held' || (outcome.kind === 'done' && !outcome.changed);
    const foundByAnswer = assign && !outdated && thereAlready && result.status === 'SUCCEEDED';
    if (!foundByAnswer || !options.relyOnExisting) return result;
    const reliance = await registerReliance(
      grant,
      ids,
      { ...(result.assignmentId ? { assignmentId: result.assignmentId } : {}) },
      run,
    );
    return { ...result, ...relianceFields(reliance) };
  } catch (error) {
    // An update's failure is no create's: nothing of a lost create's ownership applies to it.
    return failedBeforeAnswer(error, { ...base, resolved: ids }, assign && existing?.outdated === undefined);
  }
}

/**
 * The write's outcome, or its refusal by the service (denied, invalid, a conflict): a change that
 * ended FAILED, whose result says which change (and so has its audit record). A write never sent,
 * or sent without an answer, throws as it did.
 */
async function sendWrite(write: () => Promise<WriteOutcome>): Promise<WriteOutcome | { refused: unknown }> {
  try {
    return await write();
  } catch (error) {
    if (!refusedByService(error)) throw error;
    return { refused: error };
  }
}

/** The driver's update; a driver without one cannot rewrite an assignment, and says so. */
function updateOf<G extends Grant>(driver: GrantDriver<G>): NonNullable<GrantDriver<G>['update']> {
  if (driver.update) return driver.update.bind(driver);
  return () => Promise.reject(new Error(`the ${driver.cloud} driver cannot update an assignment in place`));
}
