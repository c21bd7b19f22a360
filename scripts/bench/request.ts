// `npm run bench` (through ./request-goals.ts): what `operation: request` costs beyond the grant
// itself, on AWS against its own emulator: the GitHub API requests its checks send (one GraphQL
// query, then REST; the environment with custom deployment-branch policies), and the wall time of the request step
// less that of the same grant made by a plain `operation: assign` (which, like the request's grant,
// saves nothing for a post step), median of BENCH_RUNS pairs.
// Runs the bundle in dist/, or $CLOUD_ACCESS_BUNDLE_DIR.
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const REPEATS = Number(process.env.BENCH_RUNS ?? 5);
const RUN_ID = '9876543210';
const ALICE_ID = 583231;

const emulator = await startEmulator({ quiet: true, azure: false });
try {
  const stage = () => {
    emulator.reset();
    const repo = emulator.github.repository;
    repo.setFile(
      'main',
      '.github/access-policy.yml',
      `version: 1
people:
  - github-id: ${ALICE_ID}
    github: alice
    aws: ${emulator.aws.userId('alice')}
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
`,
    );
    repo.setEnvironment('production-access', {
      reviewers: ['carol'],
      preventSelfReview: true,
      canAdminsBypass: false,
      branches: ['main'],
    });
    repo.setApprovals(RUN_ID, [
      { environment: 'production-access', state: 'approved', login: 'carol', userId: 999 },
    ]);
    emulator.github.runs.setRun({
      repository: 'octo-org/octo-repo',
      runId: RUN_ID,
      status: 'in_progress',
      event: 'workflow_dispatch',
      startedAt: Date.now() - 60_000,
    });
    emulator.github.claims = {
      event_name: 'workflow_dispatch',
      run_id: RUN_ID,
      run_attempt: '1',
      actor: 'alice',
      actor_id: String(ALICE_ID),
      environment: 'production-access',
      ref: 'refs/heads/main',
    };
    emulator.requests.length = 0;
  };
  const env = {
    ...emulator.env,
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
  };
  const common = { cloud: 'aws', 'role-to-assume': ROLE, 'aws-region': 'us-east-1' };
  const timed = async (inputs: Record<string, string>) => {
    stage();
    const started = Date.now();
    const step = await runStep('main', { inputs: { ...common, ...inputs }, env });
    const wall = Date.now() - started;
    if (step.exitCode !== 0) throw new Error(`the step failed:\n${step.stdout}\n${step.stderr}`);
    const github = emulator.requests.filter((r) => r.service === 'github' && r.operation !== 'token');
    return { wall, github: github.length };
  };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const grant = await timed({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' });
    const request = await timed({
      operation: 'request',
      rule: 'prod-read',
      duration: '1h',
      'github-token': emulator.env.EMULATOR_GITHUB_TOKEN!,
    });
    console.log(
      `request: GitHub ${request.github} request(s); wall ${request.wall} ms, the same grant by assign ${grant.wall} ms: beyond the grant ${request.wall - grant.wall} ms`,
    );
  }
} finally {
  await emulator.close();
}
