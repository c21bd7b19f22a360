// The emulator `npm run emulator:start` starts, for the local-mode tests: started once per file
// in its own folder (its .env files there), and the commands a person types against it. The tests
// are in several files (local-modes*.test.ts), each with its emulator, so that jest's workers run
// them side by side: in one file, their local-action runs (several seconds of CPU each) took four
// minutes one after another and ended CI's run alone.
import { afterAll, beforeAll, expect } from '@jest/globals';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/** A path as the scripts print it: relative to the repository when under it (the tests' scratch folder is). */
export const listedPath = (file: string): string =>
  file.startsWith(ROOT + sep) ? relative(ROOT, file) : file;

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'emulator', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    // NODE_COMPILE_CACHE: Node's cache of compiled code the tests keep (jest.config.js), nothing more.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    },
  });
export const localAction = (...args: string[]) => tsx('local-action.ts', args);
/**
 * A command as a mode's file writes it (a control call with curl), run as a person pastes it. Not
 * fetch: spawnSync above holds this process's event loop, so a pooled connection the emulator has
 * since closed would be reused.
 */
export const shell = (command: string) => {
  const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 30_000 });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  return run.stdout;
};

let stopped: SpawnSyncReturns<string> | undefined;
/**
 * `npm run emulator:stop` against the emulator startedEmulator started, once: a file's last tests
 * run its mode files after it has stopped. The stop's run.
 */
export function stopEmulator(): SpawnSyncReturns<string> {
  stopped ??= tsx('stop.ts', ['--write-env', join(dir, 'emulator.env')]);
  return stopped;
}

let dir = '';
/** Starts the emulator before the file's tests and stops it after (unless a test did); the folder of its files. */
export function startedEmulator(): () => string {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-access-modes-'));
    const started = tsx('start.ts', [
      '--write-env',
      join(dir, 'emulator.env'),
      '--log',
      join(dir, 'emulator.log'),
    ]);
    expect(started.status).toBe(0);
  }, 120_000);
  afterAll(() => {
    stopEmulator();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * `npm run local-action -- <mode>.env`, a mode of the emulator's folder `dir` as it stands: exits 0,
 * prints what `expected` matches and says where its job summary went, which it wrote.
 */
export function expectModeRuns(dir: string, mode: string, expected: RegExp): void {
  const run = localAction(join(dir, `${mode}.env`));
  expect({
    status: run.status,
    stderr: run.stderr.split('\n').filter((l) => l.startsWith('local-action:')),
  }).toEqual({
    status: 0,
    stderr: [],
  });
  expect(run.stdout).toMatch(expected);
  const summary = join(dir, 'out', `${mode}.summary.md`);
  expect(run.stdout).toContain(
    `local-action: job summary in ${listedPath(summary)}; outputs in the Action Outputs table above`,
  );
  expect(readFileSync(summary, 'utf8')).toContain('<h3>cloud-access');
}
