// Running a step as the runner does, for `npm run bench`: `node <args>` with a runner's
// environment, timed from just before spawn() to the process's exit.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands, runnerEnvironment } from '../../harness/action-runner.js';

const MEASURE = join(import.meta.dirname, 'measure-step.mjs');

export interface Run {
  spawnedAt: number;
  exitedAt: number;
  exitCode: number | null;
  outputs: Record<string, string>;
  state: Record<string, string>;
  output: string;
  /** With the measuring preload: peak RSS and the modules the process loaded. */
  measured?: { maxRssKiB: number; modules: string[] };
}

export interface StepOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  state?: Record<string, string>;
  /** Record peak RSS and loaded modules (scripts/bench/measure-step.mjs); the timed runs go without it. */
  measure?: boolean;
}

/**
 * Spawns `node <args>` with a runner's environment (INPUT_*, STATE_*, the GITHUB_* files, no step
 * debug logging); times it from just before spawn() to the process's exit.
 */
export function runNode(args: string[], options: StepOptions = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-access-bench-'));
  const measureFile = join(dir, 'measure.json');
  const { env, files } = runnerEnvironment(dir, {
    inputs: options.inputs ?? {},
    state: options.state ?? {},
    debug: false,
    env: {
      GITHUB_ACTION: '__cloud-access',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKSPACE: dir,
      ...(options.measure ? { CLOUD_ACCESS_MEASURE_FILE: measureFile } : {}),
      ...options.env,
    },
  });
  const argv = options.measure ? ['--import', MEASURE, ...args] : args;
  return new Promise((done, fail) => {
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, argv, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let exitedAt = 0;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('error', fail);
    child.on('close', (exitCode) => {
      const read = (file: string) => parseFileCommands(readFileSync(file, 'utf8'));
      const run: Run = {
        spawnedAt,
        exitedAt: exitedAt || Date.now(),
        exitCode,
        outputs: read(files.GITHUB_OUTPUT),
        state: read(files.GITHUB_STATE),
        output,
      };
      if (options.measure && existsSync(measureFile))
        run.measured = JSON.parse(readFileSync(measureFile, 'utf8')) as Run['measured'];
      rmSync(dir, { recursive: true, force: true });
      done(run);
    });
  });
}
