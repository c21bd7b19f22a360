// PIM for groups' refusals in words: the application permission a 403 lacks (named as set-up
// grants it), the group policy's rule a request broke, and the two answers that are no failure of
// the step's own: a membership that exists already, one that is gone already.
import { CloudAccessError } from '../../core/errors.js';
import { DeadlineExceededError } from '../../engine/limits/deadline.js';
import { GraphError } from './client.js';
import type { GroupMembershipKind } from './group-pim.js';

/** The application permissions (admin consent) each part needs (Graph's permission tables). */
export const GROUP_PIM_PERMISSIONS = {
  active: 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  eligible: 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  policy: 'RoleManagementPolicy.Read.AzureADGroup',
} as const;

/** The Graph error behind `error` (a call retried until the deadline keeps its last). */
export function graphErrorOf(error: unknown): GraphError | undefined {
  if (error instanceof GraphError) return error;
  if (error instanceof DeadlineExceededError && error.lastError instanceof GraphError) return error.lastError;
  return undefined;
}

/** adminAssign of a membership the principal holds already: "The Role assignment already exists." */
export const membershipExists = (error: unknown) => graphErrorOf(error)?.code === 'RoleAssignmentExists';
/** adminRemove of a membership the principal does not hold. */
export const membershipMissing = (error: unknown) =>
  graphErrorOf(error)?.code === 'RoleAssignmentDoesNotExist';

/**
 * `error` explained for the step: a missing permission names it and how to grant it, a policy
 * refusal names the rule and `duration`; any other error is returned as it is.
 */
export function explainGroupPimError(
  error: unknown,
  what: { part: GroupMembershipKind | 'policy'; groupId: string },
): unknown {
  const graph = graphErrorOf(error);
  if (!graph) return error;
  const said = `(${graph.status}${graph.code ? ` ${graph.code}` : ''}${graph.requestId ? `, Graph request-id ${graph.requestId}` : ''}): ${graph.serverMessage.slice(0, 300)}`;
  if (graph.status === 403) {
    const permission = GROUP_PIM_PERMISSIONS[what.part];
    return new CloudAccessError(`Microsoft Graph refused PIM for groups on group ${what.groupId} ${said}`, {
      input: 'client-id',
      fix: `grant the Entra app \`client-id\` the Microsoft Graph application permission ${permission}, with admin consent (docs/azure-setup.md)`,
      cause: error,
    });
  }
  if (graph.code === 'RoleAssignmentRequestPolicyValidationFailed')
    return new CloudAccessError(`the PIM policy of group ${what.groupId} refused the membership ${said}`, {
      input: 'duration',
      fix: "ExpirationRule: set a `duration` within the group's PIM maximum; JustificationRule or TicketingRule: the group's policy asks for what the action does not send",
      cause: error,
    });
  return error;
}
