// An IAM Identity Center account assignment: a principal (user or group), a permission set and an
// account. Pure.
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN, REQUEST_ID } from '../patterns.js';
import {
  assignmentPartsOfRow,
  shellOption,
  type AccessKind,
  type AssignmentKeyParts,
  type AssignmentShape,
  type SavedIdsOfKind,
} from './kind.js';

/** Saved as text: the account ID is the target, the permission set ARN the role. */
const savedIds: SavedIdsOfKind<AssignmentShape<'aws-account-assignment'>> = {
  write: (ids) => ({
    principalId: ids.principalId,
    targetId: ids.accountId,
    roleId: ids.roleId,
    ...(ids.principalType ? { principalType: ids.principalType } : {}),
  }),
  /** The IDs pass the service's patterns. */
  read(ids, written, requestId) {
    if (!IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
      return 'its principal ID is not an Identity Store ID';
    if (!ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
    if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
    if (ids.name !== undefined) return 'it has an Azure assignment name';
    if (requestId !== undefined && !REQUEST_ID.test(requestId)) return 'its request ID is not valid';
    if (![undefined, 'USER', 'GROUP'].includes(ids.principalType)) return 'its principal type is unknown';
    const typed = ids.principalType ? { principalType: ids.principalType as 'USER' | 'GROUP' } : {};
    const { principalId, targetId: accountId, roleId } = ids;
    return {
      cloud: 'aws',
      kind: 'aws-account-assignment',
      principal: { kind: 'id', id: principalId },
      accountId,
      permissionSet: { kind: 'arn', arn: roleId },
      written,
      resolved: { cloud: 'aws', principalId, accountId, roleId, ...typed },
    };
  },
};

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
  partsOfRow: assignmentPartsOfRow,
  assignmentType: 'active',
  // `duration` ends the step's grants with its session; a manifest's entries have no `type`.
  duration: 'optional',
  condition: false,
  inManifest: true,
  keyedByPrincipalType: true,
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
  savedIds,
};
