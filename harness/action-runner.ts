// Runs the bundled action exactly as the GitHub Actions runner does: `node` on the entry action.yml
// names for the step (`runs.main`, `runs.post`), with INPUT_* variables, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, the
// ACTIONS_ID_TOKEN_REQUEST_* pair, and the post step given the saved state as STATE_* variables.
// Step debug logging is on (ACTIONS_STEP_DEBUG, RUNNER_DEBUG) unless the caller's env says otherwise.
// The bundle is $CLOUD_ACCESS_BUNDLE_DIR, which jest's global setup (__tests__/setup/build-bundle.mjs)
// sets to a fresh build of the source; without it (the demo, the benchmarks), the committed dist/.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder holding the bundle, as `npm run package` lays out `dist/` (scripts/release/package.ts):
 * $CLOUD_ACCESS_BUNDLE_DIR (a relative path is taken from the repository root), else `dist/`.
 */
export function bundleDir(): string {
  const dir = process.env.CLOUD_ACCESS_BUNDLE_DIR;
  return dir ? resolvePath(ROOT, dir) : join(ROOT, 'dist');
}

/**
 * The file action.yml's `runs.<step>` names (`dist/…`), in the bundle folder `dir`: the root
 * action's, or with `action` a sub-action's (`grant`: grant/action.yml, whose entry is a file of
 * the same bundle).
 */
export function stepEntry(step: 'main' | 'post', dir: string = bundleDir(), action = ''): string {
  const actionYml = readFileSync(join(ROOT, action, 'action.yml'), 'utf8');
  const runs = /^runs:\n((?:[ \t]+.*(?:\n|$))*)/m.exec(actionYml)?.[1] ?? '';
  const named = new RegExp(`^[ \\t]+${step}:[ \\t]*['"]?([^'"\\s]+)`, 'm').exec(runs)?.[1];
  const inDist = named ? relative(join(ROOT, 'dist'), resolvePath(ROOT, action, named)) : '..';
  if (inDist.startsWith('..') || isAbsolute(inDist))
    throw new Error(`${join(action, 'action.yml')}'s runs.${step} is not a file in dist/: ${named}`);
  return join(dir, inDist);
}

/**
 * The inputs the runner passes a step of `action` (a sub-action's folder, `''` the root): its
 * action.yml's defaults, then `given` (an input it does not declare too, as the runner passes one
 * with a warning). `${{ github.token }}` is the job's token, none here unless given.
 */
export function inputsWithDefaults(action: string, given: Record<string, string>): Record<string, string> {
  const metadata = parse(readFileSync(join(ROOT, action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const defaults = Object.entries(metadata.inputs ?? {})
    .filter(([, input]) => input.default !== undefined)
    .map(([name, input]) => [
      name,
      /^\$\{\{.*\}\}$/.test(String(input.default)) ? '' : String(input.default),
    ]);
  return { ...Object.fromEntries(defaults), ...given };
}

/** The step's entry point; throws with ncc's errors when jest's global setup could not build the source. */
function entryPoint(step: 'main' | 'post', action = ''): string {
  const dir = bundleDir();
  const buildError = join(dir, 'build-error.txt');
  if (existsSync(buildError)) {
    const lines = readFileSync(buildError, 'utf8').split('\n');
    const shown = lines.length > 40 ? [...lines.slice(0, 40), `… ${lines.length - 40} more lines`] : lines;
    throw new Error(`the action could not be built from the source:\n${shown.join('\n')}`);
  }
  return stepEntry(step, dir, action);
}

export interface StepRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** `::error::` annotations, decoded. */
  errors: string[];
  warnings: string[];
  durationMs: number;
  /** Every byte the step wrote anywhere the runner would keep or show. */
  everything: string;
  /** Lines of stdout and stderr in the order they arrived, as the runner's log receives them. */
  log: string[];
  /** GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY as the step left them, raw. */
  files: Record<string, string>;
  /** The step's working folder (its runner files, HOME, RUNNER_TEMP): removed once the step ended. */
  dir: string;
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** Environment for the step (the emulator's, plus anything the test adds). */
  env: Record<string, string>;
  /** State saved by a main step, for the post step. */
  state?: Record<string, string>;
  /** Called with the child process once it started (to send signals). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  /** Options for `node` before the entry (e.g. `--import` a hook that watches what the step loads). */
  nodeArgs?: string[];
  /**
   * A sub-action's folder (`grant`, `report`…): its action.yml's entry runs, with its defaults
   * filled in as the runner fills them (`inputsWithDefaults`). Without it, the root action, with
   * `inputs` as given.
   */
  action?: string;
}

/** Parses the runner's file-command format (`name<<delimiter` … `delimiter`, or `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!);
      values[name!] = value.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export type StepRunListener = (run: StepRun, step: 'main' | 'post', options: RunOptions) => void;
const listeners = new Set<StepRunListener>();

/** Calls `listener` with every step run from now on (e.g. to scan it for leaked secrets); returns an unsubscribe. */
export function onStepRun(listener: StepRunListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Tells every listener of onStepRun that `run` ended. */
export function announce(run: StepRun, step: 'main' | 'post', options: RunOptions): void {
  for (const listener of listeners) listener(run, step, options);
}

/** A step as it ended: what it wrote to its log and its runner files (read, then its folder removed). */
export function endedStep(ended: {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  log: string[];
  files: Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY', string>;
  dir: string;
  started: number;
}): StepRun {
  const { exitCode, signal, stdout, stderr, log, files, dir } = ended;
  const raw = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, readFileSync(f, 'utf8')]));
  rmSync(dir, { recursive: true, force: true });
  const annotations = (kind: string) =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) => decodeCommand(l.slice(l.indexOf('::', 2) + 2)));
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseFileCommands(raw.GITHUB_OUTPUT!),
    state: parseFileCommands(raw.GITHUB_STATE!),
    summary: raw.GITHUB_STEP_SUMMARY!,
    errors: annotations('error'),
    warnings: annotations('warning'),
    durationMs: Date.now() - ended.started,
    everything: [stdout, stderr, ...Object.values(raw)].join('\n'),
    log,
    files: raw,
    dir,
  };
}

function decodeCommand(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * The environment the runner gives a step whose working folder is `dir`: its GITHUB_* variables
 * and (empty) files, `INPUT_*` and `STATE_*`, and nothing of this machine's AWS or Azure
 * configuration. `env` comes last and wins.
 */
export function runnerEnvironment(
  dir: string,
  options: {
    inputs: Record<string, string>;
    state: Record<string, string>;
    debug: boolean;
    env: Record<string, string>;
  },
): {
  env: Record<string, string>;
  files: Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY', string>;
} {
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  // The webhook payload of the event that started the run, as the runner saves it for each job.
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo-org/octo-repo' } }),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    // Keep the machine's own AWS and Azure configuration out of the step.
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    // The repository's numeric ID, as the emulator's OIDC tokens carry it (`repository_id`).
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    ...(options.debug ? { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' } : {}),
    RUNNER_TEMP: dir,
    // Node's cache of the bundle's compiled code, when the tests keep one (jest.config.js): each
    // step then compiles only what no step before it compiled. It changes nothing the step does.
    ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    ...files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state)) env[`STATE_${name}`] = value;
  return { env, files };
}

/**
 * The step's working folder (made now) and the environment the runner gives it there: the
 * action's input defaults filled in for a sub-action, and step debug logging on, as a re-run with
 * debug logging sets it (the action must not leak more).
 */
export function stepFolder(
  step: 'main' | 'post',
  options: RunOptions,
): { dir: string } & ReturnType<typeof runnerEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), `cloud-access-${step}-`));
  const environment = runnerEnvironment(dir, {
    inputs: options.action ? inputsWithDefaults(options.action, options.inputs) : options.inputs,
    state: options.state ?? {},
    debug: true,
    env: options.env,
  });
  return { dir, ...environment };
}

export function runStep(step: 'main' | 'post', options: RunOptions): Promise<StepRun> {
  let entry: string;
  try {
    entry = entryPoint(step, options.action);
  } catch (error) {
    return Promise.reject(error);
  }
  const { dir, env, files } = stepFolder(step, options);

  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
      env,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const log: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const receive = (stream: 'stdout' | 'stderr', text: string) => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop()!;
      log.push(...lines);
    };
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      receive('stdout', text);
    });
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      receive('stderr', text);
    });
    // A step that could not start emits 'error', then 'close': the step's end is settled once, there.
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    options.onSpawn?.(child);
    child.on('close', (exitCode, signal) => {
      if (spawnError) {
        rmSync(dir, { recursive: true, force: true });
        reject(spawnError);
        return;
      }
      for (const rest of [partial.stdout, partial.stderr]) if (rest) log.push(rest);
      const run = endedStep({ exitCode, signal, stdout, stderr, log, files, dir, started });
      announce(run, step, options);
      resolve(run);
    });
  });
}
