// The sweep's proof, tightened: each way an outside review made the sweep
// revoke a grant that was not a finished run's own, staged through the bundle against the
// emulator's CloudTrail, IAM Identity Center and GitHub, and a grant shared by live runs, which ends
// with the last of them. Each test failed on the code before the change (the sweep revoked).
import { describe, expect, it } from '@jest/globals';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface SweepResult {
  target: string;
  kind: string;
  action: string;
  reason: string;
  reliedOnBy?: { runId: string; attempt: string }[];
}

const sweep = (more: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: 'schedule',
  });

const setRun = (runId: string, status: string, attempt = '1', conclusion = 'success') =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt,
    status,
    ...(status === 'completed' ? { conclusion } : {}),
  });

const sessionOf = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
/** A cloud-access step's session: `-e` creates, `-r` relies. */
const runSession = (runId: string, suffix = '-e', attempt = '1', repositoryId = REPOSITORY_ID) =>
  sessionOf(`cloud-access-${repositoryId}-${runId}-${attempt}${suffix}`);
const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const results = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results ?? '[]') as SweepResult[];
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries(results(step).map((r) => [r.target, r]));
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
const ago = (ms: number) => Date.now() - ms;

describe('finding 1: a claim over an assignment that existed before it', () => {
  it('a person’s create 36 days ago (past the default `lookback` of 35 days), a run’s duplicate an hour ago: left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, person, ago(36 * DAY));
    aws().createAssignmentAs(grant, runSession('1001'), ago(HOUR));
    setRun('1001', 'completed');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(
        /existed before the run: created by arn:aws:iam::123456789012:user\/admin/,
      ),
    });
    expect(step.stdout).toMatch(/older history/);
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a person’s create 3 hours ago with `lookback: 2h`, a run’s duplicate an hour ago: left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, person, ago(3 * HOUR));
    aws().createAssignmentAs(grant, runSession('1002'), ago(HOUR));
    setRun('1002', 'completed');

    const step = await sweep({ lookback: '2h' });
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('an already-expired `-e<expiry>` claim of a repository no token can read: left, though its expiry passed', async () => {
    const grant = awsAssignment('111111111111');
    const expired = Math.floor(ago(HOUR) / 1000);
    aws().createAssignmentAs(grant, runSession('1003', `-e${expired}`, '1', '555555555'), ago(2 * HOUR));

    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/could not be read/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('with nothing before it, a finished run’s claim is still revoked after the older history is read', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1004'), ago(HOUR));
    setRun('1004', 'completed');

    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(grant)).toBe(false);
  }, 60_000);
});

describe('finding 2: the 15 minutes before a claim, at the edge of `lookback`', () => {
  it('a person’s create 10 minutes before a run’s duplicate, the person’s just outside `lookback`: left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, person, ago(35 * DAY + 5 * MINUTE));
    aws().createAssignmentAs(grant, runSession('1005'), ago(35 * DAY - 5 * MINUTE));
    setRun('1005', 'completed');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);
});

describe('finding 3: a create that lands while the sweep reads GitHub', () => {
  it('a person’s create between the evidence and the revokes: seen in the status list read again, left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1006'), ago(HOUR));
    setRun('1006', 'completed');
    emulator().github.runs.faults.beforeAnswer = () => {
      emulator().github.runs.faults.beforeAnswer = undefined;
      aws().createAssignmentAs(grant, person);
    };

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/just before the revoke/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);
});

describe('finding 4: CloudTrail later than an hour', () => {
  it('a person’s duplicate 5 minutes after the run’s, delivered 65 minutes late: left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1007'), ago(69 * MINUTE));
    aws().config.cloudTrailDelayMs = 65 * MINUTE;
    aws().createAssignmentAs(grant, person, ago(64 * MINUTE));
    setRun('1007', 'completed');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);
});

describe('finding 5: a re-run relies on what its earlier attempt left', () => {
  it('attempt 1 made the grant, attempt 2 of the run is running: running, left', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1008'), ago(HOUR));
    setRun('1008', 'completed', '1', 'failure');
    setRun('1008', 'in_progress', '2');

    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/latest attempt, 2/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
    // One request for the run, not one per attempt.
    expect(
      emulator()
        .requests.filter((r) => r.operation.startsWith('GetWorkflowRun'))
        .map((r) => r.operation),
    ).toEqual(['GetWorkflowRun']);
  }, 60_000);
});

describe('finding 5 on Azure: a re-run relies on what its earlier attempt left', () => {
  it('attempt 1’s marked assignment while attempt 2 runs: running; once attempt 2 completes: revoked', async () => {
    const scope = `${subscription()}/resourceGroups/rg-rerun`;
    const deployer = newPrincipal('ServicePrincipal');
    const job = await runMain(
      azureInputs({
        principal: deployer,
        'principal-type': 'ServicePrincipal',
        target: scope,
        role: READER,
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '1201' },
    );
    expect(job.exitCode).toBe(0);
    setRun('1201', 'completed', '1', 'failure');
    setRun('1201', 'in_progress', '2');
    const has = () =>
      azure()
        .roleAssignments()
        .some((a) => a.properties.principalId === deployer);
    const sweepAzure = () =>
      runMain(
        azureInputs({ operation: 'sweep', target: scope, 'github-token': emulator().github.runs.jobToken }),
        { GITHUB_EVENT_NAME: 'schedule' },
      );

    const during = await sweepAzure();
    expect(results(during).map((r) => r.kind)).toEqual(['running']);
    expect(has()).toBe(true);

    setRun('1201', 'completed', '2');
    const after = await sweepAzure();
    expect(results(after).map((r) => [r.kind, r.action])).toEqual([['revoke', 'revoked']]);
    expect(has()).toBe(false);
  }, 60_000);
});

describe('finding 6: one bad claim never stops a sweep', () => {
  it('an expiry of 9000000000000 in a session name: that claim unproven and named, the others revoked', async () => {
    const wild = awsAssignment('111111111111');
    const fine = awsAssignment('222222222222');
    aws().createAssignmentAs(wild, runSession('1009', '-e9000000000000'), ago(HOUR));
    aws().createAssignmentAs(fine, runSession('1010'), ago(HOUR));
    setRun('1009', 'completed');
    setRun('1010', 'completed');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/more than 35 days from now/),
    });
    expect(byAccount(step)['222222222222']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(wild)).toBe(true);
  }, 60_000);
});

describe('finding 8: deletes are read only when some create is a claim', () => {
  it('no claim in the window: one LookupEvents page (creates), none for deletes', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), person, ago(HOUR));
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    // And one of inline policy puts, where the session fences to take out are found.
    expect(emulator().requests.filter((r) => r.operation === 'LookupEvents')).toHaveLength(2);
    expect(step.stdout).toMatch(/deletes not read \(no claim\)/);
  }, 60_000);
});

describe('shared grants end with the last run that relies on them', () => {
  it('run A created it, run B relied on it: left while B runs, revoked once both finished, naming both', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1101'), ago(HOUR));
    aws().createAssignmentAs(grant, runSession('1102', '-r'), ago(50 * MINUTE));
    setRun('1101', 'completed');
    setRun('1102', 'in_progress');

    const during = await sweep();
    expect(byAccount(during)['111111111111']).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/relied on by another run \(its claim: .*1102-1-r at .*\): run 1102/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);

    setRun('1102', 'completed');
    const after = await sweep();
    expect(byAccount(after)['111111111111']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(byAccount(after)['111111111111']?.reliedOnBy?.map((r) => r.runId)).toEqual(['1102']);
    expect(aws().hasAssignment(grant)).toBe(false);
  }, 60_000);

  it('three claimants with a re-run among them: left while attempt 2 of the creating run goes', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1103'), ago(HOUR));
    aws().createAssignmentAs(grant, runSession('1104', '-r'), ago(50 * MINUTE));
    aws().createAssignmentAs(grant, runSession('1103', '-r', '2'), ago(40 * MINUTE));
    setRun('1103', 'completed', '1', 'failure');
    setRun('1103', 'in_progress', '2');
    setRun('1104', 'completed');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('running');
    expect(aws().hasAssignment(grant)).toBe(true);

    setRun('1103', 'completed', '2');
    expect(byAccount(await sweep())['111111111111']?.kind).toBe('revoke');
  }, 60_000);

  it('a person’s grant with two reliers is never revoked, also when its own create is older than the history read', async () => {
    const recent = awsAssignment('111111111111');
    const ancient = awsAssignment('222222222222');
    aws().createAssignmentAs(recent, person, ago(2 * DAY));
    aws().addAssignment(ancient); // made before CloudTrail's 90 days: no event
    for (const grant of [recent, ancient]) {
      aws().createAssignmentAs(grant, runSession('1105', '-r'), ago(HOUR));
      aws().createAssignmentAs(grant, runSession('1106', '-r'), ago(30 * MINUTE));
    }
    setRun('1105', 'completed');
    setRun('1106', 'completed');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).toBe('unproven');
    expect(byAccount(step)['222222222222']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/reliance, not its creation/),
    });
    expect(aws().hasAssignment(recent)).toBe(true);
    expect(aws().hasAssignment(ancient)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);
});
