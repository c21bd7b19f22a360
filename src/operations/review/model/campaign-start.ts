// When a review's campaign starts, by what only the default branch decides: a named campaign at
// the `start` its reviewers file gives (`campaigns: {drill: {start: 2026-12-01}}`) or input
// `campaign-start`; a quarter's campaign (`2026-Q4`) at the first run of the review's own workflow
// on the default branch (`schedule` or `workflow_dispatch`) in that quarter, which GitHub's Actions
// API lists. Nothing an issue says (its author, body, marker or creation time) moves it. Pure.
import { CloudAccessError } from '../../../core/errors.js';

/** The events whose runs start a quarter's campaign (and act at its due date). */
export const STARTING_EVENTS = ['schedule', 'workflow_dispatch'] as const;

/** A quarter's campaign (`<yyyy>-Q<n>`): its period, [from, to) in ISO 8601 UTC; undefined for a named one. */
export function quarterOf(campaign: string): { from: string; to: string } | undefined {
  const m = /^(\d{4})-Q([1-4])$/.exec(campaign);
  if (!m) return undefined;
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3;
  return {
    from: new Date(Date.UTC(year, first, 1)).toISOString(),
    to: new Date(Date.UTC(year, first + 3, 1)).toISOString(),
  };
}

/** The workflow file a run's GITHUB_WORKFLOW_REF names (`owner/repo/.github/workflows/<file>@<ref>`). */
export function workflowOf(
  ref: string | undefined,
  repository: string,
): { file: string; ref: string } | undefined {
  const m = /^([^/]+\/[^/]+)\/\.github\/workflows\/([A-Za-z0-9._-]+\.ya?ml)@(\S+)$/.exec(ref ?? '');
  if (!m || m[1]!.toLowerCase() !== repository.toLowerCase()) return undefined;
  return { file: m[2]!, ref: m[3]! };
}

/**
 * The ref a run is on, as its GITHUB_WORKFLOW_REF names it (the workflow's own ref), else as
 * GITHUB_REF says; undefined when neither does. A review acts only on its default branch: any run
 * elsewhere comes from a branch anyone who may push can write (its workflow, its inputs: a
 * `campaign-start` in the past, another `policy`), so there it only plans.
 */
export function runRefOf(
  workflowRef: string | undefined,
  ref: string | undefined,
  repository: string,
): string | undefined {
  return workflowOf(workflowRef, repository)?.ref ?? (ref || undefined);
}

export type StartSource =
  /** A named start: its ISO time and where it was given. */
  | { at: string; given: string }
  /** A quarter's campaign: the workflow whose first run in `period` starts it. */
  | { workflow: string; period: { from: string; to: string } };

/**
 * Where a campaign's start comes from, or why it cannot be known (an error naming the inputs).
 * `fileStart`: the reviewers file's `campaigns.<campaign>.start`; `inputStart`: `campaign-start`.
 */
export function startSource(at: {
  campaign: string;
  fileStart: string | undefined;
  inputStart: string | undefined;
  workflowRef: string | undefined;
  repository: string;
}): StartSource | CloudAccessError {
  const { campaign, fileStart, inputStart } = at;
  if (fileStart && inputStart && Date.parse(fileStart) !== Date.parse(inputStart))
    return new CloudAccessError(
      `campaign \`${campaign}\` starts at ${fileStart} in the reviewers file (\`campaigns.${campaign}.start\`) but at ${inputStart} by input \`campaign-start\``,
      {
        input: 'campaign-start',
        fix: 'give the start in one place: remove `campaign-start`, or make them agree',
      },
    );
  if (fileStart) return { at: fileStart, given: `\`campaigns.${campaign}.start\` in the reviewers file` };
  if (inputStart) return { at: inputStart, given: 'input `campaign-start`' };
  const period = quarterOf(campaign);
  if (!period)
    return new CloudAccessError(`campaign \`${campaign}\` has no start`, {
      input: 'campaign',
      fix: `give it one in the reviewers file (\`campaigns: {${campaign}: {start: 2026-12-01}}\`) or by input \`campaign-start\`; a quarter's campaign (\`2026-Q4\`) starts at its workflow's first run in the quarter`,
    });
  const workflow = workflowOf(at.workflowRef, at.repository);
  if (!workflow)
    return new CloudAccessError(
      `the run does not say which of this repository's workflows it is (GITHUB_WORKFLOW_REF), so campaign \`${campaign}\`'s first run cannot be read`,
      {
        input: 'campaign-start',
        fix: 'run the review on GitHub Actions, or give the campaign its start (`campaign-start`, or `campaigns` in the reviewers file)',
      },
    );
  return { workflow: workflow.file, period };
}
