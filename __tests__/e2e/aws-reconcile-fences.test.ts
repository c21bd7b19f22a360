// `operation: reconcile` of a manifest that defines a permission set holding the action's session
// fences, end to end: the bundled main step over the emulator's IAM Identity Center. A live fence is
// the set's own, not drift, and survives the reconcile's put of the manifest's policy; an expired
// one is planned `~ update: session fence expired`, taken out and provisioned to the account it
// named only, not as drift; accounts a fence left off the latest version are provisioned, saying so.
// A dry run with `snapshot` is in aws-reconcile-fences-snapshot.test.ts.
import { describe, expect, it } from '@jest/globals';
import { fenceFor, fenceSid, fenceStatement } from '../../src/core/permission-sets/session-fence.js';
import { fencedPolicy, type FencedPolicy } from '../../src/core/permission-sets/fenced-policy.js';
import { useEmulator } from './fixture.js';
import { allow, ENV, manifest } from './fences-manifest.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 0 });
const { reconcile, writes } = awsReconcileWorkspace(emulator, 'reconcile-aws-fences-');
const aws = () => emulator().aws;

const engineers = () => aws().permissionSetArn('Engineers');
const inlinePolicy = () => aws().state.permissionSets.get(engineers())!.inlinePolicy;
const policyRead = () => fencedPolicy(inlinePolicy(), engineers()) as FencedPolicy;
const provisions = (from: number) =>
  emulator()
    .requests.slice(from)
    .filter((r) => r.operation === 'ProvisionPermissionSet')
    .map((r) => (r.input as { TargetId?: string }).TargetId);

describe('a reconcile over a set holding the action’s session fences', () => {
  it('keeps the live fence as the set’s own, removes the expired one as upkeep, and provisions only where it named', async () => {
    const made = await reconcile(manifest('s3:Get*'), {}, ENV);
    expect(made.exitCode).toBe(0);
    // Two revokes' fences, each provisioned when it was written: one of ten minutes ago (live), one of yesterday.
    const now = Date.now();
    const live = fenceFor(engineers(), '111111111111', now - 10 * 60_000, 3600);
    const expired = fenceFor(engineers(), '222222222222', now - 24 * 3600_000, 3600);
    aws().state.permissionSets.get(engineers())!.inlinePolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [allow('s3:Get*'), fenceStatement(expired), fenceStatement(live)],
    });

    const from = emulator().requests.length;
    emulator().aws.s3.createBucket('audit');
    const swept = await reconcile(manifest('s3:Get*'), { 'audit-log': 's3://audit/reconcile' }, ENV);
    expect(swept.exitCode).toBe(0);
    expect(swept.stdout).toContain('~ update permission set Engineers');
    expect(swept.stdout).toContain(
      `session fence expired in 222222222222 (sessions issued before ${expired.before}, needed until ${expired.expiresAt}): removed`,
    );
    expect(JSON.parse(swept.outputs.plan!)).toMatchObject({
      permissionSets: { create: 0, update: 1, delete: 0, provision: 1 },
    });
    // The action's upkeep, not drift.
    expect(swept.outputs.drift).toBe('false');
    // The live fence and the manifest's statement stay; the expired fence is gone.
    expect(policyRead().others).toEqual([allow('s3:Get*')]);
    expect(policyRead().fences.map(fenceSid)).toEqual([fenceSid(live)]);
    // Provisioned to the account the expired fence named, only.
    expect(provisions(from)).toEqual(['222222222222']);
    // The removal is evidence: a log line, a `results` entry, naming the set, the account and the Sid.
    expect(swept.stdout).toContain(
      `removed the expired session fence ${fenceSid(expired)} of Engineers in 222222222222 (sessions issued before ${expired.before}, needed until ${expired.expiresAt})`,
    );
    // …and an audit record naming the set, the account and the Sid.
    const records = emulator()
      .aws.s3.objects('audit', 'reconcile/')
      .map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          change: 'session-fence-removal',
          role: expect.objectContaining({ name: 'Engineers' }),
          accounts: ['222222222222'],
          fence: expect.objectContaining({ sid: fenceSid(expired) }),
        }),
      ]),
    );
    const results = JSON.parse(swept.outputs.results!) as Record<string, unknown>[];
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'Engineers',
          change: 'permission-set-update',
          expiredFencesRemoved: [
            {
              account: '222222222222',
              sid: fenceSid(expired),
              before: expired.before,
              expiresAt: expired.expiresAt,
            },
          ],
        }),
      ]),
    );

    // A changed manifest policy is drift: written with the live fence kept after it.
    const changed = await reconcile(manifest('ec2:Describe*'), {}, ENV);
    expect(changed.exitCode).toBe(0);
    expect(changed.outputs.drift).toBe('true');
    expect(changed.stdout).toContain(`session fence in 111111111111 kept (live until ${live.expiresAt})`);
    expect(policyRead().others).toEqual([allow('ec2:Describe*')]);
    expect(policyRead().fences.map(fenceSid)).toEqual([fenceSid(live)]);

    // Nothing differs now: the live fence is not drift, and nothing is written.
    const before = writes().length;
    const quiet = await reconcile(manifest('ec2:Describe*'), {}, ENV);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.outputs.drift).toBe('false');
    expect(writes()).toHaveLength(before);

    // An account a fence elsewhere left off the latest version is provisioned, saying why.
    aws().markOutdated(engineers(), ['222222222222']);
    const outdated = await reconcile(manifest('ec2:Describe*'), {}, ENV);
    expect(outdated.exitCode).toBe(0);
    expect(outdated.stdout).toContain(
      '~ provision permission set Engineers to 1 account(s) not on its latest version: 222222222222 (session fence in 111111111111)',
    );
    expect(policyRead().fences.map(fenceSid)).toEqual([fenceSid(live)]);
  });
});
