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
/**
 * `BENCH_SWEEP_DAYS=35 BENCH_SWEEP_PER_DAY=100` (or 1000): instead, a sweep over that many days of
 * creates at the default `lookback` (35 days), as a steady state leaves them: each run's 10 grants
 * created and, for 9 runs in 10, deleted by its post step minutes later; the rest lost (the last
 * day's still going). Its minimum: every create's and delete's page of the window, one GitHub
 * request per run a holding claim names, the cheaper complete state read; its time against what
 * 2 LookupEvents a second allow, and against a 15-minute schedule.
 */
const DAYS = Number(process.env.BENCH_SWEEP_DAYS ?? 0);
const PER_DAY = Number(process.env.BENCH_SWEEP_PER_DAY ?? 100);

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

  if (DAYS > 0) await overDays(emulator, session);
  for (let repeat = 0; DAYS === 0 && repeat < REPEATS; repeat++) {
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

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The days of creates (and the post steps' deletes) the sweep reads, and their counts. */
function seedDays(
  emulator: Emulator,
  session: (name: string) => { principalArn: string; sessionName: string },
): { creates: number; deletes: number } {
  const aws = emulator.aws;
  emulator.reset();
  const users = Array.from({ length: USERS }, (_, i) => aws.addUser(`bench-user-${i}`));
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(300000000000 + i));
  const ps = aws.permissionSetArn('ReadOnlyAccess');
  const runsPerDay = Math.max(1, Math.round(PER_DAY / PER_RUN));
  const now = Date.now();
  const begin = now - DAYS * 24 * 60 * 60_000 + 60 * 60_000;
  const spacing = (DAYS * 24 * 60 * 60_000 - 2 * 60 * 60_000) / (DAYS * runsPerDay);
  let creates = 0;
  let deletes = 0;
  const seeded = Date.now();
  for (let run = 0; run < DAYS * runsPerDay; run++) {
    const at = Math.floor(begin + run * spacing);
    const id = String(100000 + run);
    const name = `cloud-access-123456789-${id}-1-e`;
    const lost = run % 10 === 3;
    const going = run >= DAYS * runsPerDay - runsPerDay / 10;
    for (let k = 0; k < PER_RUN; k++) {
      const i = (run * PER_RUN + k) % (USERS * ACCOUNTS);
      const place = {
        accountId: accounts[i % ACCOUNTS]!,
        permissionSetArn: ps,
        principalType: 'USER' as const,
        principalId: users[Math.floor(i / ACCOUNTS)]!,
      };
      aws.createAssignmentAs(place, session(name), at + k * 1000);
      creates++;
      if (!lost && !going) {
        aws.deleteAssignmentAs(place, session(name), at + 5 * 60_000 + k * 1000);
        deletes++;
      }
    }
    emulator.github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: id,
      attempt: '1',
      status: going ? 'in_progress' : 'completed',
      ...(going ? {} : { conclusion: 'success', updatedAt: at + 10 * 60_000 }),
    });
  }
  console.log(
    `seeded ${creates} creates and ${deletes} deletes over ${DAYS} days in ${Date.now() - seeded} ms`,
  );
  return { creates, deletes };
}

async function overDays(
  emulator: Emulator,
  session: (name: string) => { principalArn: string; sessionName: string },
): Promise<void> {
  const { creates, deletes } = seedDays(emulator, session);
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
      'timeout-seconds': '3600',
      'max-deletions': '100000',
    },
    env: { ...emulator.env, GITHUB_EVENT_NAME: 'schedule' },
  });
  const wall = Date.now() - started;
  if (step.exitCode !== 0) throw new Error(`the sweep failed:\n${step.stdout}\n${step.stderr}`);
  const count = (operation: string) => emulator.requests.filter((r) => r.operation === operation).length;
  const pages = count('LookupEvents');
  const results = JSON.parse(step.outputs.results ?? '[]') as {
    kind: string;
    run: { runId: string } | null;
    reliedOnBy?: { runId: string }[];
  }[];
  const holding = results.filter((r) => r.kind === 'revoke' || r.kind === 'running');
  const runs = new Set(holding.flatMap((r) => [r.run?.runId, ...(r.reliedOnBy ?? []).map((x) => x.runId)]));
  // The older history: one (empty) page of creates before the window, for claims whose life's start it did not reach.
  const minPages = Math.ceil(creates / PAGE) + Math.ceil(deletes / PAGE) + 1;
  const github = emulator.requests.filter((r) => r.service === 'github' && r.operation !== 'token').length;
  const stateReads = count('ListAccountAssignmentsForPrincipal') + count('ListAccountAssignments');
  const minStateReads = Math.min(USERS, ACCOUNTS);
  const lookupBoundMs = Math.max(0, (minPages - 2) * 500);
  console.log(
    [
      `sweep over ${DAYS} days at ${PER_DAY} creates a day: plan ${step.outputs.plan};`,
      `LookupEvents ${pages} page(s) = ${(pages / minPages).toFixed(2)}× the minimum ${minPages} (ceil(${creates} creates / 50) + ceil(${deletes} deletes / 50) + 1 of the older history);`,
      `GitHub ${github} request(s) = ${(github / Math.max(runs.size, 1)).toFixed(2)}× the ${runs.size} distinct runs holding claims name;`,
      `state reads ${stateReads} = ${(stateReads / minStateReads).toFixed(2)}× the cheaper complete read's ${minStateReads};`,
      `wall ${wall} ms = ${(wall / Math.max(lookupBoundMs, 1)).toFixed(2)}× the ${lookupBoundMs} ms 2 LookupEvents a second allow (${(wall / 60_000).toFixed(1)} of a 15-minute schedule's 15 min)`,
    ].join(' '),
  );
}
