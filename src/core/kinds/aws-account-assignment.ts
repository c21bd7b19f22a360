// An IAM Identity Center account assignment: a principal (user or group), a permission set and an
// account. Pure.
import { shellOption, type AccessKind, type AssignmentKeyParts } from './kind.js';

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
      shellOption('instance-arn', place?.instanceArn ?? '<instance ARN>'),
      shellOption('target-type', 'AWS_ACCOUNT'),
      shellOption('target-id', parts.targetId),
      shellOption('permission-set-arn', parts.roleId),
      shellOption('principal-type', parts.principalType || '<USER or GROUP>'),
      shellOption('principal-id', parts.principalId),
      ...(place?.region ? [shellOption('region', place.region)] : []),
    ].join(' '),
};
