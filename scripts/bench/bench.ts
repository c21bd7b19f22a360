// `npm run bench`: the figures the benchmark issue sets goals for, measured side by side in one run
// against the emulator, each printed with its goal and whether it is met, and written to
// BENCHMARKS.md. Figures vary with the machine; the report says which one.
//
// The bundle measured is the one action.yml names (`runs.main`, `runs.post`, under dist/), or the
// same layout in $CLOUD_ACCESS_BUNDLE_DIR, which stands in for dist/ (bundle.ts).
// $CAWC_BUNDLE: configure-aws-credentials' dist/ (or its dist/index.js), measured beside this
// action when given (no registry reachable here ships it: rebuild it from its source, see the report). $BENCH_RUNS: runs per median (default and minimum for the
// goals: 15). `--sequential` adds the 100-grant batch with max-concurrency 1 (about 4 minutes).
// `--first-request` measures only the time to the first request (the cold-start rounds of `node
// -e 0` and the variants timed to a first request), prints it, and with `--write` puts it in
// BENCHMARKS.md's first-request rows alone (cold-start-report.ts withFirstRequestRows).
// `--snapshot` runs only the snapshot's bench (P15), prints it, and with `--write` puts it in
// BENCHMARKS.md's snapshot rows and section alone (snapshot-goals.ts withSnapshotFigures).
//
// Each family of goals is a module that measures its figures, gives its goals and says its
// sections; main() below is the one place that lists them: in the order they are measured, the
// order of the goals' table, and the order of the report's sections.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sayHeaderAndGoals, sayOrgAndRunning, writeBenchmarks } from './benchmarks-md.js';
import { locateBundle, locateCawc } from './bundle.js';
import { childFigures, sayChildSections } from './child-families.js';
import { measureColdStart } from './cold-start.js';
import { coldStartGoals, sayColdStart, sayFirstRequests, withFirstRequestRows } from './cold-start-report.js';
import { ROOT, startBench, verdict, type Bench } from './context.js';
import { graphGoals, graphReport, graphRequestCount } from './graph.js';
import { noticeGoals, noticeLatency, sayNotice } from './notice.js';
import { snapshotFigures, snapshotSection, withSnapshotFigures } from './snapshot-goals.js';
import { describeOrgExpansion, measureOrgExpansion } from './org.js';
import { batchGoals, measureTunedBatches, sayTunedBatches } from './tuned-batches.js';

async function main(bench: Bench) {
  const { emulator, say } = bench;
  const bundle = locateBundle();
  const cawc = locateCawc();

  // Measured in this order.
  const coldStart = await measureColdStart(bench, bundle, cawc);
  const notice = await noticeLatency(bench, bundle);
  const batches = await measureTunedBatches(bench, bundle);
  const graph = await graphRequestCount(emulator);
  const children = await childFigures();
  const orgExpansion = await measureOrgExpansion(emulator);
  console.log(describeOrgExpansion(orgExpansion));

  // The goals' table, in this order.
  bench.goals.push(
    ...graphGoals(graph),
    ...children.goals,
    ...batchGoals(batches),
    ...noticeGoals(notice),
    ...coldStartGoals(coldStart),
  );

  // The report's sections, in this order.
  sayHeaderAndGoals(bench, bundle);
  sayTunedBatches(bench, batches);
  sayNotice(bench, notice);
  sayColdStart(bench, coldStart);
  sayOrgAndRunning(bench, orgExpansion);
  for (const line of graphReport(graph)) say(line);
  sayChildSections(bench, children);
  say('');
  for (const line of snapshotSection(children.snapshot.lines)) say(line);
}

const bench = await startBench();
try {
  if (process.argv.includes('--first-request')) {
    const coldStart = await measureColdStart(bench, locateBundle(), locateCawc(), { firstRequestOnly: true });
    sayFirstRequests(bench, coldStart);
    if (process.argv.includes('--write')) {
      const file = join(ROOT, 'BENCHMARKS.md');
      const dir = process.env.CLOUD_ACCESS_BUNDLE_DIR;
      const when = `on ${new Date().toISOString().slice(0, 10)}${dir ? ` of the bundle in $CLOUD_ACCESS_BUNDLE_DIR=${dir}` : ''}, load average (1 min) ${bench.loadAtStart.toFixed(2)} at its start and ${loadavg()[0]!.toFixed(2)} at its end`;
      writeFileSync(file, withFirstRequestRows(readFileSync(file, 'utf8'), coldStart, when));
      console.log('\nthe first-request rows written to BENCHMARKS.md');
    }
  } else if (process.argv.includes('--snapshot')) {
    const snapshot = await snapshotFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
    for (const line of snapshot.lines) console.log(line);
    for (const g of snapshot.goals)
      console.log(`${g.figure}: ${g.value} (goal ${g.goal}): ${verdict(g.met)}`);
    if (process.argv.includes('--write')) {
      const file = join(ROOT, 'BENCHMARKS.md');
      writeFileSync(file, withSnapshotFigures(readFileSync(file, 'utf8'), snapshot.goals, snapshot.lines));
      console.log("\nthe snapshot's goal rows and section written to BENCHMARKS.md");
    }
  } else if (process.argv.includes('--graph')) {
    for (const line of graphReport(await graphRequestCount(bench.emulator))) console.log(line);
  } else {
    await main(bench);
    writeBenchmarks(bench);
  }
} finally {
  await bench.emulator.close();
}
