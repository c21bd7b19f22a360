// A role assignment deleted by its scope and name. The ID is built from the scope as written and a
// GUID name, never taken from a server's answer: a server-supplied ID would go into the DELETE URL
// as it is.
import { CloudAccessError } from '../../core/errors.js';
import { GUID } from '../../core/patterns.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { ExistingAssignment, WriteOutcome } from '../../engine/calls/driver.js';
import { ArmError, requestIdOf } from '../sdk/arm-errors.js';
import { responseInfo, urlPathArgument, type ResponseInfo } from './clients.js';
import { matches } from './roles.js';
import { assignmentIdOf } from '../../core/azure-scope.js';
import { readBackPending } from './read-back.js';
import type { ArmSession } from './session.js';

export async function removeAssignment(
  session: ArmSession,
  ids: AzureResolvedIds,
  name: string,
  existing: ExistingAssignment | undefined,
): Promise<WriteOutcome> {
  const scope = ids.scope;
  if (!GUID.test(name))
    throw new CloudAccessError(
      `ARM listed the assignment under the name \`${name}\`, which is not a GUID; it was not deleted`,
    );
  const assignmentId = assignmentIdOf(scope.scope, name);
  // Deleting what the reads did not show (the post step, whose own create reads may not show
  // yet): only while the name holds nothing else. Under a shared `assignment-name` it may hold
  // another principal's assignment by now, which a DELETE by name would end.
  if (!existing) {
    const underName = await session.reads.getAssignment(scope, { name });
    if (underName && !matches(underName, ids))
      return {
        kind: 'done',
        changed: false,
        note: `the name ${name} now holds another principal's, role's or scope's assignment: left alone`,
      };
  }
  let response: ResponseInfo | undefined;
  try {
    await session.send('RoleAssignments_Delete', scope, (client, signal) =>
      client.roleAssignments.deleteById(urlPathArgument(assignmentId), {
        abortSignal: signal,
        onResponse: (raw) => (response = responseInfo(raw)),
      }),
    );
  } catch (error) {
    if (error instanceof ArmError && error.statusCode === 404) {
      return { kind: 'done', changed: false, ...requestIdOf(error) };
    }
    throw error;
  }
  const requestId = response?.requestId ?? '';
  // 204: "Role assignment was already deleted or does not exist" (RoleAssignments_Delete).
  if (response?.status === 204) return { kind: 'done', requestId, changed: false, assignmentId };
  return readBackPending(session.reads, scope, assignmentId, 'absent', requestId);
}
