// The reconcile's goals in `npm run bench`: scripts/bench/reconcile.ts (the plan of 200
// accounts × 8 managed permission sets × 40 groups, and the apply of 150 creates + 150 deletes) runs
// as its own process against its own emulator; its lines go into BENCHMARKS.md and the median of
// its runs' ratios into the goal table.
import { median, ratios, runBenchScript } from './child.js';

export interface ReconcileGoal {
  figure: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

/** Runs per figure (the median of 3): each apply takes about 23 s. */
const RUNS = 3;

export async function reconcileFigures(bundleDir: string | undefined): Promise<{
  lines: string[];
  goals: ReconcileGoal[];
}> {
  const output = await runBenchScript('reconcile.ts', {
    BENCH_RUNS: String(RUNS),
    ...(bundleDir ? { CLOUD_ACCESS_BUNDLE_DIR: bundleDir } : {}),
  });
  const lines = output.trim().split('\n');
  const calls = median(ratios(lines, /= ([\d.]+)× the minimum/));
  const readWall = median(ratios(lines, /read wall \d+ ms = ([\d.]+)×/));
  const apply = median(ratios(lines, /wall \d+ ms = ([\d.]+)× the quota bound/));
  const planless = median(ratios(lines, /([\d.]+)× the bound without the plan's first second/));
  const notSucceeded = ratios(lines, /(\d+) change\(s\) not SUCCEEDED/).reduce((a, b) => a + b, 0);
  const figure = (ratio: number | undefined, what: string) =>
    ratio === undefined ? `not measured (${what} failed; see the section)` : `${ratio.toFixed(2)}×`;
  return {
    lines,
    goals: [
      {
        figure:
          'reconcile plan (200 accounts × 8 permission sets × 40 groups, 1,000 assignments): read calls',
        value: `${figure(calls, 'the plan')} the cheaper complete read's minimum, median of ${RUNS}`,
        goal: '≤ 1.1 ×',
        met: calls === undefined ? false : calls <= 1.1,
      },
      {
        figure: 'reconcile plan: read wall time against its calls at 20 TPS',
        value: `${figure(readWall, 'the plan')}, median of ${RUNS}`,
        goal: '≤ 1.25 ×',
        met: readWall === undefined ? false : readWall <= 1.25,
      },
      {
        figure: 'reconcile apply, 150 creates + 150 deletes: wall time against the quota bound',
        value:
          `${figure(apply, 'the apply')}, median of ${RUNS}; ${notSucceeded} change(s) not SUCCEEDED ` +
          `(${figure(planless, 'the apply')} the bound without the plan's first second)`,
        goal: '≤ 1.1 × bound, every change SUCCEEDED',
        met: apply === undefined ? false : apply <= 1.1 && notSucceeded === 0,
      },
    ],
  };
}
