// `npm run emulator:start`: the emulator in the background, for a workflow job or a shell that runs
// the action against it (e2e.yml, `npm run local-action`). It starts `emulator/cli.ts` detached,
// with its output in a log file (so no step waits on its pipes), waits until the emulator has
// written its environment and its control API answers, then prints that environment as KEY=VALUE
// lines and, on a runner, appends it to $GITHUB_ENV so every later step of the job reaches the
// emulator. The emulator keeps running until `kill $EMULATOR_PID` (or the end of the job).
//
// Beside that file it writes one complete .env per mode of the action (./local-modes.ts), each run
// with `npm run local-action -- .emulator/<mode>.env`, the Azure endpoints as the action's inputs
// (azure-inputs.env, for an example of examples/local/), and the emulator's process ID in
// emulator.pid. One emulator per folder: while the one started before is alive and answering, a
// second start refuses, naming how to stop it (`npm run emulator:stop`), or with --reuse prints
// and uses the running one's environment.
//
//   npm run emulator:start -- [--reuse] [--write-env FILE] [--log FILE] [any `npm run emulator` flag]
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { localModes, withEmulatorUrl } from './local-modes.js';
import { modeEnvFile } from './mode-env-file.js';
import { AZURE_INPUTS_FILE, azureInputsFile } from './mode-examples.js';
import { parseEnvLines, runningEmulator } from './running.js';

const ROOT = join(import.meta.dirname, '..', '..');
const READY_WITHIN_MS = 60_000;

/** This script's own flags; every other argument is the emulator's (`npm run emulator -- --help`). */
function parseArguments(args: string[]): {
  envFile: string;
  logFile: string;
  reuse: boolean;
  emulatorArgs: string[];
} {
  let envFile = join(ROOT, '.emulator', 'emulator.env');
  let logFile = join(ROOT, '.emulator', 'emulator.log');
  let reuse = false;
  const emulatorArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (arg === '--reuse') {
      reuse = true;
    } else if (flag === '--write-env' || flag === '--log') {
      const value = inline ?? args[++i];
      if (!value) fail(`${flag} needs a file name`);
      if (flag === '--write-env') envFile = resolve(value);
      else logFile = resolve(value);
    } else {
      emulatorArgs.push(arg);
    }
  }
  return { envFile, logFile, reuse, emulatorArgs };
}

function fail(message: string): never {
  console.error(`start-emulator: ${message}`);
  process.exit(1);
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
}

/**
 * Prints the environment (on a runner, appends it to GITHUB_ENV too), writes the modes' .env
 * files, and lists the one-line command of each.
 */
function announce(env: Record<string, string>, how: string): never {
  // GITHUB_API_URL (the emulator's GitHub API, the same URL as EMULATOR_URL) stays in the file for
  // local-action but out of GITHUB_ENV: every later step of the job would call the emulator instead
  // of GitHub. A step that wants it sets it from EMULATOR_URL.
  const lines = Object.entries(env)
    .filter(([key]) => key !== 'GITHUB_API_URL' && !key.startsWith('INPUT_'))
    .map(([key, value]) => `${key}=${value}\n`);
  process.stdout.write(lines.join(''));
  if (process.env.GITHUB_ENV) {
    appendFileSync(process.env.GITHUB_ENV, lines.join(''));
    console.error(`start-emulator: the environment above is in $GITHUB_ENV for the job's later steps`);
  }
  const dir = dirname(envFile);
  mkdirSync(join(dir, 'out'), { recursive: true });
  const modes = localModes(env);
  for (const mode of modes) writeFileSync(join(dir, `${mode.name}.env`), modeEnvFile(mode, env, dir, ROOT));
  // For an Azure example of examples/local/ (./mode-examples.ts), appended after emulator.env.
  writeFileSync(join(dir, AZURE_INPUTS_FILE), azureInputsFile(env));
  const shown = (file: string) => (file.startsWith(ROOT + '/') ? relative(ROOT, file) : file);
  console.error(`start-emulator: emulator ${env.EMULATOR_PID} ${how} (log: ${shown(logFile)})`);
  console.error(
    'start-emulator: each mode of the action in one command (its summary goes to out/<mode>.summary.md):',
  );
  for (const mode of modes) {
    console.error(
      `  npm run local-action -- ${shown(join(dir, `${mode.name}.env`)).padEnd(32)} # ${mode.does}`,
    );
    if (mode.first) console.error(`${''.padEnd(59)}#   first: ${withEmulatorUrl(mode.first, env)}`);
    if (mode.then) console.error(`${''.padEnd(59)}#   then: ${withEmulatorUrl(mode.then, env)}`);
    if (mode.refusals)
      console.error(
        `${''.padEnd(59)}#   refused instead: see the file's first lines (${mode.refusals.length} stagings)`,
      );
  }
  console.error(
    'start-emulator: with inputs of your own, start from examples/local/<mode>.env (its first lines say how)',
  );
  console.error(
    `start-emulator: for the control API's curl commands in the docs, set EMULATOR_URL in your shell: source ${shown(envFile)}`,
  );
  console.error(`start-emulator: stop it with npm run emulator:stop (or kill ${env.EMULATOR_PID})`);
  // The child's exit listener and the log descriptor must not keep this script alive.
  process.exit(0);
}

const { envFile, logFile, reuse, emulatorArgs } = parseArguments(process.argv.slice(2));
mkdirSync(dirname(envFile), { recursive: true });
mkdirSync(dirname(logFile), { recursive: true });
const pidFile = join(dirname(envFile), 'emulator.pid');

// One emulator per folder: a second start would leave the first running, unseen, on its ports.
const running = await runningEmulator(pidFile, envFile);
if (running) {
  if (reuse) announce(running, 'is already running: reused');
  fail(
    `an emulator started here is already running (pid ${running.EMULATOR_PID}, ${running.EMULATOR_URL}). ` +
      `Stop it with npm run emulator:stop (or kill ${running.EMULATOR_PID}), or use it: npm run emulator:start -- --reuse`,
  );
}
rmSync(envFile, { force: true });
rmSync(pidFile, { force: true });

// One process (node with tsx's loader, not tsx's CLI, which would be a second one), so that
// EMULATOR_PID is the emulator itself. Detached and unreferenced: it outlives this script and the
// step that ran it.
const log = openSync(logFile, 'w');
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(ROOT, 'emulator', 'cli.ts'), '--write-env', envFile, ...emulatorArgs],
  { cwd: ROOT, detached: true, stdio: ['ignore', log, log] },
);
let exited: string | undefined;
child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
child.once('error', (error) => (exited = error.message));

const deadline = Date.now() + READY_WITHIN_MS;
let env: Record<string, string> | undefined;
while (!env) {
  if (exited)
    fail(`the emulator stopped (${exited}) before it was ready; its log (${logFile}):\n${tail(logFile)}`);
  if (Date.now() > deadline) {
    child.kill();
    fail(
      `the emulator was not ready within ${READY_WITHIN_MS / 1000} s; its log (${logFile}):\n${tail(logFile)}`,
    );
  }
  if (existsSync(envFile)) env = parseEnvLines(readFileSync(envFile, 'utf8'));
  else await sleep(100);
}

const state = await fetch(`${env.EMULATOR_URL}/_emulator/state`).catch((error: Error) => error);
if (state instanceof Error || !state.ok) {
  child.kill();
  fail(
    `the emulator's control API did not answer (${state instanceof Error ? state.message : state.status}); its log (${logFile}):\n${tail(logFile)}`,
  );
}
child.unref();
writeFileSync(pidFile, `${env.EMULATOR_PID}\n`);

announce(env, 'is running');
