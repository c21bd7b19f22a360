// What an account assignment request's status says to the engine: CreateAccountAssignment and
// DeleteAccountAssignment are asynchronous, and answer with a request that is IN_PROGRESS, or
// already SUCCEEDED or FAILED, and that Describe…Status reads later.
import {
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  type AccountAssignmentOperationStatus,
} from '@aws-sdk/client-sso-admin';
import type { SsoCalls } from '../sdk/sso-calls.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/calls/status.js';

export type RequestKind = 'create' | 'delete';

/**
 * How long an account assignment request is expected to run before the batch shows otherwise:
 * about two seconds when the permission set is already provisioned in the account (longer when
 * the create must provision it, which the batch then learns).
 */
export const ASSIGNMENT_REQUEST_EXPECTED_MS = 2_000;

/** Deleting what is already gone may be accepted and then fail with this (terraform-provider-aws). */
const ENTITLEMENT_MISSING = /EntitlementItem doesn't exist/i;

/** One status read as the engine's snapshot; a delete of what was already gone SUCCEEDED, unchanged. */
export function snapshotOf(
  status: AccountAssignmentOperationStatus | undefined,
  kind: RequestKind,
): StatusSnapshot {
  const value = status?.Status ?? 'IN_PROGRESS';
  if (kind === 'delete' && value === 'FAILED' && ENTITLEMENT_MISSING.test(status?.FailureReason ?? '')) {
    return { status: 'SUCCEEDED', changed: false };
  }
  if (value === 'FAILED')
    return { status: 'FAILED', failureReason: status?.FailureReason ?? 'FAILED without a FailureReason' };
  return { status: value === 'SUCCEEDED' ? 'SUCCEEDED' : 'IN_PROGRESS' };
}

/**
 * The outcome of a write from the status it answered with: done or failed at once, or pending,
 * followed with `describe` at the pace `pacing` sets, and holding its quota slot (`release`)
 * until it ends.
 */
export function writeOutcome(
  status: AccountAssignmentOperationStatus | undefined,
  kind: RequestKind,
  release: () => void,
  describe: (requestId: string) => Promise<AccountAssignmentOperationStatus | undefined>,
  pacing?: StatusPacing,
): WriteOutcome {
  const requestId = status?.RequestId ?? '';
  const first = snapshotOf(status, kind);
  if (first.status !== 'IN_PROGRESS') {
    release();
    return first.status === 'SUCCEEDED'
      ? { kind: 'done', requestId, changed: first.changed ?? true }
      : { kind: 'failed', requestId, failureReason: first.failureReason ?? 'FAILED' };
  }
  return {
    kind: 'pending',
    request: {
      requestId,
      release,
      poll: async () => snapshotOf(await describe(requestId), kind),
      ...(pacing ? { pacing } : {}),
    },
  };
}

/** The fields that name one assignment, in a request and in its status. */
export interface AssignmentFields {
  TargetId: string;
  TargetType: 'AWS_ACCOUNT';
  PermissionSetArn: string;
  PrincipalType: 'USER' | 'GROUP';
  PrincipalId: string;
}

/** Whether a create request's status is for exactly this assignment. */
export function isRequestFor(status: AccountAssignmentOperationStatus, fields: AssignmentFields): boolean {
  return (
    status.TargetId === fields.TargetId &&
    status.PermissionSetArn === fields.PermissionSetArn &&
    status.PrincipalId === fields.PrincipalId &&
    status.PrincipalType === fields.PrincipalType
  );
}

/**
 * The status of the instance's most recent requests of this kind, one page of 100 (one call):
 * those of `requestIds` it shows running or succeeded. A failed one is left out, for a Describe
 * to give its reason; so is one the page does not show (the follower stops asking when pages
 * stop showing the requests it asks about).
 */
export async function readRecentRequests(
  session: SsoCalls,
  kind: RequestKind,
  requestIds: string[],
): Promise<Map<string, StatusSnapshot>> {
  const page =
    kind === 'create'
      ? (
          await session.send(
            'ListAccountAssignmentCreationStatus',
            new ListAccountAssignmentCreationStatusCommand({
              InstanceArn: session.instance,
              MaxResults: 100,
            }),
          )
        ).AccountAssignmentsCreationStatus
      : (
          await session.send(
            'ListAccountAssignmentDeletionStatus',
            new ListAccountAssignmentDeletionStatusCommand({
              InstanceArn: session.instance,
              MaxResults: 100,
            }),
          )
        ).AccountAssignmentsDeletionStatus;
  const wanted = new Set(requestIds);
  const shown = new Map<string, StatusSnapshot>();
  for (const request of page ?? []) {
    if (!request.RequestId || !wanted.has(request.RequestId)) continue;
    if (request.Status === 'SUCCEEDED') shown.set(request.RequestId, { status: 'SUCCEEDED' });
    else if (request.Status === 'IN_PROGRESS') shown.set(request.RequestId, { status: 'IN_PROGRESS' });
  }
  return shown;
}
