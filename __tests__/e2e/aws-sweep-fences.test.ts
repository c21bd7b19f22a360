// `operation: sweep` on AWS takes out the expired session fences of the sets its `created-by`
// sessions fenced within `lookback`, end to end through the bundle: with nothing to revoke, a dry
// run lists the removal and writes nothing; the apply takes it out, keeps the live fence and the
// set's own statement, provisions only the account it named, and records it in `results` and the
// audit log.
import { describe, expect, it } from '@jest/globals';
import { fenceFor, fenceSid, fenceStatement } from '../../src/core/permission-sets/session-fence.js';
import { fencedPolicy, type FencedPolicy } from '../../src/core/permission-sets/fenced-policy.js';
import { awsAssignment, awsInputs, ROLE_TO_ASSUME, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 0 });
const aws = () => emulator().aws;
const allow = { Effect: 'Allow', Action: 's3:Get*', Resource: '*' };

const sweep = (more: Record<string, string> = {}, event = 'schedule') =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: event,
  });

/** ReadOnlyAccess with a live fence (111111111111) and an expired one (222222222222), both put by a session of the sweep's role. */
function fencedSet() {
  const set = aws().permissionSetArn('ReadOnlyAccess');
  aws().addAssignment(awsAssignment('111111111111'));
  aws().addAssignment(awsAssignment('222222222222'));
  const now = Date.now();
  const live = fenceFor(set, '111111111111', now - 10 * 60_000, 3600);
  const expired = fenceFor(set, '222222222222', now - 24 * 3600_000, 3600);
  const InlinePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [allow, fenceStatement(expired), fenceStatement(live)],
  });
  aws().state.permissionSets.get(set)!.inlinePolicy = InlinePolicy;
  // The revoke's put, as CloudTrail recorded it, by a session of the sweep's own role.
  aws().addCloudTrailEvent({
    eventName: 'PutInlinePolicyToPermissionSet',
    principalArn: `${ROLE_TO_ASSUME.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/cloud-access-1-2-1-e`,
    at: now - 60 * 60_000,
    requestParameters: { InstanceArn: aws().state.instanceArn, PermissionSetArn: set, InlinePolicy },
  });
  return { set, live, expired };
}

describe('the sweep and the expired session fences of the sets its sessions fenced', () => {
  it('lists the removal in a dry run; takes it out with nothing to revoke, provisioned where it named, recorded', async () => {
    const { set, live, expired } = fencedSet();

    const planned = await sweep({ 'dry-run': 'true' });
    expect(planned.exitCode).toBe(0);
    expect(planned.stdout).toContain(
      `would remove the expired session fence of ReadOnlyAccess in 222222222222 (${fenceSid(expired)}: sessions issued before ${expired.before}, needed until ${expired.expiresAt})`,
    );
    expect(emulator().requests.filter((r) => r.write && r.service === 'sso-admin')).toEqual([]);

    emulator().aws.s3.createBucket('audit');
    const applied = await sweep({ 'audit-log': 's3://audit/sweep' });
    expect(applied.exitCode).toBe(0);
    const results = JSON.parse(applied.outputs.results!) as Record<string, unknown>[];
    expect(results).toEqual([
      expect.objectContaining({
        change: 'session-fence-removal',
        role: set,
        target: '222222222222',
        sid: fenceSid(expired),
        status: 'SUCCEEDED',
        changed: true,
      }),
    ]);
    const policy = fencedPolicy(aws().state.permissionSets.get(set)!.inlinePolicy, set) as FencedPolicy;
    expect(policy.others).toEqual([allow]);
    expect(policy.fences.map(fenceSid)).toEqual([fenceSid(live)]);
    expect(
      emulator()
        .requests.filter((r) => r.operation === 'ProvisionPermissionSet')
        .map((r) => r.input?.TargetId),
    ).toEqual(['222222222222']);
    const records = emulator()
      .aws.s3.objects('audit', 'sweep/')
      .map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);
    expect(records.map((r) => r.change)).toEqual(['plan', 'session-fence-removal']);
    expect(records[1]).toMatchObject({ accounts: ['222222222222'], fence: { sid: fenceSid(expired) } });
  }, 120_000);

  it('on a `pull_request` event plans the removal only: no put, no provisioning; without `dry-run` it stops before any read', async () => {
    const { set, expired } = fencedSet();
    const before = aws().state.permissionSets.get(set)!.inlinePolicy;
    const planned = await sweep({ 'dry-run': 'true' }, 'pull_request');
    expect(planned.exitCode).toBe(0);
    expect(planned.stdout).toContain(
      `would remove the expired session fence of ReadOnlyAccess in 222222222222 (${fenceSid(expired)}: sessions issued before ${expired.before}, needed until ${expired.expiresAt})`,
    );
    const refused = await sweep({}, 'pull_request');
    expect(refused.exitCode).not.toBe(0);
    const ops = emulator().requests.map((r) => r.operation);
    expect(ops).not.toContain('PutInlinePolicyToPermissionSet');
    expect(ops).not.toContain('ProvisionPermissionSet');
    expect(emulator().requests.filter((r) => r.write && r.service === 'sso-admin')).toEqual([]);
    expect(aws().state.permissionSets.get(set)!.inlinePolicy).toBe(before);
  }, 120_000);
});
