// `npm run bench`: the figures the benchmark issue sets goals for, measured side by side in one run
// against the emulator, each printed with its goal and whether it is met, and written to
// BENCHMARKS.md. Figures vary with the machine; the report says which one.
//
// The bundle measured is the one action.yml names (`runs.main`, `runs.post`, under dist/), or the
// same layout in $CLOUD_ACCESS_BUNDLE_DIR, which stands in for dist/ (as in the step runner the tests and scripts share,
// harness/action-runner.ts).
// $CAWC_BUNDLE: configure-aws-credentials' dist/ (or its dist/index.js), measured beside this
// action when given (no registry reachable here ships it: rebuild it from its source, see the report). $BENCH_RUNS: runs per median (default and minimum for the
// goals: 15). `--sequential` adds the 100-grant batch with max-concurrency 1 (about 4 minutes).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RequestRecord } from '../../emulator/index.js';
import { parseFileCommands, runnerEnvironment } from '../../harness/action-runner.js';
import { describeOrgExpansion, measureOrgExpansion, type OrgExpansionFigures } from './org.js';
import { GRAPH_GOAL, graphReport, graphRequestCount } from './graph.js';
import { SCENARIOS } from './batches-shapes.js';
import { quotaGoals, runBatch, sharedQuotaSection } from './quota-batches.js';
import { reconcileFigures } from './reconcile-goals.js';
import { reportFigures } from './report-goals.js';
import { runBenchScript } from './child.js';
import { sweepFigures } from './sweep-goals.js';
import { defaultSettingsFigures, defaultSettingsSection } from './default-goals.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MEASURE = join(import.meta.dirname, 'measure-step.mjs');
const AWS_ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
/** The emulator's quotas (emulator/aws/account/config.ts) and the write duration the batches use. */
const TPS = 20;
const OUTSTANDING_CREATES = 15;
const BATCH_WRITE_MS = 2000;
const NOTICE_WRITE_MS = 3000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`BENCH_RUNS=${process.env.BENCH_RUNS}: not a positive integer`);
const RSS_RUNS = 5;
const SEQUENTIAL = process.argv.includes('--sequential');
/** Figures recorded by the issue's author for configure-aws-credentials v6.2.3, used when it is not measured here. */
const CAWC_RECORDED = { peakRssKiB: 74 * 1024, distBytes: 3.9e6 };
const AZURE_PRINCIPAL = '5b2d8c1e-7f3a-4e6b-9d0c-2a1b3c4d5e6f';
const STATUS_READ = /^(Describe|List)AccountAssignment(Creation|Deletion)Status$/;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED']);

// ---- what is measured: the bundle action.yml names, and configure-aws-credentials' when given

interface Bundle {
  /** The folder measured for size: dist/, or $CLOUD_ACCESS_BUNDLE_DIR in its place. */
  dir: string;
  main: string;
  post: string;
}

/** `runs.main` / `runs.post` of action.yml (paths from the repository root), and where they are in the bundle measured. */
function locateBundle(): Bundle {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const runs = /^runs:[ \t]*\n((?:[ \t]+.*(?:\n|$)|[ \t]*\n)*)/m.exec(yml)?.[1] ?? '';
  const entry = (key: string) => {
    const path = new RegExp(`^[ \\t]+${key}:[ \\t]*['"]?([^'"\\s#]+)`, 'm').exec(runs)?.[1];
    if (!path) throw new Error(`action.yml has no runs.${key}`);
    return normalize(path);
  };
  const main = entry('main');
  const post = entry('post');
  const top = main.split('/')[0]!;
  if (!main.includes('/') || post.split('/')[0] !== top)
    throw new Error(
      `action.yml's runs.main (${main}) and runs.post (${post}) are not under one bundle folder`,
    );
  const override = process.env.CLOUD_ACCESS_BUNDLE_DIR;
  const dir = override ? resolve(ROOT, override) : join(ROOT, top);
  const inBundle = (path: string) => join(dir, relative(top, path));
  const bundle = { dir, main: inBundle(main), post: inBundle(post) };
  for (const file of [bundle.main, bundle.post])
    if (!existsSync(file)) throw new Error(`the bundle has no ${file}: build it (npm run package) first`);
  return bundle;
}

/** configure-aws-credentials' main step and its dist/, from $CAWC_BUNDLE (its dist/ or dist/index.js). */
function locateCawc(): { main: string; dir: string; version: string } | undefined {
  const given = process.env.CAWC_BUNDLE;
  if (!given) return undefined;
  const path = resolve(given);
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.js') : path;
  if (!existsSync(file)) throw new Error(`CAWC_BUNDLE=${given}: no ${file}`);
  const manifest = join(dirname(file), '..', 'package.json');
  const version = existsSync(manifest)
    ? String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown')
    : 'unknown';
  return { main: file, dir: dirname(file), version };
}

function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

// ---- running a step as the runner does

interface Run {
  spawnedAt: number;
  exitedAt: number;
  exitCode: number | null;
  outputs: Record<string, string>;
  state: Record<string, string>;
  output: string;
  /** With the measuring preload: peak RSS and the modules the process loaded. */
  measured?: { maxRssKiB: number; modules: string[] };
}

interface StepOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  state?: Record<string, string>;
  /** Record peak RSS and loaded modules (scripts/bench/measure-step.mjs); the timed runs go without it. */
  measure?: boolean;
}

/**
 * Spawns `node <args>` with a runner's environment (INPUT_*, STATE_*, the GITHUB_* files, no step
 * debug logging); times it from just before spawn() to the process's exit.
 */
function runNode(args: string[], options: StepOptions = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-access-bench-'));
  const measureFile = join(dir, 'measure.json');
  const { env, files } = runnerEnvironment(dir, {
    inputs: options.inputs ?? {},
    state: options.state ?? {},
    debug: false,
    env: {
      GITHUB_ACTION: '__cloud-access',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKSPACE: dir,
      ...(options.measure ? { CLOUD_ACCESS_MEASURE_FILE: measureFile } : {}),
      ...options.env,
    },
  });
  const argv = options.measure ? ['--import', MEASURE, ...args] : args;
  return new Promise((done, fail) => {
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, argv, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let exitedAt = 0;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('error', fail);
    child.on('close', (exitCode) => {
      const read = (file: string) => parseFileCommands(readFileSync(file, 'utf8'));
      const run: Run = {
        spawnedAt,
        exitedAt: exitedAt || Date.now(),
        exitCode,
        outputs: read(files.GITHUB_OUTPUT),
        state: read(files.GITHUB_STATE),
        output,
      };
      if (options.measure && existsSync(measureFile))
        run.measured = JSON.parse(readFileSync(measureFile, 'utf8')) as Run['measured'];
      rmSync(dir, { recursive: true, force: true });
      done(run);
    });
  });
}

// ---- statistics and the report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const spread = (xs: number[]) =>
  xs.length === 0 ? 'no runs' : `min ${Math.min(...xs)}, max ${Math.max(...xs)}; runs: ${xs.join(', ')}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
/** A path as the report shows it: from the repository root when inside it. */
const shown = (path: string) => (path.startsWith(`${ROOT}/`) ? relative(ROOT, path) : path);

const lines: string[] = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};

interface Goal {
  figure: string;
  value: string;
  goal: string;
  /** undefined: not evaluated (the note says why). */
  met: boolean | undefined;
}
const goals: Goal[] = [];
const verdict = (met: boolean | undefined) => (met === undefined ? 'not evaluated' : met ? 'met' : 'NOT met');

function table(header: string[], rows: string[][]) {
  say(`| ${header.join(' | ')} |`);
  say(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) say(`| ${row.join(' | ')} |`);
  say('');
}

// ---- the measurements

/** The machine's load average (1 min) when the run started: the machine may be shared. */
const loadAtStart = loadavg()[0]!;
const emulator = await startEmulator({ quiet: true });
const azure = emulator.azure;
/** The emulator's environment for an AWS step (nothing of Azure's, such as NODE_EXTRA_CA_CERTS). */
const awsEnv = Object.fromEntries(Object.entries(emulator.env).filter(([k]) => !(k in (azure?.env ?? {}))));
const azureEnv = azure
  ? {
      ACTIONS_ID_TOKEN_REQUEST_URL: emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL!,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
      ...azure.env,
    }
  : {};
const awsGrant = () => ({
  cloud: 'aws',
  'aws-region': 'us-east-1',
  'role-to-assume': AWS_ROLE,
  principal: emulator.aws.userId('alice'),
  target: '111111111111',
  role: emulator.aws.permissionSetArn('ReadOnlyAccess'),
});
const azureGrant = () => ({
  cloud: 'azure',
  ...azure!.actionInputs,
  principal: AZURE_PRINCIPAL,
  'principal-type': 'User',
  target: `/subscriptions/${azure!.subscriptionId}`,
  role: 'Reader',
});
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

interface Variant {
  name: string;
  /** What is timed: spawn → the emulator's first request, or spawn → exit. */
  timed: 'first request' | 'exit';
  run(measure: boolean): Promise<Run>;
  /** Whether the run ended as it should (checked right after it, against the emulator's log). */
  ended(run: Run): boolean;
}

async function main() {
  const bundle = locateBundle();
  const cawc = locateCawc();

  const postState = await awsMainStepState(bundle);
  const variants = variantsOf(bundle, cawc, postState);
  const { times, failures, firstOperations } = await coldStarts(variants);
  const { rss, modules } = await peakRss(variants);

  const notice = await noticeLatency(bundle);
  const batch60 = await batch(bundle, 3, 20);
  const batch100 = await batch(bundle, 5, 20);
  // The same batch with revoke-on-exit: each create's ownership is proven (a list of the creates
  // running as the step began, and newer pages of the creation-status list as creates end).
  const batch100Owned = await batch(bundle, 5, 20, undefined, true);
  const sequential = SEQUENTIAL ? await batch(bundle, 5, 20, 1) : undefined;
  const graph = await graphRequestCount(emulator);
  goals.push({
    figure: 'Graph requests for 40 groups, 20 users and 10 service principals by name',
    value: String(graph.requests),
    goal: `≤ ${GRAPH_GOAL}`,
    met: graph.resolved && graph.requests <= GRAPH_GOAL,
  });
  // 300 grants in one step, and two jobs × 150 sharing one instance's quota.
  const batch300 = await runBatch(emulator, bundle.main, SCENARIOS['300']!, { writeMs: BATCH_WRITE_MS });
  const shared = await runBatch(emulator, bundle.main, SCENARIOS['two-jobs']!, { writeMs: BATCH_WRITE_MS });

  const children = await childFigures();

  const orgExpansion = await measureOrgExpansion(emulator);
  console.log(describeOrgExpansion(orgExpansion));
  report({
    orgExpansion,
    bundle,
    cawc,
    variants,
    times,
    failures,
    firstOperations,
    rss,
    modules,
    notice,
    batch60,
    batch100,
    batch100Owned,
    sequential,
    batch300,
    shared,
  });
  for (const line of graphReport(graph)) say(line);
  sayChildSections(children);
}

/** The state the AWS main step saves, which the post step variant starts from. */
async function awsMainStepState(bundle: Bundle) {
  emulator.reset();
  const run = await runNode([bundle.main], { inputs: awsGrant(), env: awsEnv });
  if (run.outputs.status !== 'SUCCEEDED') throw new Error(`the AWS main step failed:\n${run.output}`);
  return run.state;
}

/** The cold-start variants: node alone, each cloud's main step, configure-aws-credentials, the post step, a TLS context. */
function variantsOf(
  bundle: Bundle,
  cawc: ReturnType<typeof locateCawc>,
  postState: Record<string, string>,
): Variant[] {
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

/** Cold start: round-robin, so drift in the machine's load falls on every variant alike. */
async function coldStarts(variants: Variant[]) {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const failures = new Map<string, string[]>();
  const firstOperations = new Map<string, Set<string>>(variants.map((v) => [v.name, new Set()]));
  const firstRequest = (run: Run, requests: RequestRecord[]) =>
    requests[0] ? requests[0].at - run.spawnedAt : NaN;
  for (let round = 0; round < RUNS; round++) {
    for (const variant of variants) {
      const run = await variant.run(false);
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

/** The figures measured in processes of their own: reconcile, report, sweep, default settings, the post re-check. */
async function childFigures() {
  // The reconcile's plan and apply, in a process of their own (scripts/bench/reconcile.ts).
  const reconcile = await reconcileFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  goals.push(...reconcile.goals);
  // `operation: report`, in a process of its own (scripts/bench/report.ts).
  const accessReport = await reportFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  goals.push(...accessReport.goals);
  // The sweep, in a process of its own (scripts/bench/sweep.ts).
  const sweep = await sweepFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  goals.push(...sweep.goals);
  // The batches at default settings, in processes of their own (scripts/bench/default-goals.ts).
  const defaults = await defaultSettingsFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  goals.push(...defaults.goals);
  // The post step's re-check, in a process of its own (scripts/bench/post-recheck.ts).
  const postRecheck = (
    await runBenchScript('post-recheck.ts', {
      BENCH_RUNS: '3',
      ...(process.env.CLOUD_ACCESS_BUNDLE_DIR
        ? { CLOUD_ACCESS_BUNDLE_DIR: process.env.CLOUD_ACCESS_BUNDLE_DIR }
        : {}),
    })
  )
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('post re-check') || l.startsWith('exit') || /Error/.test(l));
  return { reconcile, accessReport, sweep, defaults, postRecheck };
}

/** The sections of the figures measured in processes of their own, after the report's. */
function sayChildSections({
  reconcile,
  accessReport,
  sweep,
  defaults,
  postRecheck,
}: Awaited<ReturnType<typeof childFigures>>) {
  say('');
  say('## Reconcile');
  say('');
  say('`npm run bench:reconcile` (scripts/bench/reconcile.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of reconcile.lines) say(line);
  say('```');
  say('');
  say(
    "The apply's quota bound is the least time any client within IAM Identity Center's quotas could take, from its first call to its last write's end: the larger of its SSO Admin calls at 20 TPS, and its creates at 15 outstanding (each as long as the emulator's write), none before the plan is read. The plan comes first because `max-deletions` and the delete-everything refusal judge the whole plan; its P calls sit in the first second's window, so at most 20 − P creates leave in that second and the others a second later, and a chain of creates (15 outstanding make 15 chains) that starts a second late ends a second late. With 16 plan calls that is 21 s for 150 creates of 2 s, where a batch's bound (max(⌈creates / 15⌉ × 2 s, calls / 20), no plan in the way) would say 20 s; the second figure on each line is against that. The plan here makes 16 SSO Admin calls (1 `ListPermissionSets`, 4 `DescribePermissionSet`, 1 `ListAccountsForProvisionedPermissionSet`, 10 `ListAccountAssignments`); the fewest a complete plan of this manifest needs is 13 (one describe), and with any plan of 6 or more calls the bound is 21 s.",
  );
  say('');
  say('## Report');
  say('');
  say('`npm run bench:report` (scripts/bench/report.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of accessReport.lines) say(line);
  say('```');
  say('');
  say(
    "A report of the whole instance the reconcile plan reads, against the fewest calls a read complete for a report takes (scripts/bench/instance.ts reportMinimumReads): by place, since reading by principal lists only the principals the identity store still holds and misses a deleted one's assignments. That minimum is one `ListPermissionSets` page, each permission set's accounts (a page per 100) and one `ListAccountAssignments` per account × permission set where the set is provisioned; the by-principal figure is printed for comparison. Names (the identity store, `DescribePermissionSet`) and CloudTrail's `LookupEvents` come after the read and are counted apart. The peak memory is the step's resident high-water mark: at 20 calls a second for 80 s the SDK allocates about 200 KB a call, and V8 would double its young generation up to 64 MiB under it; the step holds that space, once the cloud's SDK is loaded, at the size loading grew it to (src/steps/young-generation.ts).",
  );
  say('');
  say('## Sweep');
  say('');
  say('`npm run bench:sweep` (scripts/bench/sweep.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of sweep.lines) say(line);
  say('```');
  say('');
  say(
    "A dry run of `operation: sweep` (its reads and plan; the revokes are the engine's, measured by the batch figures above) over 1,000 claims from 100 runs (10 grants each: 20 users × 50 accounts, one permission set; 10 runs still in progress), plus 200 creates by a person, 50 permanent grants and 50 grants deleted since: 1,350 CloudTrail events. The minimums: LookupEvents pages, ceil(creates / 50) + ceil(deletes / 50) (one event name each) + one page of CloudTrail's older history, which the sweep reads only because claims would be revoked (900 here) whose assignments' lives began before the window (the seed has nothing older, so one empty page); one GitHub request per distinct run; the cheaper complete read of the current state (one `ListAccountAssignmentsForPrincipal` per principal: 20, against 50 `ListAccountAssignments`). The wall bound is what 2 LookupEvents a second allow: the first two at once, then one every half second; the step's start, its sign-in, the state reads and the GitHub requests come on top.",
  );
  say('');
  say("### The post step's re-check of ownership");
  say('');
  say('`scripts/bench/post-recheck.ts`, as run by this bench:');
  say('');
  say('```');
  for (const line of postRecheck) say(line);
  say('```');
  say('');
  say(
    "Before its delete, revoke-on-exit reads every create request made in the instance since its own (a create after its own, a reliance among them, leaves the grant): IAM Identity Center's request lists name no assignment, so each is described once, at the 20 TPS all its APIs share: 200 unrelated requests during the job cost about 200 status reads, some 10 s at least. The re-check runs inside `post-timeout-seconds`: when the budget runs out first, the grant is left in place, the step says why, and the sweep ends it later.",
  );
  say('');
  for (const line of defaultSettingsSection(defaults)) say(line);
}

/** One grant whose write takes NOTICE_WRITE_MS: status reads, and how soon its end is seen. */
async function noticeLatency(bundle: Bundle) {
  const reads: number[] = [];
  const noticed: number[] = [];
  const exited: number[] = [];
  /** Runs that did not end SUCCEEDED with one create whose end a status read saw: left out of the figures. */
  const failed: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    emulator.reset();
    emulator.aws.config.writeDelayMs = NOTICE_WRITE_MS;
    const run = await runNode([bundle.main], { inputs: awsGrant(), env: awsEnv });
    const creations = [...emulator.aws.state.creations.values()];
    const statusReads = emulator.requests.filter((r) => STATUS_READ.test(r.operation));
    const first =
      creations.length === 1
        ? statusReads.find((r) => TERMINAL.has(r.statuses?.[creations[0]!.requestId] ?? ''))
        : undefined;
    if (run.outputs.status !== 'SUCCEEDED' || !first) {
      failed.push(
        `status ${run.outputs.status ?? 'none'}, ${creations.length} creates, ${first ? 'its end seen' : 'no read saw an end'}`,
      );
      continue;
    }
    reads.push(statusReads.length);
    noticed.push(first.at - creations[0]!.completesAt);
    exited.push(run.exitedAt - creations[0]!.completesAt);
  }
  return { reads, noticed, exited, failed };
}

/** How the goals name a batch. */
function batchName(b: Batch): string {
  return `${b.grants} AWS grants${b.revokeOnExit ? ' with revoke-on-exit' : ''}`;
}

/** `principals` × `accounts` grants of one permission set in one step, each write taking BATCH_WRITE_MS. */
async function batch(
  bundle: Bundle,
  principals: number,
  accounts: number,
  maxConcurrency?: number,
  revokeOnExit = false,
) {
  emulator.reset();
  emulator.aws.config.writeDelayMs = BATCH_WRITE_MS;
  const ids = Array.from({ length: principals }, (_, i) => emulator.aws.addUser(`bench-user-${i}`));
  const targets = Array.from({ length: accounts }, (_, i) => String(300000000000 + i));
  const grants = principals * accounts;
  const run = await runNode([bundle.main], {
    inputs: {
      ...awsGrant(),
      principal: ids.join(','),
      target: targets.join(','),
      'max-concurrency': String(maxConcurrency ?? grants),
      'timeout-seconds': '1800',
      ...(revokeOnExit ? { 'revoke-on-exit': 'true' } : {}),
    },
    env: awsEnv,
  });
  const results = JSON.parse(run.outputs.results ?? '[]') as { status: string }[];
  const calls: Record<string, number> = {};
  for (const r of emulator.requests) calls[r.operation] = (calls[r.operation] ?? 0) + 1;
  const creations = [...emulator.aws.state.creations.values()].map((c) => ({
    from: c.createdDate.getTime(),
    to: c.completesAt,
  }));
  // Outstanding as the emulator counts it when it accepts a create: accepted and not yet complete.
  const peakOutstanding = Math.max(
    0,
    ...creations.map(({ from: t }) => creations.filter((c) => c.from <= t && t < c.to).length),
  );
  // The cheaper read of which grants exist (one list per principal, or per account × permission
  // set), one create and one status read per grant.
  const lists = Math.min(principals, accounts);
  const minimalCalls = lists + 2 * grants;
  const boundMs = Math.max(
    Math.ceil(grants / OUTSTANDING_CREATES) * BATCH_WRITE_MS,
    (minimalCalls / TPS) * 1000,
  );
  return {
    grants,
    shape: `${principals} principals × ${accounts} accounts × 1 permission set`,
    lists,
    maxConcurrency: maxConcurrency ?? grants,
    revokeOnExit,
    wallMs: run.exitedAt - run.spawnedAt,
    succeeded: results.filter((r) => r.status === 'SUCCEEDED').length,
    calls,
    ssoCalls: emulator.requests.filter((r) => r.service === 'sso-admin').length,
    statusReads: emulator.requests.filter((r) => STATUS_READ.test(r.operation)).length,
    throttled: emulator.requests.filter((r) => r.errorCode === 'ThrottlingException').length,
    peakOutstanding,
    firstCreateMs:
      (emulator.requests.find((r) => r.operation === 'CreateAccountAssignment')?.at ?? NaN) - run.spawnedAt,
    lastCompletionToExitMs: run.exitedAt - Math.max(...creations.map((c) => c.to)),
    minimalCalls,
    boundMs,
    output: run.output,
  };
}
type Batch = Awaited<ReturnType<typeof batch>>;

type ReportInput = {
  orgExpansion: OrgExpansionFigures;
  bundle: Bundle;
  cawc: ReturnType<typeof locateCawc>;
  variants: Variant[];
  times: Map<string, number[]>;
  failures: Map<string, string[]>;
  firstOperations: Map<string, Set<string>>;
  rss: Map<string, number[]>;
  modules: Map<string, string[]>;
  notice: Awaited<ReturnType<typeof noticeLatency>>;
  batch60: Batch;
  batch100: Batch;
  batch100Owned: Batch;
  sequential: Batch | undefined;
  batch300: Awaited<ReturnType<typeof runBatch>>;
  shared: Awaited<ReturnType<typeof runBatch>>;
};

/** What several sections of the report read: the variants by role, their medians, the bundle's files. */
function derived(m: ReportInput) {
  const [nodeV, awsV, azureV] = m.variants;
  const tlsV = m.variants.find((v) => v.name.includes('TLS client context'))!;
  const cawcV = m.variants.find((v) => v.name.startsWith('configure-aws-credentials'));
  const postV = m.variants.find((v) => v.name.startsWith('post step'))!;
  const med = (v: Variant | undefined) => (v ? median(m.times.get(v.name)!) : NaN);
  const rssOf = (v: Variant | undefined) => (v ? median(m.rss.get(v.name)!) : NaN);
  const distFiles = filesUnder(m.bundle.dir);
  const distBytes = distFiles.reduce((n, f) => n + f.bytes, 0);
  const cawcDistBytes = m.cawc ? filesUnder(m.cawc.dir).reduce((n, f) => n + f.bytes, 0) : undefined;
  const fewRuns = RUNS < 15;
  return {
    nodeV,
    awsV,
    azureV,
    tlsV,
    cawcV,
    postV,
    med,
    rssOf,
    distFiles,
    distBytes,
    cawcDistBytes,
    fewRuns,
  };
}
type Derived = ReturnType<typeof derived>;

function report(m: ReportInput) {
  const d = derived(m);
  batchGoals(m);
  timingGoals(m, d);
  footprintGoals(m, d);
  sayHeaderAndGoals(m, d);
  sayQuotaBound(m);
  sayBatches(m);
  sayNotice(m);
  sayColdStart(m, d);
  sayCawc(m, d);
  sayBundle(m, d);
  say('## OU targets');
  say('');
  say(describeOrgExpansion(m.orgExpansion));
  say('');
  say('## Running it');
  say('');
  say(
    '`npm run bench` (about 6 minutes) measures the bundle action.yml names; `CLOUD_ACCESS_BUNDLE_DIR=/path` measures a build with the same layout in place of dist/ (built by `npm run package -- /path`). `CAWC_BUNDLE=/path/to/configure-aws-credentials/dist` adds configure-aws-credentials (its dist/, rebuilt as above) to the cold-start rounds and the goals. `BENCH_RUNS=n` changes the runs per median (below 15 the goals that need 15 are not evaluated). `npm run bench -- --sequential` adds the 100-grant batch with max-concurrency 1. `npm run bench:batches -- 60 100 300 two-jobs two-reconciles` runs any of the quota-bound batches alone (printed, nothing written; `BATCH_RUNS=n` repeats each).',
  );
}

/** The goals of the three batches: wall time against the bound, throttling, outstanding creates. */
function batchGoals(m: ReportInput) {
  for (const b of [m.batch60, m.batch100, m.batch100Owned]) {
    goals.push({
      figure: `${batchName(b)}, wall time (spawn → exit)`,
      value: `${seconds(b.wallMs)} = ${(b.wallMs / b.boundMs).toFixed(2)} × the ${seconds(b.boundMs)} bound; ${b.succeeded}/${b.grants} SUCCEEDED`,
      goal: `≤ 1.25 × bound = ${seconds(1.25 * b.boundMs)}, every grant SUCCEEDED`,
      met: b.wallMs <= 1.25 * b.boundMs && b.succeeded === b.grants,
    });
    goals.push({
      figure: `${batchName(b)}, throttled answers`,
      value: String(b.throttled),
      goal: '0',
      met: b.throttled === 0,
    });
    goals.push({
      figure: `${batchName(b)}, peak outstanding creates (emulator)`,
      value: String(b.peakOutstanding),
      goal: `≤ ${OUTSTANDING_CREATES}`,
      met: b.peakOutstanding <= OUTSTANDING_CREATES,
    });
  }
  goals.push(
    ...quotaGoals({
      batch60Ms: m.batch60.wallMs,
      batch60BoundMs: m.batch60.boundMs,
      batch300: m.batch300,
      shared: m.shared,
    }),
  );
}

/** The goals timed per run: the one write's status reads and notice, the first request, the post step. */
function timingGoals(m: ReportInput, d: Derived) {
  const { nodeV, awsV, azureV, cawcV, postV, med, fewRuns } = d;
  const n = m.notice;
  const noticeFailed = n.failed.length > 0 ? `; ${n.failed.length} of ${RUNS} runs failed, left out` : '';
  goals.push({
    figure: `status reads for one write that takes ${NOTICE_WRITE_MS / 1000} s, median of ${RUNS}`,
    value: `${median(n.reads)} (${spread(n.reads)}${noticeFailed})`,
    goal: '≤ 3',
    met: fewRuns ? undefined : n.failed.length === 0 && median(n.reads) <= 3,
  });
  goals.push({
    figure: `terminal status noticed after it happens, median of ${RUNS}`,
    value: `${median(n.noticed)} ms (${spread(n.noticed)}${noticeFailed})`,
    goal: '≤ 500 ms',
    met: fewRuns ? undefined : n.failed.length === 0 && median(n.noticed) <= 500,
  });
  for (const v of [awsV, azureV]) {
    if (!v) continue;
    goals.push({
      figure: `first request after process start, ${v.name}, median of ${RUNS}`,
      value: `${med(v)} ms${cawcV ? ` = ${(med(v) / med(cawcV)).toFixed(2)} × configure-aws-credentials' ${med(cawcV)} ms` : ''}`,
      goal: cawcV
        ? `≤ 0.6 × configure-aws-credentials = ${(0.6 * med(cawcV)).toFixed(0)} ms`
        : '≤ 0.6 × configure-aws-credentials: not measured here (set CAWC_BUNDLE), and the issue records no time for it',
      met: cawcV && !fewRuns ? med(v) <= 0.6 * med(cawcV) : undefined,
    });
  }
  goals.push({
    figure: `post step with nothing to revoke, spawn → exit, median of ${RUNS}`,
    value: `${med(postV)} ms = ${(med(postV) / med(nodeV)).toFixed(2)} × \`node -e 0\`'s ${med(nodeV)} ms`,
    goal: `≤ 1.6 × \`node -e 0\` = ${(1.6 * med(nodeV)).toFixed(0)} ms`,
    met: fewRuns ? undefined : med(postV) <= 1.6 * med(nodeV),
  });
}

/** The goals of size: peak RSS and the bundle's bytes. */
function footprintGoals(m: ReportInput, d: Derived) {
  const { awsV, azureV, cawcV, rssOf, distFiles, distBytes, cawcDistBytes } = d;
  const rssGoalKiB = cawcV ? rssOf(cawcV) : CAWC_RECORDED.peakRssKiB;
  const rssGoalText = cawcV
    ? `≤ configure-aws-credentials' ${mib(rssGoalKiB)} (measured here)`
    : `≤ configure-aws-credentials' ${mib(rssGoalKiB)} (the issue author's figure, not measured here)`;
  for (const v of [awsV, azureV]) {
    if (!v) continue;
    goals.push({
      figure: `peak RSS, ${v.name}, median of ${RSS_RUNS}`,
      value: mib(rssOf(v)),
      goal: rssGoalText,
      met: rssOf(v) <= rssGoalKiB,
    });
  }
  const distGoal = cawcDistBytes ?? CAWC_RECORDED.distBytes;
  goals.push({
    figure: `bundle size (${shown(m.bundle.dir)}/, every file)`,
    value: `${mb(distBytes)} (${distBytes.toLocaleString('en')} bytes, ${distFiles.length} files)`,
    goal: cawcDistBytes
      ? `≤ configure-aws-credentials' dist, ${mb(cawcDistBytes)} (measured here)`
      : `≤ configure-aws-credentials' dist, 3.9 MB = 3,900,000 bytes (the issue's figure, not measured here)`,
    met: distBytes <= distGoal,
  });
}

/** The title, the machine, and the goals' table. */
function sayHeaderAndGoals(m: ReportInput, d: Derived) {
  const { fewRuns } = d;
  say('# Benchmarks');
  say('');
  say(
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, against the embedded emulator on loopback. Bundle: \`${shown(m.bundle.main)}\` and \`${shown(m.bundle.post)}\` (action.yml's \`runs.main\` and \`runs.post\`${process.env.CLOUD_ACCESS_BUNDLE_DIR ? `, in $CLOUD_ACCESS_BUNDLE_DIR=${process.env.CLOUD_ACCESS_BUNDLE_DIR}` : ''}).`,
  );
  say('');
  say(
    `Load average (1 min): ${loadAtStart.toFixed(2)} when the run started, ${loadavg()[0]!.toFixed(2)} when it ended, on ${cpus().length} cores. Timings move with the machine's load (it may be shared): compare figures from one run, interleaved as they are here, not across runs.`,
  );
  say('');
  if (fewRuns) {
    say(
      `**BENCH_RUNS=${RUNS}: fewer than 15 runs per median, so the goals that need 15 are not evaluated.**`,
    );
    say('');
  }
  say('## Goals');
  say('');
  table(
    ['figure', 'value', 'goal', 'met?'],
    goals.map((g) => [g.figure, g.value, g.goal, verdict(g.met)]),
  );
  const evaluated = goals.filter((g) => g.met !== undefined);
  say(
    `${evaluated.filter((g) => g.met).length} of ${evaluated.length} evaluated goals met; ${goals.length - evaluated.length} not evaluated.`,
  );
  say('');
}

/** How the quota bound is computed, for the 60- and 100-grant batches. */
function sayQuotaBound(m: ReportInput) {
  const b60 = m.batch60;
  const b100 = m.batch100;
  say('## The quota bound');
  say('');
  say(
    "What IAM Identity Center's quotas allow a batch of G grants to take, with the fewest calls any client could make: L lists to learn which grants exist (one `ListAccountAssignmentsForPrincipal` per principal or one `ListAccountAssignments` per account × permission set, whichever are fewer), one `CreateAccountAssignment` and at least one status read per grant. At most 15 creates are outstanding at once and each takes D to complete, so the creates alone take ceil(G / 15) × D; every call counts against the collective 20 TPS, so the calls alone take (L + 2G) / 20 s:",
  );
  say('');
  say('> bound = max( ceil(G / 15) × D , (L + 2G) / 20 TPS )');
  say('');
  say(
    "The per-step calls are left out: STS (`AssumeRoleWithWebIdentity`) and GitHub's token endpoint are not under IAM Identity Center's quota, and `ListInstances` is avoidable (the `instance-arn` input); one call would add 0.05 s to the TPS term, which is not the binding one. Process start is not in the bound either: the wall time runs from spawn to exit, so it is in the measured figure.",
  );
  say('');
  table(
    ['batch', 'shape', 'L', 'ceil(G/15) × D', '(L + 2G) / 20', 'bound', 'goal (1.25 × bound)'],
    [b60, b100].map((b) => [
      `${b.grants} grants`,
      b.shape,
      String(b.lists),
      `${Math.ceil(b.grants / OUTSTANDING_CREATES)} × ${BATCH_WRITE_MS / 1000} s = ${seconds(Math.ceil(b.grants / OUTSTANDING_CREATES) * BATCH_WRITE_MS)}`,
      `${b.minimalCalls} / 20 = ${seconds((b.minimalCalls / TPS) * 1000)}`,
      seconds(b.boundMs),
      seconds(1.25 * b.boundMs),
    ]),
  );
}

/** Each batch's figures and calls, then the shared-quota runs. */
function sayBatches(m: ReportInput) {
  const b60 = m.batch60;
  const b100 = m.batch100;
  say('## Batches');
  say('');
  say(
    `Every write completes ${BATCH_WRITE_MS / 1000} s after the emulator accepts it; the emulator enforces 20 TPS collective and 15 outstanding creates (answering ThrottlingException above either). One step, \`max-concurrency\` = the grant count (the action's own limit out of the way), principals by Identity Store ID (no name look-ups).`,
  );
  say('');
  const batchRows = (b: Batch): string[] => [
    `${b.grants} grants${b.maxConcurrency === 1 ? ', max-concurrency 1' : ''}${b.revokeOnExit ? ', revoke-on-exit' : ''}`,
    seconds(b.wallMs),
    `${(b.wallMs / b.boundMs).toFixed(2)}×`,
    `${b.succeeded}/${b.grants}`,
    String(b.throttled),
    String(b.peakOutstanding),
    `${(b.statusReads / b.grants).toFixed(2)} (${b.statusReads})`,
    `${b.ssoCalls} (minimum ${b.minimalCalls})`,
    `${b.firstCreateMs} ms`,
    `${b.lastCompletionToExitMs} ms`,
  ];
  table(
    [
      'batch',
      'wall',
      'wall / bound',
      'SUCCEEDED',
      'throttled',
      'peak outstanding creates',
      'status reads per grant',
      'SSO Admin calls',
      'spawn → first create',
      'last write completed → exit',
    ],
    [b60, b100, m.batch100Owned, ...(m.sequential ? [m.sequential] : [])].map(batchRows),
  );
  for (const b of [b60, b100, m.batch100Owned, ...(m.sequential ? [m.sequential] : [])]) {
    say(
      `Calls, ${b.grants} grants${b.maxConcurrency === 1 ? ' (max-concurrency 1)' : ''}${b.revokeOnExit ? ' (revoke-on-exit: ownership proven)' : ''}: ${Object.entries(
        b.calls,
      )
        .map(([op, count]) => `${op} ${count}`)
        .join(', ')}.`,
    );
    say('');
  }
  if (!m.sequential) {
    say(
      'The sequential baseline (max-concurrency 1, about 4 minutes) runs with `npm run bench -- --sequential`.',
    );
    say('');
  }

  for (const line of sharedQuotaSection(m.batch300, m.shared)) say(line);
}

/** One write that takes NOTICE_WRITE_MS: status reads and how soon its end is seen. */
function sayNotice(m: ReportInput) {
  const n = m.notice;
  say(`## One write that takes ${NOTICE_WRITE_MS / 1000} s (${RUNS} runs)`);
  say('');
  say(
    'One grant, the emulator completing its create 3 s after accepting it. Status reads are `Describe…Status` and `List…Status` calls. "Noticed" is the time from the emulator completing the request to the arrival of the first status read whose answer showed it ended (the request log records the status each answer gave); "exit" is from the completion to the step\'s exit.',
  );
  say('');
  table(
    ['figure', 'median', 'spread'],
    [
      ['status reads', String(median(n.reads)), spread(n.reads)],
      ['completion → first read that saw it ended', `${median(n.noticed)} ms`, spread(n.noticed)],
      ['completion → step exited', `${median(n.exited)} ms`, spread(n.exited)],
    ],
  );
  if (n.failed.length > 0) {
    say(`**${n.failed.length} of ${RUNS} runs failed and are left out:** ${n.failed.join('; ')}.`);
    say('');
  }
}

/** The cold-start rounds: each variant's time to first request or exit, peak RSS, the SDKs it loads. */
function sayColdStart(m: ReportInput, d: Derived) {
  const { nodeV, tlsV, med, rssOf } = d;
  say(`## Cold start and memory (${RUNS} rounds, interleaved)`);
  say('');
  say(
    `Each round runs every variant once, in turn: ${m.variants.map((v) => v.name).join(', ')}. Timed from just before \`spawn()\` to the arrival of the emulator's first request (named in the table), or to the process's exit. Peak RSS is the median of ${RSS_RUNS} further runs with \`scripts/bench/measure-step.mjs\` preloaded (it records \`process.resourceUsage().maxRSS\` at exit and the modules loaded), kept out of the timed runs. The AWS and post runs get the emulator's AWS endpoints only; the Azure runs its Entra and ARM endpoints and its CA in NODE_EXTRA_CA_CERTS, which a real runner would not need. The post step gets the AWS main step's inputs (\`revoke-on-exit\` off, the default, as in most jobs) and the state that main step saved (its header alone), and must exit 0 without a request. The Azure runs alone speak TLS here (Entra and ARM only answer HTTPS; the emulator's AWS endpoints and GitHub token endpoint are plain HTTP): a process's first TLS client context (Node's root certificates, parsed) costs ${mib(rssOf(tlsV) - rssOf(nodeV))} of peak RSS on this machine (\`node\` making one, against \`node -e 0\`), which the AWS runs and configure-aws-credentials' do not pay here and would on a runner, where every endpoint is HTTPS. The first request is the GitHub OIDC token request in every run: the action sends it before it loads its cloud's SDK chunk (which it loads once that request is on the wire, or 200 ms at most), configure-aws-credentials once its whole bundle is evaluated.`,
  );
  say('');
  // Whether a bundle file the step loaded defines the SDK's client class (a lazily loaded chunk, or the entry).
  const sdk = (v: Variant, pattern: RegExp) =>
    (m.modules.get(v.name) ?? []).some((url) => {
      if (!url.startsWith('file:')) return false;
      const path = fileURLToPath(url);
      return path.startsWith(`${m.bundle.dir}/`) && pattern.test(readFileSync(path, 'utf8'));
    });
  table(
    ['variant', 'timed to', 'median', 'spread', 'peak RSS', 'loads AWS SSO Admin SDK', 'loads Azure SDK'],
    m.variants.map((v) => {
      const measured = m.modules.has(v.name) && !v.name.startsWith('configure-aws');
      return [
        v.name,
        v.timed === 'exit' ? 'exit' : `first request (${[...m.firstOperations.get(v.name)!].join(', ')})`,
        `${med(v)} ms`,
        spread(m.times.get(v.name)!),
        m.rss.has(v.name) ? mib(rssOf(v)) : '',
        measured ? (sdk(v, /class SSOAdminClient\b/) ? 'yes' : 'no') : '',
        measured ? (sdk(v, /class AuthorizationManagementClient\b/) ? 'yes' : 'no') : '',
      ];
    }),
  );
  for (const [name, problems] of m.failures)
    say(
      `**${name}: ${problems.length} of ${RUNS} runs did not end as expected** (last: ${problems.at(-1)}).`,
    );
  if (m.failures.size > 0) say('');
}

/** How configure-aws-credentials was measured, or why it was not. */
function sayCawc(m: ReportInput, d: Derived) {
  const { cawcDistBytes } = d;
  if (m.cawc) {
    say(
      `configure-aws-credentials: \`${m.cawc.main}\` (version ${m.cawc.version}, ${mb(cawcDistBytes ?? 0)} in its dist/), inputs \`role-to-assume\`, \`aws-region\`, \`audience\`, \`output-env-credentials\` and \`disable-retry\`, the emulator's STS through AWS_ENDPOINT_URL_STS. It gets its token and assumes the role as on a runner; its closing GetCallerIdentity (since v6.2.1) is not emulated and fails (InvalidAction), and \`disable-retry\` stops it retrying that failure 12 times with backoff, about 100 s a run: it changes nothing before that call, and the peak RSS is that of the whole run.`,
    );
    say('');
    say(
      "Its dist/ is not on npm and cannot be fetched here, so it is rebuilt from its own source, outside this repository, the way its `package` script builds it: `esbuild src/index.ts --bundle --platform=node --target=node24 --outfile=dist/index.js` and the same for `src/cleanup/index.ts` (esbuild 0.28.1, its lock's; the script's last step, the THIRD-PARTY licence file, is written beside dist/, not in it). For v6.2.3 (release commit e6de054, whose own files were not to be had): `src/assumeRole.ts` as the release's PackedPolicyTooLarge fix left it (fa8d6a5), `src/index.ts` as v6.2.1's fix left it (4d281fb), and the modules it imports (helpers, CredentialsClient, profileManager, ProxyResolver, cleanup) at the versions that match those two; `package.json` and `package-lock.json` of 874aaac (the last dependency bump before the release, version 6.2.2; the release changed the version only), the runtime dependencies installed at the lock's versions (@actions/core 3.0.1, @aws-sdk/client-sts 3.1091.0, @smithy/node-http-handler 4.9.8, proxy-agent 8.0.2 and every transitive package pinned).",
    );
  } else {
    say(
      "configure-aws-credentials: **not measured here.** Its bundle (the action's dist/, not published to npm; the registry has no `configure-aws-credentials` or `@aws-actions/configure-aws-credentials`) cannot be fetched on this machine. To measure it, check out aws-actions/configure-aws-credentials at v6.2.3 elsewhere and run `CAWC_BUNDLE=/path/to/configure-aws-credentials/dist/index.js npm run bench`. Until then the goals compare with the issue author's figures (74 MiB peak RSS, 3.9 MB dist), and the first-request goal is not evaluated.",
    );
  }
  say('');
}

/** The bundle's files, their bytes, and which variant loaded each. */
function sayBundle(m: ReportInput, d: Derived) {
  const { distFiles, distBytes } = d;
  say('## Bundle');
  say('');
  const loadedBy = (file: string) =>
    m.variants
      .filter((v) =>
        (m.modules.get(v.name) ?? []).some(
          (url) => url.startsWith('file:') && fileURLToPath(url) === join(m.bundle.dir, file),
        ),
      )
      .map((v) => v.name.replace(/`/g, ''));
  table(
    ['file', 'bytes', 'loaded by'],
    [
      ...distFiles.map((f) => [
        [m.bundle.main, m.bundle.post].includes(join(m.bundle.dir, f.path))
          ? `**${f.path}** (entry)`
          : f.path,
        f.bytes.toLocaleString('en'),
        loadedBy(f.path).join('; '),
      ]),
      ['total', distBytes.toLocaleString('en'), ''],
    ],
  );
}

try {
  if (process.argv.includes('--graph')) {
    for (const line of graphReport(await graphRequestCount(emulator))) console.log(line);
  } else {
    await main();
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
    console.log('\nwritten to BENCHMARKS.md');
  }
} finally {
  await emulator.close();
}
