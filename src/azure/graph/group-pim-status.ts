// What a PIM-for-groups schedule request's `status` means for the step, and the words for it:
// `Provisioned` or `Granted` is an adminAssign's success, `Revoked` or `Provisioned` an
// adminRemove's; `Failed`, `Denied`, `Canceled` (and the other ends of the 22-value status) name
// why; the approval statuses wait for a person; anything else is still on its way
// (../sdk/pim-request-status.ts, as Azure resources' PIM reads them).
import { judgePimRequest, PIM_ENDED_BECAUSE, type PimRequestVerdict } from '../sdk/pim-request-status.js';

export type GroupPimAction = 'adminAssign' | 'adminRemove';
export type GroupRequestVerdict = PimRequestVerdict;

const SUCCEEDED: Record<GroupPimAction, ReadonlySet<string>> = {
  adminAssign: new Set(['Provisioned', 'Granted']),
  adminRemove: new Set(['Revoked', 'Provisioned']),
};
export function judgeGroupRequest(status: string | undefined, action: GroupPimAction): GroupRequestVerdict {
  return judgePimRequest(status, status !== undefined && SUCCEEDED[action].has(status));
}

/** Why a request ended as it did (its status and ID), and where to look. */
export function groupRequestFailure(status: string | undefined, requestId: string): string {
  const hint: Record<string, string> = {
    ...PIM_ENDED_BECAUSE,
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
