// Runs every grant of a step through one driver: resolve, read current state, write, follow the
// request to a terminal status. One grant failing does not stop the others.
import type { Deadline } from './deadline.js';
import type { GrantDriver, WriteOutcome } from './driver.js';
import { mapWithConcurrency } from './limits.js';
import { waitForTerminalStatus } from './poll.js';
import { CloudAccessError, describeError } from '../core/errors.js';
import type { Grant, GrantResult, Operation, PlannedChange, ResolvedIds } from '../core/types.js';

export interface RunGrantsOptions {
  operation: Exclude<Operation, 'provision'>;
  dryRun: boolean;
  wait: boolean;
  maxConcurrency: number;
  deadline: Deadline;
  signal?: AbortSignal;
  /**
   * Called just before a create is sent, and again once it is known whether the assignment may now
   * exist because of this step: the main step saves state at both points, so a step killed
   * mid-request still leaves the post step what it needs.
   */
  onCreate?: (
    grant: Grant,
    ids: ResolvedIds,
    phase: 'sending' | 'created' | 'not-created',
    requestId?: string,
  ) => void;
  /** Called with each result as soon as its grant ends (for per-grant log groups). */
  onResult?: (result: GrantResult) => void;
  /**
   * Revoke: send the delete even when the read finds nothing. The post step revokes creates sent
   * moments before (a cancelled job), which reads may not show yet: an IN_PROGRESS
   * CreateAccountAssignment is not listed, and ARM's reads lag its writes. Deleting what is absent
   * changes nothing.
   */
  deleteWhenAbsent?: boolean;
  now?: () => number;
}

export async function runGrants(
  grants: Grant[],
  driver: GrantDriver,
  options: RunGrantsOptions,
): Promise<GrantResult[]> {
  const now = options.now ?? Date.now;
  return mapWithConcurrency(grants, options.maxConcurrency, async (grant) => {
    const started = now();
    const result = await runGrant(grant, driver, options);
    const finished: GrantResult = { ...result, durationMs: now() - started };
    options.onResult?.(finished);
    return finished;
  });
}

async function runGrant(
  grant: Grant,
  driver: GrantDriver,
  options: RunGrantsOptions,
): Promise<Omit<GrantResult, 'durationMs'>> {
  const assign = options.operation === 'assign';
  const base = {
    cloud: driver.cloud,
    operation: options.operation,
    ...grant,
    alreadyExisted: false,
    changed: false,
    before: 'unknown' as const,
    after: 'unknown' as const,
    plan: 'none' as const,
  };
  let ids: ResolvedIds | undefined;
  try {
    ids = await driver.resolve(grant);
    const existing = await driver.findExisting(ids);
    const deleteAnyway = !assign && !existing && options.deleteWhenAbsent === true;
    // A read that found nothing is not proof of absence when the delete is sent anyway.
    const before = existing ? 'present' : deleteAnyway ? 'unknown' : 'absent';
    const known = {
      ...base,
      resolved: ids,
      before,
      ...(existing?.assignmentId ? { assignmentId: existing.assignmentId } : {}),
    } as const;
    if (assign === Boolean(existing) && !deleteAnyway) {
      // Already as asked: assigning what exists, or revoking what is absent, changes nothing.
      return { ...known, status: 'SUCCEEDED', alreadyExisted: true, after: before };
    }
    const plan: PlannedChange = assign ? 'create' : 'delete';
    if (options.dryRun) return { ...known, status: 'SUCCEEDED', plan, after: before };

    const outcome = assign
      ? await createTracked(grant, ids, driver, options)
      : await driver.remove(ids, existing);
    const intended = assign ? 'present' : 'absent';
    switch (outcome.kind) {
      case 'failed':
        return {
          ...known,
          plan,
          status: 'FAILED',
          failureReason: outcome.failureReason,
          after: before,
          ...optionalRequestId(outcome.requestId),
        };
      case 'done':
        return {
          ...known,
          plan,
          status: 'SUCCEEDED',
          changed: outcome.changed,
          alreadyExisted: outcome.alreadyExisted ?? !outcome.changed,
          after: intended,
          ...optionalRequestId(outcome.requestId),
          ...(outcome.assignmentId ? { assignmentId: outcome.assignmentId } : {}),
        };
      case 'pending': {
        const { request } = outcome;
        const accepted = {
          ...known,
          plan,
          requestId: request.requestId,
          ...(request.assignmentId ? { assignmentId: request.assignmentId } : {}),
        };
        try {
          if (!options.wait) return { ...accepted, status: 'IN_PROGRESS', changed: true, after: 'unknown' };
          const snapshot = await waitForTerminalStatus(() => request.poll(), {
            deadline: options.deadline,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          switch (snapshot.status) {
            case 'SUCCEEDED': {
              const changed = snapshot.changed ?? true;
              return { ...accepted, status: 'SUCCEEDED', changed, alreadyExisted: !changed, after: intended };
            }
            case 'FAILED':
              if (assign) options.onCreate?.(grant, ids, 'not-created');
              return {
                ...accepted,
                status: 'FAILED',
                failureReason: snapshot.failureReason ?? 'the service reported FAILED without a reason',
                after: before,
              };
            default:
              return {
                ...accepted,
                status: 'IN_PROGRESS',
                changed: true,
                failureReason: `still IN_PROGRESS when the ${options.deadline.seconds}s deadline (\`timeout-seconds\`) passed; request ${request.requestId} may still finish`,
              };
          }
        } finally {
          request.release?.();
        }
      }
    }
  } catch (error) {
    return {
      ...base,
      ...(ids ? { resolved: ids } : {}),
      status: 'FAILED',
      failureReason: describeError(error),
    };
  }
}

/** The create, with state hooks: a refused create is forgotten, anything else may have created it. */
async function createTracked(
  grant: Grant,
  ids: ResolvedIds,
  driver: GrantDriver,
  options: RunGrantsOptions,
): Promise<WriteOutcome> {
  options.onCreate?.(grant, ids, 'sending');
  try {
    const outcome = await driver.create(ids);
    const requestId = outcome.kind === 'pending' ? outcome.request.requestId : undefined;
    options.onCreate?.(grant, ids, outcome.kind === 'failed' ? 'not-created' : 'created', requestId);
    return outcome;
  } catch (error) {
    // A CloudAccessError is the service's definite "no"; anything else (deadline, network) leaves
    // the create's fate unknown, so the post step keeps it and revokes it if it exists.
    options.onCreate?.(grant, ids, error instanceof CloudAccessError ? 'not-created' : 'created');
    throw error;
  }
}

function optionalRequestId(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}
