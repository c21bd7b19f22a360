// An AWS access request end to end through the bundle: IAM Identity Center has no end time for an
// assignment, so the request's grant carries a time-bound claim in its session name
// (`-t<expiry>`; `-tr<expiry>` for its reliance on a grant in place), its post step leaves it, and
// a sweep ends it once the expiry has passed, whatever the run's state. The sweep attacks stage
// CloudTrail's history as earlier ones do (./safety-sweep-proof.test.ts).
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsAssignment, awsInputs, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const github = () => emulator().github;

/** The harness's repository ID (GITHUB_REPOSITORY_ID); the request's run. */
const REPOSITORY_ID = '123456789';
const RUN_ID = '9876543210';
const ALICE_ID = 583231;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const env = {
  GITHUB_RUN_ID: RUN_ID,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
};

const policy = () => `version: 1
people:
  - github-id: ${ALICE_ID}
    github: alice
    aws: ${aws().userId('alice')}
  - github-id: 999
    github: carol
rules:
  - name: prod-read
    cloud: aws
    who: [alice]
    role: ReadOnlyAccess
    target: ['111111111111']
    max-duration: 2h
    environment: production-access
`;

/** A request every check allows. */
function stage() {
  const repo = github().repository;
  repo.setFile('main', '.github/access-policy.yml', policy());
  repo.setEnvironment('production-access', {
    reviewers: ['carol'],
    preventSelfReview: true,
    canAdminsBypass: false,
    branches: ['main'],
  });
  repo.setApprovals(RUN_ID, [
    { environment: 'production-access', state: 'approved', login: 'carol', userId: 999 },
  ]);
  setRun(RUN_ID, 'in_progress');
  github().claims = {
    event_name: 'workflow_dispatch',
    run_id: RUN_ID,
    run_attempt: '1',
    actor: 'alice',
    actor_id: String(ALICE_ID),
    environment: 'production-access',
    ref: 'refs/heads/main',
  };
}

const requestInputs = (more: Record<string, string> = {}) =>
  awsInputs({
    operation: 'request',
    rule: 'prod-read',
    duration: '1h',
    'github-token': emulator().env.EMULATOR_GITHUB_TOKEN!,
    ...more,
  });

const setRun = (runId: string, status: string, repositoryId = REPOSITORY_ID) =>
  github().runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId,
    runId,
    attempt: '1',
    status,
    event: 'workflow_dispatch',
    // The requester started it, as GitHub's run says.
    actor: { login: 'alice', id: ALICE_ID },
    startedAt: Date.now() - MINUTE,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });

const sweep = () =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': github().runs.jobToken }), {
    GITHUB_EVENT_NAME: 'schedule',
  });

interface SweepResult {
  target: string;
  kind: string;
  action: string;
  reason: string;
}
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries((JSON.parse(step.outputs.results ?? '[]') as SweepResult[]).map((r) => [r.target, r]));
const sessionOf = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
const runSession = (runId: string, suffix: string, repositoryId = REPOSITORY_ID) =>
  sessionOf(`cloud-access-${repositoryId}-${runId}-1${suffix}`);
const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const ago = (ms: number) => Date.now() - ms;
const unix = (ms: number) => Math.floor(ms / 1000);
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
const runReads = () => emulator().requests.filter((r) => r.operation.startsWith('GetWorkflowRun'));

describe('an allowed AWS request: a grant under a time-bound claim', () => {
  it('grants under `-t<expiry>`, saves nothing for the post step, which leaves it; a sweep before the expiry leaves it too', async () => {
    stage();
    const before = Date.now();
    const step = await runMain(requestInputs(), env);
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const grant = awsAssignment('111111111111');
    expect(aws().hasAssignment(grant)).toBe(true);
    const names = aws().sessions.map((s) => s.sessionName);
    expect(names).toHaveLength(1);
    const expiry = Number(/^cloud-access-123456789-9876543210-1-t(\d+)$/.exec(names[0]!)?.[1]);
    expect(expiry).toBeGreaterThanOrEqual(unix(before) + 3600);
    expect(expiry).toBeLessThanOrEqual(unix(Date.now()) + 3600);
    expect(step.summary).toContain('carol');

    const post = await runPost(requestInputs(), step.state);
    expect(post.exitCode).toBe(0);
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);

    setRun(RUN_ID, 'completed');
    const readByRequest = runReads().length;
    const swept = await sweep();
    expect(swept.exitCode).toBe(0);
    expect(byAccount(swept)['111111111111']).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/access request lasts until .*its expiry alone ends it/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
    // A time-bound claim's run is never read: its expiry alone decides it.
    expect(runReads()).toHaveLength(readByRequest);

    // Access as code on the same permission set, whose manifest does not list alice: the request's
    // grant is claimed, left in place until its expiry, not drift, and says who asked and approved.
    const workspace = mkdtempSync(join(tmpdir(), 'request-reconcile-'));
    try {
      writeFileSync(
        join(workspace, 'access.yml'),
        'version: 1\naws:\n  manages:\n    permission-sets: [ReadOnlyAccess]\n  assignments: []\n  # nothing listed\n',
      );
      const reconcile = {
        operation: 'reconcile',
        manifest: 'access.yml',
        'github-token': github().runs.jobToken,
      };
      const reconciled = await runMain(awsInputs(reconcile), {
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: 'push',
      });
      expect(reconciled.exitCode).toBe(0);
      expect(JSON.parse(reconciled.outputs.plan!)).toMatchObject({ delete: 0, claimed: 1 });
      expect(reconciled.outputs.drift).toBe('false');
      expect(reconciled.stdout).toMatch(
        /claimed \(left in place\): .*111111111111.*: requested, request by alice, approved by carol, .*until /,
      );
      expect(aws().hasAssignment(grant)).toBe(true);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 90_000);

  it("leaves another run's grant in place and relies on it until the expiry (`-tr`): a sweep keeps it though that run has finished", async () => {
    stage();
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1301', '-e'), ago(HOUR));
    setRun('1301', 'completed');
    const step = await runMain(requestInputs(), env);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.stdout).toMatch(/the request leaves it as it is; reliance registered until/);
    expect(
      aws()
        .sessions.map((s) => s.sessionName)
        .at(-1),
    ).toMatch(/^cloud-access-123456789-9876543210-1-tr\d+$/);

    const swept = await sweep();
    expect(byAccount(swept)['111111111111']).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/relied on by another run.*access request lasts until/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 90_000);

  it('with audit-log, records the grant with its rule, justification, approvers and policy commit', async () => {
    stage();
    aws().s3.createBucket('audit');
    const step = await runMain(
      requestInputs({ justification: 'INC-42 "}\n::error::x', 'audit-log': 's3://audit/requests' }),
      env,
    );
    expect(step.exitCode).toBe(0);
    const records = aws()
      .s3.objects('audit', 'requests/')
      .map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);
    expect(records.map((r) => [r.operation, r.change])).toEqual([
      ['request', 'plan'],
      ['request', 'request-grant'],
    ]);
    expect(records[1]).toMatchObject({
      request: {
        rule: 'prod-read',
        justification: 'INC-42 "}\n::error::x',
        approvers: [expect.stringContaining('carol')],
        policyCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      },
      target: { id: '111111111111' },
      status: 'SUCCEEDED',
    });
    // Both records state until when the request grants: its time-bound claim's expiry, to the second.
    const claimed = Number(/-t(\d+)$/.exec(aws().sessions.at(-1)!.sessionName ?? '')?.[1]);
    expect(records.map((r) => r.expiresAt)).toEqual([
      new Date(claimed * 1000).toISOString(),
      new Date(claimed * 1000).toISOString(),
    ]);
  });

  it('with audit-log, records a grant found in place as the request’s grant too, with the request ID of its reliance', async () => {
    stage();
    aws().s3.createBucket('audit');
    aws().createAssignmentAs(awsAssignment('111111111111'), person, ago(HOUR));
    const step = await runMain(requestInputs({ 'audit-log': 's3://audit/requests' }), env);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    const [result] = JSON.parse(step.outputs.results!) as {
      existed: boolean;
      request: { requester: string; expiresAt: string };
    }[];
    expect(result!.existed).toBe(true);
    // `results` says the request's expiry, the one its reliance's claim (`-tr<expiry>`) carries.
    const claimed = Number(/-tr(\d+)$/.exec(aws().sessions.at(-1)!.sessionName ?? '')?.[1]);
    expect(result!.request).toMatchObject({
      requester: 'alice',
      expiresAt: new Date(claimed * 1000).toISOString(),
    });
    const records = aws()
      .s3.objects('audit', 'requests/')
      .map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);
    expect(records.map((r) => [r.operation, r.change])).toEqual([
      ['request', 'plan'],
      ['request', 'request-grant'],
    ]);
    const reliance = emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment');
    expect(reliance).toHaveLength(1);
    expect(records[1]).toMatchObject({
      request: { rule: 'prod-read', approvers: ['carol'] },
      target: { id: '111111111111' },
      status: 'SUCCEEDED',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The reliance lasts until the request's expiry, which both records state.
    expect(records.map((r) => r.expiresAt)).toEqual([
      new Date(claimed * 1000).toISOString(),
      new Date(claimed * 1000).toISOString(),
    ]);
  });

  it("refuses a permission set whose name differs from the rule's only in case, naming both, and creates nothing", async () => {
    stage();
    const other = aws().addPermissionSet('readonlyaccess');
    const step = await runMain(requestInputs({ role: 'readonlyaccess' }), env);
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(`\`role\` \`readonlyaccess\` (${other})`);
    expect(step.stdout).toMatch(/none of the rule's roles at `111111111111`: `ReadOnlyAccess` \(arn:/);
    expect(emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment')).toEqual([]);
  });

  it('refuses an AWS request without `role-to-assume`, or with its own `role-session-name`, before any request', async () => {
    const step = await runMain(
      {
        cloud: 'aws',
        operation: 'request',
        rule: 'prod-read',
        duration: '1h',
        'aws-region': 'us-east-1',
        'role-session-name': 'mine',
        'github-token': 't',
      },
      env,
    );
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/role-to-assume.*is required for an AWS request/);
    expect(step.stdout).toMatch(/role-session-name.*time-bound claim/);
    expect(emulator().requests).toEqual([]);
  });
});

describe('the sweep ends a time-bound claim at its expiry, proven like any claim', () => {
  it('revokes a `-t` claim once its expiry has passed, though its run is still going', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1401', `-t${unix(ago(MINUTE))}`), ago(HOUR));
    setRun('1401', 'in_progress');
    aws().s3.createBucket('audit');
    const step = await runMain(
      awsInputs({
        operation: 'sweep',
        'github-token': github().runs.jobToken,
        'audit-log': 's3://audit/sweeps',
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
      reason: expect.stringMatching(/access request ended at/),
    });
    expect(aws().hasAssignment(grant)).toBe(false);
    // With audit-log, the sweep's plan and its revoke are recorded.
    expect(
      aws()
        .s3.objects('audit', 'sweeps/')
        .map(([, o]) => (JSON.parse(o.body) as { change: string }).change),
    ).toEqual(['plan', 'sweep-revoke']);
  }, 60_000);

  it('revokes an expired `-t` claim whose run no token can read: the expiry alone ends it', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1402', `-t${unix(ago(MINUTE))}`, '555555555'), ago(HOUR));
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(grant)).toBe(false);
  }, 60_000);

  it('leaves a `-t` claim before its expiry, though its run has completed', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1403', `-t${unix(Date.now() + HOUR)}`), ago(MINUTE * 20));
    setRun('1403', 'completed');
    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('running');
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('never revokes an expired `-t` claim over a grant that existed before it', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, person, ago(3 * HOUR));
    aws().createAssignmentAs(grant, runSession('1404', `-t${unix(ago(MINUTE))}`), ago(2 * HOUR));
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(
        /existed before the run: created by arn:aws:iam::123456789012:user\/admin/,
      ),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it("never revokes an expired `-t` claim with another caller's create in the 15 minutes before it", async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, person, ago(HOUR + 10 * MINUTE));
    aws().createAssignmentAs(grant, runSession('1405', `-t${unix(ago(MINUTE))}`), ago(HOUR));
    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('takes a `-t` expiry more than 35 days away for proof of nothing, and names it', async () => {
    const wild = awsAssignment('111111111111');
    const fine = awsAssignment('222222222222');
    aws().createAssignmentAs(wild, runSession('1406', `-t${unix(Date.now() + 40 * DAY)}`), ago(HOUR));
    aws().createAssignmentAs(fine, runSession('1407', `-t${unix(ago(MINUTE))}`), ago(HOUR));
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/more than 35 days from now.*proves nothing/),
    });
    expect(byAccount(step)['222222222222']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(wild)).toBe(true);
  }, 60_000);

  it("keeps another run's finished grant while a request relies on it (`-tr`), and ends it after the request's expiry", async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1408', '-e'), ago(2 * HOUR));
    aws().createAssignmentAs(grant, runSession('1409', `-tr${unix(Date.now() + HOUR)}`), ago(HOUR));
    setRun('1408', 'completed');
    const during = await sweep();
    expect(byAccount(during)['111111111111']?.kind).toBe('running');
    expect(aws().hasAssignment(grant)).toBe(true);

    const other = awsAssignment('222222222222');
    aws().createAssignmentAs(other, runSession('1410', '-e'), ago(2 * HOUR));
    aws().createAssignmentAs(other, runSession('1411', `-tr${unix(ago(MINUTE))}`), ago(HOUR));
    setRun('1410', 'completed');
    const after = await sweep();
    expect(byAccount(after)['222222222222']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(other)).toBe(false);
  }, 90_000);
});
