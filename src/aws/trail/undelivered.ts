// The creates (or deletes) the status lists show and CloudTrail has not (yet): what each was for,
// from its status (the list names neither caller nor assignment). The sweep takes any create of
// them on a claimed assignment for another caller's, since it cannot tell whose it is.
import type { AccountAssignmentOperationStatusMetadata } from '@aws-sdk/client-sso-admin';
import type { RecentCreate } from '../../core/claims/aws-writes.js';
import type { RequestHistory } from './request-history.js';
import type { RequestKind } from './requests.js';

/** `requests` described (each once), as the sweep weighs them; one whose status is not well formed is none. */
export async function undeliveredRequests(
  history: RequestHistory,
  requests: readonly AccountAssignmentOperationStatusMetadata[],
  now: number,
  kind: RequestKind = 'create',
): Promise<RecentCreate[]> {
  const statuses = await Promise.all(requests.map((r) => history.status(kind, r.RequestId!)));
  return statuses.flatMap((s) => {
    const type = s?.PrincipalType;
    if (
      !s?.RequestId ||
      !s.PrincipalId ||
      !s.PermissionSetArn ||
      !s.TargetId ||
      (type !== 'USER' && type !== 'GROUP')
    )
      return [];
    return [
      {
        requestId: s.RequestId,
        at: s.CreatedDate?.getTime() ?? now,
        status: s.Status ?? 'IN_PROGRESS',
        place: {
          principalType: type,
          principalId: s.PrincipalId,
          permissionSetArn: s.PermissionSetArn,
          accountId: s.TargetId,
        },
      },
    ];
  });
}
