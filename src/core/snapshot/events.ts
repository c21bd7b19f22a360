// What CloudTrail's write events since a snapshot's watermark touched: the places (account ×
// permission set) whose assignments a run must read again, the groups whose members it must read
// again, and the permission sets edited (named in the notice; an edit changes no assignment). The
// parameters are those of the records IAM Identity Center and the Identity Store write
// (camelCase: `targetId`, `permissionSetArn`; a DeleteGroupMembership names only its membership
// ID, so the group is the one the snapshot holds it in, or every group when none does). An event
// whose parameters are not what its name carries is counted `unreadable`: the caller reads
// completely rather than guess. Pure.
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN } from '../patterns.js';
import type { Snapshot } from './format.js';
import { placeKey } from './merge.js';

/** A write event, as LookupEvents' CloudTrailEvent record carries it. */
export interface TrailWrite {
  eventName: string;
  eventTime: Date;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string | undefined;
}

/** The event names a snapshot's delta looks up, by the service that records them. */
export const ASSIGNMENT_WRITES = ['CreateAccountAssignment', 'DeleteAccountAssignment'] as const;
export const PROVISIONING_WRITES = ['ProvisionPermissionSet'] as const;
export const PERMISSION_SET_WRITES = [
  'CreatePermissionSet',
  'UpdatePermissionSet',
  'DeletePermissionSet',
  'PutInlinePolicyToPermissionSet',
  'DeleteInlinePolicyFromPermissionSet',
  'AttachManagedPolicyToPermissionSet',
  'DetachManagedPolicyFromPermissionSet',
  'AttachCustomerManagedPolicyReferenceToPermissionSet',
  'DetachCustomerManagedPolicyReferenceFromPermissionSet',
  'PutPermissionsBoundaryToPermissionSet',
  'DeletePermissionsBoundaryFromPermissionSet',
] as const;
export const MEMBERSHIP_WRITES = ['CreateGroupMembership', 'DeleteGroupMembership'] as const;
export const DELTA_EVENT_NAMES: readonly string[] = [
  ...ASSIGNMENT_WRITES,
  ...PROVISIONING_WRITES,
  ...PERMISSION_SET_WRITES,
  ...MEMBERSHIP_WRITES,
];
/**
 * The event names a delta looks up: those that change what a snapshot holds (a place's
 * assignments, a group's members) or name a place to read again. A permission set's own edits
 * change neither (deleting one still provisioned to an account is refused, ConflictException, as
 * emulator/aws/sso-admin/sso-admin.ts answers it, so its assignments went first, each a
 * DeleteAccountAssignment), so those eleven are not looked up: each name is a query of its own at
 * two a second.
 */
export const LOOKED_UP_EVENT_NAMES: readonly string[] = [
  ...ASSIGNMENT_WRITES,
  ...PROVISIONING_WRITES,
  ...MEMBERSHIP_WRITES,
];

export interface Touched {
  places: Set<string>;
  groups: Set<string>;
  /** A membership removed that the snapshot does not hold: every group's members are read again. */
  everyGroup: boolean;
  permissionSets: Set<string>;
  /** Events whose parameters are not what their name carries. */
  unreadable: number;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function touchedBy(events: readonly TrailWrite[], snapshot: Snapshot): Touched {
  const touched: Touched = {
    places: new Set(),
    groups: new Set(),
    everyGroup: false,
    permissionSets: new Set(),
    unreadable: 0,
  };
  const groupOfMembership = new Map<string, string>();
  for (const [group, members] of Object.entries(snapshot.groups))
    for (const membership of Object.values(members)) groupOfMembership.set(membership, group);
  for (const event of events) {
    const p = event.requestParameters ?? {};
    const instance = text(p.instanceArn);
    // Another instance's write touches nothing of ours.
    if (instance !== undefined && instance !== snapshot.instance) continue;
    const name = event.eventName;
    const account = text(p.targetId);
    const permissionSet = text(p.permissionSetArn);
    const validSet = permissionSet !== undefined && PERMISSION_SET_ARN.test(permissionSet);
    if ((ASSIGNMENT_WRITES as readonly string[]).includes(name)) {
      if (!validSet || account === undefined || !ACCOUNT_ID.test(account)) touched.unreadable++;
      else touched.places.add(placeKey(account, permissionSet));
    } else if ((PROVISIONING_WRITES as readonly string[]).includes(name)) {
      if (!validSet) touched.unreadable++;
      // To every provisioned account: it changes no assignment, and adds no place.
      else if (account !== undefined && ACCOUNT_ID.test(account))
        touched.places.add(placeKey(account, permissionSet));
    } else if ((PERMISSION_SET_WRITES as readonly string[]).includes(name)) {
      if (validSet) touched.permissionSets.add(permissionSet);
    } else if (name === 'CreateGroupMembership') {
      const group = text(p.groupId);
      if (group === undefined || !IDENTITY_STORE_PRINCIPAL_ID.test(group)) touched.unreadable++;
      else touched.groups.add(group);
    } else if (name === 'DeleteGroupMembership') {
      const group = groupOfMembership.get(text(p.membershipId) ?? '');
      if (group) touched.groups.add(group);
      else touched.everyGroup = true;
    }
  }
  return touched;
}
