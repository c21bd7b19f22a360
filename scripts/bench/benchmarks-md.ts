// BENCHMARKS.md as `npm run bench` writes it: the title and the machine, the goals' table (every
// family's goals, in the order bench.ts adds them), and, after the families' sections, how to run it.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from './bundle.js';
import { FEW_RUNS, ROOT, RUNS, shown, verdict, type Bench } from './context.js';
import { describeOrgExpansion, type OrgExpansionFigures } from './org.js';

/** The title, the machine, and the goals' table. */
export function sayHeaderAndGoals({ say, table, goals, loadAtStart }: Bench, bundle: Bundle) {
  say('# Benchmarks');
  say('');
  say(
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, against the embedded emulator on loopback. Bundle: \`${shown(bundle.main)}\` and \`${shown(bundle.post)}\` (action.yml's \`runs.main\` and \`runs.post\`${process.env.CLOUD_ACCESS_BUNDLE_DIR ? `, in $CLOUD_ACCESS_BUNDLE_DIR=${process.env.CLOUD_ACCESS_BUNDLE_DIR}` : ''}).`,
  );
  say('');
  say(
    `Load average (1 min): ${loadAtStart.toFixed(2)} when the run started, ${loadavg()[0]!.toFixed(2)} when it ended, on ${cpus().length} cores. Timings move with the machine's load (it may be shared): compare figures from one run, interleaved as they are here, not across runs.`,
  );
  say('');
  if (FEW_RUNS) {
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

/** The OU targets' figures, and how to run the bench. */
export function sayOrgAndRunning({ say }: Bench, orgExpansion: OrgExpansionFigures) {
  say('## OU targets');
  say('');
  say(describeOrgExpansion(orgExpansion));
  say('');
  say('## Running it');
  say('');
  say(
    '`npm run bench` (about 6 minutes) measures the bundle action.yml names; `CLOUD_ACCESS_BUNDLE_DIR=/path` measures a build with the same layout in place of dist/ (built by `npm run package -- /path`). `CAWC_BUNDLE=/path/to/configure-aws-credentials/dist` adds configure-aws-credentials (its dist/, rebuilt as above) to the cold-start rounds and the goals. `BENCH_RUNS=n` changes the runs per median (below 15 the goals that need 15 are not evaluated). `npm run bench -- --sequential` adds the 100-grant batch with max-concurrency 1. `npm run bench -- --first-request` runs only the rounds timed to a first request (`node -e 0`, the main step on each cloud, configure-aws-credentials; about a minute) and prints them; with `--write` it replaces only the first-request rows of BENCHMARKS.md and says so under the cold-start table. `npm run bench -- --snapshot` runs only the snapshot bench at org scale (about a minute) and prints it; with `--write` it replaces only the snapshot goal rows, the count under the goals table and the Snapshot section. `npm run bench:batches -- 60 100 300 two-jobs two-reconciles` runs any of the quota-bound batches alone (printed, nothing written; `BATCH_RUNS=n` repeats each).',
  );
}

/** Writes the report's lines to BENCHMARKS.md. */
export function writeBenchmarks({ lines }: Bench) {
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
  console.log('\nwritten to BENCHMARKS.md');
}
