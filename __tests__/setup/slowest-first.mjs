// jest testSequencer: the suites likely to take longest start first, so that no long one starts
// last and runs on alone while the other workers have nothing left to do. Jest's own order does
// that with the durations it cached from earlier runs on this machine; without them (on CI, in a
// fresh checkout) it runs the largest files first, and a short file that waits on the clock for a
// minute started last and ended the run alone. Here a suite without a cached duration counts as
// long when it runs the action or its scripts as processes (e2e/, workflows/),
// which nearly every slow suite does; then those that start an emulator or a process of their own
// (in the last full run they took 8 s on average and up to 90 s, the others 0.7 s and at most 13 s:
// started last, such a suite ran on alone at the end); and the larger file first within each kind.
// A plain .mjs, as jest loads its sequencer without the transform the tests get (esbuild-transform.mjs).
import { readFileSync } from 'node:fs';
import Sequencer from '@jest/test-sequencer';

/** Suites that run the action, or local-action, as processes: tens of seconds each, not one or two. */
const RUNS_PROCESSES = /[\\/]__tests__[\\/](e2e|workflows)[\\/]/;
/** Suites that start an emulator (the harness's or the whole one) or a process of their own. */
const USES_SERVERS =
  /\b(emulatedSso|emulatedArm|startEmulator|snapshotPlanner|spawn|spawnSync|execFileSync|runStep)\(/;
/** What a suite of each kind without a cached duration is taken to last, in ms. */
const LIKELY_MS = { processes: 30_000, servers: 8_000, inProcess: 1_000 };

export default class SlowestFirst extends Sequencer {
  sort(tests) {
    const size = new Map();
    const sizeOf = (test) => {
      if (!size.has(test.path)) size.set(test.path, test.context.hasteFS.getSize(test.path) ?? 0);
      return size.get(test.path);
    };
    const likely = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached;
      if (RUNS_PROCESSES.test(test.path)) return LIKELY_MS.processes;
      return USES_SERVERS.test(readFileSync(test.path, 'utf8')) ? LIKELY_MS.servers : LIKELY_MS.inProcess;
    };
    for (const test of tests) test.duration = this.time(test);
    const keyed = tests.map((test) => ({
      test,
      failed: this.hasFailed(test) ? 1 : 0,
      ms: likely(test),
      size: sizeOf(test),
    }));
    // As jest does: what failed last time first, for the quickest word on it.
    keyed.sort((a, b) => b.failed - a.failed || b.ms - a.ms || b.size - a.size);
    return keyed.map((k) => k.test);
  }
}
