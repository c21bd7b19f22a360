// Cancelling a PIM request that has not made its assignment yet (awaiting approval, or still
// provisioning), so that it cannot grant access after the step has ended it.
import type { AzureScope } from '../../core/azure-scope.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import { ArmError } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';

/**
 * Cancels a pending request. A refusal (4xx) is returned rather than thrown: when it is because
 * the request ended meanwhile, the read that follows says so; when the request is still pending,
 * the refusal is why.
 */
export async function cancelRequest(
  session: ArmSession,
  scope: AzureScope,
  name: string,
): Promise<ArmError | undefined> {
  return refusalOf(() =>
    session.send('RoleAssignmentScheduleRequests_Cancel', scope, (client, signal) =>
      client.roleAssignmentScheduleRequests.cancel(urlPathArgument(scope.scope), name, {
        abortSignal: signal,
      }),
    ),
  );
}

/**
 * What ARM refused a call with (4xx), returned rather than thrown; undefined when it was done. Any
 * other failure (a 5xx, no answer) is thrown. An eligibility's cancel is told the same way.
 */
export async function refusalOf(call: () => Promise<unknown>): Promise<ArmError | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (!(error instanceof ArmError) || error.statusCode === undefined || error.statusCode >= 500)
      throw error;
    return error;
  }
}

/** Revoke of an assignment not active yet: its pending request is cancelled, and read back. */
export async function cancelPending(
  session: ArmSession,
  scope: AzureScope,
  pending: { name: string; status: string },
): Promise<WriteOutcome> {
  const refusal = await cancelRequest(session, scope, pending.name);
  const after = await session.reads.scheduleRequest(scope, pending.name);
  if (after?.status === 'Canceled')
    return {
      kind: 'done',
      changed: true,
      requestId: pending.name,
      note: `cancelled PIM request ${pending.name}, which was ${pending.status}`,
    };
  return {
    kind: 'failed',
    requestId: pending.name,
    failureReason: `PIM request ${pending.name} was ${pending.status}; after the cancel it is ${after?.status ?? 'not found'}${refusal ? `, and Azure refused the cancel (${refusal.message})` : ''}: run the revoke again`,
  };
}
