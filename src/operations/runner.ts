// The runner as a step receives it: its inputs, environment and run, its effects (log, annotations,
// outputs, job summary: core/output/step.ts), the state the main step leaves its post step
// (core/state/saved-state.ts), and the job's cancellation. The steps take it as a parameter, as
// actions/cache passes its state provider, so their logic is tested over a recorded runner
// (__tests__/steps/) without a bundle; thisJob() is the real one, through github/ and @actions/core.
import { getInput } from '@actions/core';
import type { WorkflowContext } from '../core/run-context.js';
import type { RunnerEffects } from '../core/output/step.js';
import type { StepState } from '../core/state/saved-state.js';
import { runnerEffects } from '../github/runner-effects.js';
import { workflowContext } from '../github/run-context.js';
import { runnerState } from '../github/state.js';
import { exitOnceFlushed } from '../github/step-end.js';

/** How long a cancelled step waits for its last lines to reach the runner (which kills it 7.5 s after SIGINT). */
const CANCELLED_FLUSH_MS = 5_000;

export interface StepRunner {
  effects: RunnerEffects;
  state: StepState;
  /** The step's input `name` as the runner gives it ('' when not set). */
  input(name: string): string;
  /** The job's environment: the variables the inputs fall back on, GITHUB_EVENT_NAME, the token endpoint. */
  env: NodeJS.ProcessEnv;
  /** The run this step belongs to, as GitHub describes it. */
  run(): WorkflowContext;
  /**
   * Calls `stop` when the runner cancels the job (SIGINT, then SIGTERM), after which the step is
   * ended; returns how to stop listening.
   */
  onCancel(stop: (signal: string) => void): () => void;
}

/** The runner as an operation that weighs the run's event sees it: its effects, and the environment that names the event. */
export type EventRunner = Pick<StepRunner, 'effects' | 'env'>;

export function thisJob(): StepRunner {
  return {
    effects: runnerEffects,
    state: runnerState(process.env),
    input: (name) => getInput(name),
    env: process.env,
    run: workflowContext,
    onCancel: (stop) => {
      const onSignal = (signal: NodeJS.Signals) => {
        stop(signal);
        // Ended with its last lines (stop's warning among them) on their way to the runner.
        process.exitCode = 1;
        void exitOnceFlushed(CANCELLED_FLUSH_MS);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    },
  };
}
