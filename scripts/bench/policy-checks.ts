// `npm run bench:policy-checks`: what `policy-checks` (src/aws/permission-sets/policy-checks.ts)
// adds to a reconcile's plan. 20 permission sets the manifest defines, each deployed with a
// one-statement inline policy, each changed in two parts: the inline policy gains a statement
// (`widens access`) and the same AWS-managed policy is attached to every set. The plan (dry run) is
// run with `policy-checks: off` and `on`, interleaved, against the emulator's IAM Access Analyzer
// and IAM. Prints the Access Analyzer calls per changed part (at most 1 ValidatePolicy + 1
// CheckNoNewAccess + ⌈actions / 100⌉ CheckAccessNotGranted for an inline policy, ⌈actions / 100⌉
// CheckAccessNotGranted for an added AWS-managed one), the IAM reads of the
// AWS-managed policy (once per ARN in the run) and the plan's added wall time (medians of
// BENCH_RUNS, default 3). Counts do not move with the machine's load; times do. Runs the bundle in
// dist/, or $CLOUD_ACCESS_BUNDLE_DIR (`npm run package -- <dir>`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runStep, type StepRun } from '../../harness/action-runner.js';
import { OWNERSHIP_TAG } from '../../src/core/permission-sets/fields.js';
import { median } from './child.js';

const SETS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The ownership tag's value of the manifest, as the step runs it (harness/action-runner.ts's repository). */
const OWN = 'octo-org/octo-repo:access.yml';
const MANAGED = 'AWSCloudFormationReadOnlyAccess';
const names = Array.from({ length: SETS }, (_, i) => `Bench${String(i).padStart(2, '0')}`);
const deployed = (i: number) => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${i}/*` },
  ],
});
const changed = (i: number) => {
  const policy = deployed(i);
  return {
    ...policy,
    Statement: [
      ...policy.Statement,
      { Sid: 'Write', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `arn:aws:s3:::bucket-${i}/*` },
    ],
  };
};

/** The 20 sets as deployed: each owned by the manifest, with the inline policy it had. */
function seed(emulator: Emulator): void {
  emulator.reset();
  names.forEach((name, i) =>
    emulator.aws.state.addPermissionSet(name, {
      inlinePolicy: JSON.stringify(deployed(i)),
      tags: [{ Key: OWNERSHIP_TAG, Value: OWN }],
    }),
  );
}

function writeManifest(workspace: string): void {
  mkdirSync(join(workspace, 'policies'), { recursive: true });
  names.forEach((name, i) =>
    writeFileSync(join(workspace, 'policies', `${name}.json`), JSON.stringify(changed(i), null, 2)),
  );
  writeFileSync(
    join(workspace, 'access.yml'),
    [
      'version: 1',
      'aws:',
      `  manages: {permission-sets: [${names.join(', ')}]}`,
      '  permission-sets:',
      ...names.flatMap((name) => [
        `    - name: ${name}`,
        `      inline-policy: policies/${name}.json`,
        `      aws-managed-policies: [${MANAGED}]`,
      ]),
      '  assignments: []',
      '',
    ].join('\n'),
  );
}

interface Measured {
  ms: number;
  analyzer: Record<string, number>;
  iam: Record<string, number>;
  step: StepRun;
}

async function plan(emulator: Emulator, workspace: string, mode: 'on' | 'off'): Promise<Measured> {
  seed(emulator);
  const step = await runStep('main', {
    inputs: {
      cloud: 'aws',
      operation: 'reconcile',
      manifest: 'access.yml',
      'dry-run': 'true',
      'policy-checks': mode,
      'aws-region': 'us-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
      'instance-arn': emulator.aws.instanceArn,
      'identity-store-id': emulator.aws.identityStoreId,
      'timeout-seconds': '600',
    },
    env: { ...emulator.env, GITHUB_WORKSPACE: workspace, ACTIONS_STEP_DEBUG: 'false', RUNNER_DEBUG: '' },
  });
  if (step.exitCode !== 0)
    throw new Error(
      `the plan with policy-checks: ${mode} failed (exit ${step.exitCode})\n${step.stdout.slice(-3000)}`,
    );
  const tally = (service: string) => {
    const counts: Record<string, number> = {};
    for (const r of emulator.requests.filter((r) => r.service === service))
      counts[r.operation] = (counts[r.operation] ?? 0) + 1;
    return counts;
  };
  return { ms: step.durationMs, analyzer: tally('access-analyzer'), iam: tally('iam'), step };
}

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${n} ${op}`)
    .join(', ') || 'none';

const emulator = await startEmulator({ quiet: true });
const workspace = mkdtempSync(join(tmpdir(), 'bench-policy-checks-'));
try {
  writeManifest(workspace);
  const off: Measured[] = [];
  const on: Measured[] = [];
  for (let run = 0; run < RUNS; run++) {
    off.push(await plan(emulator, workspace, 'off'));
    on.push(await plan(emulator, workspace, 'on'));
  }
  const last = on.at(-1)!;
  const output = JSON.parse(last.step.outputs['policy-checks'] ?? '{}') as {
    sets?: { parts: { part: string; checks: { check: string; result: string }[] }[] }[];
    calls?: number;
    unchecked?: number;
  };
  const parts = (output.sets ?? []).flatMap((s) => s.parts);
  const analyzerCalls = Object.values(last.analyzer).reduce((a, b) => a + b, 0);
  const widening = parts.flatMap((p) => p.checks).filter((c) => c.result === 'widens access').length;
  const offMs = median(off.map((m) => m.ms))!;
  const onMs = median(on.map((m) => m.ms))!;
  console.log(
    `policy-checks: a plan of ${SETS} defined permission sets, each changed in 2 parts (its inline policy gains a statement; ${MANAGED} attached), medians of ${RUNS} interleaved runs`,
  );
  console.log(
    `checks: ${analyzerCalls} Access Analyzer call(s) for ${parts.length} changed part(s) = ${(analyzerCalls / Math.max(parts.length, 1)).toFixed(2)} a part (${listed(last.analyzer)}); ${widening} \`widens access\`; ${output.unchecked ?? '?'} unchecked; the step's own count: ${output.calls ?? '?'}`,
  );
  console.log(
    `IAM reads of the AWS-managed policy with checks on: ${listed(last.iam)} (off: ${listed(off.at(-1)!.iam)})`,
  );
  console.log(
    `plan wall time: ${(offMs / 1000).toFixed(2)} s with policy-checks: off, ${(onMs / 1000).toFixed(2)} s with on: +${((onMs - offMs) / 1000).toFixed(2)} s (${((onMs / offMs - 1) * 100).toFixed(0)} %)`,
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await emulator.close();
}
