// `npm run bench`: performance figures against the emulator, printed and written to
// BENCHMARKS.md. Figures, not pass/fail tests: they vary with the machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { runStep } from './action-runner.js';

const AWS_ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const lines: string[] = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const countBy = (emulator: Emulator) => {
  const counts: Record<string, number> = {};
  for (const r of emulator.requests) counts[r.operation] = (counts[r.operation] ?? 0) + 1;
  return counts;
};

async function batch(emulator: Emulator, principals: string[], accounts: string[], maxConcurrency: number) {
  emulator.reset();
  emulator.aws.config.writeDelayMs = 2000;
  const started = Date.now();
  const step = await runStep('main', {
    inputs: {
      cloud: 'aws',
      'aws-region': 'us-east-1',
      'role-to-assume': AWS_ROLE,
      principal: principals.join(','),
      target: accounts.join(','),
      role: emulator.aws.permissionSetArn('ReadOnlyAccess'),
      'max-concurrency': String(maxConcurrency),
      'timeout-seconds': '1800',
    },
    env: emulator.env,
  });
  const wallMs = Date.now() - started;
  const results = JSON.parse(step.outputs.results ?? '[]') as { status: string }[];
  const ssoCalls = emulator.requests.filter(
    (r) => r.service === 'sso-admin' || r.service === 'identitystore',
  );
  const throttled = emulator.requests.filter((r) => r.errorCode === 'ThrottlingException').length;
  const grants = results.length;
  const quotaBoundMs = Math.max(Math.ceil(grants / 15) * 2000, (ssoCalls.length / 20) * 1000);
  return {
    step,
    wallMs,
    grants,
    succeeded: results.filter((r) => r.status === 'SUCCEEDED').length,
    calls: countBy(emulator),
    ssoCalls: ssoCalls.length,
    throttled,
    quotaBoundMs,
  };
}

function reportBatch(title: string, b: Awaited<ReturnType<typeof batch>>, target = true) {
  say(`### ${title}`);
  say('');
  say(`| figure | value |`);
  say(`|---|---|`);
  say(`| grants | ${b.grants} (${b.succeeded} SUCCEEDED) |`);
  say(`| wall time | ${(b.wallMs / 1000).toFixed(1)} s |`);
  say(`| IAM Identity Center calls | ${b.ssoCalls} |`);
  say(`| throttled responses | ${b.throttled} |`);
  say(
    `| quota-bound lower limit | ${(b.quotaBoundMs / 1000).toFixed(1)} s (max of ceil(${b.grants}/15) × 2 s and ${b.ssoCalls} calls / 20 TPS) |`,
  );
  say(
    `| ratio to the limit | ${(b.wallMs / b.quotaBoundMs).toFixed(2)}×${target ? ' (target ≤ 1.25×)' : ''} |`,
  );
  say(
    `| calls by operation | ${Object.entries(b.calls)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')} |`,
  );
  say('');
}

async function oneGrantLatency(emulator: Emulator, runs: number) {
  const lags: number[] = [];
  const describes: number[] = [];
  for (let i = 0; i < runs; i++) {
    emulator.reset();
    emulator.aws.config.writeDelayMs = 2000;
    const step = await runStep('main', {
      inputs: {
        cloud: 'aws',
        'aws-region': 'us-east-1',
        'role-to-assume': AWS_ROLE,
        principal: emulator.aws.userId('alice'),
        target: '111111111111',
        role: emulator.aws.permissionSetArn('ReadOnlyAccess'),
      },
      env: emulator.env,
    });
    const exitedAt = Date.now();
    const create = emulator.requests.find((r) => r.operation === 'CreateAccountAssignment');
    if (!create || step.outputs.status !== 'SUCCEEDED')
      throw new Error(`one-grant run failed: ${step.stdout}`);
    lags.push(exitedAt - (create.at + 2000));
    describes.push(
      emulator.requests.filter((r) => r.operation === 'DescribeAccountAssignmentCreationStatus').length,
    );
  }
  return { lags, describes };
}

interface Measured {
  firstRequestMs: number;
  maxRssKiB: number;
  modules: string[];
}

async function coldStart(
  emulator: Emulator,
  cloud: 'aws' | 'azure',
  inputs: Record<string, string>,
): Promise<Measured> {
  emulator.reset();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const measureFile = join(dir, 'measure.json');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...emulator.env,
    CLOUD_ACCESS_MEASURE_FILE: measureFile,
    GITHUB_OUTPUT: join(dir, 'o'),
    GITHUB_STATE: join(dir, 's'),
    GITHUB_STEP_SUMMARY: join(dir, 'm'),
  };
  for (const f of ['o', 's', 'm']) writeFileSync(join(dir, f), '');
  for (const [k, v] of Object.entries({ cloud, ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(import.meta.dirname, 'measure-step.mjs'),
        join(import.meta.dirname, '..', 'dist', 'main', 'index.js'),
      ],
      { env, stdio: 'ignore' },
    );
    child.on('close', () => resolve());
  });
  const first = emulator.requests[0];
  const measured = JSON.parse(readFileSync(measureFile, 'utf8')) as { maxRssKiB: number; modules: string[] };
  return { firstRequestMs: first ? first.at - started : NaN, ...measured };
}

async function nodeBaseline(runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    await new Promise<void>((resolve) =>
      spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('close', () => resolve()),
    );
    times.push(Date.now() - started);
  }
  return median(times);
}

const emulator = await startEmulator({ quiet: true });
try {
  say('# Benchmarks');
  say('');
  say(
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, against the embedded emulator on loopback (its quotas: 20 TPS collective, 15 outstanding CreateAccountAssignment; writes complete 2 s after they are accepted).`,
  );
  say('');

  const principals = Array.from({ length: 5 }, (_, i) => emulator.aws.addUser(`bench-user-${i}`));
  const accounts = Array.from({ length: 20 }, (_, i) => String(300000000000 + i));
  const ids = () => principals.map((p) => p);
  reportBatch('A batch of 100 AWS grants (max-concurrency 100)', await batch(emulator, ids(), accounts, 100));

  const { lags, describes } = await oneGrantLatency(emulator, 7);
  say('### One grant end to end (7 runs)');
  say('');
  say(`| figure | value |`);
  say(`|---|---|`);
  say(
    `| time from the emulator marking the request SUCCEEDED to the action exiting, median | ${median(lags)} ms (target < 1000 ms; runs: ${lags.join(', ')}) |`,
  );
  say(`| Describe calls per grant (2 s completion), median | ${median(describes)} |`);
  say('');

  const baseline = await nodeBaseline(5);
  const awsCold = await coldStart(emulator, 'aws', {
    'aws-region': 'us-east-1',
    'role-to-assume': AWS_ROLE,
    principal: emulator.aws.userId('alice'),
    target: '111111111111',
    role: emulator.aws.permissionSetArn('ReadOnlyAccess'),
  });
  const azureInputs: Record<string, string> = emulator.azure
    ? {
        ...emulator.azure.actionInputs,
        principal: emulator.azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target: `/subscriptions/${emulator.azure.subscriptionId}`,
        role: 'Reader',
      }
    : {};
  const azureCold = emulator.azure ? await coldStart(emulator, 'azure', azureInputs) : undefined;
  const sdk = (m: Measured, pattern: RegExp) =>
    m.modules.some((u) => pattern.test(u)) ||
    m.modules.some(
      (u) =>
        /\/dist\/main\/\d+\.index\.js$/.test(u) &&
        pattern.test(readFileSync(new URL(u), 'utf8').slice(0, 200000)),
    );
  say('### Cold start and memory');
  say('');
  say(`| step | to first request | peak RSS | loads AWS SDK | loads Azure SDK |`);
  say(`|---|---|---|---|---|`);
  say(`| \`node -e 0\` (baseline) | ${baseline} ms (process start to exit) | | | |`);
  for (const [name, m] of [
    ['aws', awsCold],
    ['azure', azureCold],
  ] as const) {
    if (!m) continue;
    say(
      `| \`dist/main\` with \`cloud: ${name}\` | ${m.firstRequestMs} ms | ${(m.maxRssKiB / 1024).toFixed(1)} MiB (target < 100 MiB) | ${sdk(m, /SSOAdminClient|client-sso-admin/) ? 'yes' : 'no'} | ${sdk(m, /AuthorizationManagementClient|arm-authorization/) ? 'yes' : 'no'} |`,
    );
  }
  say('');

  reportBatch(
    'The same batch with max-concurrency 1 (sequential baseline)',
    await batch(emulator, ids(), accounts, 1),
    false,
  );
  writeFileSync(join(import.meta.dirname, '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
  console.log('\nwritten to BENCHMARKS.md');
} finally {
  await emulator.close();
}
