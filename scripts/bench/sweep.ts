// `npm run bench:sweep`: `operation: sweep` (a dry run: its reads and plan) over 1,000 claims from
// 100 runs (20 users × 50 accounts, one permission set; 10 grants per run) plus noise: 200 creates
// by a person, 50 permanent grants by cloud-access steps, 50 grants deleted since. Prints each read
// against its minimum: LookupEvents pages against ceil(creates / 50) + ceil(deletes / 50) + the older
// history's page (read for the claims about to be revoked), GitHub requests against the
// distinct runs, SSO Admin state reads against the cheaper complete state read (one
// ListAccountAssignmentsForPrincipal per principal, or one ListAccountAssignments per account ×
// permission set), and the wall time against what 2 LookupEvents a second allow (the issue's
// goals: within 1.25× each). Runs the bundle in dist/, or $CLOUD_ACCESS_BUNDLE_DIR.
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';

const USERS = 20;
const ACCOUNTS = 50;
const RUNS = 100;
const PER_RUN = 10;
const PAGE = 50;
const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const REPEATS = Number(process.env.BENCH_RUNS ?? 3);

const emulator = await startEmulator({ quiet: true, azure: false });
try {
  const aws = emulator.aws;
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(300000000000 + i));
  const noiseAccounts = Array.from({ length: 10 }, (_, i) => String(400000000000 + i));
  const session = (name: string) => ({
    principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
    sessionName: name,
  });
  const seed = () => {
    emulator.reset();
    const users = Array.from({ length: USERS }, (_, i) => aws.addUser(`bench-user-${i}`));
    const ps = aws.permissionSetArn('ReadOnlyAccess');
    const start = Date.now() - 6 * 60 * 60_000;
    let n = 0;
    const at = () => start + n++ * 1000;
    for (let run = 0; run < RUNS; run++) {
      for (let k = 0; k < PER_RUN; k++) {
        const i = run * PER_RUN + k;
        aws.createAssignmentAs(
          {
            accountId: accounts[i % ACCOUNTS]!,
            permissionSetArn: ps,
            principalType: 'USER',
            principalId: users[Math.floor(i / ACCOUNTS)]!,
          },
          session(`cloud-access-123456789-${5000 + run}-1-e`),
          at(),
        );
      }
      emulator.github.runs.setRun({
        repository: 'octo-org/octo-repo',
        repositoryId: '123456789',
        runId: String(5000 + run),
        attempt: '1',
        status: run % 10 === 0 ? 'in_progress' : 'completed',
        ...(run % 10 === 0 ? {} : { conclusion: 'success' }),
      });
    }
    const other = aws.permissionSetArn('ViewOnlyAccess');
    for (let i = 0; i < 200; i++)
      aws.createAssignmentAs(
        {
          accountId: noiseAccounts[i % 10]!,
          permissionSetArn: other,
          principalType: 'USER',
          principalId: users[Math.floor(i / 10) % USERS]!,
        },
        { principalArn: 'arn:aws:iam::123456789012:user/admin' },
        at(),
      );
    for (let i = 0; i < 50; i++)
      aws.createAssignmentAs(
        {
          accountId: noiseAccounts[i % 10]!,
          permissionSetArn: aws.permissionSetArn('PowerUserAccess'),
          principalType: 'USER',
          principalId: users[Math.floor(i / 10) % USERS]!,
        },
        session(`cloud-access-123456789-${9000 + i}-1`),
        at(),
      );
    for (let i = 0; i < 50; i++) {
      const gone = {
        accountId: noiseAccounts[i % 10]!,
        permissionSetArn: aws.permissionSetArn('AdministratorAccess'),
        principalType: 'USER' as const,
        principalId: users[Math.floor(i / 10) % USERS]!,
      };
      aws.createAssignmentAs(gone, session(`cloud-access-123456789-${9500 + i}-1-e`), at());
      aws.deleteAssignmentAs(gone, session(`cloud-access-123456789-${9500 + i}-1-e`), at());
    }
    return { creates: RUNS * PER_RUN + 300, deletes: 50 };
  };

  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const { creates, deletes } = seed();
    emulator.requests.length = 0;
    const started = Date.now();
    const step = await runStep('main', {
      inputs: {
        cloud: 'aws',
        operation: 'sweep',
        'dry-run': 'true',
        'role-to-assume': ROLE,
        'aws-region': 'us-east-1',
        'github-token': emulator.github.runs.jobToken,
        'timeout-seconds': '600',
        'max-deletions': '1000',
      },
      env: { ...emulator.env, GITHUB_EVENT_NAME: 'schedule' },
    });
    const wall = Date.now() - started;
    if (step.exitCode !== 0) throw new Error(`the sweep failed:\n${step.stdout}\n${step.stderr}`);
    const count = (operation: string) => emulator.requests.filter((r) => r.operation === operation).length;
    const pages = count('LookupEvents');
    // Creates and deletes are separate lookups (one event name each), and with claims about to be
    // revoked whose assignments' lives began before the window, CloudTrail's older history is read
    // for them: here a page with no events in it (the seed writes nothing older).
    const olderPages = 1;
    const minPages = Math.ceil(creates / PAGE) + Math.ceil(deletes / PAGE) + olderPages;
    const github = emulator.requests.filter((r) => r.service === 'github' && r.operation !== 'token').length;
    const stateReads = count('ListAccountAssignmentsForPrincipal') + count('ListAccountAssignments');
    // The cheaper complete state read: one list per principal (each under a page), or per place.
    const minStateReads = Math.min(USERS, ACCOUNTS);
    // 2 LookupEvents a second: the first two at once, then one every half second.
    const lookupBoundMs = Math.max(0, (minPages - 2) * 500);
    const plan = JSON.parse(step.outputs.plan ?? '{}') as Record<string, number>;
    console.log(
      [
        `sweep dry run ${repeat + 1}: plan ${JSON.stringify(plan)};`,
        `LookupEvents ${pages} page(s) = ${(pages / minPages).toFixed(2)}× the minimum ${minPages} (ceil(${creates} creates / 50) + ceil(${deletes} deletes / 50) + ${olderPages} of the older history);`,
        `creation-status list ${count('ListAccountAssignmentCreationStatus')} page(s), ${count('DescribeAccountAssignmentCreationStatus')} status read(s);`,
        `GitHub ${github} request(s) = ${(github / RUNS).toFixed(2)}× the ${RUNS} distinct runs;`,
        `state reads ${stateReads} = ${(stateReads / minStateReads).toFixed(2)}× the cheaper complete read's ${minStateReads};`,
        `wall ${wall} ms = ${(wall / Math.max(lookupBoundMs, 1)).toFixed(2)}× the ${lookupBoundMs} ms 2 LookupEvents a second allow`,
      ].join(' '),
    );
  }
} finally {
  await emulator.close();
}
