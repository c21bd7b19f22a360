// `npm run bench`'s post-step figure: revoke-on-exit re-checks, before its delete, that
// nothing happened to the assignment since its own create (a delete, another party's create or a
// reliance). IAM Identity Center's request lists name no assignment, so every request made in the
// instance since the step's create is described once: with 200 unrelated requests during the job,
// 200 status reads. Prints those reads and the post step's wall time, and shows the re-check is
// bounded by `post-timeout-seconds`: with 2,000 unrelated requests and a 3-second budget, the post
// step stops at its budget and leaves the grant, naming why. Runs the bundle in dist/, or
// $CLOUD_ACCESS_BUNDLE_DIR.
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const REPEATS = Number(process.env.BENCH_RUNS ?? 3);

const emulator = await startEmulator({ quiet: true, azure: false });
try {
  const aws = emulator.aws;
  const inputs = {
    cloud: 'aws',
    'role-to-assume': ROLE,
    'aws-region': 'us-east-1',
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
  };
  const run = async (unrelated: number, postTimeoutSeconds: string) => {
    emulator.reset();
    const main = await runStep('main', { inputs, env: emulator.env });
    if (main.exitCode !== 0) throw new Error(`the main step failed:\n${main.stdout}`);
    const users = Array.from({ length: 20 }, (_, i) => aws.addUser(`noise-${i}`));
    const ps = aws.permissionSetArn('ViewOnlyAccess');
    for (let i = 0; i < unrelated; i++)
      aws.createAssignmentAs(
        {
          accountId: String(500000000000 + (i % 100)),
          permissionSetArn: ps,
          principalType: 'USER',
          principalId: users[i % 20]!,
        },
        { principalArn: 'arn:aws:iam::123456789012:user/admin' },
      );
    emulator.requests.length = 0;
    const started = Date.now();
    const post = await runStep('post', {
      inputs: { ...inputs, 'post-timeout-seconds': postTimeoutSeconds },
      env: emulator.env,
      state: main.state,
    });
    const wall = Date.now() - started;
    const count = (operation: string) => emulator.requests.filter((r) => r.operation === operation).length;
    const revoked = count('DeleteAccountAssignment') > 0;
    return { wall, describes: count('DescribeAccountAssignmentCreationStatus'), revoked, post };
  };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const { wall, describes, revoked } = await run(200, '300');
    console.log(
      `post re-check ${repeat + 1}: 200 unrelated requests during the job: ${describes} creation status read(s), wall ${wall} ms, ${revoked ? 'revoked' : 'NOT revoked'}`,
    );
  }
  const bounded = await run(2000, '3');
  const why = bounded.post.stdout.match(/could not confirm[^\n]*/)?.[0] ?? 'no reason printed';
  console.log(
    `post re-check bounded: 2,000 unrelated requests, post-timeout-seconds 3: ${bounded.describes} status read(s), wall ${bounded.wall} ms, ${bounded.revoked ? 'revoked' : 'left in place'} (${why.slice(0, 160)})`,
  );
} finally {
  await emulator.close();
}
