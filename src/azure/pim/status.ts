// What a PIM schedule request's `status` means for the step, and the words the log uses for it; the
// schedule an AdminAssign asks for.
import type { Duration } from '../../core/duration.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { OwnCreate } from '../../engine/calls/ownership-proofs.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/calls/status.js';
import { judgePimRequest, PIM_ENDED_BECAUSE, type PimRequestVerdict } from '../sdk/pim-request-status.js';

/** What an AdminAssign asks for: from now, for `duration`, or (an eligibility without one) with no end. */
export const adminAssignSchedule = (duration: Duration | undefined) => ({
  startDateTime: new Date(),
  expiration: duration ? { type: 'AfterDuration', duration: duration.iso } : { type: 'NoExpiration' },
});

/** A schedule request is answered at once and is usually Provisioned within a second or two. */
const PIM_EXPECTED_MS = 1_500;

/** What a request's `status` means for the step (the 22 values of the 2020-10-01 `Status` enum). */
export type PimStatusVerdict = PimRequestVerdict;

/**
 * `Provisioned` is success in every example; an AdminRemove that went through may read `Revoked`.
 * Anything else that is not a known failure or approval (Accepted, PendingProvisioning, Granted,
 * ScheduleCreated…, or a status added later) is still on its way (../sdk/pim-request-status.ts).
 */
export function judgePimStatus(
  status: string | undefined,
  requestType: 'AdminAssign' | 'AdminRemove',
): PimStatusVerdict {
  return judgePimRequest(
    status,
    status === 'Provisioned' || (requestType === 'AdminRemove' && status === 'Revoked'),
  );
}

/** Why a request ended as it did, and what to do. */
export function pimStatusFailure(status: string | undefined, requestName: string): string {
  const hint: Record<string, string> = {
    ...PIM_ENDED_BECAUSE,
    Invalid: 'Azure found the request invalid',
    FailedAsResourceIsLocked:
      'the scope is locked: remove the ReadOnly/CanNotDelete lock, or grant at another scope',
    Failed:
      'Azure gave no reason: see the request in Privileged Identity Management → Azure resources → Requests',
  };
  return `PIM request ${requestName} ended ${status ?? 'without a status'}${status && hint[status] ? `: ${hint[status]}` : ''}`;
}

/** An AdminAssign that waits for an approver: what the log says while the step follows it. */
export function awaitingApproval(name: string, status: string | undefined): string {
  return `PIM request ${name} is ${status ?? 'pending'}: the role's PIM policy requires approval for this assignment, which becomes active once an approver grants it (see Privileged Identity Management → Approve requests). With revoke-on-exit, the post step cancels it if it is still pending`;
}

/** How long requests of a kind take, for the engine's follower (assigns and removes are learned apart). */
/**
 * An AdminAssign's answer (its 201, or the request found under its name) as the write's outcome:
 * failed as its status says, else followed by `follow` (told whether it is Provisioned already).
 * Only an AdminAssign this step made and saw Provisioned counts as created.
 */
export function adminAssignOutcome(
  name: string,
  status: string | undefined,
  assignmentId: string | undefined,
  follow: (provisioned: boolean) => () => Promise<StatusSnapshot>,
): WriteOutcome {
  const verdict = judgePimStatus(status, 'AdminAssign');
  if (verdict === 'failed')
    return { kind: 'failed', requestId: name, failureReason: pimStatusFailure(status, name) };
  return {
    kind: 'pending',
    request: {
      requestId: name,
      ...(assignmentId ? { assignmentId } : {}),
      createdOnAcceptance: verdict === 'succeeded',
      poll: follow(verdict === 'succeeded'),
      pacing: pimPacing('assign'),
    },
  };
}

export function pimPacing(kind: 'assign' | 'remove'): StatusPacing {
  return { key: `azure:pim-${kind}`, expectedMs: PIM_EXPECTED_MS };
}

/**
 * What the post step learns of an AdminAssign the main step sent under `requestName` and that is
 * this step's own (PIM active or eligible alike): made, refused, or still on its way.
 */
export function ownAdminAssign(status: string | undefined, requestName: string): OwnCreate {
  switch (judgePimStatus(status, 'AdminAssign')) {
    case 'succeeded':
      return { ownership: 'created', requestId: requestName };
    case 'failed':
      return { ownership: 'not-created', why: pimStatusFailure(status, requestName) };
    default:
      return { ownership: 'accepted', requestId: requestName };
  }
}
