// `npm run bench:report`: `operation: report` of the instance the reconcile bench reads (200
// accounts × 8 permission sets × 40 groups, 1,000 assignments; scripts/bench/reconcile.ts), against
// the emulator at IAM Identity Center's 20 TPS. Prints the read's calls against the fewest a read
// complete for a report takes (by place: instance.ts reportMinimumReads; goal ≤ 1.1×), its wall time against those calls at 20 TPS (≤ 1.25×), and the
// step's peak resident memory (< 150 MiB). The report's cost counts the names of its principals too
// (instance.ts namingMinimum: a Describe each or the store's listing, whichever is fewer), there and
// on a small instance whose names weigh: 15 principals (10 users, 5 groups) of a store a page holds.
// Runs the bundle in dist/, or $CLOUD_ACCESS_BUNDLE_DIR.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import {
  ACCOUNTS,
  EXISTING,
  GROUPS,
  PERMISSION_SETS,
  minimumReads,
  namingMinimum,
  NAMING_OPERATIONS,
  readFigures,
  reportMinimumReads,
  seedBenchInstance,
} from './instance.js';

const TPS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const emulator = await startEmulator({ quiet: true });
const workspace = mkdtempSync(join(tmpdir(), 'bench-report-'));
const reportInputs = {
  cloud: 'aws',
  operation: 'report',
  'aws-region': 'us-east-1',
  'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
};
const stepEnv = {
  ...emulator.env,
  GITHUB_WORKSPACE: workspace,
  RUNNER_TEMP: workspace,
  ACTIONS_STEP_DEBUG: 'false',
  RUNNER_DEBUG: '',
};

/** The Identity Store calls that named the last step's principals (the emulator's requests start empty at each seed). */
const namingCalls = (e: Emulator) =>
  e.requests.filter((r) => r.service === 'identitystore' && NAMING_OPERATIONS.has(r.operation)).length;

/** The report's cost with its names, against the fewest calls that read the instance and name its principals. */
const withNames = (read: number, names: number, minimum: number, namingMin: number) =>
  `read and names: ${read + names} calls (${names} naming) = ${((read + names) / (minimum + namingMin)).toFixed(2)}× their minimum (${minimum} + ${namingMin} naming; goal ≤ 1.1×)`;

/**
 * The emulator's base seed and 15 principals of its store (10 users, 5 groups), each with a
 * ReadOnlyAccess assignment in one of the seeded accounts, where two permission sets are
 * provisioned: a small read whose cost the names weigh in.
 */
function seedSmallInstance(e: Emulator): void {
  e.reset();
  const accounts = Array.from({ length: 9 }, (_, i) => String(i + 1).repeat(12));
  const sets = ['ReadOnlyAccess', 'PowerUserAccess'].map((name) => e.aws.permissionSetArn(name));
  for (const arn of sets) for (const account of accounts) e.aws.state.provision(arn, account);
  const principals = [
    ...Array.from({ length: 10 }, (_, i) => ({ type: 'USER' as const, id: e.aws.addUser(`reviewer-${i}`) })),
    ...Array.from({ length: 5 }, (_, i) => ({ type: 'GROUP' as const, id: e.aws.addGroup(`squad-${i}`) })),
  ];
  principals.forEach(({ type, id }, i) =>
    e.aws.addAssignment({
      accountId: accounts[i % accounts.length]!,
      permissionSetArn: sets[0]!,
      principalType: type,
      principalId: id,
    }),
  );
}
try {
  const seed = () => seedBenchInstance(emulator);
  seed();
  // By principal reads only the principals the store holds: it would miss a deleted principal's
  // assignments, so it is no complete read for a report; shown for comparison only.
  const instanceSets = emulator.aws.state.permissionSets.size;
  const { users, groups: allGroups, byPrincipal } = minimumReads(emulator, instanceSets);
  const { places, minimum } = reportMinimumReads(emulator);
  console.log(
    `report: ${ACCOUNTS} accounts × ${PERMISSION_SETS} permission sets × ${GROUPS} groups (the store: ${allGroups} groups, ${users} users; ${instanceSets} permission sets in the instance), ${EXISTING} assignments`,
  );
  console.log(
    `load average at start: ${loadavg()[0]!.toFixed(2)} (2 cores shared: wall figures are indicative)`,
  );
  console.log(
    `minimum read calls: by place ${minimum} (the permission sets, their accounts, ${places} places), the one complete for a report; by principal ${byPrincipal} would miss a deleted principal's assignments`,
  );
  for (let run = 1; run <= RUNS; run++) {
    seed();
    let peakKiB = 0;
    const started = Date.now();
    const step = await runStep('main', {
      inputs: reportInputs,
      env: stepEnv,
      onSpawn: (child) => {
        const sample = setInterval(() => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
          } catch {
            // Not Linux, or the process has ended.
          }
        }, 50);
        child.once('exit', () => clearInterval(sample));
      },
    });
    const wall = Date.now() - started;
    const read = readFigures(step);
    if (!read) {
      console.log(`run ${run}: the step failed (exit ${step.exitCode})\n${step.stdout.slice(-2000)}`);
      process.exitCode = 1;
      break;
    }
    const { calls, readMs } = read;
    const names = namingCalls(emulator);
    const naming = namingMinimum(emulator);
    const bound = (calls / TPS) * 1000;
    const trail = emulator.requests.filter((r) => r.operation === 'LookupEvents').length;
    const store = emulator.requests.filter(
      (r) => r.service === 'sso-admin' || r.service === 'identitystore',
    ).length;
    const mib = peakKiB / 1024;
    console.log(
      `run ${run}: ${step.outputs.plan}; read: ${calls} calls = ${(calls / minimum).toFixed(2)}× the minimum (goal ≤ 1.1×); ` +
        `read wall ${readMs} ms = ${(readMs / bound).toFixed(2)}× calls/20 TPS (${bound.toFixed(0)} ms; goal ≤ 1.25×); ` +
        `peak memory ${mib > 0 ? mib.toFixed(0) : '?'} MiB (goal < 150); whole step ${wall} ms, ${store} IAM Identity Center calls in all (names included), ${trail} LookupEvents; ` +
        `${withNames(calls, names, minimum, naming.minimum)}`,
    );
  }
  for (let run = 1; run <= RUNS; run++) {
    seedSmallInstance(emulator);
    const { minimum: small } = reportMinimumReads(emulator);
    const naming = namingMinimum(emulator);
    const step = await runStep('main', { inputs: reportInputs, env: stepEnv });
    const read = readFigures(step);
    if (!read) {
      console.log(`small run ${run}: the step failed (exit ${step.exitCode})\n${step.stdout.slice(-2000)}`);
      process.exitCode = 1;
      break;
    }
    console.log(
      `small run ${run}: ${naming.principals} principals (10 users, 5 groups) of a store a page holds, read by place in ${read.calls} calls (its minimum ${small}); ` +
        withNames(read.calls, namingCalls(emulator), small, naming.minimum),
    );
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await emulator.close();
}
