// The shared set-up of every end-to-end suite (__tests__/e2e/*.test.ts):
// - `useEmulator(options)`: one emulator for the test file, started before its tests, reset
//   before each test, closed after all, with every step the file runs checked for leaked secrets;
// - the emulator's Azure side, fresh principals, and the IDs of the built-in roles the tests grant;
// - each cloud's step inputs, and the bundled main and post steps run against the emulator: in
//   the test's process (../harness/in-process-step.ts: the same bundle, environment and runner
//   files), or each in a process of its own as the runner runs it, for a file that says so;
// - for the safety-*.test.ts files: a job's state handed to another step the way
//   GITHUB_ENV would, the runner's view of a step's log lines, and guards that stop a step which
//   would run far past what the test allows.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { runStep, type RunOptions, type StepRun } from '../../harness/action-runner.js';
import { legacyCommandNames } from '../harness/secret-scan.js';
import { noStepRunning, runStepInProcess } from '../harness/in-process-step.js';
import { watchForLeaks } from './secret-leaks.js';

let started: Emulator | undefined;
/** How this file's runMain and runPost run the bundled steps: in this process, unless the file said processes. */
let stepRunner: typeof runStep = runStepInProcess;

/** The emulator useEmulator started for this test file. */
function emulator(): Emulator {
  if (!started) throw new Error('no emulator yet: call useEmulator() at the top of the test file');
  return started;
}

/**
 * Starts one emulator for this test file (quiet unless `options` say otherwise) and registers its
 * hooks: the leak check first, so it runs after each test, and once more after all, before the
 * emulator closes; then close after all and reset before each test. Returns the emulator's accessor.
 * Its runMain and runPost run the bundled steps in this process (../harness/in-process-step.ts),
 * or, with `steps: 'processes'`, each in a process of its own as the runner does (runStep): for a
 * file whose steps run at once, or whose tests are about what only a process shows.
 */
export function useEmulator(
  options: EmulatorOptions & { steps?: 'in-process' | 'processes' } = {},
): () => Emulator {
  const { steps = 'in-process', ...emulatorOptions } = options;
  stepRunner = steps === 'processes' ? runStep : runStepInProcess;
  watchForLeaks(() => started);
  beforeAll(async () => {
    started = await startEmulator({ quiet: true, ...emulatorOptions });
  });
  afterAll(async () => {
    await noStepRunning();
    await started?.close();
  });
  beforeEach(() => {
    emulator().reset();
    for (const name of RESOURCE_GROUPS) emulator().azure?.addResourceGroup(name);
  });
  return emulator;
}

/**
 * The resource groups the suites grant in, beyond the seeded rg-app: ARM refuses a role assignment
 * in one that does not exist (404 ResourceGroupNotFound), so the subscription has them, as a real
 * one would before anyone grants there.
 */
const RESOURCE_GROUPS = [
  ...['rg', 'rg-data', 'rg-deploy', 'rg-new', 'rg-other', 'rg-shared', 'rg-tries', 'rg-report'],
  ...['rg-sweep', 'rg-review', 'rg-review-40', 'rg-rerun', 'rg-room', 'rg-suggest', 'rg-planted'],
  ...['rg-own', 'rg-foreign', 'rg-hidden', 'rg-named', 'rg-permanent-on-ephemeral'],
  ...['rg-race-200', 'rg-race-409', 'rg-race-409-hidden', 'rg-race-409-late', 'rg-race-409-late-other'],
  ...['a', 'b', 'rg-a1', 'rg-a2', 'rg-a3', 'rg-b', `rg-${'r'.repeat(87)}`],
  ...Array.from({ length: 20 }, (_, i) => `rg-${i}`),
];

/** Role definition IDs of Azure built-in roles. */
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
export const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

/** The IAM role the AWS steps assume with the GitHub OIDC token. */
export const ROLE_TO_ASSUME = 'arn:aws:iam::123456789012:role/cloud-access';

/** The emulator's Entra and ARM. */
export const azure = () => emulator().azure!;
/** The emulator's subscription, as a scope. */
export const subscription = () => `/subscriptions/${azure().subscriptionId}`;
/** A new Entra principal, created long enough ago for ARM to know it. */
export const newPrincipal = (type: 'User' | 'Group' | 'ServicePrincipal' = 'User') =>
  azure().addPrincipal({ type, createdAt: 0 });

/** An AWS step's inputs: `inputs` over region us-east-1 and ROLE_TO_ASSUME. */
export const awsInputs = (inputs: Record<string, string>): Record<string, string> => ({
  cloud: 'aws',
  'role-to-assume': ROLE_TO_ASSUME,
  'aws-region': 'us-east-1',
  ...inputs,
});

/** An Azure step's inputs: `inputs` over the sign-in details and endpoints of the emulator. */
export const azureInputs = (inputs: Record<string, string>): Record<string, string> => ({
  cloud: 'azure',
  ...azure().actionInputs,
  ...inputs,
});

/** Runs a bundled step as this file runs its steps (useEmulator's `steps`), with exactly `options`. */
export const runBundledStep = (step: 'main' | 'post', options: RunOptions): Promise<StepRun> =>
  stepRunner(step, options);

/** Runs the bundled main step against the emulator, `env` added to the emulator's environment. */
export const runMain = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  stepRunner('main', { inputs, env: { ...emulator().env, ...env } });

/** The review's workflow, as GITHUB_WORKFLOW_REF names it on the default branch. */
export const REVIEW_WORKFLOW = 'access-review.yml';

/**
 * An `operation: review` step of campaign 2026-Q4 on `event`, its workspace `workspace` (a fresh
 * RUNNER_TEMP in it for the `review` record), with the job's token for the emulated GitHub. Its run
 * is one of the review's workflow on `main`, which the Actions API lists from the moment it starts
 * (at the emulated GitHub's clock), as GitHub lists a run before its jobs start.
 */
export const runReview = (
  cloudInputs: Record<string, string>,
  workspace: string,
  event = 'schedule',
  env: Record<string, string> = {},
) => {
  const runId = emulator().github.issues.addWorkflowRun({
    workflow: REVIEW_WORKFLOW,
    event,
    status: 'in_progress',
    conclusion: null,
  });
  return runMain(
    {
      operation: 'review',
      campaign: '2026-Q4',
      'github-token': emulator().github.runs.jobToken,
      ...cloudInputs,
    },
    {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
      GITHUB_EVENT_NAME: event,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_RUN_ID: String(runId),
      GITHUB_WORKFLOW_REF: `octo-org/octo-repo/.github/workflows/${REVIEW_WORKFLOW}@refs/heads/main`,
      ...env,
    },
  );
};

/** Runs the bundled post step against the emulator, with the `state` a main step saved. */
export const runPost = (inputs: Record<string, string>, state: Record<string, string>) =>
  stepRunner('post', { inputs, env: emulator().env, state });

/** `count` account IDs from 100000000000 on (`from` shifts the start). */
export const accounts = (count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => String(100000000000 + from + i));

/** The SSO Admin assignment of `user` to `accountId` with `permissionSet`, as the emulator stores it. */
export const awsAssignment = (accountId: string, user = 'alice', permissionSet = 'ReadOnlyAccess') => ({
  accountId,
  permissionSetArn: emulator().aws.permissionSetArn(permissionSet),
  principalType: 'USER' as const,
  principalId: emulator().aws.userId(user),
});

/**
 * A job's saved state as job-wide environment variables (`STATE_<key>`), as if an earlier step
 * had written them to GITHUB_ENV: every step after it, post steps included, sees them.
 */
export const asJobEnv = (state: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(state).map(([key, value]) => [`STATE_${key}`, value]));

export interface GrantResult {
  principal: string;
  target: string;
  role: string;
  status: string;
  requestId: string | null;
  failureReason: string | null;
  changed: boolean;
}

/**
 * A step's warnings beside the one `end-sessions` gives once per set neither owned nor opted in
 * (aws-session-fences.test.ts tests it), for the tests of something else that revoke on such a set.
 */
export const warningsBesideSessions = (step: StepRun): string[] =>
  step.warnings.filter((w) => !w.startsWith('end-sessions: sessions of the permission set '));

export const resultsOf = (step: StepRun): GrantResult[] =>
  JSON.parse(step.outputs.results ?? '[]') as GrantResult[];

/**
 * A report step's CSV (output `report-csv`) as a spreadsheet reads it: its first line the header,
 * each row by the header's columns. Every cell is quoted, and none holds a line break (each is inert).
 */
export function csvRowsOf(step: StepRun): Record<string, string>[] {
  const cellsOf = (line: string) =>
    [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,"]*))/g)].map((m) =>
      (m[1] ?? m[2] ?? '').replace(/""/g, '"'),
    );
  const [header, ...rows] = readFileSync(step.outputs['report-csv']!, 'utf8')
    .trimEnd()
    .split('\r\n')
    .map(cellsOf);
  return rows.map((cells) => Object.fromEntries(header!.map((column, i) => [column, cells[i] ?? ''])));
}

/**
 * stdout and stderr as the runner reads them for workflow commands: a line ends at `\n` or at
 * `\r`, and leading white space is ignored before `::`.
 */
export const runnerLines = (step: StepRun): string[] =>
  [step.stdout, step.stderr].flatMap((text) => text.split(/\r\n|\r|\n/)).map((line) => line.trimStart());

/** Workflow commands a line of server text could forge, in the `::` form. */
export const FORGED_COMMANDS = [
  '::warning::pwned',
  '::add-mask::secret',
  '::set-output',
  '::stop-commands',
  '::error::cr',
];

/**
 * The lines of the step's log that start one of FORGED_COMMANDS, or that hold a legacy command
 * (`##[` and a command's name) anywhere: the action writes none of its own, so any is forged.
 */
export const forgedCommands = (step: StepRun): string[] =>
  runnerLines(step).filter(
    (line) =>
      FORGED_COMMANDS.some((command) => line.startsWith(command)) || legacyCommandNames(line).length > 0,
  );

export interface Watch {
  /** When the step's process was spawned (ms since the epoch). */
  spawnedAt: number;
  /** True when the guard had to kill the step. */
  killed: boolean;
  /** Peak resident memory of the step's process (VmHWM, KiB), where /proc tells; 0 otherwise. */
  peakRssKiB: number;
}

/**
 * Options for runStep that note the spawn time and kill the step (SIGKILL) should it run longer
 * than `killAfterMs`: a step that ignores its deadline must fail the test, not hang the suite.
 */
export function watched(options: RunOptions, killAfterMs: number): { options: RunOptions; watch: Watch } {
  const watch: Watch = { spawnedAt: 0, killed: false, peakRssKiB: 0 };
  return {
    watch,
    options: {
      ...options,
      onSpawn: (child: ChildProcess) => {
        watch.spawnedAt = Date.now();
        const readPeak = () => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
            watch.peakRssKiB = Math.max(watch.peakRssKiB, kib);
          } catch {
            // Not Linux, or the process has ended.
          }
        };
        const sampler = setInterval(readPeak, 50);
        const guard = setTimeout(() => {
          watch.killed = true;
          child.kill('SIGKILL');
        }, killAfterMs);
        child.once('exit', () => {
          clearInterval(sampler);
          clearTimeout(guard);
        });
        options.onSpawn?.(child);
      },
    },
  };
}

/** Waits until every AWS create/delete the emulator accepted has completed. */
export async function awsQuiesce(): Promise<void> {
  const { creations, deletions } = emulator().aws.state;
  const pending = [...creations.values(), ...deletions.values()].filter((r) => r.status === 'IN_PROGRESS');
  const last = Math.max(0, ...pending.map((r) => r.completesAt));
  await sleep(Math.max(0, last - Date.now()) + 50);
}

/** The accounts an SSO Admin request was about (TargetId or AccountId of its input). */
export const accountOf = (input: Record<string, unknown> | undefined): string | undefined => {
  const account = input?.TargetId ?? input?.AccountId;
  return typeof account === 'string' ? account : undefined;
};

/**
 * The waits a step planned before retrying its calls, from its debug log (`<op>: <kind> (<error>);
 * retry <n> in <ms> ms`): what a test bounds instead of the step's wall time, which a busy machine
 * stretches. A step that waited for its deadline instead would not end before it.
 */
export function plannedRetries(step: StepRun): { operation: string; kind: string; delayMs: number }[] {
  return runnerLines(step).flatMap((line) => {
    const retry = /^::debug::(\S+): (\w+) \(.*\); retry \d+ in (\d+) ms$/.exec(line);
    return retry ? [{ operation: retry[1]!, kind: retry[2]!, delayMs: Number(retry[3]) }] : [];
  });
}

/** The seconds a step planned to wait before retries, in all (plannedRetries). */
export const plannedRetryMs = (step: StepRun): number =>
  plannedRetries(step).reduce((sum, r) => sum + r.delayMs, 0);
