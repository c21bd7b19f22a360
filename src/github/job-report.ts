// Step outputs, log groups, annotations and the job summary of the assign, revoke and provision
// steps: what core/report/step.ts and core/report/results.ts build, handed to the runner's effects
// (./runner-effects.ts, which makes every text inert: most of it carries text a server sent).
import {
  emitStepReport,
  grantLog,
  grantsEnding,
  stoppedBeforeAnyGrant,
  type StepEnding,
} from '../core/report/step.js';
import type { GrantResult } from '../core/types.js';
import { runnerEffects } from './runner-effects.js';

/** One collapsed group per grant, printed when the grant ends so concurrent grants do not interleave. */
export function logGrant(result: GrantResult, dryRun: boolean): void {
  const { title, lines } = grantLog(result, dryRun);
  runnerEffects.group(title, lines);
}

export type { StepEnding } from '../core/report/step.js';

/**
 * The end of a step that stopped before its first grant (invalid inputs, a failed sign-in): every
 * output a failed step sets, a short job summary under `title` saying so, and the step failed.
 */
export async function finishBeforeAnyGrant(
  reasons: string[],
  headline: string,
  title: string,
): Promise<void> {
  await emitStepReport(stoppedBeforeAnyGrant(reasons, headline, title), runnerEffects);
}

/** The end of every step: outputs, job summary, annotations, and the step's exit status. */
export async function finish(results: GrantResult[], ending: StepEnding): Promise<void> {
  await emitStepReport(grantsEnding(results, ending), runnerEffects);
}
