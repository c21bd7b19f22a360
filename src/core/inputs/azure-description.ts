// The description an Azure assignment is written with: the workflow's `description`, or one that
// names the repository, workflow and run; and on an ephemeral assignment (`revoke-on-exit: true`)
// the run's marker after it, so that `operation: sweep` can end it if the post step never ran
// (core/run-marks.ts). A `duration` assignment carries none: Azure PIM ends it itself. Pure.
import { azureRunMarkOf, describedWithRunMarker, type AzureRunMark } from '../run-marks.js';
import type { WorkflowContext } from './config.js';
import type { InputReader, Problems } from './fields.js';

/** What ARM keeps of a role assignment's description (and a PIM request's justification). */
export const DESCRIPTION_MAX = 2048;

export function azureDescription(
  problems: Problems,
  read: InputReader,
  context: WorkflowContext,
  endsWithRun: boolean,
): string {
  const written = read('description').trim();
  const description = written || defaultDescription(context);
  if (azureRunMarkOf(written)) {
    // The sweep deletes a marked assignment of `created-by` once the marked run ends: a permanent
    // grant must never carry one, and a description (often built from text a person gave) never
    // chooses it.
    problems.add(
      'description',
      'ends with a cloud-access run marker (`[cloud-access:…:run:…]`), which only the action writes, on ephemeral assignments, for `operation: sweep`',
      'remove the marker from `description`',
    );
    return description;
  }
  if (description.length > DESCRIPTION_MAX) {
    problems.add('description', `is longer than ${DESCRIPTION_MAX} characters`);
    return description;
  }
  const mark = runMarkOf(context, endsWithRun);
  if (!mark) return description;
  const marked = describedWithRunMarker(description, mark);
  if (marked.length > DESCRIPTION_MAX)
    problems.add(
      'description',
      `is ${description.length} characters, and with the run marker revoke-on-exit appends (${marked.length - description.length} characters) longer than the ${DESCRIPTION_MAX} ARM keeps`,
      `shorten it to at most ${DESCRIPTION_MAX - (marked.length - description.length)} characters`,
    );
  return marked;
}

/**
 * The run an ephemeral step's assignments end with: the mark its description carries, and the
 * reliance it registers on an assignment another run's step made (core/state/azure-reliance.ts).
 * None outside a run (no repository, run ID or attempt): there is no run for a sweep to ask about.
 */
export function runMarkOf(context: WorkflowContext, endsWithRun: boolean): AzureRunMark | undefined {
  const { repository, runId, runAttempt } = context;
  if (!endsWithRun || !repository || !runId || !runAttempt) return undefined;
  return { repository, runId, attempt: runAttempt, ephemeral: true };
}

/** Who granted it, for whoever reads the assignment in the portal: the repository, workflow and run. */
function defaultDescription(context: WorkflowContext): string {
  return [
    'Granted by cloud-access',
    context.repository ? `for ${context.repository}` : '',
    context.workflow ? `workflow "${context.workflow}"` : '',
    context.runId ? `run ${context.runId}${context.runAttempt ? ` attempt ${context.runAttempt}` : ''}` : '',
    context.actor ? `started by ${context.actor}` : '',
    context.ref ? `on ${context.ref}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const DEFAULT_DESCRIPTION =
  /^Granted by cloud-access for ([A-Za-z0-9][\w.-]*\/[\w.-]+)(?: workflow ".*?")? run ([1-9]\d{0,19})(?: attempt ([1-9]\d{0,19}))?(?: |$)/u;

/**
 * The run a default description names (a step without `description` wrote it): a permanent grant
 * of that run when no run marker follows. Undefined for any other text.
 */
export function runOfDefaultDescription(
  description: string,
): { repository: string; runId: string; attempt: string } | undefined {
  const match = DEFAULT_DESCRIPTION.exec(description);
  if (!match) return undefined;
  return { repository: match[1]!, runId: match[2]!, attempt: match[3] ?? '1' };
}

/**
 * `github-token` of a step that may rely on another run's assignment: with it, a relying step
 * whose marker would not fit asks GitHub which runs of its repository named on the description
 * have ended, and takes out their markers to make room (core/state/azure-reliance.ts). Optional:
 * without it (or without `permissions: actions: read`) no marker is proven ended, and every one is
 * kept, as before.
 */
export function relianceRunsToken(
  problems: Problems,
  read: InputReader,
  endsWithRun: boolean,
): string | undefined {
  const token = read('github-token').trim();
  if (!endsWithRun || token === '') return undefined;
  // Never shown: only that it cannot be sent as a header.
  if (/[\s\p{Cc}]/u.test(token)) {
    problems.add('github-token', 'contains spaces or control characters', 'pass the token alone');
    return undefined;
  }
  return token;
}
