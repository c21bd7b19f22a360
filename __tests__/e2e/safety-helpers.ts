// Shared by the safety-*.test.ts files (issue #10): the inputs of each cloud, a job's state handed
// to another step the way GITHUB_ENV would, the runner's view of a step's log lines, and guards
// that stop a step which would run far past what the test allows.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Emulator } from '../../emulator/index.js';
import type { RunOptions, StepRun } from '../../scripts/action-runner.js';

export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const ROLE_TO_ASSUME = 'arn:aws:iam::123456789012:role/cloud-access';

export const awsInputs = (inputs: Record<string, string>): Record<string, string> => ({
  cloud: 'aws',
  'role-to-assume': ROLE_TO_ASSUME,
  'aws-region': 'us-east-1',
  ...inputs,
});

export const azureInputs = (emulator: Emulator, inputs: Record<string, string>): Record<string, string> => ({
  cloud: 'azure',
  ...emulator.azure!.actionInputs,
  ...inputs,
});

/** `count` account IDs from 100000000000 on (`from` shifts the start). */
export const accounts = (count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => String(100000000000 + from + i));

/** The SSO Admin assignment of `user` to `accountId` with `permissionSet`, as the emulator stores it. */
export const awsAssignment = (
  emulator: Emulator,
  accountId: string,
  user = 'alice',
  permissionSet = 'ReadOnlyAccess',
) => ({
  accountId,
  permissionSetArn: emulator.aws.permissionSetArn(permissionSet),
  principalType: 'USER' as const,
  principalId: emulator.aws.userId(user),
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

export const resultsOf = (step: StepRun): GrantResult[] =>
  JSON.parse(step.outputs.results ?? '[]') as GrantResult[];

/**
 * stdout and stderr as the runner reads them for workflow commands: a line ends at `\n` or at
 * `\r`, and leading white space is ignored before `::`.
 */
export const runnerLines = (step: StepRun): string[] =>
  [step.stdout, step.stderr].flatMap((text) => text.split(/\r\n|\r|\n/)).map((line) => line.trimStart());

/** Workflow commands a line of server text could forge. */
export const FORGED_COMMANDS = [
  '::warning::pwned',
  '::add-mask::secret',
  '::set-output',
  '::stop-commands',
  '::error::cr',
];

/** The lines of the step's log that start one of FORGED_COMMANDS. */
export const forgedCommands = (step: StepRun): string[] =>
  runnerLines(step).filter((line) => FORGED_COMMANDS.some((command) => line.startsWith(command)));

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
export async function awsQuiesce(emulator: Emulator): Promise<void> {
  const { creations, deletions } = emulator.aws.state;
  const pending = [...creations.values(), ...deletions.values()].filter((r) => r.status === 'IN_PROGRESS');
  const last = Math.max(0, ...pending.map((r) => r.completesAt));
  await sleep(Math.max(0, last - Date.now()) + 50);
}

/** The accounts an SSO Admin request was about (TargetId or AccountId of its input). */
export const accountOf = (input: Record<string, unknown> | undefined): string | undefined => {
  const account = input?.TargetId ?? input?.AccountId;
  return typeof account === 'string' ? account : undefined;
};
