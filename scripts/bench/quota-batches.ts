// Batches measured against IAM Identity Center's quota bound, shared by `npm run bench` and
// `npm run bench:batches` (one scenario at a time): one step granting G assignments, and several
// jobs (separate processes, as a matrix's jobs are) granting at once against ONE emulated instance,
// so that they share its 20 TPS and its 15 outstanding creates. Their figures are reported by
// ./quota-batches-report.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import type { OutstandingCreatesRefusal } from '../../emulator/aws/account/config.js';
import { parseFileCommands, runnerEnvironment } from '../../harness/action-runner.js';

/** The emulator's quotas (emulator/aws/account/config.ts). */
export const TPS = 20;
export const OUTSTANDING_CREATES = 15;
const AWS_ROLE = 'arn:aws:iam::123456789012:role/cloud-access';

/** One job of a batch: `principals` × `accounts` grants of one permission set, in one step. */
export interface JobShape {
  principals: number;
  accounts: number;
  /** Where this job's principals and accounts start (jobs of one run grant apart). */
  offset?: number;
  /**
   * The job is an `operation: reconcile` whose manifest lists its grants (and manages the
   * permission set in its accounts only), rather than an `assign` of them.
   */
  reconcile?: boolean;
  /** The job records every change to `audit-log` in the emulator's S3 (one PutObject per record). */
  audit?: boolean;
  /**
   * The reconcile's manifest names its permission set by name, as people write it, rather than by
   * ARN: the step finds the ARN by describing the instance's sets before its first create.
   */
  setByName?: boolean;
}

export interface JobRun {
  spawnedAt: number;
  exitedAt: number;
  exitCode: number | null;
  grants: number;
  succeeded: number;
  failed: number;
  output: string;
}

export interface BatchFigures {
  /** The records `audit-log` wrote (S3 PutObject calls). */
  auditPuts: number;
  jobs: JobRun[];
  grants: number;
  /** First spawn → last exit. */
  wallMs: number;
  boundMs: number;
  /** L: the lists any client needs to learn which grants exist (per principal or per account, the fewer; per job). */
  lists: number;
  writeMs: number;
  succeeded: number;
  failed: number;
  throttled: number;
  /** Refused because 15 creates were outstanding (a kind of throttled answer). */
  outstandingRefused: number;
  /** The most creates the emulator had IN_PROGRESS at once. */
  peakOutstanding: number;
  ssoCalls: number;
  statusReads: number;
  calls: Record<string, number>;
  /** First spawn → first create accepted. */
  firstCreateMs: number;
  lastCompletionToExitMs: number;
  /**
   * First spawn → the instance first held all 15 outstanding creates: the 20-TPS window shared by
   * both jobs' first reads and creates can hold back the 15th slot's first create by up to a
   * second, and every later create of that slot with it.
   */
  slotsFullMs: number;
  /** The instance's 15 slots idle between the first create and the last completion, in instance time (slot-ms ÷ 15). */
  idleMs: number;
  /**
   * First spawn → when the last write could have completed at the soonest, its slots' first
   * creates being where they were: every later create sent the moment a slot freed. What the
   * first second's window cost, apart from what the steps lost after it.
   */
  gaplessMs: number;
}

const STATUS_READ = /^(Describe|List)AccountAssignment(Creation|Deletion)Status$/;

/**
 * What the quotas allow G grants (over L account × permission set lists) to take, with the fewest
 * calls any client could make: ceil(G / 15) waves of writes of D each, and L + 2G calls at 20 TPS.
 */
export function quotaBoundMs(grants: number, lists: number, writeMs: number): number {
  return Math.max(Math.ceil(grants / OUTSTANDING_CREATES) * writeMs, ((lists + 2 * grants) / TPS) * 1000);
}

/** Runs `node main` as the runner does (no step debug logging), timed spawn → exit. */
export function runJob(
  main: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  job: string,
  workspaceFiles: Record<string, string> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-access-batch-'));
  for (const [name, text] of Object.entries(workspaceFiles)) writeFileSync(join(dir, name), text);
  const { env: stepEnv, files } = runnerEnvironment(dir, {
    inputs,
    state: {},
    debug: false,
    env: { GITHUB_ACTION: '__cloud-access', GITHUB_JOB: job, GITHUB_WORKSPACE: dir, ...env },
  });
  return new Promise<{
    spawnedAt: number;
    exitedAt: number;
    exitCode: number | null;
    output: string;
    outputs: Record<string, string>;
  }>((done, fail) => {
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, [main], {
      env: stepEnv,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let exitedAt = 0;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('error', fail);
    child.on('close', (exitCode) => {
      const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
      done({ spawnedAt, exitedAt: exitedAt || Date.now(), exitCode, output, outputs });
    });
  });
}

/** What every job of a batch is given, whatever it runs. */
function commonInputs(
  emulator: Emulator,
  grants: number,
  options: { maxConcurrency?: number | 'default'; instanceInputs?: boolean },
): Record<string, string> {
  return {
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'role-to-assume': AWS_ROLE,
    // The input's ceiling is 100.
    'max-concurrency':
      options.maxConcurrency === 'default' ? '' : String(options.maxConcurrency ?? Math.min(grants, 100)),
    'timeout-seconds': '1800',
    ...(options.instanceInputs
      ? {
          'instance-arn': emulator.aws.state.instanceArn,
          'identity-store-id': emulator.aws.state.identityStoreId,
        }
      : {}),
  };
}

/** The emulator as the batch needs it: reset, then its writes' time, latency and refusal's shape. */
function prepareInstance(
  emulator: Emulator,
  options: { writeMs: number; latencyMs?: number; refusal?: OutstandingCreatesRefusal },
): void {
  emulator.reset();
  emulator.aws.config.writeDelayMs = options.writeMs;
  if (options.latencyMs) emulator.aws.faults.latencyMs = options.latencyMs;
  if (options.refusal) emulator.aws.config.outstandingCreatesRefusal = options.refusal;
}

/**
 * Every job at once against `emulator` (reset first), each write completing `writeMs` after it is
 * accepted; `maxConcurrency` per job defaults to its grant count (the action's own limit out of the
 * way), and `'default'` leaves the input empty (the action's default: what the service allows).
 */
export async function runBatch(
  emulator: Emulator,
  main: string,
  shapes: JobShape[],
  options: {
    writeMs: number;
    maxConcurrency?: number | 'default';
    env?: Record<string, string>;
    /** How the emulator refuses a create beyond the outstanding 15 (its default when not given). */
    refusal?: OutstandingCreatesRefusal;
    /** Each job is given the instance's ARN and identity store ID (`instance-arn`, `identity-store-id`): no ListInstances. */
    instanceInputs?: boolean;
    /** How long the emulator waits before it answers each AWS request (a round trip to a Region). */
    latencyMs?: number;
  },
): Promise<BatchFigures> {
  prepareInstance(emulator, options);
  const awsEnv = Object.fromEntries(
    Object.entries(emulator.env).filter(([k]) => !(k in (emulator.azure?.env ?? {}))),
  );
  const permissionSet = emulator.aws.permissionSetArn('ReadOnlyAccess');
  const jobs = shapes.map((shape, n) => {
    const offset = shape.offset ?? 0;
    const principals = Array.from({ length: shape.principals }, (_, i) =>
      emulator.aws.addUser(`batch-user-${offset + i}`),
    );
    const accounts = Array.from({ length: shape.accounts }, (_, i) => String(300000000000 + offset + i));
    const grants = shape.principals * shape.accounts;
    const common = commonInputs(emulator, grants, options);
    if (shape.audit) emulator.aws.s3.createBucket('bench-audit');
    const inputs = {
      ...(shape.reconcile
        ? { ...common, operation: 'reconcile', manifest: 'access.yml' }
        : { ...common, principal: principals.join(','), target: accounts.join(','), role: permissionSet }),
      ...(shape.audit ? { 'audit-log': `s3://bench-audit/job-${n + 1}` } : {}),
    };
    const workspaceFiles: Record<string, string> = shape.reconcile
      ? {
          'access.yml': batchManifest(
            principals,
            accounts,
            shape.setByName ? 'ReadOnlyAccess' : permissionSet,
          ),
        }
      : {};
    return {
      grants,
      run: runJob(main, inputs, { ...awsEnv, ...options.env }, `batch-${n + 1}`, workspaceFiles),
    };
  });
  const runs = await jobRuns(jobs);
  const requests = emulator.requests;
  const calls: Record<string, number> = {};
  for (const r of requests) calls[r.operation] = (calls[r.operation] ?? 0) + 1;
  const start = Math.min(...runs.map((r) => r.spawnedAt));
  const end = Math.max(...runs.map((r) => r.exitedAt));
  const grants = runs.reduce((n, r) => n + r.grants, 0);
  // The cheaper read of which grants exist: per principal, or per account (one permission set).
  const lists = shapes.reduce((n, s) => n + Math.min(s.principals, s.accounts), 0);
  const stats = emulator.aws.stats;
  return {
    jobs: runs,
    grants,
    wallMs: end - start,
    boundMs: quotaBoundMs(grants, lists, options.writeMs),
    lists,
    writeMs: options.writeMs,
    succeeded: runs.reduce((n, r) => n + r.succeeded, 0),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    throttled: requests.filter((r) => r.errorCode === 'ThrottlingException').length,
    auditPuts: requests.filter((r) => r.service === 's3' && r.operation === 'PutObject').length,
    outstandingRefused: stats.outstandingCreatesRefused,
    peakOutstanding: stats.maxOutstandingCreates,
    ssoCalls: requests.filter((r) => r.service === 'sso-admin').length,
    statusReads: requests.filter((r) => STATUS_READ.test(r.operation)).length,
    calls,
    firstCreateMs:
      (requests.find((r) => r.operation === 'CreateAccountAssignment' && r.status === 200)?.at ?? NaN) -
      start,
    ...slotUse([...emulator.aws.state.creations.values()], { start, end, writeMs: options.writeMs }),
  };
}

/** When the instance first held every outstanding slot, and how long its slots stood idle in between. */
function slotUse(
  every: readonly { completesAt: number }[],
  { start, end, writeMs }: { start: number; end: number; writeMs: number },
): Pick<BatchFigures, 'slotsFullMs' | 'idleMs' | 'gaplessMs' | 'lastCompletionToExitMs'> {
  // The emulator keeps earlier batches' creates: this batch's were accepted after its first spawn.
  const creations = every.filter((c) => c.completesAt - writeMs >= start);
  const accepted = creations.map((c) => c.completesAt - writeMs).sort((a, b) => a - b);
  const held = (t: number) =>
    creations.filter((c) => c.completesAt - writeMs <= t && c.completesAt > t).length;
  const full = accepted.find((t) => held(t) >= OUTSTANDING_CREATES);
  const first = accepted[0] ?? start;
  const last = Math.max(first, ...creations.map((c) => c.completesAt));
  const idle = OUTSTANDING_CREATES * (last - first) - creations.length * writeMs;
  return {
    slotsFullMs: full === undefined ? NaN : full - start,
    idleMs: Math.round(idle / OUTSTANDING_CREATES),
    gaplessMs: Math.round(
      gaplessEnd(accepted.slice(0, OUTSTANDING_CREATES), creations.length, writeMs) - start,
    ),
    lastCompletionToExitMs: end - last,
  };
}

/**
 * When `count` writes of `writeMs` each end at the soonest on slots first taken at `firstStarts`
 * (one each), every later write sent the moment a slot frees.
 */
export function gaplessEnd(firstStarts: number[], count: number, writeMs: number): number {
  const ends = firstStarts.map((at) => at + writeMs);
  for (let n = firstStarts.length; n < count; n++) {
    const soonest = ends.indexOf(Math.min(...ends));
    ends[soonest]! += writeMs;
  }
  return Math.max(...ends);
}

/** Each job's run as it ends, in the jobs' order: its times, exit and grants that SUCCEEDED. */
async function jobRuns(jobs: { grants: number; run: ReturnType<typeof runJob> }[]): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const job of jobs) {
    const run = await job.run;
    const results = JSON.parse(run.outputs.results ?? '[]') as { status: string }[];
    runs.push({
      spawnedAt: run.spawnedAt,
      exitedAt: run.exitedAt,
      exitCode: run.exitCode,
      grants: job.grants,
      succeeded: results.filter((r) => r.status === 'SUCCEEDED').length,
      failed: job.grants - results.filter((r) => r.status === 'SUCCEEDED').length,
      output: run.output,
    });
  }
  return runs;
}

/** A manifest that lists every principal × account of one job, managing its permission set in those accounts only. */
function batchManifest(principals: string[], accounts: string[], permissionSet: string): string {
  const list = (items: string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;
  return [
    'version: 1',
    'aws:',
    '  manages:',
    `    permission-sets: ['${permissionSet}']`,
    `    targets: ${list(accounts)}`,
    '  assignments:',
    `    - principal: ${list(principals)}`,
    `      role: '${permissionSet}'`,
    `      target: ${list(accounts)}`,
    '',
  ].join('\n');
}
