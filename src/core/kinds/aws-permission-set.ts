// A permission set's content, as a reconcile whose manifest defines it (`aws.permission-sets`)
// creates, updates, provisions and deletes it: a kind of another shape than an assignment's, with
// no principal and no target. One set of the instance, by its name (the service's names are unique
// in an instance, compared as written). Registered beside the assignment kinds (./index.ts). Pure.
import { PERMISSION_SET_ARN } from '../patterns.js';
import { shellOption, type AccessKind, type KindShape } from './kind.js';

/** What makes one set: its name in the instance. */
export interface PermissionSetParts {
  name: string;
}

/** What a person deletes one by: its ARN. */
export interface PermissionSetRemoval {
  arn: string;
}

/** The IDs a set resolves to once found or created. */
export interface PermissionSetIds {
  cloud: 'aws';
  arn: string;
  name: string;
}

export interface PermissionSetShape extends KindShape {
  name: 'aws-permission-set';
  cloud: 'aws';
  parts: PermissionSetParts;
  removal: PermissionSetRemoval;
  ids: PermissionSetIds;
  saved: { cloud: 'aws'; arn: string };
}

export const awsPermissionSet: AccessKind<PermissionSetShape> = {
  kind: 'aws-permission-set',
  cloud: 'aws',
  assignmentType: 'active',
  key: (parts) => ['aws-permission-set', parts.name].join('|'),
  // A report shows a set as the role of a row with no principal and no target.
  partsOfRow: (row) => ({ name: row.roleId }),
  duration: 'none',
  condition: false,
  // Its manifest entries are `aws.permission-sets`, not assignments with a `type`.
  inManifest: false,
  keyedByPrincipalType: false,
  removeByHand: (parts, place) =>
    [
      'aws sso-admin delete-permission-set',
      shellOption('instance-arn', place?.instanceArn ?? '<instance ARN>'),
      shellOption('permission-set-arn', parts.arn),
      ...(place?.region ? [shellOption('region', place.region)] : []),
    ].join(' '),
  savedIds: {
    write: (ids) => ({ principalId: '', targetId: '', roleId: ids.arn }),
    read(ids) {
      if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
      if (ids.principalId !== '') return 'a permission set has no principal';
      if (ids.targetId !== '') return 'a permission set has no target';
      return { cloud: 'aws', arn: ids.roleId };
    },
  },
  // An assignment names its set, so the set exists first and goes last. Its new content and its
  // provisioning come before any assignment write: a new holder never receives content the
  // manifest has already changed, and no account loses its last assignment of the set while the
  // set is pushed to it.
  order: [
    { change: 'create', before: { kind: 'aws-account-assignment', change: 'create' } },
    { change: 'update', after: { kind: 'aws-permission-set', change: 'create' } },
    { change: 'update', before: { kind: 'aws-account-assignment', change: 'create' } },
    { change: 'update', before: { kind: 'aws-account-assignment', change: 'delete' } },
    { change: 'provision', after: { kind: 'aws-permission-set', change: 'update' } },
    { change: 'provision', before: { kind: 'aws-account-assignment', change: 'create' } },
    { change: 'provision', before: { kind: 'aws-account-assignment', change: 'delete' } },
    { change: 'delete', after: { kind: 'aws-account-assignment', change: 'delete' } },
  ],
};
