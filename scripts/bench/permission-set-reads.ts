// `npm run bench:permission-sets`: what reading the content of 150 defined permission sets costs
// (src/aws/permission-sets/read-content.ts, 6 calls a set: describe, inline policy, AWS-managed and
// customer-managed policies, boundary, tags), through the AWS session at its own pace against the
// emulator at IAM Identity Center's 20 TPS. Prints the calls against 6 × 150 (goal ≤ 1.1×) and the
// wall time against those calls at 20 TPS; `npm run bench` runs it as a process of its own and puts
// its goal in BENCHMARKS.md. `-- --row` also prints that goal's BENCHMARKS.md row, to put in place
// of the one there without running the whole bench (with BENCH_RUNS=1, as `npm run bench` runs it).
import {
  CONTENT_READS_PER_SET,
  readPermissionSetContents,
} from '../../src/aws/permission-sets/read-content.js';
import { createSsoSession } from '../../src/aws/sso/session.js';
import { parseInputs, type AwsConfig } from '../../src/core/inputs/index.js';
import { OWNERSHIP_TAG } from '../../src/core/permission-sets/fields.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { median } from './child.js';
import type { Goal } from './context.js';

export const DEFINED_SETS = 150;
/** The goal: at most this many times the 6 calls a set. */
export const MAX_RATIO = 1.1;
const TPS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const CONTENT_OPERATIONS = new Set([
  'DescribePermissionSet',
  'GetInlinePolicyForPermissionSet',
  'ListManagedPoliciesInPermissionSet',
  'ListCustomerManagedPolicyReferencesInPermissionSet',
  'GetPermissionsBoundaryForPermissionSet',
  'ListTagsForResource',
]);

/** 150 sets as a manifest defines them: each with an inline policy, policies, tags; half with a boundary. */
function seedDefinedSets(emulator: Emulator): string[] {
  emulator.reset();
  return Array.from({ length: DEFINED_SETS }, (_, i) => {
    const name = `Defined-${String(i).padStart(3, '0')}`;
    return emulator.aws.state.addPermissionSet(name, {
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${i}/*` }],
      }),
      managedPolicies: [
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      ],
      customerManagedPolicies: [{ Name: 'deny-secrets', Path: '/' }],
      ...(i % 2 === 0
        ? { permissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' } }
        : {}),
      tags: [
        { Key: OWNERSHIP_TAG, Value: 'octo-org/octo-repo:access/manifest.yml' },
        { Key: 'team', Value: 'platform' },
      ],
    }).arn;
  });
}

function settings(emulator: Emulator): AwsConfig {
  const inputs: Record<string, string> = {
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'instance-arn': emulator.aws.instanceArn,
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
  };
  return parseInputs((name) => inputs[name] ?? '', {}) as AwsConfig;
}

/** One read of every defined set's content: its calls (retries included) and wall time. */
async function measureOnce(emulator: Emulator): Promise<{ calls: number; throttled: number; ms: number }> {
  const arns = seedDefinedSets(emulator);
  const session = createSsoSession(
    settings(emulator),
    {
      deadline: new Deadline(600),
      requestToken: () => Promise.reject(new Error('the bench signs with the emulator’s static key')),
      mask: () => undefined,
    },
    // The session's own pacing (19 calls in any second), as the step runs it.
    { credentials: { ...emulator.aws.staticCredentials } },
  );
  await session.prepare();
  const before = emulator.requests.length;
  const started = Date.now();
  const contents = await readPermissionSetContents(session, arns);
  const ms = Date.now() - started;
  if (contents.length !== DEFINED_SETS) throw new Error(`read ${contents.length} sets of ${DEFINED_SETS}`);
  const reads = emulator.requests
    .slice(before)
    .filter((r) => r.service === 'sso-admin' && CONTENT_OPERATIONS.has(r.operation));
  return {
    calls: reads.length,
    throttled: reads.filter((r) => r.status === 429 || r.errorCode === 'ThrottlingException').length,
    ms,
  };
}

const minimum = CONTENT_READS_PER_SET * DEFINED_SETS;

/** The run's line, as `npm run bench` reads it back. */
const runLine = (run: number, f: { calls: number; throttled: number; ms: number }) => {
  const bound = (f.calls / TPS) * 1000;
  return `permission-set content run ${run}: ${DEFINED_SETS} defined sets read in ${f.calls} calls = ${(f.calls / minimum).toFixed(2)}× ${CONTENT_READS_PER_SET} × ${DEFINED_SETS} (goal ≤ ${MAX_RATIO}×), ${f.throttled} throttled; wall ${f.ms} ms = ${(f.ms / bound).toFixed(2)}× calls/20 TPS (${bound.toFixed(0)} ms)`;
};

/** The goal's row from the runs' lines: the median ratio of calls to 6 a set. */
export function permissionSetReadsGoal(lines: string[]): Goal {
  const ratios = lines.flatMap((l) => {
    const m = /read in \d+ calls = ([\d.]+)×/.exec(l);
    return m ? [Number(m[1])] : [];
  });
  const ratio = median(ratios);
  return {
    figure: `reconcile: reading ${DEFINED_SETS} defined permission sets' content, calls`,
    value:
      ratio === undefined
        ? 'not measured (the read failed; see the section)'
        : `${ratio.toFixed(2)}× ${CONTENT_READS_PER_SET} a set, median of ${ratios.length}`,
    goal: `≤ ${MAX_RATIO} ×`,
    met: ratio !== undefined && ratio <= MAX_RATIO,
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const emulator = await startEmulator({ quiet: true, azure: false });
  // The session's SDK clients reach the emulator as the step's would: through the endpoint variables.
  Object.assign(process.env, emulator.env);
  try {
    const lines: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const line = runLine(run, await measureOnce(emulator));
      lines.push(line);
      console.log(line);
    }
    if (process.argv.includes('--row')) {
      const g = permissionSetReadsGoal(lines);
      console.log(`| ${g.figure} | ${g.value} | ${g.goal} | ${g.met ? 'met' : 'NOT met'} |`);
    }
  } finally {
    await emulator.close();
  }
}
