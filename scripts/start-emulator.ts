// `npm run emulator:start`: the emulator in the background, for a workflow job or a shell that runs
// the action against it (e2e.yml, `npm run local-action`). It starts `emulator/cli.ts` detached,
// with its output in a log file (so no step waits on its pipes), waits until the emulator has
// written its environment and its control API answers, then prints that environment as KEY=VALUE
// lines and, on a runner, appends it to $GITHUB_ENV so every later step of the job reaches the
// emulator. The emulator keeps running until `kill $EMULATOR_PID` (or the end of the job).
//
// The file is also the second half of `npm run local-action`'s .env (`cat .env.example FILE > .env`):
// after the emulator's lines it gets the emulator's job token as the action's `github-token` input.
//
//   npm run emulator:start -- [--write-env FILE] [--log FILE] [any `npm run emulator` flag]
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(import.meta.dirname, '..');
const READY_WITHIN_MS = 60_000;

/** This script's own flags; every other argument is the emulator's (`npm run emulator -- --help`). */
function parseArguments(args: string[]): { envFile: string; logFile: string; emulatorArgs: string[] } {
  let envFile = join(ROOT, '.emulator', 'emulator.env');
  let logFile = join(ROOT, '.emulator', 'emulator.log');
  const emulatorArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--write-env' || flag === '--log') {
      const value = inline ?? args[++i];
      if (!value) fail(`${flag} needs a file name`);
      if (flag === '--write-env') envFile = resolve(value);
      else logFile = resolve(value);
    } else {
      emulatorArgs.push(arg);
    }
  }
  return { envFile, logFile, emulatorArgs };
}

function fail(message: string): never {
  console.error(`start-emulator: ${message}`);
  process.exit(1);
}

/** KEY=VALUE lines, as the emulator writes them (`--write-env`). */
function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
}

const { envFile, logFile, emulatorArgs } = parseArguments(process.argv.slice(2));
mkdirSync(dirname(envFile), { recursive: true });
mkdirSync(dirname(logFile), { recursive: true });
rmSync(envFile, { force: true });

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

// For `npm run local-action`: the emulator's job token (EMULATOR_GITHUB_TOKEN, a token like a job's
// GITHUB_TOKEN that reads octo-org/octo-repo's runs) as the action's `github-token` input. Not in
// GITHUB_ENV: a workflow gives inputs with `with:`, and every later action's `github-token` would see it.
if (env.EMULATOR_GITHUB_TOKEN) {
  appendFileSync(
    envFile,
    `# the emulator's job token, as the action's github-token input\nINPUT_GITHUB-TOKEN=${env.EMULATOR_GITHUB_TOKEN}\n`,
  );
}

// GITHUB_API_URL (the emulator's GitHub API, the same URL as EMULATOR_URL) stays in the file for
// local-action but out of GITHUB_ENV: every later step of the job would call the emulator instead
// of GitHub. A step that wants it sets it from EMULATOR_URL.
const lines = Object.entries(env)
  .filter(([key]) => key !== 'GITHUB_API_URL')
  .map(([key, value]) => `${key}=${value}\n`);
process.stdout.write(lines.join(''));
if (process.env.GITHUB_ENV) {
  appendFileSync(process.env.GITHUB_ENV, lines.join(''));
  console.error(`start-emulator: the environment above is in $GITHUB_ENV for the job's later steps`);
}
console.error(
  `start-emulator: emulator ${env.EMULATOR_PID} is running (log: ${logFile}); stop it with kill ${env.EMULATOR_PID}`,
);
// The child's exit listener and the log descriptor must not keep this script alive.
process.exit(0);
