// `npm run local-action`: the action's main step (and its post step, when the main step saved
// something to revoke) from the source, with @github/local-action and the inputs and environment
// of a .env file, exiting non-zero when the action failed, which local-action itself never does
// (its @actions/core stand-in records setFailed and exits 0).
//
//   npm run local-action -- [ENV_FILE]         # the root action; default .env; `npm run
//                                              # emulator:start` writes one per mode: .emulator/<mode>.env
//   npm run local-action -- ACTION [ENV_FILE]  # a sub-action, as `uses: cloud-access/cloud-access/grant@v1`:
//                                              # grant, revoke, provision, reconcile, sweep, report, request
//   npm run local-action -- --no-post …        # no post step, as in a job still running: the grant
//                                              # stays, for a reconcile or a report run after it
//
// The action's action.yml (./local-action-target.ts) says which inputs it declares, with their
// defaults, and which steps it has: a sub-action's operation is fixed, and only grant has a post
// step. NODE_EXTRA_CA_CERTS from the file is given to the process at its start (Node reads it only
// then), so a file of the emulator's reaches its TLS endpoints (Entra, ARM, Graph). An input left to
// its `${{ github.token }}` default gets a token, as on the runner (./local-action-target.ts). At the end it
// says where the job summary (GITHUB_STEP_SUMMARY) went, and whether each step failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalOutcome } from './local-action-post.js';
import { failureEnding, relayOutput } from './local-action-output.js';
import {
  localArguments,
  localTarget,
  tokenDefaults,
  undeclaredInputs,
  type LocalTarget,
} from './local-action-target.js';
import { isAlive, parseEnvLines } from './running.js';
import { npmAnsweringLs, pathWithFirst } from './npm-ls-answer.js';
import { scratchFolder } from './scratch.js';

const ROOT = join(import.meta.dirname, '..', '..');
let target: LocalTarget;
let envFile: string;
let noPost: boolean;
try {
  const chosen = localArguments(process.argv.slice(2));
  target = localTarget(ROOT, chosen.action);
  envFile = resolve(chosen.envFile);
  noPost = chosen.noPost;
} catch (problem) {
  console.error(`local-action: ${(problem as Error).message}`);
  process.exit(1);
}
const shown = (file: string) => (file.startsWith(ROOT + '/') ? relative(ROOT, file) : file);

if (!existsSync(envFile)) {
  console.error(
    `local-action: ${shown(envFile)} does not exist. npm run emulator:start writes one per mode (.emulator/<mode>.env); or make .env from .env.example`,
  );
  process.exit(1);
}
const env = parseEnvLines(readFileSync(envFile, 'utf8'));
// A file emulator:start wrote names its emulator (EMULATOR_PID, EMULATOR_URL). Once that emulator
// has stopped, the action would fail at its first call on an endpoint nothing answers (through the
// mode's proxy, the runner's token endpoint), which says nothing of the emulator: say it first.
const emulatorState = env.EMULATOR_URL ? await stateOf(env.EMULATOR_PID, env.EMULATOR_URL) : undefined;
if (env.EMULATOR_URL && !emulatorState) {
  console.error(
    `local-action: the emulator is not running: \`npm run emulator:start\` (${shown(envFile)} names emulator ${env.EMULATOR_PID ?? ''} at ${env.EMULATOR_URL}, which does not answer; a start writes the .env files anew)`,
  );
  process.exit(1);
}
// A request against an emulator that holds none would be refused for the emulator's default token
// (a push by octocat), which says nothing of the staging it lacks: say that instead.
const isRequest = (target.subAction ?? env.INPUT_OPERATION) === 'request';
if (isRequest && emulatorState && !emulatorState.github?.accessPolicy) {
  console.error(
    `local-action: no access request is staged in the emulator: stage it first, then run this again:\n  curl -XPOST ${env.EMULATOR_URL}/_emulator/github/access-request -d '{}'\n(npm run emulator -- --help lists its body: another event, branch or requester, or no approval, to see the step refuse)`,
  );
  process.exit(1);
}
const undeclared = undeclaredInputs(env, target);
if (undeclared.length > 0)
  // The runner's warning for a `with:` input the action does not declare; it passes it all the same.
  console.error(
    `local-action: warning: Unexpected input(s) '${undeclared.join("', '")}', valid inputs are ['${target.inputs.join("', '")}'] (${join(target.dir, 'action.yml')})`,
  );
const summary = env.GITHUB_STEP_SUMMARY;
if (summary) {
  // local-action writes the summary only to a file that exists.
  mkdirSync(dirname(summary), { recursive: true });
  writeFileSync(summary, '');
}
const dir = scratchFolder('cloud-access-local-');
const outcomeFile = join(dir, 'outcome.json');
// `github-token: ${{ github.token }}` as the runner evaluates it, where the file leaves it to its
// default: in a copy of the file, since local-action starts the action through a shell, which drops
// an environment variable whose name has a hyphen (INPUT_GITHUB-TOKEN).
const tokens = Object.entries(tokenDefaults(env, target));
const runFile = tokens.length > 0 ? join(dir, basename(envFile)) : envFile;
if (runFile !== envFile)
  writeFileSync(
    runFile,
    `${readFileSync(envFile, 'utf8')}\n# local-action: \${{ github.token }}\n${tokens.map(([k, v]) => `${k}=${v}\n`).join('')}`,
  );

// local-action's own entry, through tsx, as its bin/local-action.js starts it after finding the
// action's package manager (npm here): the bin does it through `npm exec tsx`, which costs half a
// second of CPU a run for nothing but finding tsx. Here Node loads tsx's loader itself (`--import`,
// as this script's own `tsx` does): tsx's command would start one more Node process only to pass
// it that loader and relay signals: without it, __tests__/workflows/local-modes.test.ts (16 runs)
// takes about a fifth less CPU, 84 s where it took 106. Its environment as the bin sets it.
const LOCAL_ACTION = join(ROOT, 'node_modules', '@github', 'local-action');
const child = spawn(
  process.execPath,
  [
    '--import',
    pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
    join(LOCAL_ACTION, 'src', 'index.ts'),
    target.dir,
    // Absolute: local-action resolves the entry from the action's folder, the post entry from here.
    join(ROOT, target.main),
    runFile,
    ...(target.post ? ['--post', join(ROOT, 'scripts', 'emulator', 'local-action-post.ts')] : []),
  ],
  {
    cwd: ROOT,
    // Piped, so that local-action's own stack trace is left out and the action's errors end the output.
    stdio: ['inherit', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TARGET_ACTION_PATH: resolve(target.dir),
      NODE_PACKAGE_MANAGER: 'npm',
      NODE_NO_WARNINGS: '1',
      PATH: pathWithFirst(npmAnsweringLs(dir, ROOT), process.env.PATH),
      ...(env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS } : {}),
      CLOUD_ACCESS_LOCAL_OUTCOME: outcomeFile,
      ...(target.subAction ? { CLOUD_ACCESS_LOCAL_SUB_ACTION: target.subAction } : {}),
      ...(target.post ? {} : { CLOUD_ACCESS_LOCAL_NO_POST: '1' }),
      // `--no-post`: the post entry still runs, to record the outcome, and leaves the step out.
      ...(target.post && noPost ? { CLOUD_ACCESS_LOCAL_SKIP_POST: '1' } : {}),
      // local-action stands in for @actions/core at the path `npm ls` gives; with a node_modules that
      // is a link (a git worktree's), Node would load the real one from the link's target instead.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--preserve-symlinks'].filter(Boolean).join(' '),
    },
  },
);
const relayed = relayOutput(child);
const code = await new Promise<number>((done) => child.once('close', (c) => done(c ?? 1)));
const output = await relayed;
const outcome = existsSync(outcomeFile)
  ? (JSON.parse(readFileSync(outcomeFile, 'utf8')) as LocalOutcome)
  : undefined;
rmSync(dir, { recursive: true, force: true });

if (!outcome) {
  console.error(`local-action: the action did not finish (local-action exited ${code})`);
  process.exit(code || 1);
}
const where = summary ? `job summary in ${shown(summary)}; ` : '';
console.log(`local-action: ${where}outputs in the Action Outputs table above`);
const failed = [
  ...(outcome.mainFailed ? ['the main step failed'] : []),
  ...(outcome.postFailed ? ['the post step failed'] : []),
  // Exited non-zero without a failed step: local-action itself failed.
  ...(code !== 0 && !outcome.mainFailed && !outcome.postFailed ? [`local-action exited ${code}`] : []),
];
if (failed.length > 0) for (const line of failureEnding(failed, output)) console.error(line);
else
  console.log(
    `local-action: the main step succeeded${outcome.postFailed === false ? ', and the post step' : ''}`,
  );
process.exitCode = failed.length > 0 ? 1 : 0;

/** The state of the emulator a file names; undefined when it is not alive or its control API does not answer. */
async function stateOf(
  pid: string | undefined,
  url: string,
): Promise<{ github?: { accessPolicy?: boolean } } | undefined> {
  if (pid && /^\d+$/.test(pid) && !isAlive(Number(pid))) return undefined;
  const answer = await fetch(`${url}/_emulator/state`, { signal: AbortSignal.timeout(5_000) }).catch(
    () => undefined,
  );
  return answer?.ok ? ((await answer.json()) as { github?: { accessPolicy?: boolean } }) : undefined;
}
