// AWS IAM Identity Center account assignments, end to end: the bundled main step run as the runner runs it,
// against the emulator, with the unmodified AWS SDK.
import { describe, expect, it } from '@jest/globals';
import { awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 300 });

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runMain(awsInputs(inputs), env);
const writes = () => emulator().requests.filter((r) => r.write);
const results = (outputs: Record<string, string>) =>
  JSON.parse(outputs.results ?? '[]') as Record<string, unknown>[];

describe('assign', () => {
  it('creates a missing assignment and waits for SUCCEEDED', async () => {
    const ps = emulator().aws.permissionSetArn('AdministratorAccess');
    const alice = emulator().aws.userId('alice');
    const step = await run({ principal: alice, target: '111111111111', role: ps });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true', 'failure-reason': '' });
    expect(step.outputs['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      emulator().aws.hasAssignment({
        accountId: '111111111111',
        permissionSetArn: ps,
        principalType: 'USER',
        principalId: alice,
      }),
    ).toBe(true);
    expect(results(step.outputs)[0]).toMatchObject({
      status: 'SUCCEEDED',
      changed: true,
      existed: false,
      exists: true,
      action: 'create',
      principal: alice,
    });
    expect(step.summary).toContain('absent → present (created)');
    expect(step.stdout).toContain('::group::✓ assign');
    // The summary names the run and links to it; the role session is named after it too.
    expect(step.summary).toContain(
      '<a href="https://github.com/octo-org/octo-repo/actions/runs/1234567890/attempts/1">octo-org/octo-repo run 1234567890 attempt 1</a> · workflow deploy · refs/heads/main · started by octocat',
    );
    expect(emulator().aws.sessions.at(-1)?.sessionName).toBe('cloud-access-123456789-1234567890-1');
  });

  it('finds an existing assignment and writes nothing', async () => {
    const ps = emulator().aws.permissionSetArn('ReadOnlyAccess');
    const bob = emulator().aws.userId('bob');
    emulator().aws.addAssignment({
      accountId: '222222222222',
      permissionSetArn: ps,
      principalType: 'USER',
      principalId: bob,
    });
    const step = await run({ principal: bob, target: '222222222222', role: ps });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(results(step.outputs)[0]).toMatchObject({ existed: true, exists: true, action: 'none' });
    expect(writes()).toEqual([]);
  });

  it('resolves a user name, a group display name and a permission set name, and discovers the instance', async () => {
    const user = await run({ principal: 'carol', target: '333333333333', role: 'PowerUserAccess' });
    expect(user.exitCode).toBe(0);
    const group = await run({
      principal: 'Deployers',
      'principal-type': 'group',
      target: '333333333333',
      role: 'ViewOnlyAccess',
    });
    expect(group.exitCode).toBe(0);
    const ops = emulator().requests.map((r) => r.operation);
    expect(ops).toEqual(
      expect.arrayContaining([
        'ListInstances',
        'GetUserId',
        'GetGroupId',
        'ListPermissionSets',
        'DescribePermissionSet',
      ]),
    );
    expect(
      emulator().aws.hasAssignment({
        accountId: '333333333333',
        permissionSetArn: emulator().aws.permissionSetArn('ViewOnlyAccess'),
        principalType: 'GROUP',
        principalId: emulator().aws.groupId('Deployers'),
      }),
    ).toBe(true);
  });

  it('names the closest permission sets when a name is unknown', async () => {
    const step = await run({ principal: 'alice', target: '111111111111', role: 'AdminAccess' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('permission set `AdminAccess` was not found');
    expect(step.errors.join()).toContain('`AdministratorAccess`');
    expect(writes()).toEqual([]);
  });

  it('says so when a user name is not in the identity store', async () => {
    const step = await run({ principal: 'mallory', target: '111111111111', role: 'ReadOnlyAccess' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('user name `mallory` was not found in identity store');
  });

  it('offers the user name a transposed one (`ailce`) was meant to be, and writes nothing', async () => {
    const step = await run({ principal: 'ailce', target: '111111111111', role: 'ReadOnlyAccess' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('user name `ailce` was not found in identity store');
    expect(step.errors.join()).toContain('did you mean `alice`?');
    expect(writes()).toEqual([]);
  });

  it('fails the step with the FailureReason when the request ends FAILED', async () => {
    emulator().aws.faults.failCreations = [
      { reason: 'Maximum IAM roles quota reached in account 444444444444', accountId: '444444444444' },
    ];
    const step = await run({ principal: 'alice', target: '444444444444', role: 'ReadOnlyAccess' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toContain('Maximum IAM roles quota reached');
    expect(step.errors.join()).toContain('FAILED: Maximum IAM roles quota reached');
  });

  it('reports IN_PROGRESS and fails when the deadline passes while waiting', async () => {
    emulator().aws.config.writeDelayMs = 600_000;
    // Long enough for a loaded machine to start the step and send the create before the deadline.
    const step = await run({
      principal: 'alice',
      target: '555555555555',
      role: 'ReadOnlyAccess',
      'timeout-seconds': '10',
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('IN_PROGRESS');
    expect(step.outputs['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(step.errors.join()).toContain('still IN_PROGRESS when the 10s deadline');
    // It left before the create it waited for (600 s) finished: the order, not the machine's speed.
    expect(emulator().aws.assignments()).toEqual([]);
  });

  it('does not wait with wait: false', async () => {
    emulator().aws.config.writeDelayMs = 60_000;
    const step = await run({
      principal: 'alice',
      target: '555555555555',
      role: 'ReadOnlyAccess',
      wait: 'false',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('IN_PROGRESS');
  });
});

describe('revoke', () => {
  it('deletes an assignment and waits for SUCCEEDED', async () => {
    const ps = emulator().aws.permissionSetArn('AdministratorAccess');
    const alice = emulator().aws.userId('alice');
    const assignment = {
      accountId: '666666666666',
      permissionSetArn: ps,
      principalType: 'USER' as const,
      principalId: alice,
    };
    emulator().aws.addAssignment(assignment);
    const step = await run({
      operation: 'revoke',
      principal: 'alice',
      target: '666666666666',
      role: 'AdministratorAccess',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(results(step.outputs)[0]).toMatchObject({ existed: true, exists: false, action: 'delete' });
    expect(emulator().aws.hasAssignment(assignment)).toBe(false);
  });

  it('treats an absent assignment as SUCCEEDED with changed=false, saying it did not exist', async () => {
    const step = await run({
      operation: 'revoke',
      principal: 'alice',
      target: '777777777777',
      role: 'AdministratorAccess',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(results(step.outputs)[0]).toMatchObject({ existed: false, exists: false, action: 'none' });
    expect(writes()).toEqual([]);
  });
});

describe('retries the right things', () => {
  it('recovers from a throttling storm', async () => {
    emulator().aws.faults.throttleRate = 0.5;
    const step = await run({ principal: 'alice', target: '888888888888', role: 'ReadOnlyAccess' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(emulator().requests.some((r) => r.errorCode === 'ThrottlingException')).toBe(true);
  });

  it('recovers from ConflictException and 5xx on the write', async () => {
    emulator().aws.faults.conflictRate = 0.5;
    emulator().aws.faults.serverErrorRate = 0.3;
    const step = await run({ principal: 'alice', target: '888888888888', role: 'ViewOnlyAccess' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
  });

  it('fails fast on AccessDenied, naming the missing permission', async () => {
    emulator().aws.faults.accessDenied = ['CreateAccountAssignment'];
    const step = await run({ principal: 'alice', target: '999999999999', role: 'ReadOnlyAccess' });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('`sso:CreateAccountAssignment`');
    expect(emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment')).toHaveLength(1);
  });
});

describe('credentials', () => {
  it('explains a missing id-token permission', async () => {
    const step = await run(
      { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
    );
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain('permissions: id-token: write');
    expect(emulator().requests).toEqual([]);
  });

  it('prints the token claims when the trust policy rejects the token', async () => {
    const step = await run({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      audience: 'https://github.com/octo-org',
    });
    expect(step.exitCode).toBe(1);
    const error = step.errors.join();
    expect(error).toContain('could not assume role');
    expect(error).toMatch(
      /sub=repo:octo-org\/octo-repo:ref:refs\/heads\/main aud=https:\/\/github.com\/octo-org iss=https:\/\/token.actions.githubusercontent.com/,
    );
  });

  it('uses the ambient credential chain without role-to-assume', async () => {
    const { accessKeyId, secretAccessKey } = emulator().aws.staticCredentials;
    const step = await runMain(
      {
        cloud: 'aws',
        'aws-region': 'us-east-1',
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
      },
      { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
    );
    expect(step.exitCode).toBe(0);
    expect(emulator().requests.some((r) => r.service === 'sts')).toBe(false);
  });
});

describe('invalid input reaches no endpoint', () => {
  it.each([
    [{ target: '11111111111' }, 'input `target`'],
    [{ 'principal-type': 'ROLE' }, 'input `principal-type`'],
    [{ role: 'arn:aws:sso:::permissionSet/bad' }, 'input `role`'],
    [{ 'timeout-seconds': 'soon' }, 'input `timeout-seconds`'],
    [{ operation: 'delete' }, 'input `operation`'],
  ])('%j', async (bad, message) => {
    const step = await run({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', ...bad });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join()).toContain(message);
    expect(emulator().requests).toEqual([]);
  });
});
