// What a PIM schedule request's `status` means for the step, where Azure resources' PIM (ARM's
// 2020-10-01 `Status` enum, ../pim/status.ts) and PIM for groups (Graph's, of the same 22 values,
// ../graph/group-pim-status.ts) agree: the ends that made (or removed) nothing, the statuses that
// wait for a person, and the words for why a request ended. Which status is a success is each
// service's own. Pure.

export type PimRequestVerdict = 'succeeded' | 'failed' | 'pending' | 'awaiting-approval';

/** Ends that made (or removed) nothing. `Revoked` is one for an assign only (its success is the caller's). */
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

/**
 * The verdict on `status`, given whether it is the request's success in its service: anything not
 * a success, a known failure or an approval (Accepted, PendingProvisioning…, or a status added
 * later) is still on its way.
 */
export function judgePimRequest(status: string | undefined, succeeded: boolean): PimRequestVerdict {
  if (succeeded) return 'succeeded';
  if (status !== undefined && FAILED.has(status)) return 'failed';
  if (status !== undefined && AWAITING_APPROVAL.has(status)) return 'awaiting-approval';
  return 'pending';
}

/** Why a request ended, by the status it ended with, in the words both services' requests share. */
export const PIM_ENDED_BECAUSE: Readonly<Record<string, string>> = {
  Denied: 'an approver denied it',
  AdminDenied: 'an administrator denied it',
  Canceled: 'it was cancelled',
  TimedOut: 'no approver decided in time',
  Revoked: 'it was revoked',
};
