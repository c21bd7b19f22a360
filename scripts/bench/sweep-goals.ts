// The sweep's goals in `npm run bench`: scripts/bench/sweep.ts (a dry-run sweep over 1,000
// claims from 100 runs plus noise) runs as its own process against its own emulator; its lines go
// into BENCHMARKS.md and the median of its runs' ratios into the goal table.
import { median, ratios, runBenchScript } from './child.js';
import type { ReconcileGoal } from './reconcile-goals.js';

/** Runs per figure (the median of 3): each sweep reads for about 15 s. */
const RUNS = 3;
const GOAL = 1.25;

export async function sweepFigures(
  bundleDir: string | undefined,
): Promise<{ lines: string[]; goals: ReconcileGoal[] }> {
  const output = await runBenchScript('sweep.ts', {
    BENCH_RUNS: String(RUNS),
    ...(bundleDir ? { CLOUD_ACCESS_BUNDLE_DIR: bundleDir } : {}),
  });
  const lines = output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('sweep dry run') || l.startsWith('exit') || /Error/.test(l));
  const goal = (figure: string, pattern: RegExp, what: string): ReconcileGoal => {
    const ratio = median(ratios(lines, pattern));
    return {
      figure,
      value:
        ratio === undefined
          ? 'not measured (the sweep failed; see the section)'
          : `${ratio.toFixed(2)}× ${what}, median of ${RUNS}`,
      goal: `≤ ${GOAL} ×`,
      met: ratio === undefined ? false : ratio <= GOAL,
    };
  };
  return {
    lines,
    goals: [
      goal(
        'sweep, 1,000 claims from 100 runs + noise: LookupEvents pages',
        /LookupEvents \d+ page\(s\) = ([\d.]+)×/,
        'ceil(creates / 50) + ceil(deletes / 50) + the older history’s page',
      ),
      goal('sweep: GitHub requests', /GitHub \d+ request\(s\) = ([\d.]+)×/, 'the distinct runs'),
      goal(
        'sweep: SSO Admin state reads',
        /state reads \d+ = ([\d.]+)×/,
        "the cheaper complete state read's",
      ),
      goal('sweep: wall time', /wall \d+ ms = ([\d.]+)× the/, 'what 2 LookupEvents a second allow'),
    ],
  };
}
