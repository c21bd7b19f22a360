import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

// Temporary files stay under the repository's scratch folder (.scratch/tmp; git ignores .scratch/),
// not the machine's: os.tmpdir() reads TMPDIR, which jest's workers and every process a test
// starts inherit from this one. Each test removes what it made.
const SCRATCH_TMP = join(import.meta.dirname, '.scratch', 'tmp');
mkdirSync(SCRATCH_TMP, { recursive: true });
process.env.TMPDIR = SCRATCH_TMP;
// Node's cache of compiled code (.scratch/node-compile-cache), for jest's workers, which start after
// this, and the processes the tests start: the action's steps (harness/action-runner.ts) and the
// local-action runs (__tests__/workflows/local-modes-fixture.ts). Each compiles the bundle, tsx or
// local-action's modules only where no process before it did: __tests__/e2e/aws-assignments took
// about 7% less CPU, a local-action run about 5% less. It changes nothing a process does.
process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, '.scratch', 'node-compile-cache');
// The emulators' RSA keys (their GitHub OIDC and Entra issuers sign with them), kept in
// .scratch/emulator-rsa-keys and taken again by the next test file's emulator rather than made anew:
// a key cost about 0.1 s of CPU, and the files that start an emulator (about 200) made one or two
// each (48 in 50 files of __tests__/emulator, azure/arm and two e2e files). Within a file, each
// issuer still has a key of its own (emulator/common/jwt.ts).
process.env.EMULATOR_RSA_KEYS ??= join(import.meta.dirname, '.scratch', 'emulator-rsa-keys');

// ESM jest, as in actions/typescript-action, the TypeScript compiled file by file with esbuild
// (__tests__/setup/esbuild-transform.mjs; types are `npm run lint`'s). Runs on the Node 24 that the
// `node` devDependency puts first on the PATH of `npm test`.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/setup/esbuild-transform.mjs' },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // The e2e tests run a bundle built from the current source (in CLOUD_ACCESS_BUNDLE_DIR), not dist/.
  globalSetup: '<rootDir>/__tests__/setup/build-bundle.mjs',
  globalTeardown: '<rootDir>/__tests__/setup/remove-bundle.mjs',
  // The suites likely to take longest first, with or without the durations of an earlier run.
  testSequencer: '<rootDir>/__tests__/setup/slowest-first.mjs',
  // Jest's runtime, with V8's code cache kept across the files a worker runs: each file's modules
  // are compiled from it instead of parsed again (__tests__/setup/code-cache-runtime.mjs).
  runtime: '<rootDir>/__tests__/setup/code-cache-runtime.mjs',
  testTimeout: 60000,
  // Most suites wait on timers and on the emulator, not on the CPU, so the run's wall time is the
  // suites' summed time over the workers (jest's order already keeps the tail short): on a 2-core
  // machine, for 453 suites / 4,447 tests, five workers took 504 s and 506 s (574 s and 582 s of CPU),
  // seven 391 s and 377 s (585 s and 547 s of CPU), each suite's own time up 4-8% summed, and the CPU
  // still a quarter idle for .ci/run's checks beside the tests. Earlier: four workers ran 2,356 tests
  // in 445 s where three took 537 s; for 3,644 tests five took 506 s where four took 528 s. With the
  // e2e steps in jest's process, for 5,095 tests: seven 631 s (1,083 s of CPU, the CPU 86% busy),
  // ten 586 s (1,104 s, 99% busy) and 577 s with the code cache; but ten workers held 6.8 GB (jest's
  // workers grow to about 700 MB each), too near a 7 GB runner's memory: eight, between the two.
  maxWorkers: 8,
  verbose: true,
};
