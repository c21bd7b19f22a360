// What an AWS audit record calls its IDs, read for the records alone with the real SDK clients
// against the emulator: an account by its AWS Organizations name, a permission set by its name, each
// read once however many records name it, and a principal given by Identity Store ID by its user
// name or group display name; a denied read leaves the ID and says once what to allow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { awsRecordNamer } from '../../src/aws/audit-names.js';
import type { AuditRecord } from '../../src/engine/audit/record.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { identityStoreClient, ssoAdminClient, staticCredentials } from '../emulator/sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** A name an account's owner chose: a workflow command and markup, as data. */
const HOSTILE = '::warning::pwned\n<b>prod</b>';

function namer(notices: string[], store: { identityStoreId?: string } = {}) {
  const organizations = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
  });
  const identityStore = identityStoreClient(emulator);
  return awsRecordNamer(
    {
      organizations: () => Promise.resolve(organizations),
      ssoAdmin: ssoAdminClient(emulator),
      identityStore: () => Promise.resolve(identityStore),
    },
    { deadline: new Deadline(30) },
    (notice) => notices.push(notice),
    { region: emulator.aws.region, ...store },
  );
}

/** A revoke's or provision's record as the step knows it: IDs alone. */
const record = (
  accountId: string,
  permissionSetArn: string,
  principal: AuditRecord['principal'] = { id: '906767b8-0000-4000-8000-000000000001', type: 'USER' },
): AuditRecord => ({
  version: 1,
  n: 2,
  time: '2026-11-26T09:00:00.000Z',
  step: 'main',
  operation: 'revoke',
  change: 'revoke',
  cloud: 'aws',
  principal,
  role: { id: permissionSetArn },
  target: { id: accountId },
  status: 'SUCCEEDED',
  run: {},
});

const calls = (operation: string) => emulator.aws.stats.byOperation[operation] ?? 0;

describe('names of an AWS record', () => {
  it('name the account by its Organizations name and the permission set by its own, each read once', async () => {
    emulator.aws.organization.seed({
      units: { Prod: { accounts: [{ id: '111111111111', name: HOSTILE }, '222222222222'] } },
    });
    const arn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const notices: string[] = [];
    const names = namer(notices);
    const named = await Promise.all(
      ['111111111111', '111111111111', '222222222222'].map((a) => names.namesOf(record(a, arn))),
    );
    expect(named).toEqual([
      { target: HOSTILE, role: 'ReadOnlyAccess' },
      { target: HOSTILE, role: 'ReadOnlyAccess' },
      { target: 'account-222222222222', role: 'ReadOnlyAccess' },
    ]);
    expect(await names.namesOf(record('111111111111', arn))).toEqual({
      target: HOSTILE,
      role: 'ReadOnlyAccess',
    });
    expect([calls('DescribeAccount'), calls('DescribePermissionSet')]).toEqual([2, 1]);
    expect(notices).toEqual([]);
  });

  it('leave what a record names already, and a provisioning’s ALL_PROVISIONED_ACCOUNTS, unread', async () => {
    const arn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const names = namer([]);
    const given = record('ALL_PROVISIONED_ACCOUNTS', arn);
    expect(await names.namesOf({ ...given, role: { id: arn, name: 'ReadOnlyAccess' } })).toEqual({});
    expect([calls('DescribeAccount'), calls('DescribePermissionSet')]).toEqual([0, 0]);
  });

  it('leave accounts by ID when Organizations is denied, saying once which permission to allow', async () => {
    emulator.aws.faults.accessDenied = ['DescribeAccount'];
    const arn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const notices: string[] = [];
    const names = namer(notices);
    const named = await Promise.all(
      ['111111111111', '222222222222', '333333333333'].map((a) => names.namesOf(record(a, arn))),
    );
    expect(named.map((n) => n.target)).toEqual([undefined, undefined, undefined]);
    expect(named.map((n) => n.role)).toEqual(['ReadOnlyAccess', 'ReadOnlyAccess', 'ReadOnlyAccess']);
    expect(notices).toEqual([expect.stringMatching(/accounts by ID.*`organizations:DescribeAccount`/)]);
    // Denied, not asked again.
    const asked = calls('DescribeAccount');
    await names.namesOf(record('444444444444', arn));
    expect(calls('DescribeAccount')).toBe(asked);
  });

  it('leave permission sets by ARN when DescribePermissionSet is denied, saying so once', async () => {
    emulator.aws.faults.accessDenied = ['DescribePermissionSet'];
    const arns = ['ReadOnlyAccess', 'ViewOnlyAccess'].map((n) => emulator.aws.permissionSetArn(n));
    const notices: string[] = [];
    const names = namer(notices);
    const named = await Promise.all(arns.map((arn) => names.namesOf(record('111111111111', arn))));
    expect(named.map((n) => n.role)).toEqual([undefined, undefined]);
    expect(notices).toEqual([expect.stringMatching(/`sso:DescribePermissionSet`/)]);
  });

  it('name a principal given by Identity Store ID by its user name or group display name, each read once', async () => {
    const user = emulator.aws.addUser(HOSTILE);
    const group = emulator.aws.addGroup('Platform Admins');
    const arn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const notices: string[] = [];
    const names = namer(notices);
    const asUser = record('111111111111', arn, { id: user, type: 'USER' });
    const asGroup = record('111111111111', arn, { id: group, type: 'GROUP' });
    const named = await Promise.all([asUser, asUser, asGroup].map((r) => names.namesOf(r)));
    expect(named.map((n) => n.principal)).toEqual([HOSTILE, HOSTILE, 'Platform Admins']);
    expect([calls('DescribeUser'), calls('DescribeGroup')]).toEqual([1, 1]);
    // A principal the record names already is not read.
    expect(
      await names.namesOf({ ...asUser, principal: { id: user, name: 'known', type: 'USER' } }),
    ).not.toHaveProperty('principal');
    expect(calls('DescribeUser')).toBe(1);
    expect(notices).toEqual([]);
  });

  it('leave principals by ID when Identity Store is denied, saying once which permission to allow', async () => {
    emulator.aws.faults.accessDenied = ['DescribeUser'];
    const users = ['alice', 'bob'].map((n) => emulator.aws.addUser(n));
    const arn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const notices: string[] = [];
    const names = namer(notices, { identityStoreId: emulator.aws.identityStoreId });
    const named = await Promise.all(
      users.map((id) => names.namesOf(record('111111111111', arn, { id, type: 'USER' }))),
    );
    expect(named.map((n) => n.principal)).toEqual([undefined, undefined]);
    expect(notices).toEqual([expect.stringMatching(/principals by ID.*`identitystore:DescribeUser`/)]);
    const asked = calls('DescribeUser');
    await names.namesOf(record('111111111111', arn, { id: emulator.aws.addUser('carol'), type: 'USER' }));
    expect(calls('DescribeUser')).toBe(asked);
  });
});
