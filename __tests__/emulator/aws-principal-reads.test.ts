// The reads a reconcile plans from, through the real SDK's paginators: every assignment of one
// principal (ListAccountAssignmentsForPrincipal), and every user and group of the identity store.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as identityStore from '@aws-sdk/client-identitystore';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { identityStoreClient, ssoAdminClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const groupAssignment = (accountId: string, permissionSet: string) => ({
  accountId,
  permissionSetArn: emulator.aws.permissionSetArn(permissionSet),
  principalType: 'GROUP' as const,
  principalId: emulator.aws.groupId('Deployers'),
});

describe('ListAccountAssignmentsForPrincipal', () => {
  it("lists one principal's assignments in every account, a page at a time, and filters by account", async () => {
    for (const account of ['111111111111', '222222222222', '333333333333'])
      emulator.aws.addAssignment(groupAssignment(account, 'ReadOnlyAccess'));
    emulator.aws.addAssignment(groupAssignment('111111111111', 'AdministratorAccess'));
    emulator.aws.addAssignment({
      ...groupAssignment('111111111111', 'ReadOnlyAccess'),
      principalId: emulator.aws.groupId('Auditors'),
    });
    // A function: the SDK's paginator writes each page's NextToken into the input it is given.
    const input = () => ({
      InstanceArn: emulator.aws.instanceArn,
      PrincipalId: emulator.aws.groupId('Deployers'),
      PrincipalType: 'GROUP' as const,
    });
    const pages = [];
    for await (const page of ssoAdmin.paginateListAccountAssignmentsForPrincipal(
      { client: ssoAdminClient(emulator), pageSize: 3 },
      input(),
    ))
      pages.push(page.AccountAssignments ?? []);
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
    expect(pages.flat().every((a) => a.PrincipalId === input().PrincipalId)).toBe(true);
    const filtered = await ssoAdminClient(emulator).send(
      new ssoAdmin.ListAccountAssignmentsForPrincipalCommand({
        ...input(),
        Filter: { AccountId: '111111111111' },
      }),
    );
    expect(filtered.AccountAssignments?.map((a) => a.PermissionSetArn).sort()).toEqual(
      [
        emulator.aws.permissionSetArn('AdministratorAccess'),
        emulator.aws.permissionSetArn('ReadOnlyAccess'),
      ].sort(),
    );
  });
});

describe('ListUsers and ListGroups', () => {
  it('list every user and group of the store, paged', async () => {
    const client = identityStoreClient(emulator);
    const IdentityStoreId = emulator.aws.identityStoreId;
    const users = [];
    for await (const page of identityStore.paginateListUsers({ client, pageSize: 2 }, { IdentityStoreId }))
      users.push(...(page.Users ?? []));
    expect(users.map((u) => u.UserName).sort()).toEqual(['alice', 'bob', 'carol']);
    const groups = await client.send(new identityStore.ListGroupsCommand({ IdentityStoreId }));
    expect(groups.Groups?.map((g) => g.DisplayName).sort()).toEqual(['Auditors', 'Deployers', 'Platform']);
  });
});
