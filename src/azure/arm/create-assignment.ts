// A role assignment created under the grant's name: the PUT's body, what ARM's answer says of
// whose the assignment now is (own-create.ts judges it), and the collision with one of the same
// scope, role and principal under another name (found-assignments.ts). Apart from the driver
// (assignments.ts) as the delete is (remove.ts): one write and its outcomes, read top to bottom.
import type { RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { assignmentIdOf } from '../../core/azure-scope.js';
import { describeError } from '../../core/errors.js';
import type { AzureSettings } from '../../core/inputs/index.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import { ArmError } from '../sdk/arm-errors.js';
import type { ArmSession } from './session.js';
import { urlPathArgument } from './clients.js';
import { CreateAttempts } from './create-attempts.js';
import { readBackPending } from './read-back.js';
import { existsUnderAnotherName, rewroteAnother } from './found-assignments.js';
import { judgeCreateAnswer } from './own-create.js';

/** The PUT under `name`; `assigning` is whether an assign sends it (it then finds only what it asks for). */
export async function createAssignment(
  session: ArmSession,
  settings: AzureSettings,
  assigning: boolean,
  ids: AzureResolvedIds,
  name: string,
): Promise<WriteOutcome> {
  const scope = ids.scope;
  const body = createBody(ids, settings);
  const attempts = new CreateAttempts();
  try {
    // PrincipalNotFound (replication delay) is retried by the call runner for a bounded window,
    // unless the object ID is an application's client ID, which no wait would make a principal.
    const created = await session.sendNamingPrincipal(
      'RoleAssignments_Create',
      scope,
      ids.principalId,
      (client, signal) =>
        client.roleAssignments.create(urlPathArgument(scope.scope), name, body, attempts.options(signal)),
    );
    const requestId = attempts.lastAnswer?.requestId ?? '';
    const assignmentId = created.id ?? assignmentIdOf(scope.scope, name);
    const verdict = judgeCreateAnswer({
      status: attempts.lastAnswer?.status,
      record: created,
      earlierMayHaveApplied: attempts.earlierMayHaveApplied,
      started: attempts.started,
      objectId: session.objectId,
    });
    // A 200 no lost attempt of ours explains: ARM's create-or-update rewrote an assignment another
    // party had just made under this name (reads did not show it yet). What it held before is gone.
    // A failed outcome, not a thrown error: the step did not create it, and must never revoke it.
    if (!verdict.created && !attempts.earlierMayHaveApplied && settings.assignmentName)
      return { kind: 'failed', requestId, failureReason: describeError(rewroteAnother(name, created)) };
    if (verdict.created) {
      return readBackPending(session.reads, scope, assignmentId, 'present', requestId);
    }
    return {
      kind: 'done',
      requestId,
      changed: false,
      assignmentId,
      note: verdict.note,
    };
  } catch (error) {
    // Same scope, role and principal under another name. Matched on the code: ARM changed the
    // message in 2025 (azure-cli #32027).
    if (error instanceof ArmError && error.code === 'RoleAssignmentExists')
      return existsUnderAnotherName(session, settings, assigning, error, ids);
    attempts.markFailure(error);
    throw error;
  }
}

/** The PUT's body: the role and principal, and what the inputs add to every assignment. */
function createBody(ids: AzureResolvedIds, settings: AzureSettings): RoleAssignmentCreateParameters {
  return {
    roleDefinitionId: ids.roleId,
    principalId: ids.principalId,
    // Always sent: with it ARM accepts a principal that Entra has not replicated yet.
    principalType: ids.principalType ?? settings.principalType,
    description: settings.description,
    ...(settings.condition
      ? { condition: settings.condition, conditionVersion: settings.conditionVersion ?? '2.0' }
      : {}),
    ...(settings.delegatedManagedIdentityResourceId
      ? { delegatedManagedIdentityResourceId: settings.delegatedManagedIdentityResourceId }
      : {}),
  };
}
