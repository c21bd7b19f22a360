// A role assignment written again under its name with another description, all else it holds
// kept: a relying step's marker (./reliance.ts), and the sweep's removal of ended runs' markers
// (../sweep/tidy.ts). ARM's answers are hostile: only an assignment whose every part the PUT sends
// back is of the form ARM writes is written again.
import type { RoleAssignment, RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { DESCRIPTION_MAX } from '../../core/inputs/azure-description.js';
import { GUID } from '../../core/patterns.js';
import { isAzurePrincipalType } from '../../core/principal-forms.js';
import type { AzureResolvedIds } from '../../core/types.js';
import { responseInfo, urlPathArgument, type ResponseInfo } from './clients.js';
import type { ArmSession } from './session.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What a PUT of the assignment again keeps of it, or why it cannot be written again as it is. */
export function rewritable(
  found: RoleAssignment,
): { name: string; description: string; kept: Partial<RoleAssignmentCreateParameters> } | string {
  const { name, condition, conditionVersion, delegatedManagedIdentityResourceId } = found;
  // ARM answers null for an assignment written without one.
  const description = found.description ?? '';
  if (typeof name !== 'string' || !GUID.test(name)) return 'ARM lists it under a name that is not a GUID';
  if (typeof description !== 'string' || description.length > DESCRIPTION_MAX)
    return 'ARM lists a description longer than it keeps';
  for (const value of [condition, conditionVersion, delegatedManagedIdentityResourceId])
    if (value !== undefined && value !== null && typeof value !== 'string')
      return 'ARM lists a condition or delegated identity that is not text';
  const type = found.principalType;
  return {
    name: name.toLowerCase(),
    description,
    // Written again as they are: a PUT without them would remove them.
    kept: {
      ...(isAzurePrincipalType(type) ? { principalType: type } : {}),
      ...(condition ? { condition, conditionVersion: text(conditionVersion) ?? '2.0' } : {}),
      ...(delegatedManagedIdentityResourceId ? { delegatedManagedIdentityResourceId } : {}),
    },
  };
}

/**
 * The assignment of `ids` written again under its name with `description`, all else it holds kept
 * (`rewritable`): ARM's answer. A relying step's marker, and the sweep's removal of ended runs' ones.
 */
export async function putDescription(
  session: ArmSession,
  ids: AzureResolvedIds,
  { name, kept }: { name: string; kept: Partial<RoleAssignmentCreateParameters> },
  description: string,
): Promise<ResponseInfo | undefined> {
  const { scope } = ids;
  const body: RoleAssignmentCreateParameters = {
    roleDefinitionId: ids.roleId,
    principalId: ids.principalId,
    ...kept,
    description,
  };
  let answer: ResponseInfo | undefined;
  await session.send('RoleAssignments_Create', scope, (client, signal) =>
    client.roleAssignments.create(urlPathArgument(scope.scope), name, body, {
      abortSignal: signal,
      onResponse: (raw) => (answer = responseInfo(raw)),
    }),
  );
  return answer;
}
