// Grants shared by live jobs on AWS, end to end through the bundle: a step whose grants end with
// the job and that finds its grant already in place registers its reliance (a duplicate create
// under a second sign-in whose session name ends `-r`), never a claim of creation; and no step
// sends a creation claim (a create under its `-e` session, or any create from a step whose grants
// stay) for an assignment it has not just read as absent.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, resultsOf, runMain, runPost, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const { reconcile, group } = awsReconcileWorkspace(emulator, 'shared-grants-');
const REPOSITORY_ID = '123456789';
const session = (run: string, kind = '') => `cloud-access-${REPOSITORY_ID}-${run}-1${kind}`;

const grant = (more: Record<string, string> = {}) =>
  awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', ...more });
/** A job's main step as run `runId`, and its post step with the state it saved. */
const job = (runId: string, inputs: Record<string, string>) => ({
  main: () => runMain(inputs, { GITHUB_RUN_ID: runId }),
  post: (state: Record<string, string>) => runPost(inputs, { ...state }),
});

/** Every CreateAccountAssignment CloudTrail recorded: the session that sent it, and its account. */
const creates = () =>
  aws()
    .cloudTrail.filter((e) => e.eventName === 'CreateAccountAssignment')
    .map((e) => ({ by: e.principalArn.split('/').at(-1), account: e.requestParameters.TargetId as string }));
const createsIn = (account: string) => creates().filter((c) => c.account === account);
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
const signIns = () => aws().sessions.map((s) => s.sessionName);
const setRun = (runId: string, status: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt: '1',
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });
const sweep = () =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken }), {
    GITHUB_EVENT_NAME: 'schedule',
  });

describe('a matrix of two jobs on one grant', () => {
  it('A creates it, B relies on it; neither post step revokes it, and it stays for both', async () => {
    const inputs = grant({ 'revoke-on-exit': 'true' });
    const [a, b] = [job('1', inputs), job('2', inputs)];

    const aMain = await a.main();
    expect(aMain.exitCode).toBe(0);
    expect(createsIn('111111111111')).toEqual([{ by: session('1', '-e'), account: '111111111111' }]);

    const bMain = await b.main();
    expect(bMain.exitCode).toBe(0);
    // B read the grant as present: no creation claim, one duplicate create under its second sign-in.
    expect(signIns()).toEqual([session('1', '-e'), session('2', '-e'), session('2', '-r')]);
    expect(createsIn('111111111111')).toEqual([
      { by: session('1', '-e'), account: '111111111111' },
      { by: session('2', '-r'), account: '111111111111' },
    ]);
    expect(resultsOf(bMain)).toMatchObject([{ status: 'SUCCEEDED', changed: false }]);
    expect(bMain.stdout).toContain('already in place; reliance registered for the sweep (request ');
    expect(bMain.summary).toContain('reliance registered for the sweep');
    expect(bMain.warnings).toEqual([]);

    // A's post step sees B's create after its own and leaves the grant, saying why.
    const aPost = await a.post(aMain.state);
    expect(aPost.exitCode).toBe(0);
    expect(aPost.stdout).toMatch(
      /revoke user alice → 111111111111 \/ ReadOnlyAccess: SUCCEEDED \(left in place/,
    );
    expect(aPost.stdout).toMatch(
      /after this step created it, another party created it too \(request [^)]+\), and may rely on it/,
    );
    // B's post step has nothing of its own to revoke.
    const bPost = await b.post(bMain.state);
    expect(bPost.exitCode).toBe(0);
    expect(bPost.stdout).toContain('the main step saved no grants, so there is nothing to revoke');
    expect(deletes()).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);

    // A has finished, B goes on: the sweep leaves it for B. Both finished: the sweep ends it.
    setRun('1', 'completed');
    setRun('2', 'in_progress');
    const during = await sweep();
    expect(resultsOf(during)).toMatchObject([{ kind: 'running', reason: expect.stringMatching(/run 2/) }]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
    setRun('2', 'completed');
    const after = await sweep();
    expect(resultsOf(after)).toMatchObject([
      { kind: 'revoke', action: 'revoked', reliedOnBy: [{ runId: '2' }] },
    ]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  }, 60_000);

  it('a reliance IAM Identity Center FAILs: the step fails, naming the grant, why, that it made nothing and what to do; the grant stays', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    aws().faults.failCreations = [{ reason: 'emulated failure', accountId: '111111111111' }];
    const step = await job('8', grant({ 'revoke-on-exit': 'true' })).main();
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.errors.join('\n')).toMatch(
      /111111111111.* FAILED: its reliance is not registered: emulated failure.*; this step's reliance made nothing, and the grant stays as it was, so a sweep, or the post step of the run that made it, may end it while this job runs\. .*`concurrency:`/,
    );
    expect(step.warnings).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
  }, 60_000);

  it('with `duration`, the second sign-in carries the expiry: `-r<expiry>`', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await job('3', grant({ duration: '30m' })).main();
    expect(step.exitCode).toBe(0);
    const [first, second] = signIns();
    expect(first).toMatch(new RegExp(`^${session('3', '-e')}\\d+$`));
    expect(second).toBe(first!.replace(/-e(\d+)$/, '-r$1'));
    expect(createsIn('111111111111')).toEqual([{ by: second, account: '111111111111' }]);
  }, 60_000);
});

describe('no step sends a creation claim for an assignment it read as present', () => {
  it('assign, its grants permanent: no create for it, and no second sign-in', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await job('4', grant({ target: '111111111111, 222222222222' })).main();
    expect(step.exitCode).toBe(0);
    expect(signIns()).toEqual([session('4')]);
    expect(creates()).toEqual([{ by: session('4'), account: '222222222222' }]);
  }, 60_000);

  it('assign with revoke-on-exit: only the reliance for it, the creation claim for the absent one', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const step = await job(
      '5',
      grant({ target: '111111111111, 222222222222', 'revoke-on-exit': 'true' }),
    ).main();
    expect(step.exitCode).toBe(0);
    expect(creates().sort((x, y) => x.account.localeCompare(y.account))).toEqual([
      { by: session('5', '-r'), account: '111111111111' },
      { by: session('5', '-e'), account: '222222222222' },
    ]);
  }, 60_000);

  it('an OU path target: the accounts under it that hold the grant get the reliance only', async () => {
    aws().addAssignment(awsAssignment('222222222222'));
    const step = await job('6', grant({ target: 'Root/Workloads/Prod', 'revoke-on-exit': 'true' })).main();
    expect(step.exitCode).toBe(0);
    expect(resultsOf(step).map((r) => [r.target, r.changed])).toEqual([
      ['111111111111', true],
      ['222222222222', false],
    ]);
    expect(createsIn('222222222222')).toEqual([{ by: session('6', '-r'), account: '222222222222' }]);
    expect(createsIn('111111111111')).toEqual([{ by: session('6', '-e'), account: '111111111111' }]);
  }, 60_000);

  it('reconcile: an assignment the manifest asks for and the read found is not created again', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: [Deployers, Auditors], principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}\n`,
      {},
      { GITHUB_RUN_ID: '7' },
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, unchanged: 1 });
    const sent = aws().cloudTrail.filter((e) => e.eventName === 'CreateAccountAssignment');
    expect(sent.map((e) => e.requestParameters.PrincipalId)).toEqual([aws().groupId('Auditors')]);
    expect(signIns()).toEqual([session('7')]);
  }, 60_000);
});
