// Whether the run's event may write, checked first by every operation that deletes what its input
// says it may (reconcile, sweep): code from a pull request must not choose what is deleted. Which
// events write is core/inputs/write-events.ts; this is the stop a refused one makes
// (core/report/stopped.ts says it). Pure.
import { CloudAccessError } from '../errors.js';
import type { StepConfig } from '../inputs/index.js';
import { writesRefusedFor } from '../inputs/write-events.js';
import type { Stopped } from '../report/stopped.js';

/** What the runner's environment says about the run: its event, and whether it can get an OIDC token. */
export interface RunEvent {
  eventName: string | undefined;
  tokenEndpoint: string | undefined;
}

/** The run's event as the runner's environment says it. */
export function runEventOf(env: NodeJS.ProcessEnv): RunEvent {
  return { eventName: env.GITHUB_EVENT_NAME, tokenEndpoint: env.ACTIONS_ID_TOKEN_REQUEST_URL };
}

/** A run whose event may not write (outside a dry run) stops before anything is read. */
export function refusedEvent(config: StepConfig, run: RunEvent): Stopped | undefined {
  const refused = config.dryRun ? undefined : writesRefusedFor(run.eventName || undefined);
  return refused && { refused: [new CloudAccessError(refused.reason, { fix: refused.fix })] };
}

/**
 * A fork's pull request gets no OIDC token: its plan cannot sign in. Once the file itself is
 * checked, the step says so and ends well, rather than failing every outside contribution. Only on
 * events that get a plan only: on one that may write, a missing token is a set-up error.
 */
export function forkPlanSkipped(
  eventName: string | undefined,
  dryRun: boolean,
  tokenEndpoint: string | undefined,
  signsInWithToken: boolean,
): string | undefined {
  if (!dryRun || !signsInWithToken || tokenEndpoint || !eventName || !writesRefusedFor(eventName))
    return undefined;
  return `no OIDC token on this \`${eventName}\` run (a fork's pull request gets none): the manifest was checked, the plan against the cloud is skipped`;
}
