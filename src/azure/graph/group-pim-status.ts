// What a PIM-for-groups schedule request's `status` means for the step, and the words for it:
// `Provisioned` or `Granted` is an adminAssign's success, `Revoked` or `Provisioned` an
// adminRemove's; `Failed`, `Denied`, `Canceled` (and the other ends of the 22-value status) name
// why; the approval statuses wait for a person; anything else is still on its way.

export type GroupPimAction = 'adminAssign' | 'adminRemove';
export type GroupRequestVerdict = 'succeeded' | 'failed' | 'pending' | 'awaiting-approval';

const SUCCEEDED: Record<GroupPimAction, ReadonlySet<string>> = {
  adminAssign: new Set(['Provisioned', 'Granted']),
  adminRemove: new Set(['Revoked', 'Provisioned']),
};
/** Ends that made (or removed) nothing. `Revoked` is one for an adminAssign only. */
const FAILED = new Set([
  'Failed',
  'Denied',
  'Canceled',
  'TimedOut',
  'Invalid',
  'AdminDenied',
  'FailedAsResourceIsLocked',
  'Revoked',
]);
/** Statuses that wait for a person: following them longer changes nothing. */
const AWAITING_APPROVAL = new Set(['PendingApproval', 'PendingApprovalProvisioning', 'PendingAdminDecision']);

export function judgeGroupRequest(status: string | undefined, action: GroupPimAction): GroupRequestVerdict {
  if (status !== undefined && SUCCEEDED[action].has(status)) return 'succeeded';
  if (status !== undefined && FAILED.has(status)) return 'failed';
  if (status !== undefined && AWAITING_APPROVAL.has(status)) return 'awaiting-approval';
  return 'pending';
}

/** Why a request ended as it did (its status and ID), and where to look. */
export function groupRequestFailure(status: string | undefined, requestId: string): string {
  const hint: Record<string, string> = {
    Denied: 'an approver denied it',
    AdminDenied: 'an administrator denied it',
    Canceled: 'it was cancelled',
    TimedOut: 'no approver decided in time',
    Revoked: 'it was revoked',
    Invalid: 'Microsoft Entra found the request invalid',
    Failed:
      "Microsoft Entra gave no reason: see the request in Privileged Identity Management → Groups → the group's requests",
  };
  return `PIM for groups request ${requestId} ended ${status ?? 'without a status'}${status && hint[status] ? `: ${hint[status]}` : ''}`;
}

/** A request that waits for an approver: the action never approves (PIM's approvals are delegated-only in Graph). */
export function groupRequestAwaiting(status: string | undefined, requestId: string): string {
  return `PIM for groups request ${requestId} is ${status ?? 'pending'}: the group's PIM policy requires approval, which this action cannot give (approve it in Privileged Identity Management → Approve requests)`;
}
