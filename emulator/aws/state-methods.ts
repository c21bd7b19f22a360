// The AwsEmulator's methods that seed the shared AWS state and read it back, beside index.ts
// (which starts the services): users, groups, permission sets, assignments and their requests.
import type { AwsEmulator } from './emulator-api.js';
import { assignmentKey, identityStoreResourceId, policyKey } from './account/model.js';
import { AwsState } from './account/state.js';

/** The state with every request due by now completed, as a read would see it. */
const settled = (state: AwsState) => {
  state.settle();
  return state;
};

const lookup = <T>(found: T | undefined, what: string): T => {
  if (found === undefined) throw new Error(`emulator: ${what} is not in the emulated AWS state`);
  return found;
};

/** The seeding and inspecting methods, over `state`. */
export function stateMethods(
  state: AwsState,
): Pick<
  AwsEmulator,
  | 'addUser'
  | 'addGroup'
  | 'addMembership'
  | 'removeMembership'
  | 'addPermissionSet'
  | 'addAssignment'
  | 'recordCreation'
  | 'hasAssignment'
  | 'assignments'
  | 'permissionSetArn'
  | 'userId'
  | 'groupId'
  | 'markOutdated'
  | 'addCustomerManagedPolicy'
  | 'provisionedAccounts'
> {
  return {
    addUser: (userName) => state.addUser(userName).id,
    addGroup: (displayName) => state.addGroup(displayName).id,
    addMembership: (groupId, userId) => {
      const group = lookup(state.groups.get(groupId), `group ${groupId}`);
      group.members = (group.members ?? new Map<string, string>()).set(
        userId,
        identityStoreResourceId('membership', `${groupId}/${userId}`),
      );
    },
    removeMembership: (groupId, userId) => {
      lookup(state.groups.get(groupId), `group ${groupId}`).members?.delete(userId);
    },
    addPermissionSet: (name, tags = {}) =>
      state.addPermissionSet(name, {
        createdDate: new Date(),
        tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }).arn,
    addAssignment: (assignment) => settled(state).putAssignment(assignment),
    recordCreation: (assignment, status, createdDate) =>
      settled(state).recordAssignmentRequest('create', assignment, status, createdDate),
    hasAssignment: (assignment) => settled(state).assignments.has(assignmentKey(assignment)),
    assignments: () => [...settled(state).assignments.values()].map((a) => ({ ...a })),
    permissionSetArn: (name) => lookup(state.permissionSetByName(name), `permission set ${name}`).arn,
    userId: (userName) =>
      lookup(
        [...state.users.values()].find((u) => u.userName === userName),
        `user ${userName}`,
      ).id,
    groupId: (displayName) =>
      lookup(
        [...state.groups.values()].find((g) => g.displayName === displayName),
        `group ${displayName}`,
      ).id,
    markOutdated: (permissionSetArn, accountIds) => markOutdated(state, permissionSetArn, accountIds),
    addCustomerManagedPolicy: (accountIds, name, path = '/') => {
      for (const accountId of accountIds) {
        const held = state.customerPolicies.get(accountId) ?? new Set<string>();
        state.customerPolicies.set(accountId, held.add(policyKey({ Name: name, Path: path })));
      }
    },
    provisionedAccounts: (permissionSetArn) => settled(state).provisionedAccounts(permissionSetArn),
  };
}

function markOutdated(state: AwsState, permissionSetArn: string, accountIds: string[] | undefined): void {
  const ps = lookup(
    settled(state).permissionSets.get(permissionSetArn),
    `permission set ${permissionSetArn}`,
  );
  if (!accountIds) {
    state.bumpVersion(ps.arn);
    return;
  }
  if (ps.version === 1) {
    // Make room below the latest version without touching the other accounts.
    const current = state
      .provisionedAccounts(ps.arn)
      .filter((a) => a.current)
      .map((a) => a.accountId);
    ps.version = 2;
    for (const account of current) state.provisioned.get(ps.arn)?.set(account, 2);
  }
  for (const accountId of accountIds) {
    state.provision(ps.arn, accountId);
    state.provisioned.get(ps.arn)?.set(accountId, ps.version - 1);
  }
}
