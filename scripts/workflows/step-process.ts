// One step as a process of its own, as the runner starts a `run:` step or a node action: the
// runner's file commands (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) around it,
// what it wrote read back. Apart from ./play-workflow.ts, which decides which steps run, in what
// order and with what environment: this file only spawns the one it is given.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileCommands } from '../../harness/action-runner.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** What the job keeps between steps: its scratch folder, and the environment steps added to. */
export interface Runner {
  readonly runnerTemp: string;
  readonly jobEnv: Record<string, string>;
}

export interface StepResult {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  log: string;
  summary?: string;
  post?: () => Promise<StepResult>;
}

/** Runs `command` with the runner's file commands; what it put in GITHUB_ENV joins the job's environment. */
export async function spawnStep(
  runner: Runner,
  command: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<StepResult & { state: Record<string, string> }> {
  const dir = mkdtempSync(join(runner.runnerTemp, 'step-'));
  const files = {
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...env, ...files },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  Object.assign(runner.jobEnv, parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')));
  return {
    outcome: code === 0 ? 'success' : 'failure',
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    log,
  };
}

/** The `INPUT_*` variables of a step's inputs. */
export const inputEnv = (inputs: Record<string, string>) =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
