// Runs every grant of a step through one driver: resolve, read current state, write, follow the
// request to a terminal status. One grant failing does not stop the others, and no grant starts
// once the deadline has passed.
import { mayHaveBeenApplied } from './calls.js';
import { NotSentError, type Deadline } from './deadline.js';
import type {
  CreateProof,
  ExistingAssignment,
  GrantDriver,
  Ownership,
  PendingRequest,
  WriteOutcome,
} from './driver.js';
import { RequestFollower, type StatusSnapshot } from './follow.js';
import { mapWithConcurrency } from './limits.js';
import { describeError } from '../core/errors.js';
import type {
  AssignmentState,
  Grant,
  GrantResult,
  Operation,
  PlannedChange,
  ResolvedIds,
} from '../core/types.js';

export interface RunGrantsOptions<G extends Grant = Grant> {
  operation: Exclude<Operation, 'provision'>;
  dryRun: boolean;
  wait: boolean;
  maxConcurrency: number;
  deadline: Deadline;
  signal?: AbortSignal;
  /**
   * Called as a create's ownership becomes known: `unknown` just before it is sent (a step killed
   * mid-request leaves the post step something to resolve), then `accepted`, `created` or
   * `not-created` as the service answers. The main step saves state at each point.
   */
  onOwnership?: (
    grant: G,
    ids: ResolvedIds,
    ownership: Ownership,
    requestId?: string,
    /** When the create's answer arrived (epoch ms), for a proof made later (the post step's). */
    answeredAt?: number,
  ) => void;
  /** Called with each result as soon as its grant ends (for per-grant log groups). */
  onResult?: (result: GrantResult) => void;
  /**
   * Revoke: send the delete even when the read finds nothing. The post step revokes creates this
   * step made moments before, which reads may not show yet: an IN_PROGRESS
   * CreateAccountAssignment is not listed, and ARM's reads lag its writes. Deleting what is absent
   * changes nothing.
   */
  deleteWhenAbsent?: boolean;
  now?: () => number;
}

export async function runGrants<G extends Grant>(
  grants: G[],
  driver: GrantDriver<G>,
  options: RunGrantsOptions<G>,
): Promise<GrantResult[]> {
  const now = options.now ?? Date.now;
  const report = (result: Omit<GrantResult, 'durationMs'>, started: number): GrantResult => {
    const finished: GrantResult = { ...result, durationMs: now() - started };
    options.onResult?.(finished);
    return finished;
  };
  const run: Run<G> = { driver, options, follower: new RequestFollower(options), reads: new Map() };
  return mapWithConcurrency(
    grants,
    options.maxConcurrency,
    async (grant, index) => {
      const started = now();
      // While this grant writes and waits, the reads of the grant that starts `maxConcurrency`
      // places later are made, so that its write can go as soon as a place is free.
      const later = grants[index + options.maxConcurrency];
      if (later) readAhead(later, run);
      return report(await runGrant(grant, run), started);
    },
    {
      bound: { deadline: options.deadline, signal: options.signal },
      result: (grant) =>
        report(
          {
            ...baseResult(grant, driver, options),
            status: 'IN_PROGRESS',
            failureReason: `not started: the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed before its turn; nothing was requested`,
          },
          now(),
        ),
    },
  );
}

function baseResult<G extends Grant>(grant: G, driver: GrantDriver<G>, options: RunGrantsOptions<G>) {
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

type Reported = Omit<GrantResult, 'durationMs'>;

/** What every grant of one run shares. */
interface Run<G extends Grant> {
  driver: GrantDriver<G>;
  options: RunGrantsOptions<G>;
  /** Follows every accepted request of the run, learning how long they take. */
  follower: RequestFollower;
  /** Each grant's reads (its IDs and the assignment as it is), started ahead of its turn. */
  reads: Map<G, Promise<GrantReads>>;
}

/** A grant's IDs and the assignment as it is, or why they could not be read (with the IDs, once resolved). */
type GrantReads =
  { ids: ResolvedIds; existing: ExistingAssignment | undefined } | { ids?: ResolvedIds; failed: unknown };

/** The grant's IDs and current assignment, read once: ahead of its turn, or when it comes. */
function readAhead<G extends Grant>(grant: G, run: Run<G>): Promise<GrantReads> {
  let reads = run.reads.get(grant);
  if (!reads) {
    reads = readGrant(grant, run.driver);
    run.reads.set(grant, reads);
  }
  return reads;
}

/** Never rejects: a read made ahead that fails is reported when the grant's turn comes. */
async function readGrant<G extends Grant>(grant: G, driver: GrantDriver<G>): Promise<GrantReads> {
  const saved = grant.resolved;
  let ids: ResolvedIds | undefined;
  try {
    ids = saved ?? (await driver.resolve(grant));
    let existing = await driver.findExisting(ids);
    // Saved IDs name one assignment: one found under another name (Azure lists the principal's
    // assignments) is someone else's, made after ours was removed, and is not touched.
    if (saved?.name && existing?.name && existing.name.toLowerCase() !== saved.name.toLowerCase())
      existing = undefined;
    return { ids, existing };
  } catch (failed) {
    return ids ? { ids, failed } : { failed };
  }
}

/** A grant's result so far: everything but its status. */
type Known = Omit<GrantResult, 'durationMs' | 'status'>;

/** What the write of one grant is judged against once it is sent. */
interface Write<G extends Grant> {
  grant: G;
  ids: ResolvedIds;
  known: Known;
  /** What the assignment should be once the write is done. */
  intended: 'present' | 'absent';
}

async function runGrant<G extends Grant>(grant: G, run: Run<G>): Promise<Reported> {
  const { driver, options } = run;
  const assign = options.operation === 'assign';
  const base = baseResult(grant, driver, options);
  const reads = await readAhead(grant, run);
  if ('failed' in reads)
    return failedBeforeAnswer(
      reads.failed,
      { ...base, ...(reads.ids ? { resolved: reads.ids } : {}) },
      assign,
    );
  const { ids, existing } = reads;
  try {
    const deleteAnyway = !assign && !existing && options.deleteWhenAbsent === true;
    // A read that found nothing is not proof of absence when the delete is sent anyway.
    const before = existing ? 'present' : deleteAnyway ? 'unknown' : 'absent';
    const known = {
      ...base,
      resolved: ids,
      before,
      ...(existing?.assignmentId ? { assignmentId: existing.assignmentId } : {}),
      ...(existing?.expiresAt ? { expiresAt: existing.expiresAt } : {}),
    } as const;
    if (assign === Boolean(existing) && !deleteAnyway) {
      // Already as asked: assigning what exists, or revoking what is absent, changes nothing.
      return {
        ...known,
        status: 'SUCCEEDED',
        after: before,
        ...(assign && existing?.note ? { note: existing.note } : {}),
      };
    }
    const change: PlannedChange = assign ? 'create' : 'delete';
    if (options.dryRun) {
      const preview = await driver.preview?.(ids, existing);
      return { ...known, ...preview, status: 'SUCCEEDED', change, after: before };
    }

    const outcome = assign
      ? await createTracked(grant, ids, driver, options)
      : await driver.remove(ids, existing);
    const write = {
      grant,
      ids,
      known: { ...known, change },
      intended: assign ? 'present' : 'absent',
    } as const;
    return await judgeOutcome(outcome, write, run);
  } catch (error) {
    return failedBeforeAnswer(error, { ...base, resolved: ids }, assign);
  }
}

/** The result of a write the service answered: refused, done at once, or accepted and followed. */
async function judgeOutcome<G extends Grant>(
  outcome: WriteOutcome,
  write: Write<G>,
  run: Run<G>,
): Promise<Reported> {
  const { known, intended } = write;
  switch (outcome.kind) {
    case 'failed':
      return {
        ...known,
        status: 'FAILED',
        failureReason: outcome.failureReason,
        after: known.before,
        ...optionalRequestId(outcome.requestId),
      };
    case 'done':
      return {
        ...known,
        status: 'SUCCEEDED',
        changed: outcome.changed,
        // A write the service left short of its intent (a removal it refused for now): as the reads found it.
        before:
          outcome.after !== undefined && outcome.after !== intended
            ? known.before
            : beforeShownBy(outcome.changed, intended),
        after: outcome.after ?? intended,
        ...optionalRequestId(outcome.requestId),
        ...(outcome.assignmentId ? { assignmentId: outcome.assignmentId } : {}),
        ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}),
        ...(outcome.endsOnItsOwn ? { endsOnItsOwn: true } : {}),
        ...(outcome.note ? { note: outcome.note } : {}),
      };
    case 'pending':
      try {
        return await followRequest(outcome.request, write, run);
      } finally {
        outcome.request.release?.();
      }
  }
}

/** An accepted write, followed to a terminal status unless `wait` is off or the deadline comes first. */
async function followRequest<G extends Grant>(
  request: PendingRequest,
  { grant, ids, known, intended }: Write<G>,
  { follower, options, driver }: Run<G>,
): Promise<Reported> {
  const assign = options.operation === 'assign';
  const accepted = {
    ...known,
    requestId: request.requestId,
    ...(request.assignmentId ? { assignmentId: request.assignmentId } : {}),
  };
  if (!options.wait) return { ...accepted, status: 'IN_PROGRESS', changed: true, after: 'unknown' };
  const snapshot = await follower.follow(request).catch((error: unknown): StatusSnapshot => {
    // A status read the deadline kept from being sent: the write itself was accepted.
    if (error instanceof NotSentError) return { status: 'IN_PROGRESS' };
    throw error;
  });
  switch (snapshot.status) {
    case 'SUCCEEDED': {
      const changed = snapshot.changed ?? true;
      const unproven =
        assign && !request.createdOnAcceptance
          ? await settleOwnership(grant, ids, request.requestId, driver, options)
          : undefined;
      return {
        ...accepted,
        status: 'SUCCEEDED',
        changed,
        before: beforeShownBy(changed, intended),
        after: intended,
        ...(snapshot.expiresAt ? { expiresAt: snapshot.expiresAt } : {}),
        ...(unproven ? { note: unproven } : {}),
      };
    }
    case 'FAILED':
      if (assign) options.onOwnership?.(grant, ids, 'not-created');
      return {
        ...accepted,
        status: 'FAILED',
        failureReason: snapshot.failureReason ?? 'the service reported FAILED without a reason',
        after: known.before,
      };
    default:
      if (snapshot.awaiting !== undefined)
        return {
          ...accepted,
          status: 'IN_PROGRESS',
          changed: true,
          awaiting: true,
          failureReason: snapshot.awaiting,
        };
      return {
        ...accepted,
        status: 'IN_PROGRESS',
        changed: true,
        failureReason: `still IN_PROGRESS when the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed; request ${request.requestId} may still finish`,
      };
  }
}

/**
 * A create request of this step's ended SUCCEEDED: it is the step's (`created`) once the driver
 * shows the request is what made the assignment, and `contested` when another party's create for
 * it ran too (the post step leaves it in place, and says so if it is still there). Only asked when
 * ownership is being saved (revoke-on-exit). Returns the note for the log when it is not proven;
 * when the proof cannot be read, the grant stays `accepted`, for the post step to prove.
 */
async function settleOwnership<G extends Grant>(
  grant: G,
  ids: ResolvedIds,
  requestId: string,
  driver: GrantDriver<G>,
  options: RunGrantsOptions<G>,
): Promise<string | undefined> {
  if (!options.onOwnership) return undefined;
  let proof: CreateProof;
  try {
    proof = (await driver.proveCreated?.(ids, requestId)) ?? { created: true };
  } catch {
    return undefined;
  }
  if (proof.created) {
    options.onOwnership(grant, ids, 'created', requestId);
    return undefined;
  }
  options.onOwnership(grant, ids, 'contested', requestId);
  return `revoke-on-exit leaves it in place: ${proof.why}`;
}

/** A grant that failed before the service answered its write (or before it was sent). */
function failedBeforeAnswer(error: unknown, known: Known, assign: boolean): Reported {
  if (error instanceof NotSentError) {
    return {
      ...known,
      status: 'IN_PROGRESS',
      failureReason: `${error.message}; nothing was written for this grant`,
    };
  }
  return {
    ...known,
    status: 'FAILED',
    failureReason: describeError(error),
    ...(assign && mayHaveBeenApplied(error)
      ? {
          note: 'the create was sent but its answer never came: it may have been applied. revoke-on-exit revokes it only if the service shows this step created it',
        }
      : {}),
  };
}

/**
 * The create, reporting its ownership as the service shows it: `unknown` while it is in flight,
 * then `accepted` / `created` when the service says so, `not-created` when it refused, answered
 * that the assignment was there already, or the request was never sent. A create whose answer
 * never came (a dead connection, the deadline) stays `unknown` for the post step to resolve.
 */
async function createTracked<G extends Grant>(
  grant: G,
  ids: ResolvedIds,
  driver: GrantDriver<G>,
  options: RunGrantsOptions<G>,
): Promise<WriteOutcome> {
  options.onOwnership?.(grant, ids, 'unknown');
  try {
    const outcome = await driver.create(ids);
    if (outcome.kind === 'pending') {
      const { request } = outcome;
      options.onOwnership?.(
        grant,
        ids,
        request.createdOnAcceptance ? 'created' : 'accepted',
        request.requestId,
        Date.now(),
      );
    } else if (outcome.kind === 'done' && outcome.changed) {
      // Answered SUCCEEDED at once: proven as a followed request is. Without a request ID there is
      // nothing to prove it by, where proof is needed.
      const unproven = outcome.requestId
        ? await settleOwnership(grant, ids, outcome.requestId, driver, options)
        : driver.proveCreated
          ? (options.onOwnership?.(grant, ids, 'contested'),
            'revoke-on-exit leaves it in place: the service answered without a request ID to prove it by')
          : (options.onOwnership?.(grant, ids, 'created'), undefined);
      if (unproven) return { ...outcome, note: outcome.note ? `${outcome.note}; ${unproven}` : unproven };
    } else {
      options.onOwnership?.(grant, ids, 'not-created');
    }
    return outcome;
  } catch (error) {
    options.onOwnership?.(grant, ids, mayHaveBeenApplied(error) ? 'unknown' : 'not-created');
    throw error;
  }
}

/**
 * What a write that SUCCEEDED shows the assignment was before it, whatever the reads said (they
 * may lag the service): one that changed nothing found it as intended already (a create answered
 * "it is there", a delete answered "not found"); one that changed it found the opposite.
 */
function beforeShownBy(changed: boolean, intended: 'present' | 'absent'): AssignmentState {
  if (!changed) return intended;
  return intended === 'present' ? 'absent' : 'present';
}

function optionalRequestId(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}
