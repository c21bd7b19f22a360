// The batch goals at default settings in `npm run bench`, each script in a process of its own
// against its own emulator: scripts/bench/azure-batches.ts (300 Azure grants, then 300 revokes, in
// one subscription against ARM's bucket bound, at the default max-concurrency and at 50) and
// scripts/bench/batches.ts --default-concurrency (the AWS batches with max-concurrency left empty,
// beside the tuned ones bench.ts runs). Their lines go into BENCHMARKS.md and their ratios into
// the goal table.
import { median, ratios, runBenchScript } from './child.js';
import type { ReconcileGoal } from './reconcile-goals.js';
import { lateReadsLines, sharedSlotsLines } from './shared-slots.js';
import { sharedQuotaLines } from './shared-quota-simulation.js';

/** Runs per Azure figure (the median of 3): each step takes about 11 s. */
const AZURE_RUNS = 3;
const AZURE_GOAL = 1.25;
/**
 * The AWS batches' goals, as bench.ts sets them for the same batches tuned
 * (quota-batches-report.ts quotaGoals).
 */
const AWS_GOALS: Record<string, number> = {
  '60': 1.05,
  '100': 1.25,
  '300': 1.1,
  'two-jobs': 1.25,
  'two-reconciles': 1.25,
  // The outside run's shape (two reconciles of 45 sharing an instance): a refusal's cost weighs three times what it does among 300.
  'two-reconciles-90': 1.15,
};
const AWS_BATCH_NAMES: Record<string, string> = {
  'two-jobs': 'two jobs × 150 AWS grants sharing one instance',
  'two-reconciles': 'two reconciles × 150 AWS creates sharing one instance',
  'two-reconciles-90': 'two reconciles × 45 AWS creates sharing one instance',
};
/** Steps sharing the outstanding creates on a simulated clock (./shared-slots.ts): the policy alone. */
const SHARED_SLOTS_GOAL = 1.15;
/** The same steps starting apart, with late reads: what sharing adds to one step's time with such reads. */
const LATE_READS_GOAL = 1.05;

export async function defaultSettingsFigures(
  bundleDir: string | undefined,
): Promise<{ azure: string[]; aws: string[]; simulated: string[]; goals: ReconcileGoal[] }> {
  const bundle: Record<string, string> = bundleDir ? { CLOUD_ACCESS_BUNDLE_DIR: bundleDir } : {};
  const keep = (output: string, prefix: RegExp) =>
    output
      .trim()
      .split('\n')
      .filter((l) => prefix.test(l) || l.startsWith('exit') || /Error/.test(l));
  const azure = keep(
    await runBenchScript('azure-batches.ts', { BENCH_RUNS: String(AZURE_RUNS), ...bundle }),
    /^azure /,
  );
  const aws = keep(
    await runBenchScript('batches.ts', { BATCH_RUNS: '1', ...bundle }, [
      ...Object.keys(AWS_GOALS),
      '--default-concurrency',
    ]),
    new RegExp(`^(${Object.keys(AWS_GOALS).join('|')}), default`),
  );
  const simulated = [
    ...(await sharedSlotsLines()),
    ...(await lateReadsLines()),
    ...(await sharedQuotaLines()),
  ];
  return {
    azure,
    aws,
    simulated,
    goals: [...azureGoals(azure), ...awsGoals(aws), ...simulatedGoals(simulated)],
  };
}

function simulatedGoals(lines: string[]): ReconcileGoal[] {
  return (
    lines
      // A line of figures against a bound (the shared-quota sweep's line is a distribution: no goal).
      .filter((l) => / \+ /.test(l.split(':')[0]!) && /= [\d.]+ × (the|one step)/.test(l))
      .map((line) => {
        const late = /= ([\d.]+) × one step of (\d+) with such reads/.exec(line);
        if (late)
          return {
            figure: `${line.split(':')[0]!}, sharing one instance's outstanding creates, simulated clock: time against one step of the ${late[2]} creates with such reads`,
            value: `${Number(late[1]).toFixed(2)}×`,
            goal: `≤ ${LATE_READS_GOAL} × one step`,
            met: Number(late[1]) <= LATE_READS_GOAL,
          };
        const ratio = Number(/= ([\d.]+) × the/.exec(line)?.[1]);
        return {
          figure: `${line.split(':')[0]!} sharing one instance's outstanding creates, simulated clock: time against the quota's waves`,
          value: `${ratio.toFixed(2)}×`,
          goal: `≤ ${SHARED_SLOTS_GOAL} × the waves`,
          met: ratio <= SHARED_SLOTS_GOAL,
        };
      })
  );
}

function azureGoals(lines: string[]): ReconcileGoal[] {
  return (['assign', 'revoke'] as const).flatMap((operation) =>
    ['default', '50'].map((setting) => {
      const runs = lines.filter((l) => l.startsWith(`azure ${operation} 300, max-concurrency ${setting}:`));
      const ratio = median(ratios(runs, /= ([\d.]+)× the/));
      const notSucceeded = ratios(runs, /(\d+)\/300 SUCCEEDED/).filter((n) => n !== 300).length;
      const kind = operation === 'assign' ? 'writes' : 'deletes';
      const count429 = (bucket: string) =>
        runs.reduce((n, l) => n + Number(new RegExp(`429s:[^;]*\\b${bucket} (\\d+)`).exec(l)?.[1] ?? 0), 0);
      const throttled = count429(kind);
      const reads429 = count429('reads');
      const what = `300 Azure ${operation === 'assign' ? 'grants' : 'revokes'} in one subscription, ${setting === 'default' ? 'default max-concurrency' : `max-concurrency ${setting}`}: wall time against ARM's bucket bound (10 s)`;
      return {
        figure: what,
        value:
          ratio === undefined || runs.length === 0
            ? 'not measured (the batch failed; see the section)'
            : `${ratio.toFixed(2)}×, median of ${runs.length}; ${notSucceeded} run(s) with a grant not SUCCEEDED; 429s: ${kind} ${throttled}, reads ${reads429}`,
        goal: `≤ ${AZURE_GOAL} ×, every grant SUCCEEDED, 0 ${kind} 429s`,
        met:
          ratio !== undefined &&
          runs.length > 0 &&
          ratio <= AZURE_GOAL &&
          notSucceeded === 0 &&
          throttled === 0,
      };
    }),
  );
}

function awsGoals(lines: string[]): ReconcileGoal[] {
  return Object.entries(AWS_GOALS).map(([name, goal]) => {
    const line = lines.find((l) => l.startsWith(`${name}, default max-concurrency:`));
    const ratio = line ? Number(/= ([\d.]+) × the/.exec(line)?.[1]) : undefined;
    const failed = line ? Number(/\((\d+) failed\)/.exec(line)?.[1] ?? NaN) : NaN;
    const grants = AWS_BATCH_NAMES[name] ?? `${name} AWS grants`;
    return {
      figure: `${grants}, default max-concurrency: wall time against the quota bound`,
      value:
        ratio === undefined || Number.isNaN(ratio)
          ? 'not measured (the batch failed; see the section)'
          : `${ratio.toFixed(2)}×; ${failed} failed`,
      goal: `≤ ${goal} × bound, every grant SUCCEEDED`,
      met: ratio !== undefined && !Number.isNaN(ratio) && ratio <= goal && failed === 0,
    };
  });
}

/** The bench report's section on the batches at default settings. */
export function defaultSettingsSection(figures: {
  azure: string[];
  aws: string[];
  simulated: string[];
}): string[] {
  return [
    '## Batches at default settings',
    '',
    '`npm run bench:azure` (scripts/bench/azure-batches.ts) and `npm run bench:batches -- --default-concurrency`, as run by this bench:',
    '',
    '```',
    ...figures.azure,
    ...figures.aws,
    '```',
    '',
    "Azure: 300 role assignments in one subscription (10 principals × 30 resource groups, by object ID, role `Reader`), granted in one step and revoked in another, each timed from spawn to exit, against the emulator's ARM with ARM's token buckets per subscription (reads 250 then 25 a second, writes and deletes 200 then 10 a second, each answer saying what is left), at the default `max-concurrency` (30) and at 50. The bound is what the write (or delete) bucket allows 300 writes: (300 − 200) / 10 a second = 10 s; the reads, the sign-in and the step's start come on top. Each line counts the 429s by bucket and the requests by operation: the assignments in place are found with one list per principal of the subscription (10, where one per scope would be 30), each write is read back once (300), and the role's name is looked up once per scope (30). AWS: the batches of the sections above with `max-concurrency` left empty (the default, 15: IAM Identity Center's outstanding creates), where bench.ts sets it to the grant count (at most 100); and `two-reconciles`, the two jobs' 300 grants made instead by two `operation: reconcile` steps at once, each applying a manifest of its own 150 (managing the permission set in its own 30 accounts), against the same joint bound; `two-reconciles-90`, two reconciles of 45 creates each (3 principals × 15 accounts), the shape of the outside run that found 1.35×, against their joint bound of 12 s (6 waves of 15).",
    '',
    "The outstanding-creates policy alone (scripts/bench/shared-slots.ts): steps sharing one instance's 15 outstanding creates on a simulated clock, each through its own AdaptiveSemaphore as the action's creates go, writes of 2 s, a round trip of 20 ms, a status read that sees a create end 50 ms after it does. The last three lines add the instance's 20 calls a second (scripts/bench/shared-quota-simulation.ts): each step's calls through the action's own rate limiter as well, its reads before its first creates and the status reads that free its slots among them, round trips of 10 ms. No machine's load is in these figures:",
    '',
    '```',
    ...figures.simulated,
    '```',
    '',
  ];
}
