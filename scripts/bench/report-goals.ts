// `operation: report`'s goals in `npm run bench`: scripts/bench/report.ts (a report of the instance
// the reconcile bench reads: 200 accounts × 8 permission sets × 40 groups, 1,000 assignments) runs
// as its own process against its own emulator; its lines go into BENCHMARKS.md and the median of
// its runs' figures into the goal table.
import { median, ratios, runBenchScript } from './child.js';

export interface ReportGoal {
  figure: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

const RUNS = 3;

export async function reportFigures(
  bundleDir: string | undefined,
): Promise<{ lines: string[]; goals: ReportGoal[] }> {
  const output = await runBenchScript('report.ts', {
    BENCH_RUNS: String(RUNS),
    ...(bundleDir ? { CLOUD_ACCESS_BUNDLE_DIR: bundleDir } : {}),
  });
  const lines = output.trim().split('\n');
  const calls = median(ratios(lines, /= ([\d.]+)× the minimum/));
  const wall = median(ratios(lines, /read wall \d+ ms = ([\d.]+)×/));
  const memory = median(ratios(lines, /peak memory ([\d.]+) MiB/));
  const withNames = /read and names: \d+ calls \(\d+ naming\) = ([\d.]+)× their minimum/;
  const named = median(
    ratios(
      lines.filter((l) => l.startsWith('run ')),
      withNames,
    ),
  );
  const small = median(
    ratios(
      lines.filter((l) => l.startsWith('small run ')),
      withNames,
    ),
  );
  const figure = (value: number | undefined, unit: string) =>
    value === undefined ? 'not measured (the report failed; see the section)' : `${value.toFixed(2)}${unit}`;
  return {
    lines,
    goals: [
      {
        figure: 'report (200 accounts × 8 permission sets × 40 groups, 1,000 assignments): read calls',
        value: `${figure(calls, '×')} the minimum of a read complete for a report (by place), median of ${RUNS}`,
        goal: '≤ 1.1 ×',
        met: calls === undefined ? false : calls <= 1.1,
      },
      {
        figure: "report: read and its principals' names, calls",
        value: `${figure(named, '×')} the minimum (by place, and the fewer of a Describe each or the store's listing), median of ${RUNS}`,
        goal: '≤ 1.1 ×',
        met: named === undefined ? false : named <= 1.1,
      },
      {
        figure: 'report of a small instance (15 principals: 10 users, 5 groups): read and names, calls',
        value: `${figure(small, '×')} the minimum, median of ${RUNS}`,
        goal: '≤ 1.1 ×',
        met: small === undefined ? false : small <= 1.1,
      },
      {
        figure: 'report: read wall time against its calls at 20 TPS',
        value: `${figure(wall, '×')}, median of ${RUNS}`,
        goal: '≤ 1.25 ×',
        met: wall === undefined ? false : wall <= 1.25,
      },
      {
        figure: "report: the step's peak resident memory",
        value: `${figure(memory, ' MiB')}, median of ${RUNS}`,
        goal: '< 150 MiB',
        met: memory === undefined ? false : memory < 150,
      },
    ],
  };
}
