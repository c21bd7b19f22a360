// The `--post` entry `npm run local-action` (./local-action.ts) gives @github/local-action, which
// runs the main step and then this in one process, with its own stand-in for @actions/core. Here:
// the post step as the runner runs it at the end of the job, given the state the main step saved
// (read back through that stand-in's getState) as STATE_* variables, and only when that state
// leaves something to revoke, as src/post.ts decides, unless `--no-post` left it out
// (CLOUD_ACCESS_LOCAL_SKIP_POST). The action sets the exit code of a failed
// step itself (src/github/log.ts), so each step's outcome is the exit code it left; both are
// written for ./local-action.ts to the file CLOUD_ACCESS_LOCAL_OUTCOME names (by
// ./local-action-sub.ts, for a sub-action that has no post step).
import { writeFileSync } from 'node:fs';

export interface LocalOutcome {
  mainFailed: boolean;
  /** Absent when the main step saved nothing to revoke. */
  postFailed?: boolean;
}

export async function run(): Promise<void> {
  const outcome: LocalOutcome = { mainFailed: Boolean(process.exitCode) };
  const { getState } = await import('@actions/core');
  const { ENTRY_KEY_PREFIX, HEADER_KEY } = await import('../../src/core/state/state-keys.js');
  const header = getState(HEADER_KEY);
  let count = 0;
  try {
    count = Number((JSON.parse(header) as { count?: unknown }).count) || 0;
  } catch {
    // No header: the main step saved nothing.
  }
  const state: Record<string, string> = { [HEADER_KEY]: header };
  for (let i = 0; i < count; i++) state[`${ENTRY_KEY_PREFIX}${i}`] = getState(`${ENTRY_KEY_PREFIX}${i}`);
  for (const [name, value] of Object.entries(state)) if (value) process.env[`STATE_${name}`] = value;
  const { whyNothingToRevoke } = await import('../../src/steps/post-gate.js');
  if (!whyNothingToRevoke(process.env) && process.env.CLOUD_ACCESS_LOCAL_SKIP_POST) {
    console.log(
      '\nThe post step (revoke-on-exit) is left out (--no-post), as in a job still running: what the main step created stays, claimed by this run (GITHUB_RUN_ID), for a reconcile or a report run next to see.',
    );
  } else if (!whyNothingToRevoke(process.env)) {
    console.log('\nThe post step (revoke-on-exit), as the runner runs it at the end of the job:');
    process.exitCode = 0;
    const { runPostStep } = await import('../../src/index.js');
    await runPostStep();
    outcome.postFailed = Boolean(process.exitCode);
    process.exitCode = outcome.mainFailed || outcome.postFailed ? 1 : 0;
  }
  recordOutcome(outcome);
}

/** The steps' outcome, for ./local-action.ts. */
export function recordOutcome(outcome: LocalOutcome): void {
  const file = process.env.CLOUD_ACCESS_LOCAL_OUTCOME;
  if (file) writeFileSync(file, JSON.stringify(outcome));
}
