// Whether the run's event may write, for every operation that deletes what its input says it may
// (reconcile, sweep): code from a pull request must not choose what is deleted. Which events write
// is core/inputs/write-events.ts. A sweep stops on a refused event before anything is read (the
// stop core/output/stopped.ts says); a reconcile plans instead, and never writes (planOnlyOn). Pure.
import { CloudAccessError } from '../errors.js';
import type { StepConfig } from '../inputs/index.js';
import { PLAN_EVENTS, writesRefusedFor, type WriteRefusal } from '../inputs/write-events.js';
import type { Stopped } from '../output/stopped.js';

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
 * How a reconcile runs on an event that may not write, outside a dry run: always as a dry run.
 * `planned`: a pull request's or a merge queue's check, which wants the plan; the step passes
 * unless the plan itself is refused, and says at notice level why it wrote nothing. `refused`: any
 * other event; the plan is shown all the same, and the step fails naming the event and the fix.
 * Undefined: the event may write, or `dry-run` is set.
 */
export type PlanOnly = { planned: string } | { refused: WriteRefusal };

export function planOnlyOn(config: Pick<StepConfig, 'dryRun'>, run: RunEvent): PlanOnly | undefined {
  if (config.dryRun) return undefined;
  const event = run.eventName || undefined;
  const refused = writesRefusedFor(event, 'the plan was not applied, nothing was written');
  if (!refused) return undefined;
  if (event && Object.hasOwn(PLAN_EVENTS, event))
    return {
      planned: `nothing was written: on \`${event}\` events a reconcile plans only, as with \`dry-run: true\` (code not yet merged must not choose what is deleted); it applies on \`push\` once merged`,
    };
  return { refused };
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
