// A defined permission set's content read back over the emulated IAM Identity Center, through the
// real SDK and the session's engine: 6 calls a set, whatever it holds, and a set made as the
// manifest says reads back with nothing to change.
import { describe, expect, it } from '@jest/globals';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import {
  CONTENT_READS_PER_SET,
  readPermissionSetContent,
  readPermissionSetContents,
} from '../../../src/aws/permission-sets/read-content.js';
import { contentChanges } from '../../../src/core/permission-sets/diff.js';
import { READ_ONLY, emulatedSso } from '../../harness/emulated-sso.js';
import { POLICY, preparedSession, readOnlyContent } from './fixture.js';

const sso = emulatedSso();

const session = () => preparedSession(sso);

/** The SDK client an apply would write with, to make a set as the manifest says. */
const client = () =>
  new ssoAdmin.SSOAdminClient({
    region: 'us-east-1',
    endpoint: sso.emulator.env.AWS_ENDPOINT_URL_SSO_ADMIN,
    credentials: { ...sso.emulator.aws.staticCredentials },
  });

const sdkCalls = () => sso.calls().filter((c) => c.startsWith('SWBExternalService.'));

describe('reading a defined permission set’s content', () => {
  it('takes exactly 6 calls, one of each, for a set holding nothing but its name', async () => {
    const s = await session();
    const content = await readPermissionSetContent(s, READ_ONLY);
    expect(sdkCalls().sort()).toEqual(
      [
        'DescribePermissionSet',
        'GetInlinePolicyForPermissionSet',
        'ListManagedPoliciesInPermissionSet',
        'ListCustomerManagedPolicyReferencesInPermissionSet',
        'GetPermissionsBoundaryForPermissionSet',
        'ListTagsForResource',
      ]
        .map((o) => `SWBExternalService.${o}`)
        .sort(),
    );
    expect(CONTENT_READS_PER_SET).toBe(6);
    // No boundary is ResourceNotFoundException from the service: read as none, not as a failure.
    expect(content).toEqual({
      name: 'ReadOnlyAccess',
      description: 'ReadOnlyAccess permission set',
      sessionMinutes: 60,
      relayState: undefined,
      inlinePolicy: undefined,
      awsManagedPolicies: [],
      customerManagedPolicies: [],
      permissionsBoundary: undefined,
      tags: {},
    });
  });

  it('reads back a set made as the manifest defines it with nothing to change', async () => {
    const desired = readOnlyContent();
    const InstanceArn = sso.emulator.aws.instanceArn;
    const created = await client().send(
      new ssoAdmin.CreatePermissionSetCommand({
        InstanceArn,
        Name: 'ReadOnly',
        Description: desired.description,
        SessionDuration: 'PT4H',
        Tags: Object.entries(desired.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const PermissionSetArn = created.PermissionSet!.PermissionSetArn!;
    const set = { InstanceArn, PermissionSetArn };
    for (const ManagedPolicyArn of desired.awsManagedPolicies)
      await client().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({ ...set, ManagedPolicyArn }),
      );
    await client().send(
      new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        ...set,
        CustomerManagedPolicyReference: { Name: 'deny-secrets', Path: '/guard/' },
      }),
    );
    // Sent as written: the read normalises it as the manifest's was.
    await client().send(new ssoAdmin.PutInlinePolicyToPermissionSetCommand({ ...set, InlinePolicy: POLICY }));
    await client().send(
      new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
        ...set,
        PermissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      }),
    );
    const read = await readPermissionSetContent(await session(), PermissionSetArn);
    expect(contentChanges(desired, read)).toEqual([]);
    // A change by hand in the console is drift the diff names.
    await client().send(new ssoAdmin.UpdatePermissionSetCommand({ ...set, SessionDuration: 'PT12H' }));
    const drifted = await readPermissionSetContent(await session(), PermissionSetArn);
    expect(contentChanges(desired, drifted)).toEqual([
      { field: 'session-duration', before: 'PT12H', after: 'PT4H' },
    ]);
  });

  it('follows the pages of a list, and still reads every policy', async () => {
    const { state } = sso.emulator.aws;
    const ps = state.permissionSets.get(READ_ONLY)!;
    ps.managedPolicies = [
      'arn:aws:iam::aws:policy/A',
      'arn:aws:iam::aws:policy/B',
      'arn:aws:iam::aws:policy/C',
    ];
    sso.pageSize(2);
    const content = await readPermissionSetContent(await session(), READ_ONLY);
    expect(content.awsManagedPolicies).toEqual(ps.managedPolicies);
    expect(sso.count('ListManagedPoliciesInPermissionSet')).toBe(2);
  });

  it('many sets cost 6 calls each, read side by side', async () => {
    const arns = Array.from({ length: 20 }, (_, i) =>
      sso.emulator.aws.addPermissionSet(`Set${i}`, { team: 'x' }),
    );
    const read = await readPermissionSetContents(await session(), arns);
    expect(read.map((r) => r.content.name)).toEqual(arns.map((_, i) => `Set${i}`));
    expect(sdkCalls()).toHaveLength(20 * CONTENT_READS_PER_SET);
  });

  it('a set that is gone is the service’s error, not an empty set', async () => {
    const s = await session();
    sso.emulator.aws.state.permissionSets.delete(READ_ONLY);
    await expect(readPermissionSetContent(s, READ_ONLY)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});
