// The snapshot's goals (P15) in `npm run bench`: scripts/bench/snapshot.ts (a reconcile plan with
// `snapshot` over 2,000 accounts × 150 permission sets, 300 changes by others since) runs as its
// own process against its own emulator, once: its calls are counts the machine's load does not
// move, and its wall time is bound by the 20 TPS and 2 LookupEvents a second it is paced under.
// `npm run bench -- --snapshot` runs it alone and prints its goals' rows; with `--write` it
// replaces only those rows and the snapshot's section in BENCHMARKS.md.
import { runBenchScript } from './child.js';
import { verdict, type Goal } from './context.js';

export async function snapshotFigures(
  bundleDir: string | undefined,
): Promise<{ lines: string[]; goals: Goal[] }> {
  const env: Record<string, string> = bundleDir ? { CLOUD_ACCESS_BUNDLE_DIR: bundleDir } : {};
  const lines = (await runBenchScript('snapshot.ts', env)).trim().split('\n');
  // At the outside run's scale, with sets the manifest references but does not define (scripts/bench/snapshot-referenced.ts).
  const referenced = (await runBenchScript('snapshot-referenced.ts', env)).trim().split('\n');
  return {
    lines: [...lines, '', ...referenced],
    goals: [...snapshotGoals(lines), referencedGoal(referenced)],
  };
}

/** The goal row of scripts/bench/snapshot-referenced.ts's figure. */
function referencedGoal(lines: readonly string[]): Goal {
  const found = lines.map((l) => /^referenced sets: .*= ([\d.]+)× the oracle/.exec(l)?.[1]).find(Boolean);
  const ratio = found === undefined ? undefined : Number(found);
  return {
    figure:
      'snapshot with referenced sets (200 accounts × 20 sets, 14 not defined, 30 changes since): plan read calls',
    value:
      ratio === undefined
        ? 'not measured (the step failed; see the section)'
        : `${ratio.toFixed(2)}× the oracle (LookupEvents pages + touched places + touched sets' reads + names of what changed)`,
    goal: '≤ 1.25 ×',
    met: ratio !== undefined && ratio <= 1.25,
  };
}

/** The goals' rows from the lines scripts/bench/snapshot.ts printed. */
export function snapshotGoals(lines: readonly string[]): Goal[] {
  const number = (pattern: RegExp) => {
    const found = lines.map((l) => pattern.exec(l)?.[1]).find((v) => v !== undefined);
    return found === undefined ? undefined : Number(found);
  };
  const oracle = number(/^(?!referenced sets:).*= ([\d.]+)× the oracle/);
  const wall = number(/whole step (\d+) ms/);
  const fewer = number(/([\d.]+)× fewer calls than the cheaper complete plan/);
  const failed = 'not measured (the step failed; see the section)';
  const scale = 'snapshot (2,000 accounts × 150 permission sets, 300 changes since)';
  return [
    {
      figure: `${scale}: plan read calls`,
      value:
        oracle === undefined
          ? failed
          : `${oracle.toFixed(2)}× the oracle (LookupEvents pages + touched places + 7 × touched sets + account list + touched groups)`,
      goal: '≤ 1.25 ×',
      met: oracle !== undefined && oracle <= 1.25,
    },
    {
      figure: 'snapshot: whole step, wall time at 20 TPS',
      value: wall === undefined ? failed : `${(wall / 1000).toFixed(1)} s`,
      goal: '≤ 180 s',
      met: wall !== undefined && wall <= 180_000,
    },
    {
      figure: 'snapshot: calls against the cheaper complete plan',
      value: fewer === undefined ? failed : `${fewer.toFixed(1)}× fewer`,
      goal: '≥ 6 ×',
      met: fewer !== undefined && fewer >= 6,
    },
  ];
}

/** The snapshot's section of BENCHMARKS.md. */
export function snapshotSection(lines: readonly string[]): string[] {
  return [
    '## Snapshot',
    '',
    '`npm run bench:snapshot` (scripts/bench/snapshot.ts), as run by this bench:',
    '',
    '```',
    ...lines,
    '```',
    '',
    "A dry-run reconcile with `snapshot` over 2,000 accounts × 150 managed permission sets the manifest defines (each provisioned to every account, its content and name kept in the snapshot) and 3,000 groups' assignments (the groups given by ID, kept with their names), 40 of them also in a permission set the manifest does not manage beside 40 groups outside it that hold those places by hand (rows the plan shows by name every run: their names are kept in the snapshot, read again only for a group CloudTrail says was renamed or deleted), after 300 changes by others since the snapshot (150 deletes, 150 creates, each in CloudTrail) and 15 sets written by others (an update and a provisioning each), against the emulator at IAM Identity Center's 20 TPS and CloudTrail's 2 LookupEvents a second. The oracle is what any delta read needs: a LookupEvents page for each of the 27 event names that change what a snapshot holds (each a query of its own: LookupEvents takes one attribute, and by event source it would page through the read events too) and 50 events a page, one `ListAccountAssignments` per place they touched, 6 calls and one provisioning-status read per touched set, the account list's pages (none: the manifest names accounts by ID) and one member listing per touched group (none: a reconcile reads no group's members); with names, one describe per permission set of a changed place (a kept name is confirmed before a write at its set). The complete read is computed, not run: the cheaper of by principal (one `ListAccountAssignmentsForPrincipal` per principal, with the principals' listing) and by place (one `ListAccountAssignments` per account × permission set), with every defined set's 7 reads.",
    '',
    "The second figure (scripts/bench/snapshot-referenced.ts) is at the outside run's scale: 200 accounts × 20 managed sets of which the manifest defines 6 and references 14 (their names, session durations and tags kept in the snapshot), 30 changes by others and 2 tag writes to referenced sets since a first, complete run; its oracle is the LookupEvents pages, one `ListAccountAssignments` per touched place, a describe and a tag list per touched referenced set, one describe per set of a changed place and the one list of sets.",
  ];
}

/**
 * BENCHMARKS.md with only the snapshot's goal rows (after the report's) and its section (the last,
 * as bench.ts writes it) replaced by these, the rest as it was measured.
 */
export function withSnapshotFigures(
  markdown: string,
  goals: readonly Goal[],
  lines: readonly string[],
): string {
  const rows = goals.map((g) => `| ${[g.figure, g.value, g.goal, verdict(g.met)].join(' | ')} |`);
  const kept = markdown.split('\n').filter((l) => !l.startsWith('| snapshot'));
  // The goals' table is the first after `## Goals`; other tables have rows named `report…` too.
  const goalsAt = kept.indexOf('## Goals');
  const tableEnd = kept.findIndex(
    (l, i) => i > goalsAt && l.startsWith('|') && !kept[i + 1]?.startsWith('|'),
  );
  const lastReportRow = kept.findLastIndex((l, i) => i <= tableEnd && l.startsWith('| report'));
  kept.splice(lastReportRow + 1, 0, ...rows);
  // The count under the table, of the rows now in it.
  const table = kept.slice(goalsAt, tableEnd + rows.length + 1).filter((l) => l.startsWith('| '));
  const count = (v: string) => table.filter((l) => l.endsWith(`| ${v} |`)).length;
  const countAt = kept.findIndex((l) => / evaluated goals met; /.test(l));
  if (countAt >= 0)
    kept[countAt] =
      `${count('met')} of ${count('met') + count('NOT met')} evaluated goals met; ${count('not evaluated')} not evaluated.`;
  const start = kept.indexOf('## Snapshot');
  if (start >= 0) {
    const end = kept.findIndex((l, i) => i > start && l.startsWith('## '));
    kept.splice(start, end < 0 ? kept.length - start : end - start);
  }
  while (kept.at(-1) === '') kept.pop();
  return [...kept, '', ...snapshotSection(lines), ''].join('\n');
}
