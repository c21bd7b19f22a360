// What an Organizations read's refusal means for the step's targets: a denied call names the
// permissions OU and root targets need (./organizations.ts reads them), an account outside any
// organization and a root or OU not in it say so; anything else is the error as it came.
import { CloudAccessError } from '../../core/errors.js';
import { isAwsError } from '../sdk/aws-errors.js';

/** What the step needs to expand OU and root targets, for the AccessDenied fix. */
export const ORGANIZATIONS_PERMISSIONS = [
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListChildren',
  'organizations:DescribeOrganizationalUnit',
];

/** The IDs an Organizations request names: the parent it lists, or the OU it describes. */
export type IdsIn = { ParentId?: string; OrganizationalUnitId?: string };

/** The error an Organizations call answered, as the step says it. */
export function explainedOrganizationsError(error: unknown, operation: string, input: IdsIn): unknown {
  if (isAwsError(error, 'AccessDeniedException'))
    return new CloudAccessError(`organizations:${operation} was denied: ${error.message}`, {
      input: 'target',
      fix: `OU and root targets need ${ORGANIZATIONS_PERMISSIONS.map((p) => `\`${p}\``).join(', ')} in the policy of the role the action uses, and that role must be in the organization's management account or in a delegated administrator account for AWS Organizations; or list account IDs instead`,
      cause: error,
    });
  if (isAwsError(error, 'AWSOrganizationsNotInUseException'))
    return new CloudAccessError(`the signed-in account is not in an organization (${operation})`, {
      input: 'target',
      fix: 'OU and root targets need an account of an AWS Organizations organization (its management account or a delegated administrator); or list account IDs',
      cause: error,
    });
  const missing = isAwsError(error, 'ParentNotFoundException')
    ? input.ParentId
    : isAwsError(error, 'OrganizationalUnitNotFoundException')
      ? input.OrganizationalUnitId
      : undefined;
  if (missing)
    return new CloudAccessError(`target \`${missing}\`: no root or OU with this ID is in the organization`, {
      input: 'target',
      fix: 'check the OU ID (it may belong to another organization, or the OU was deleted)',
      cause: error,
    });
  return error;
}
