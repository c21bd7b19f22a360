// `npm run bench:report`: `operation: report` of the instance the reconcile bench reads (200
// accounts × 8 permission sets × 40 groups, 1,000 assignments; scripts/bench/reconcile.ts), against
// the emulator at IAM Identity Center's 20 TPS. Prints the read's calls against the fewest a read
// complete for a report takes (by place: instance.ts reportMinimumReads; goal ≤ 1.1×), its wall time against those calls at 20 TPS (≤ 1.25×), and the
// step's peak resident memory (< 150 MiB). Runs the bundle in dist/, or $CLOUD_ACCESS_BUNDLE_DIR.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import {
  ACCOUNTS,
  EXISTING,
  GROUPS,
  PERMISSION_SETS,
  minimumReads,
  readFigures,
  reportMinimumReads,
  seedBenchInstance,
} from './instance.js';

const TPS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const emulator = await startEmulator({ quiet: true });
const workspace = mkdtempSync(join(tmpdir(), 'bench-report-'));
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
      inputs: {
        cloud: 'aws',
        operation: 'report',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
      },
      env: {
        ...emulator.env,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: workspace,
        ACTIONS_STEP_DEBUG: 'false',
        RUNNER_DEBUG: '',
      },
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
    const bound = (calls / TPS) * 1000;
    const trail = emulator.requests.filter((r) => r.operation === 'LookupEvents').length;
    const store = emulator.requests.filter(
      (r) => r.service === 'sso-admin' || r.service === 'identitystore',
    ).length;
    const mib = peakKiB / 1024;
    console.log(
      `run ${run}: ${step.outputs.plan}; read: ${calls} calls = ${(calls / minimum).toFixed(2)}× the minimum (goal ≤ 1.1×); ` +
        `read wall ${readMs} ms = ${(readMs / bound).toFixed(2)}× calls/20 TPS (${bound.toFixed(0)} ms; goal ≤ 1.25×); ` +
        `peak memory ${mib > 0 ? mib.toFixed(0) : '?'} MiB (goal < 150); whole step ${wall} ms, ${store} IAM Identity Center calls in all (names included), ${trail} LookupEvents`,
    );
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await emulator.close();
}
