// What CloudTrail's write events since a snapshot's watermark touched: the places (account ×
// permission set) whose assignments a run must read again, the groups whose members it must read
// again, the groups and users deleted, and the permission sets written (content, tags) or
// provisioned, whose kept content is read again. The parameters are those of
// the records AWS writes (IAM Identity Center User Guide, "Logging IAM Identity Center API calls"
// and "Logging SCIM API calls"): membership changes come from three sources, the Identity Store's
// API, the console (`sso-directory`) and SCIM; a DeleteGroupMembership names only its membership
// ID, so the group is the one the snapshot holds it in (or held it in, within 24 hours); SCIM's
// PatchGroup hides its members but names its group; a record that names no group the snapshot can
// place reads every group again, saying why. An IAM Identity Center event whose parameters are not
// what its name carries is counted `unreadable`: the caller reads completely rather than guess.
// Pure.
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN } from '../patterns.js';
import type { Snapshot } from './format.js';
import { placeKey } from './merge.js';

/** A write event, as LookupEvents' CloudTrailEvent record carries it. */
export interface TrailWrite {
  eventName: string;
  /** The service that recorded it: a name of ours from another service is not ours. */
  eventSource: string;
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
/** A set's tags written: the record names it as `resourceArn`. */
export const TAG_WRITES = ['TagResource', 'UntagResource'] as const;
export const MEMBERSHIP_WRITES = ['CreateGroupMembership', 'DeleteGroupMembership'] as const;
/** The console's membership writes (`sso-directory`): each names its group and member. */
export const CONSOLE_MEMBERSHIP_WRITES = ['AddMemberToGroup', 'RemoveMemberFromGroup'] as const;
/** A SCIM sync's membership write: it names its group, its member values hidden. */
export const SCIM_MEMBERSHIP_WRITES = ['PatchGroup'] as const;
/** A principal deleted, by any of the identity store's three sources. */
export const DIRECTORY_DELETES = ['DeleteGroup', 'DeleteUser'] as const;
/** A principal changed (a kept name read again): the store's and the console's, and SCIM's user writes. */
export const PRINCIPAL_UPDATES = ['UpdateGroup', 'UpdateUser'] as const;
export const SCIM_USER_UPDATES = ['PatchUser', 'PutUser'] as const;

const SSO = 'sso.amazonaws.com';
const STORE = 'identitystore.amazonaws.com';
const CONSOLE = 'sso-directory.amazonaws.com';
const SCIM = 'identitystore-scim.amazonaws.com';
/**
 * The services whose records of each name the delta reads. Names are shared with other services
 * (IAM's CreateUser and DeleteGroup, TagResource everywhere): a record of another source is not
 * ours, and is ignored.
 */
export const DELTA_EVENT_SOURCES: Readonly<Record<string, readonly string[]>> = Object.fromEntries([
  ...[...ASSIGNMENT_WRITES, ...PROVISIONING_WRITES, ...PERMISSION_SET_WRITES, ...TAG_WRITES].map((n) => [
    n,
    [SSO],
  ]),
  ...MEMBERSHIP_WRITES.map((n) => [n, [STORE]]),
  ...CONSOLE_MEMBERSHIP_WRITES.map((n) => [n, [CONSOLE]]),
  ...SCIM_MEMBERSHIP_WRITES.map((n) => [n, [SCIM]]),
  ...DIRECTORY_DELETES.map((n) => [n, [STORE, SCIM, CONSOLE]]),
  ...PRINCIPAL_UPDATES.map((n) => [n, [STORE, CONSOLE]]),
  ...SCIM_USER_UPDATES.map((n) => [n, [SCIM]]),
]);
export const DELTA_EVENT_NAMES: readonly string[] = Object.keys(DELTA_EVENT_SOURCES);
const MEMBERSHIP_LOOKUPS = [
  ...MEMBERSHIP_WRITES,
  ...CONSOLE_MEMBERSHIP_WRITES,
  ...SCIM_MEMBERSHIP_WRITES,
  ...DIRECTORY_DELETES,
  ...PRINCIPAL_UPDATES,
  ...SCIM_USER_UPDATES,
];
/**
 * The event names a delta looks up: those that change what a snapshot holds (a place's
 * assignments, a group's members, a defined set's content) or name a place to read again. Each
 * name is a query of its own, at two a second.
 */
export const LOOKED_UP_EVENT_NAMES: readonly string[] = [
  ...ASSIGNMENT_WRITES,
  ...PROVISIONING_WRITES,
  ...PERMISSION_SET_WRITES,
  ...TAG_WRITES,
  ...MEMBERSHIP_LOOKUPS,
];

export interface Touched {
  places: Set<string>;
  groups: Set<string>;
  /** A record that names no group the snapshot can place: every group's members are read again. */
  everyGroup: boolean;
  /** Why every group is read again, for the notice. */
  everyGroupWhy?: string;
  /** Groups deleted: their member rows go with them (their assignments stay, orphaned). */
  deletedGroups: Set<string>;
  /** Users deleted: their member rows go. */
  deletedUsers: Set<string>;
  /** Principals changed (renamed): their kept names are read again. */
  changedPrincipals: Set<string>;
  /** A principal change that names none: no kept name is used. */
  everyPrincipal: boolean;
  /** Permission sets written (content, tags) or provisioned: a kept content of theirs is read again. */
  permissionSets: Set<string>;
  /** Events whose parameters are not what their name carries. */
  unreadable: number;
  /** Events of a name of ours recorded by another service (IAM's DeleteGroup …). */
  ignored: number;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const is = (names: readonly string[], name: string) => names.includes(name);
const principalId = (v: unknown) => {
  const id = text(v);
  return id !== undefined && IDENTITY_STORE_PRINCIPAL_ID.test(id) ? id : undefined;
};

/** The group each membership ID the snapshot knows belongs to: its members' and its removed rows'. */
function membershipGroups(snapshot: Snapshot): Map<string, string> {
  const groupOf = new Map<string, string>();
  for (const [id, removed] of Object.entries(snapshot.removedMemberships)) groupOf.set(id, removed.group);
  for (const [group, members] of Object.entries(snapshot.groups))
    for (const membership of Object.values(members)) groupOf.set(membership, group);
  return groupOf;
}

export function touchedBy(events: readonly TrailWrite[], snapshot: Snapshot): Touched {
  const touched: Touched = {
    places: new Set(),
    groups: new Set(),
    everyGroup: false,
    deletedGroups: new Set(),
    deletedUsers: new Set(),
    changedPrincipals: new Set(),
    everyPrincipal: false,
    permissionSets: new Set(),
    unreadable: 0,
    ignored: 0,
  };
  const groupOfMembership = membershipGroups(snapshot);
  const everyGroup = (why: string) => {
    touched.everyGroup = true;
    touched.everyGroupWhy ??= why;
  };
  for (const event of events) {
    const p = event.requestParameters ?? {};
    const name = event.eventName;
    if (!DELTA_EVENT_SOURCES[name]?.includes(event.eventSource)) {
      touched.ignored++;
      continue;
    }
    // A write that failed changed nothing.
    if (event.errorCode !== undefined) continue;
    const instance = text(p.instanceArn);
    // Another instance's write touches nothing of ours.
    if (instance !== undefined && instance !== snapshot.instance) continue;
    if (is(ASSIGNMENT_WRITES, name) || is(PROVISIONING_WRITES, name) || is(PERMISSION_SET_WRITES, name))
      touchedInstance(touched, name, p);
    else if (is(TAG_WRITES, name)) {
      // A tag of another resource (the instance, an application) is no set's.
      const resource = text(p.resourceArn);
      if (resource !== undefined && PERMISSION_SET_ARN.test(resource)) touched.permissionSets.add(resource);
    } else if (is(PRINCIPAL_UPDATES, name) || is(SCIM_USER_UPDATES, name)) {
      const id = principalId(p.groupId) ?? principalId(p.userId);
      if (id) touched.changedPrincipals.add(id);
      else touched.everyPrincipal = true;
    } else if (is(DIRECTORY_DELETES, name)) {
      const group = principalId(p.groupId);
      const user = principalId(p.userId);
      if (name === 'DeleteGroup' && group) touched.deletedGroups.add(group);
      else if (name === 'DeleteUser' && user) touched.deletedUsers.add(user);
      else
        everyGroup(
          `a ${name} record from ${event.eventSource} names no ${name === 'DeleteGroup' ? 'group' : 'user'}`,
        );
    } else if (name === 'DeleteGroupMembership') {
      const membership = text(p.membershipId) ?? '';
      const group = groupOfMembership.get(membership);
      if (group) touched.groups.add(group);
      else
        everyGroup(
          `a DeleteGroupMembership names membership ${JSON.stringify(membership.slice(0, 80))}, which the snapshot does not hold`,
        );
    } else {
      // CreateGroupMembership, AddMemberToGroup, RemoveMemberFromGroup, PatchGroup: the group named.
      const group = principalId(p.groupId);
      if (group) touched.groups.add(group);
      else everyGroup(`a ${name} record from ${event.eventSource} names no group`);
      // SCIM's PatchGroup may rename the group too (its values hidden); a membership write never does.
      if (is(SCIM_MEMBERSHIP_WRITES, name)) {
        if (group) touched.changedPrincipals.add(group);
        else touched.everyPrincipal = true;
      }
    }
  }
  return touched;
}

/** An IAM Identity Center write: the place it touched, or the permission set it edited. */
function touchedInstance(touched: Touched, name: string, p: Record<string, unknown>): void {
  const account = text(p.targetId);
  const permissionSet = text(p.permissionSetArn);
  const validSet = permissionSet !== undefined && PERMISSION_SET_ARN.test(permissionSet);
  if (is(ASSIGNMENT_WRITES, name)) {
    if (!validSet || account === undefined || !ACCOUNT_ID.test(account)) touched.unreadable++;
    else touched.places.add(placeKey(account, permissionSet));
  } else if (is(PROVISIONING_WRITES, name)) {
    if (!validSet) touched.unreadable++;
    else {
      // Its accounts' versions changed. To every provisioned account: no assignment, and no place.
      touched.permissionSets.add(permissionSet);
      if (account !== undefined && ACCOUNT_ID.test(account))
        touched.places.add(placeKey(account, permissionSet));
    }
  } else if (validSet) touched.permissionSets.add(permissionSet);
}
