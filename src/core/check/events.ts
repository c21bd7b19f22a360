// Which workflow events may write, and what the run's event makes of a step that would. A reconcile
// (and a sweep) deletes what its input says it may: on an event whose workflow or checkout a pull
// request, a merge queue or an outsider chose, that code could choose what is deleted. So writes
// are allowed on a short list of events that run the repository's own code, pushed by someone with
// write access, and every other event, including events GitHub adds later, writes nothing: a
// reconcile plans there as if `dry-run` were set (planOnlyOn), and passes on `pull_request` and
// `merge_group` (PLAN_EVENTS) but fails on any other once the plan is shown; a sweep stops before
// any read (refusedEvent, the stop core/output/stopped.ts says). Pure.
import { CloudAccessError } from '../errors.js';
import type { StepConfig } from '../inputs/index.js';
import { printable } from '../inputs/fields.js';
import type { Stopped } from '../output/stopped.js';

/**
 * The events that may write, each with why its code is the repository's own. The workflow file and
 * the default checkout both come from the commit named here (GITHUB_SHA), which only someone with
 * write access can have put in the repository.
 */
export const WRITE_EVENTS: Readonly<Record<string, string>> = {
  push: 'the pushed commit, on a branch or tag of the repository',
  schedule: 'the last commit of the default branch',
  workflow_dispatch: 'a branch or tag of the repository, started by someone with write access',
  repository_dispatch: 'the last commit of the default branch, started through the API with write access',
  release: "the release's tag, published by someone with write access",
};
// Left out on purpose (they get the plan): `pull_request*` and `merge_group` run unmerged code;
// `pull_request_target`, `issue_comment`, `workflow_run`, `check_run` and `check_suite` are how a
// workflow acts on a pull request (it checks the pull request's code out); `deployment` and
// `deployment_status` run the deployed ref, which can be any commit, a pull request's head
// included; the rest (`issues`, `discussion`, `watch`, …) are started by anyone who can open an
// issue or star the repository, and no access change should hang on them.

/**
 * The events on which a reconcile that would write plans instead, as with `dry-run: true`, and
 * passes: the checks a change is reviewed by before it merges, where the plan is what a reviewer
 * wants. On every other event outside WRITE_EVENTS, a workflow that writes is a mistake to be
 * fixed (`pull_request_target` should never run a reconcile), so it is shown the plan and fails.
 */
export const PLAN_EVENTS: Readonly<Record<string, string>> = {
  pull_request: "a pull request's code, before it is reviewed and merged",
  merge_group: "a merge queue's candidate commit, before it is merged",
};

export interface WriteRefusal {
  reason: string;
  fix: string;
}

/**
 * Whether a step that would write may do so on this event: undefined when it may, otherwise why
 * not (ending in `outcome`, what the step did instead) and the fix. An unknown or missing event
 * name is refused: only the listed events write.
 */
export function writesRefusedFor(
  eventName: string | undefined,
  outcome = 'nothing was requested from the cloud',
): WriteRefusal | undefined {
  if (eventName !== undefined && Object.hasOwn(WRITE_EVENTS, eventName)) return undefined;
  const allowed = Object.keys(WRITE_EVENTS)
    .map((e) => `\`${e}\``)
    .join(', ');
  const event = eventName
    ? `on \`${printable(eventName)}\` events, which can run code the repository has not reviewed (a pull request's, a merge queue's, or code an outsider's event chose)`
    : 'when the event that started the run is not known (GITHUB_EVENT_NAME is empty)';
  return {
    reason: `writes are refused ${event}: only ${allowed} events write; ${outcome}`,
    fix: "set `dry-run: true` for this event (the plan), e.g. `dry-run: ${{ github.event_name != 'push' }}`, and apply on `push` to the default branch",
  };
}

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
 * What the run's event makes of a reconcile, decided before its manifest is read: whether it only
 * plans (planOnly, planOnlyOn), whether its plan cannot sign in (`skipped`, a fork's: forkPlanSkipped)
 * and, on an event refused outright, the refusal that stays the step's failure even then.
 */
export interface ReconcileEvent {
  planOnly?: PlanOnly;
  skipped?: string;
  refused?: Stopped;
}

export function reconcileEventOf(
  config: StepConfig,
  run: RunEvent,
  signsInWithToken: boolean,
): ReconcileEvent {
  const planOnly = planOnlyOn(config, run);
  const dryRun = config.dryRun || planOnly !== undefined;
  const skipped = forkPlanSkipped(run.eventName, dryRun, run.tokenEndpoint, signsInWithToken);
  const refused = planOnly && 'refused' in planOnly ? refusedEvent(config, run) : undefined;
  return {
    ...(planOnly ? { planOnly } : {}),
    ...(skipped ? { skipped } : {}),
    ...(refused ? { refused } : {}),
  };
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
