// An IAM Identity Center account assignment: a principal (user or group), a permission set and an
// account. Pure.
import type { AccessKind, AssignmentKeyParts } from './kind.js';

export const awsAccountAssignment: AccessKind<'aws-account-assignment'> = {
  kind: 'aws-account-assignment',
  cloud: 'aws',
  /**
   * The principal type is part of it: IAM Identity Center keys an assignment on it, so a USER and
   * a GROUP written with one ID are two assignments. IDs compared as the service writes them.
   */
  key: (parts: AssignmentKeyParts): string =>
    ['aws-account-assignment', parts.principalType, parts.principalId, parts.roleId, parts.targetId].join(
      '|',
    ),
  removeByHand: (parts, place) =>
    [
      'aws sso-admin delete-account-assignment',
      `--instance-arn ${place?.instanceArn ?? '<instance ARN>'}`,
      '--target-type AWS_ACCOUNT',
      `--target-id ${parts.targetId}`,
      `--permission-set-arn ${parts.roleId}`,
      `--principal-type ${parts.principalType ?? '<USER or GROUP>'}`,
      `--principal-id ${parts.principalId}`,
      ...(place?.region ? [`--region ${place.region}`] : []),
    ].join(' '),
};
