// A reconcile's put of the manifest's inline policy keeps the set's live session fences after it
// and drops the expired (one read, then the put, no call between, then a read-back); with no fence
// it puts the manifest's text as it is; the manifest dropping its policy leaves the live fences
// alone in it. A manifest policy with an `Id` keeps both; one the fences cannot go into is never
// put over a live fence.
import { describe, expect, it } from '@jest/globals';
import { putKeepingFences } from '../../../src/aws/permission-sets/kept-fences.js';
import { fenceFor, fenceSid, fenceStatement } from '../../../src/core/permission-sets/session-fence.js';
import { fencedPolicy, type FencedPolicy } from '../../../src/core/permission-sets/fenced-policy.js';
import { emulatedSso, READ_ONLY } from '../../harness/emulated-sso.js';
import { preparedSession } from './fixture.js';

const sso = emulatedSso();
const allow = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' });
const manifest = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [allow(action)] });
const stored = () => sso.emulator.aws.state.permissionSets.get(READ_ONLY)!.inlinePolicy;
const set = () => ({ InstanceArn: sso.emulator.aws.state.instanceArn, PermissionSetArn: READ_ONLY });

function fenced() {
  const now = Date.now();
  const live = fenceFor(READ_ONLY, '111111111111', now - 10 * 60_000, 3600);
  const expired = fenceFor(READ_ONLY, '222222222222', now - 24 * 3600_000, 3600);
  sso.emulator.aws.state.permissionSets.get(READ_ONLY)!.inlinePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [allow('s3:Get*'), fenceStatement(live), fenceStatement(expired)],
  });
  return { live, expired };
}

describe('the manifest’s inline policy put over a fenced set', () => {
  it('keeps the live fence after the manifest’s statements and drops the expired one', async () => {
    const { live } = fenced();
    await putKeepingFences(await preparedSession(sso), set(), manifest('ec2:Describe*'));
    const policy = fencedPolicy(stored(), READ_ONLY) as FencedPolicy;
    expect(policy.others).toEqual([allow('ec2:Describe*')]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(live)]);
    // One read, then the put (nothing between), then the read-back.
    const calls = sso.calls().filter((c) => /InlinePolicy/.test(c));
    expect(calls.map((c) => c.split('.')[1])).toEqual([
      'GetInlinePolicyForPermissionSet',
      'PutInlinePolicyToPermissionSet',
      'GetInlinePolicyForPermissionSet',
    ]);
  });

  it('the manifest dropping its inline policy leaves the live fence alone in it', async () => {
    const { live } = fenced();
    await putKeepingFences(await preparedSession(sso), set(), undefined);
    const policy = fencedPolicy(stored(), READ_ONLY) as FencedPolicy;
    expect(policy.others).toEqual([]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(live)]);
  });

  it('with no live fence, puts the manifest’s text as it is, or deletes the policy', async () => {
    await putKeepingFences(await preparedSession(sso), set(), manifest('s3:List*'));
    expect(stored()).toBe(manifest('s3:List*'));
    await putKeepingFences(await preparedSession(sso), set(), undefined);
    expect(stored()).toBeUndefined();
  });
});

describe('a manifest’s inline policy with an `Id` (a policy element IAM takes)', () => {
  const withId = (action: string) =>
    JSON.stringify({ Version: '2012-10-17', Id: 'ManifestPolicy', Statement: [allow(action)] });

  it('keeps the set’s live fence after its statements, and its `Id`', async () => {
    const { live } = fenced();
    await putKeepingFences(await preparedSession(sso), set(), withId('ec2:Describe*'));
    const written = JSON.parse(stored()!) as Record<string, unknown>;
    expect(written.Id).toBe('ManifestPolicy');
    const policy = fencedPolicy(stored(), READ_ONLY) as FencedPolicy;
    expect(policy.others).toEqual([allow('ec2:Describe*')]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(live)]);
  });
});

describe('a manifest’s inline policy the fences cannot be written into', () => {
  it('is not put over a live fence: the update fails, the fence stays', async () => {
    const { live } = fenced();
    const odd = JSON.stringify({ Version: '2012-10-17', Extra: 'x', Statement: [allow('ec2:Describe*')] });
    await expect(putKeepingFences(await preparedSession(sso), set(), odd)).rejects.toThrow(
      /cannot hold the set's 1 live session fence\(s\) \(it has keys beside/,
    );
    const policy = fencedPolicy(stored(), READ_ONLY) as FencedPolicy;
    expect(policy.fences.map(fenceSid)).toContain(fenceSid(live));
  });
});
