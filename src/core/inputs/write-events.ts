// Which workflow events may write. A reconcile (and a sweep) deletes what its input says it may:
// on an event whose workflow or checkout a pull request, a merge queue or an outsider chose, that
// code could choose what is deleted. So writes are allowed on a short list of events that run the
// repository's own code, pushed by someone with write access, and every other event, including
// events GitHub adds later, writes nothing: a reconcile plans there as if `dry-run` were set, and
// passes on `pull_request` and `merge_group` (PLAN_EVENTS) but fails on any other once the plan is
// shown; a sweep stops before any read. Pure.
import { printable } from './fields.js';

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
