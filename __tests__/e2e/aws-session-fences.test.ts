// A revoke ends the live sessions of what it revoked (session fences), end to end through the
// bundled steps: `operation: revoke`, the post step, a set not opted in, a refused permission and a
// dry run, each checked on the emulator's permission set and in what the step says.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, runMain, runPost, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const { reconcile, group } = awsReconcileWorkspace(emulator, 'session-fences-');
const REPOSITORY_ID = '123456789';
const OTHER = { Sid: 'Theirs', Effect: 'Deny', Action: 'ec2:*', Resource: '*' };
const inputs = { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };

/** The ReadOnlyAccess set with another writer's statement, tagged as the action's, or as `tags` say. */
function readOnly(tags: Record<string, string> = { 'cloud-access:manifest': 'octo-org/infra:access.yml' }) {
  const arn = emulator().aws.permissionSetArn('ReadOnlyAccess');
  const set = emulator().aws.state.permissionSets.get(arn)!;
  set.inlinePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [OTHER] });
  set.tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    arn,
    policy: () => JSON.parse(set.inlinePolicy ?? '{}') as { Statement: Record<string, unknown>[] },
  };
}
/** A manifest that manages ReadOnlyAccess and keeps only Deployers' grant of it in 111111111111. */
const DEPLOYERS_ONLY = [
  'version: 1',
  'aws:',
  '  manages:',
  '    permission-sets: [ReadOnlyAccess]',
  '  assignments:',
  '    - principal: Deployers',
  '      principal-type: GROUP',
  '      role: ReadOnlyAccess',
  '      target: 111111111111',
  '',
].join('\n');
const requests = (operation: string) => emulator().requests.filter((r) => r.operation === operation);
const resultsOf = (step: { outputs: Record<string, string | undefined> }) =>
  JSON.parse(step.outputs.results!) as Record<string, unknown>[];

describe('a revoke ends the sessions it left live', () => {
  it('`operation: revoke` of a user grant fences the owned set in that account only, after the delete, every other statement kept', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    emulator().aws.addAssignment(awsAssignment('222222222222', 'bob'));
    const revoked = await runMain(awsInputs({ ...inputs, operation: 'revoke' }));
    expect(revoked.exitCode).toBe(0);
    const [row] = resultsOf(revoked);
    const ended = row!.sessionsEnded as { account: string; before: string; until: string };
    expect(ended).toEqual({ account: '111111111111', before: expect.any(String), until: expect.any(String) });
    const [kept, fence] = set.policy().Statement;
    expect(kept).toEqual(OTHER);
    expect(fence).toEqual({
      Sid: expect.stringMatching(/^CloudAccessFence\d{12}[0-9a-f]{8}$/),
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:PrincipalAccount': '111111111111',
          'identitystore:UserId': [emulator().aws.userId('alice')],
        },
        DateLessThan: { 'aws:TokenIssueTime': ended.before },
      },
    });
    expect(requests('ProvisionPermissionSet').map((r) => r.input)).toEqual([
      expect.objectContaining({ TargetType: 'AWS_ACCOUNT', TargetId: '111111111111' }),
    ]);
    const order = emulator().requests.map((r) => r.operation);
    expect(order.indexOf('DeleteAccountAssignment')).toBeLessThan(
      order.indexOf('PutInlinePolicyToPermissionSet'),
    );
    expect(revoked.stdout).toContain(`; live sessions ended (issued before ${ended.before.slice(11)})`);
    expect(revoked.summary).toContain('<h3>Sessions ended</h3>');
    // Bob's assignment remains there: the fence is provisioned, and the account is on its version.
    expect(emulator().aws.provisionedAccounts(set.arn)).toContainEqual({
      accountId: '111111111111',
      current: true,
    });
  });

  it('the revoke of the set’s last assignment in an account still writes the fence; Identity Center no longer lists the account, so the row says the role went with it, and no provisioning there makes the role again', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    emulator().aws.addAssignment(awsAssignment('222222222222', 'bob'));
    const revoked = await runMain(awsInputs({ ...inputs, operation: 'revoke' }));
    expect(revoked.exitCode).toBe(0);
    expect(revoked.outputs.status).toBe('SUCCEEDED');
    const [row] = resultsOf(revoked);
    expect(row).toMatchObject({
      status: 'SUCCEEDED',
      sessionsEnded: { account: '111111111111', how: 'role removed' },
    });
    expect(row!.fenceError).toBeUndefined();
    expect(row!.sessionsLiveUntil).toBeUndefined();
    expect(set.policy().Statement).toHaveLength(2);
    const order = emulator().requests.map((r) => r.operation);
    expect(order.lastIndexOf('ListAccountsForProvisionedPermissionSet')).toBeGreaterThan(
      order.indexOf('PutInlinePolicyToPermissionSet'),
    );
    expect(requests('ProvisionPermissionSet')).toEqual([]);
    expect(emulator().aws.provisionedAccounts(set.arn)).toEqual([
      { accountId: '222222222222', current: false },
    ]);
    expect(revoked.stdout).toContain("the role went with the set's last assignment in 111111111111");
  });

  it('a revoke in two accounts of one set puts both fences at once before provisioning, and leaves neither account outdated', async () => {
    const set = readOnly();
    for (const account of ['111111111111', '222222222222']) {
      emulator().aws.addAssignment(awsAssignment(account));
      emulator().aws.addAssignment(awsAssignment(account, 'bob'));
    }
    const revoked = await runMain(
      awsInputs({ ...inputs, target: '111111111111,222222222222', operation: 'revoke' }),
    );
    expect(revoked.exitCode).toBe(0);
    const ended = resultsOf(revoked).map((r) => (r.sessionsEnded as { account: string }).account);
    expect(ended.sort()).toEqual(['111111111111', '222222222222']);
    const fenced = set
      .policy()
      .Statement.slice(1)
      .map(
        (f) => (f.Condition as { StringEquals: Record<string, string> }).StringEquals['aws:PrincipalAccount'],
      );
    expect(fenced.sort()).toEqual(['111111111111', '222222222222']);
    expect(requests('PutInlinePolicyToPermissionSet')).toHaveLength(1);
    const order = emulator().requests.map((r) => r.operation);
    expect(order.indexOf('PutInlinePolicyToPermissionSet')).toBeLessThan(
      order.indexOf('ProvisionPermissionSet'),
    );
    expect(
      requests('ProvisionPermissionSet')
        .map((r) => r.input?.TargetId)
        .sort(),
    ).toEqual(['111111111111', '222222222222']);
    expect(emulator().aws.provisionedAccounts(set.arn)).toEqual(
      expect.arrayContaining([
        { accountId: '111111111111', current: true },
        { accountId: '222222222222', current: true },
      ]),
    );
    expect(
      emulator()
        .aws.provisionedAccounts(set.arn)
        .every((a) => a.current),
    ).toBe(true);
  });

  it('the post step of revoke-on-exit ends the sessions of what it revokes', async () => {
    const set = readOnly({ 'cloud-access:end-sessions': 'true' });
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    const ephemeral = { ...inputs, 'revoke-on-exit': 'true' };
    const granted = await runMain(awsInputs(ephemeral));
    expect(granted.exitCode).toBe(0);
    const revoked = await runPost(awsInputs(ephemeral), granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(resultsOf(revoked)[0]).toMatchObject({ sessionsEnded: { account: '111111111111' } });
    expect(set.policy().Statement).toHaveLength(2);
  });

  it('on a set neither owned nor opted in, warns once naming it and until when, and writes nothing', async () => {
    const set = readOnly({});
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    const revoked = await runMain(awsInputs({ ...inputs, operation: 'revoke' }));
    expect(revoked.exitCode).toBe(0);
    const [row] = resultsOf(revoked);
    expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsLiveUntil: expect.stringMatching(/Z$/) });
    expect(revoked.warnings).toEqual([expect.stringContaining('ReadOnlyAccess issued before')]);
    expect(revoked.warnings[0]).toContain(String(row!.sessionsLiveUntil));
    expect(set.policy().Statement).toEqual([OTHER]);
    expect(requests('PutInlinePolicyToPermissionSet')).toEqual([]);
  });

  it('a refused put leaves the revoke SUCCEEDED and fails the step, saying until when sessions stay live', async () => {
    readOnly();
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    emulator().aws.faults.failRequests = [
      {
        operation: 'PutInlinePolicyToPermissionSet',
        status: 403,
        code: 'AccessDeniedException',
        message: 'not authorized to perform sso:PutInlinePolicyToPermissionSet',
        times: 1,
      },
    ];
    const revoked = await runMain(awsInputs({ ...inputs, operation: 'revoke' }));
    expect(revoked.exitCode).toBe(1);
    const [row] = resultsOf(revoked);
    expect(row).toMatchObject({ status: 'SUCCEEDED', changed: true, fenceError: expect.any(String) });
    expect(revoked.outputs.status).toBe('FAILED');
    expect(revoked.outputs['failure-reason']).toContain('ReadOnlyAccess in 111111111111');
    expect(revoked.outputs['failure-reason']).toContain(
      `may stay live until ${String(row!.sessionsLiveUntil)}`,
    );
  });

  it('a dry run shows the fence and writes nothing', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    const planned = await runMain(awsInputs({ ...inputs, operation: 'revoke', 'dry-run': 'true' }));
    expect(planned.exitCode).toBe(0);
    expect(planned.stdout).toMatch(
      /~ fence ReadOnlyAccess in 111111111111: sessions issued before \d\d:\d\d:\d\dZ end/,
    );
    expect(emulator().requests.filter((r) => r.write && r.service === 'sso-admin')).toEqual([]);
    expect(set.policy().Statement).toEqual([OTHER]);
  });

  it('a group’s grant ends every session of the set in that account: no user condition, and the log says so', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(group('Deployers', 'ReadOnlyAccess'));
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    const revoked = await runMain(
      awsInputs({ ...inputs, principal: 'Deployers', 'principal-type': 'GROUP', operation: 'revoke' }),
    );
    expect(revoked.exitCode).toBe(0);
    const fence = set.policy().Statement[1]!;
    expect((fence.Condition as { StringEquals: object }).StringEquals).toEqual({
      'aws:PrincipalAccount': '111111111111',
    });
    expect(revoked.stdout).toContain('every live session of the set in 111111111111 ended');
  });

  it('a reconcile’s delete ends the sessions of what it deletes', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(group('Platform', 'ReadOnlyAccess'));
    emulator().aws.addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(DEPLOYERS_ONLY);
    expect(step.exitCode).toBe(0);
    const rows = JSON.parse(step.outputs.results!) as Record<string, unknown>[];
    expect(rows.find((r) => r.operation === 'revoke')).toMatchObject({
      sessionsEnded: { account: '111111111111' },
    });
    expect(set.policy().Statement).toHaveLength(2);
  });

  it('a reconcile on a `pull_request` event plans the fence of each delete and writes nothing: no put, no provisioning', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(group('Platform', 'ReadOnlyAccess'));
    emulator().aws.addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(DEPLOYERS_ONLY, {}, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain('nothing was written: on `pull_request` events a reconcile plans only');
    expect(step.stdout).toMatch(
      /~ fence ReadOnlyAccess in 111111111111: sessions issued before \d\d:\d\d:\d\dZ end/,
    );
    expect(requests('PutInlinePolicyToPermissionSet')).toEqual([]);
    expect(requests('ProvisionPermissionSet')).toEqual([]);
    expect(emulator().requests.filter((r) => r.write && r.service === 'sso-admin')).toEqual([]);
    expect(set.policy().Statement).toEqual([OTHER]);
  });

  it('a fence’s provisioning refused with ConflictException (another provisioning of the set in progress) is retried until the fence is in force', async () => {
    const set = readOnly();
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    emulator().aws.faults.failRequests = [
      {
        operation: 'ProvisionPermissionSet',
        status: 409,
        code: 'ConflictException',
        message: 'Another provisioning of this permission set is in progress',
        times: 2,
      },
    ];
    const revoked = await runMain(awsInputs({ ...inputs, operation: 'revoke' }));
    expect(revoked.exitCode).toBe(0);
    expect(resultsOf(revoked)[0]).toMatchObject({ sessionsEnded: { account: '111111111111' } });
    expect(requests('ProvisionPermissionSet').map((r) => r.status)).toEqual([409, 409, 200]);
    expect(emulator().aws.provisionedAccounts(set.arn)).toEqual([
      { accountId: '111111111111', current: true },
    ]);
    expect(set.policy().Statement).toHaveLength(2);
  });

  it('the sweep’s end of a `duration` grant ends its sessions', async () => {
    const set = readOnly();
    const expired = Math.floor((Date.now() - 5 * 60_000) / 1000);
    emulator().aws.addAssignment(awsAssignment('111111111111', 'bob'));
    emulator().aws.createAssignmentAs(
      awsAssignment('111111111111'),
      {
        principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-${REPOSITORY_ID}-709-1-e${expired}`,
        sessionName: `cloud-access-${REPOSITORY_ID}-709-1-e${expired}`,
      },
      Date.now() - 30 * 60_000,
    );
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: REPOSITORY_ID,
      runId: '709',
      attempt: '1',
      status: 'in_progress',
    });
    const swept = await runMain(
      awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(swept.exitCode).toBe(0);
    const rows = JSON.parse(swept.outputs.results!) as Record<string, unknown>[];
    expect(rows.find((r) => r.target === '111111111111')).toMatchObject({
      action: 'revoked',
      sessionsEnded: { account: '111111111111' },
    });
    expect(set.policy().Statement).toHaveLength(2);
  }, 60_000);
});
