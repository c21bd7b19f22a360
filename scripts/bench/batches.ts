// `npm run bench:batches [-- SCENARIO…]`: the quota-bound batches alone, printed, nothing written
// (BENCHMARKS.md is `npm run bench`'s). Scenarios: 60, 60-audit (each change recorded to
// `audit-log`), 100, 300 (grants in one step) and
// two-jobs (two steps × 150 grants sharing one instance's quota), two-reconciles (the same grants
// made by two reconciles at once); all of them without arguments.
// Each step's max-concurrency is its grant count (at most 100), or with `--default-concurrency` the
// action's default. `BATCH_RUNS=n` repeats each; the bundle is dist/ or $CLOUD_ACCESS_BUNDLE_DIR.
// `--refusal=model` (or recorded, rate, conflict) has the emulator refuse a create beyond the 15
// outstanding in that shape (emulator/aws/account/config.ts outstandingCreatesRefusal).
// `--latency=MS` delays every AWS request by MS before the emulator answers it (loopback answers
// in about a millisecond; a runner's round trip to a Region is tens of them).
import { startEmulator } from '../../emulator/index.js';
import { stepEntry } from '../../harness/action-runner.js';
import { runBatch } from './quota-batches.js';
import { describeBatch } from './quota-batches-report.js';
import { SCENARIOS, WRITE_MS } from './batches-shapes.js';
import type { OutstandingCreatesRefusal } from '../../emulator/aws/account/config.js';
import { OUTSTANDING_REFUSALS } from '../../emulator/aws/sso-admin/assignments.js';

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in SCENARIOS));
if (unknown.length > 0)
  throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
const runs = Number(process.env.BATCH_RUNS ?? 1);
const defaults = process.argv.includes('--default-concurrency');
// The instance's ARN and identity store ID given as inputs: each job starts without ListInstances.
const instanceInputs = process.argv.includes('--instance-inputs');
const refusal = process.argv.find((a) => a.startsWith('--refusal='))?.slice('--refusal='.length);
if (refusal !== undefined && !(refusal in OUTSTANDING_REFUSALS))
  throw new Error(`unknown --refusal=${refusal}; known: ${Object.keys(OUTSTANDING_REFUSALS).join(', ')}`);
const latencyArg = process.argv.find((a) => a.startsWith('--latency='))?.slice('--latency='.length);
const latencyMs = latencyArg === undefined ? undefined : Number(latencyArg);
if (latencyMs !== undefined && !(Number.isInteger(latencyMs) && latencyMs >= 0))
  throw new Error(`--latency=${latencyArg}: give the milliseconds as a whole number, 0 or more`);
const main = stepEntry('main');
const emulator = await startEmulator({ quiet: true });
try {
  for (const name of asked.length > 0 ? asked : Object.keys(SCENARIOS)) {
    for (let i = 0; i < runs; i++) {
      const figures = await runBatch(emulator, main, SCENARIOS[name]!, {
        writeMs: WRITE_MS,
        ...(defaults ? { maxConcurrency: 'default' as const } : {}),
        ...(refusal ? { refusal: refusal as OutstandingCreatesRefusal } : {}),
        ...(instanceInputs ? { instanceInputs } : {}),
        ...(latencyMs ? { latencyMs } : {}),
      });
      const label = `${name}${defaults ? ', default max-concurrency' : ''}${refusal ? `, refused as ${refusal}` : ''}${instanceInputs ? ', instance-arn and identity-store-id given' : ''}${latencyMs ? `, ${latencyMs} ms added to each AWS request` : ''}`;
      console.log(describeBatch(label, figures));
      for (const job of figures.jobs)
        if (job.exitCode !== 0) console.log(job.output.split('\n').slice(-5).join('\n'));
    }
  }
} finally {
  await emulator.close();
}
