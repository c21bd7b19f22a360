// The cold starts of `npm run bench`: node alone, each cloud's main step, configure-aws-credentials
// when given, the post step with nothing to revoke, and a TLS context, run round-robin; then their
// peak RSS and the modules they load, in runs of their own with the measuring preload. Its goals
// and sections: cold-start-report.ts.
import type { RequestRecord } from '../../emulator/index.js';
import type { Bundle, Cawc } from './bundle.js';
import { AWS_ROLE, AZURE_PRINCIPAL, RSS_RUNS, RUNS, type Bench } from './context.js';
import { runNode, type Run } from './step.js';

/**
 * configure-aws-credentials' inputs as the runner gives them (its action.yml's defaults included).
 * It finds the emulator's STS through AWS_ENDPOINT_URL_STS (in the AWS environment) and its OIDC
 * token through ACTIONS_ID_TOKEN_REQUEST_*. Since v6.2.1 it closes with GetCallerIdentity, which the
 * emulator's STS does not answer (InvalidAction): `disable-retry` keeps it from retrying that
 * failure 12 times with backoff (about 100 s a run). It changes nothing before that call.
 */
const cawcInputs = {
  'aws-region': 'us-east-1',
  'role-to-assume': AWS_ROLE,
  audience: 'sts.amazonaws.com',
  'output-env-credentials': 'true',
  'disable-retry': 'true',
};

export interface Variant {
  name: string;
  /** What is timed: spawn → the emulator's first request, or spawn → exit. */
  timed: 'first request' | 'exit';
  run(measure: boolean): Promise<Run>;
  /** Whether the run ended as it should (checked right after it, against the emulator's log). */
  ended(run: Run): boolean;
}

export type ColdStart = Awaited<ReturnType<typeof measureColdStart>>;

/**
 * The variants, their times to first request or exit, their peak RSS and the modules they loaded.
 * `firstRequestOnly`: the variants timed to their first request and `node -e 0`, timed alone (no
 * peak RSS runs), as `npm run bench -- --first-request` measures them.
 */
export async function measureColdStart(
  bench: Bench,
  bundle: Bundle,
  cawc: Cawc | undefined,
  { firstRequestOnly = false } = {},
) {
  const postState = await awsMainStepState(bench, bundle);
  const all = variantsOf(bench, bundle, cawc, postState);
  const variants = firstRequestOnly ? all.filter((v) => v.timed === 'first request' || v === all[0]) : all;
  const { times, failures, firstOperations } = await coldStarts(bench, variants);
  const { rss, modules } = firstRequestOnly
    ? { rss: new Map<string, number[]>(), modules: new Map<string, string[]>() }
    : await peakRss(variants);
  return { bundle, cawc, variants, times, failures, firstOperations, rss, modules };
}

/** The state the AWS main step saves, which the post step variant starts from. */
async function awsMainStepState({ emulator, awsGrant, awsEnv }: Bench, bundle: Bundle) {
  emulator.reset();
  const run = await runNode([bundle.main], { inputs: awsGrant(), env: awsEnv });
  if (run.outputs.status !== 'SUCCEEDED') throw new Error(`the AWS main step failed:\n${run.output}`);
  return run.state;
}

/** The cold-start variants: node alone, each cloud's main step, configure-aws-credentials, the post step, a TLS context. */
function variantsOf(
  bench: Bench,
  bundle: Bundle,
  cawc: Cawc | undefined,
  postState: Record<string, string>,
): Variant[] {
  const { emulator, azure, awsGrant, awsEnv, azureGrant, azureEnv } = bench;
  return [
    {
      name: '`node -e 0`',
      timed: 'exit',
      run: (measure) => runNode(['-e', '0'], { measure }),
      ended: (run) => run.exitCode === 0,
    },
    {
      name: 'main step, `cloud: aws`',
      timed: 'first request',
      run: (measure) => {
        emulator.reset();
        return runNode([bundle.main], { inputs: awsGrant(), env: awsEnv, measure });
      },
      ended: (run) => run.exitCode === 0 && run.outputs.status === 'SUCCEEDED',
    },
    ...(azure
      ? [
          {
            name: 'main step, `cloud: azure`',
            timed: 'first request' as const,
            run: (measure: boolean) => {
              // Reset first, then the principal: it must exist when the step asks ARM for it.
              emulator.reset();
              azure.addPrincipal({ type: 'User', createdAt: 0, id: AZURE_PRINCIPAL });
              return runNode([bundle.main], { inputs: azureGrant(), env: azureEnv, measure });
            },
            ended: (run: Run) => run.exitCode === 0 && run.outputs.status === 'SUCCEEDED',
          },
        ]
      : []),
    ...(cawc
      ? [
          {
            name: `configure-aws-credentials (${cawc.version})`,
            timed: 'first request' as const,
            run: (measure: boolean) => {
              emulator.reset();
              return runNode([cawc.main], { inputs: cawcInputs, env: awsEnv, measure });
            },
            // Its closing GetCallerIdentity is not emulated: the role assumed is what counts.
            ended: () =>
              emulator.requests.some((r) => r.operation === 'AssumeRoleWithWebIdentity' && r.status === 200),
          },
        ]
      : []),
    {
      name: 'post step, nothing to revoke',
      timed: 'exit',
      run: (measure) => {
        emulator.reset();
        return runNode([bundle.post], { inputs: awsGrant(), env: awsEnv, state: postState, measure });
      },
      ended: (run) => run.exitCode === 0 && emulator.requests.length === 0,
    },
    {
      // What the Azure runs alone pay in the emulator (Entra and ARM are HTTPS, the AWS endpoints
      // here plain HTTP): a process's first TLS client context, the root certificates parsed.
      name: '`node` making one TLS client context',
      timed: 'exit',
      run: (measure) => runNode(['-e', "require('node:tls').createSecureContext()"], { measure }),
      ended: (run) => run.exitCode === 0,
    },
  ];
}

/**
 * Rounds run first and not counted, as a benchmark tool's warm-up: the first spawns of a run may
 * find the files and the processors cold, and slow every variant's first rounds alike.
 */
export const WARM_UP_ROUNDS = 2;

/**
 * Cold start: round-robin, so drift in the machine's load falls on every variant alike, after
 * WARM_UP_ROUNDS. Each run is still a new process: only the machine is warm.
 */
async function coldStarts({ emulator }: Bench, variants: Variant[]) {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const failures = new Map<string, string[]>();
  const firstOperations = new Map<string, Set<string>>(variants.map((v) => [v.name, new Set()]));
  const firstRequest = (run: Run, requests: RequestRecord[]) =>
    requests[0] ? requests[0].at - run.spawnedAt : NaN;
  for (let round = -WARM_UP_ROUNDS; round < RUNS; round++) {
    for (const variant of variants) {
      const run = await variant.run(false);
      if (round < 0) continue;
      times
        .get(variant.name)!
        .push(variant.timed === 'exit' ? run.exitedAt - run.spawnedAt : firstRequest(run, emulator.requests));
      if (variant.timed === 'first request')
        firstOperations.get(variant.name)!.add(emulator.requests[0]?.operation ?? 'none');
      if (!variant.ended(run))
        failures.set(variant.name, [
          ...(failures.get(variant.name) ?? []),
          `exit ${run.exitCode}: ${run.output.trim().split('\n').slice(-3).join(' / ')}`,
        ]);
    }
  }
  return { times, failures, firstOperations };
}

/** Peak RSS and loaded modules: separate runs with the measuring preload. */
async function peakRss(variants: Variant[]) {
  const rss = new Map<string, number[]>();
  const modules = new Map<string, string[]>();
  for (let i = 0; i < RSS_RUNS; i++) {
    for (const variant of variants) {
      const run = await variant.run(true);
      if (!run.measured) throw new Error(`${variant.name}: the measuring preload recorded nothing`);
      rss.set(variant.name, [...(rss.get(variant.name) ?? []), run.measured.maxRssKiB]);
      modules.set(variant.name, run.measured.modules);
    }
  }

  return { rss, modules };
}
