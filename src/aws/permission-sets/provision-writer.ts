// The writer of `operation: provision`'s requests (engine/calls/write-plan.ts KindWriter): each
// write of its plan is one ProvisionPermissionSet, to one account or to every account the set is
// provisioned to, sent through the provisioning driver (./provision-driver.ts) once the step's
// first record is written, followed to a terminal status with the engine's follower unless `wait`
// is off or the deadline comes first, and recorded (./provision-record.ts). What a request comes
// to is its outcome, told to the run (./provision-run.ts), which sums a set's outcomes up in the
// set's one result: a request has no row of its own.
import { describeError } from '../../core/errors.js';
import { ALL_PROVISIONED_ACCOUNTS } from '../../core/inputs/org-targets.js';
import type { ProvisionOutcome } from '../../core/plan/provision-plan.js';
import { NotSentError, type Deadline } from '../../engine/limits/deadline.js';
import { RequestFollower } from '../../engine/run/follow.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { mayHaveBeenApplied } from '../../engine/calls/call-failures.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import type { KindWriter, WriteEnded } from '../../engine/calls/write-plan.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { PROVISION_SLOT_WAIT, type ProvisionDriver, type ProvisionRequestSent } from './provision-driver.js';
import { provisionRecord, type ProvisionChange } from './provision-record.js';

/** One ProvisionPermissionSet of the plan: its set, and its account (none: every provisioned account). */
export interface ProvisionRequestWrite {
  permissionSetArn: string;
  account: string | undefined;
  /** Told how the request came out, sent or not. */
  told(outcome: ProvisionOutcome): void;
}

export interface ProvisionWriterOptions {
  wait: boolean;
  deadline: Deadline;
  /** `audit-log` (none in a dry run): no request is sent before the step's first record, and each one sent is recorded. */
  audit: AuditTrail | undefined;
  /** The step's first record: every permission set, over the accounts as asked. */
  planned: () => { principal: string; target: string; role: string }[];
  /** Says where the requests stand while they wait (engine/calls/progress.ts). */
  progress: BatchProgress | undefined;
  /** How many requests the plan holds, for `progress`. */
  requests: number;
}

/**
 * The requests' writer over `driver`. `firstRecord` before the plan runs: the step's first record is
 * written (or refused) before any request's turn; `close` once it has run: the progress batch ends.
 */
export function provisionWriter(
  driver: ProvisionDriver,
  options: ProvisionWriterOptions,
): KindWriter<ProvisionRequestWrite> & { firstRecord(): Promise<void>; close(): void } {
  // Follows every provisioning request of the run, learning how long they take.
  const follower = new RequestFollower({ deadline: options.deadline });
  const progress = options.progress?.batch(options.requests);
  const ended = (item: ProvisionRequestWrite, outcome: ProvisionOutcome): WriteEnded => {
    item.told(outcome);
    return { status: outcome.status, rows: [] };
  };
  // Why the step's first record was refused: every request is then refused for it, sent or not.
  let refusal: unknown;
  return {
    async firstRecord() {
      await options.audit?.beforeFirstWrite('provision', options.planned).catch((error: unknown) => {
        refusal = error;
      });
    },
    async write(_, item) {
      const done = progress?.begin();
      const outcome = await sendRequest(item, driver, follower, options).finally(() => done?.());
      return ended(item, outcome);
    },
    unsent(write, why) {
      // Its turn came after the deadline: what the driver says of a request that waited that long.
      const error =
        'refused' in why
          ? why.refused
          : (refusal ?? new NotSentError('ProvisionPermissionSet', PROVISION_SLOT_WAIT, why.deadline));
      return ended(write.item, notSent(write.item, error, options.audit));
    },
    close: () => progress?.close(),
  };
}

/**
 * One ProvisionPermissionSet, followed to a terminal status unless `wait` is off or the deadline
 * comes first; it holds its quota slot until then. Never rejects: what went wrong is its outcome.
 */
async function sendRequest(
  item: ProvisionRequestWrite,
  driver: ProvisionDriver,
  follower: RequestFollower,
  { audit, planned, wait }: ProvisionWriterOptions,
): Promise<ProvisionOutcome> {
  const { permissionSetArn, account } = item;
  const label = account ?? ALL_PROVISIONED_ACCOUNTS;
  let sent: ProvisionRequestSent;
  try {
    await audit?.beforeFirstWrite('provision', planned);
    sent = await driver.sendProvision(permissionSetArn, account);
  } catch (error) {
    return notSent(item, error, audit);
  }
  const { requestId } = sent;
  try {
    const snapshot =
      sent.answered.status !== 'IN_PROGRESS' || !wait
        ? sent.answered
        : await follower.follow({
            requestId,
            pacing: driver.provisionPacing,
            poll: () => driver.readProvisionStatus(requestId),
          });
    const outcome = outcomeOf(label, requestId, snapshot);
    recordProvision(audit, { permissionSetArn, ...outcome, ...(requestId ? { requestId } : {}) });
    return outcome;
  } catch (error) {
    const failed = { account: label, status: 'FAILED' as const, failureReason: describeError(error) };
    recordProvision(audit, { permissionSetArn, ...failed, ...(requestId ? { requestId } : {}) });
    return failed;
  } finally {
    sent.release();
  }
}

/** A request that got no answer: never sent (no slot, or no turn, before the deadline), or refused, or its answer lost. */
function notSent(
  { permissionSetArn, account }: ProvisionRequestWrite,
  error: unknown,
  audit: AuditTrail | undefined,
): ProvisionOutcome {
  // Never sent before the deadline: it changed nothing, and is not a failure.
  const status: ProvisionOutcome['status'] = error instanceof NotSentError ? 'IN_PROGRESS' : 'FAILED';
  const failed = {
    account: account ?? ALL_PROVISIONED_ACCOUNTS,
    status,
    failureReason: describeError(error),
  };
  // Sent, and its answer lost: it may have been applied, so it has its record.
  if (mayHaveBeenApplied(error))
    recordProvision(audit, {
      permissionSetArn,
      ...failed,
      failureReason: `${failed.failureReason}: sent without an answer, it may have been applied`,
    });
  return failed;
}

/** Records a ProvisionPermissionSet request that was sent, when the step keeps an audit log. */
function recordProvision(audit: AuditTrail | undefined, change: ProvisionChange): void {
  audit?.recordNamedChange(
    `provision of ${change.permissionSetArn} to ${change.account}`,
    provisionRecord(change),
  );
}

function outcomeOf(account: string, requestId: string, snapshot: StatusSnapshot): ProvisionOutcome {
  return {
    account,
    requestId,
    status: snapshot.status,
    ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
  };
}
