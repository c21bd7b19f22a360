// Whether an assignment a step's create made is still the one it made, before the post step
// deletes it. IAM Identity Center keeps no owner on an assignment, so a create that proved the
// step's once is not final: a reconcile or a person may have deleted it since, and another job
// created it again (else the post step would delete the other job's grant). Any
// delete of it, or create of it by another party, stamped at or after the step's own create and
// not FAILED, leaves it in place.
import type { AccountAssignmentOperationStatus } from '@aws-sdk/client-sso-admin';
import type { CreateProof } from '../../engine/calls/ownership-proofs.js';
import { CLOCK_SKEW_MS } from '../../engine/run/ownership.js';
import type { RequestHistory } from '../trail/request-history.js';
import type { AssignmentFields } from '../trail/requests.js';

const named = (s: AccountAssignmentOperationStatus) =>
  `request ${s.RequestId ?? 'with no ID'}, ${s.Status ?? 'no status'}`;

export async function stillOwn(
  history: RequestHistory,
  fields: AssignmentFields,
  own: { requestId: string; sentAt: number; all: ReadonlySet<string> },
): Promise<CreateProof> {
  const { requestId } = own;
  if (!requestId)
    return {
      created: false,
      mayBeOwn: true,
      why: 'the main step kept no request ID for its create, so IAM Identity Center cannot show it is still the step’s',
    };
  // When the service stamped the step's create: from the list that is read anyway (its status was
  // followed to its end already, and is not read again), or, when the runner's clock is too far off
  // for the list to reach it, from its status.
  await history.readNewer('create', own.sentAt - CLOCK_SKEW_MS);
  const listed = history.shown('create').find((r) => r.RequestId === requestId);
  const createdAt = (listed ?? (await history.status('create', requestId)))?.CreatedDate?.getTime();
  if (createdAt === undefined)
    return { created: false, why: `IAM Identity Center gives no creation time for request ${requestId}` };
  const others = await history.othersFor(fields, createdAt, own.all);
  const deleted = others.find((r) => r.kind === 'delete')?.status;
  const created = others.find((r) => r.kind === 'create')?.status;
  if (deleted && created)
    return {
      created: false,
      why: `after this step created it, it was deleted (${named(deleted)}) and created again by another party (${named(created)}): the assignment there now is not this step's`,
    };
  if (deleted)
    return {
      created: false,
      why: `after this step created it, another party deleted it (${named(deleted)})`,
      gone: true,
    };
  if (created)
    return {
      created: false,
      why: `after this step created it, another party created it too (${named(created)}), and may rely on it`,
      mayBeOwn: true,
    };
  return { created: true };
}
