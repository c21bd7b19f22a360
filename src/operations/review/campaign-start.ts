// When a review's campaign started (core/review/campaign-start.ts says from what): a named start as
// given, or the first run of the review's own workflow on the default branch in the quarter, as
// GitHub's Actions API lists its runs (`actions: read`). A campaign whose start cannot be known
// stops the step before any GitHub write or cloud read, naming what would give it.
import { CloudAccessError } from '../../core/errors.js';
import type { Stopped } from '../../core/output/stopped.js';
import { STARTING_EVENTS, startSource } from '../../core/review/campaign-start.js';
import type { ReviewersFile } from '../../core/review/reviewers-file.js';
import type { ReviewApi } from '../../github/review-api.js';

export type CampaignStart =
  /** The start, ISO 8601 (null: no run has started it yet), and where it comes from, in words. */
  { startedAt: string | null; from: string } | { stopped: Stopped };

export async function readCampaignStart(
  api: Pick<ReviewApi, 'firstRun'>,
  at: {
    campaign: string;
    file: ReviewersFile;
    inputStart: string | undefined;
    workflowRef: string | undefined;
    repository: string;
    defaultBranch: string;
  },
): Promise<CampaignStart> {
  const source = startSource({
    campaign: at.campaign,
    fileStart: at.file.campaignStarts?.get(at.campaign),
    inputStart: at.inputStart,
    workflowRef: at.workflowRef,
    repository: at.repository,
  });
  if (source instanceof CloudAccessError) return { stopped: { refused: [source] } };
  if ('at' in source) return { startedAt: source.at, from: source.given };
  const run = await api.firstRun(source.workflow, {
    branch: at.defaultBranch,
    events: STARTING_EVENTS,
    ...source.period,
  });
  const which = `the first \`schedule\` or \`workflow_dispatch\` run of \`${source.workflow}\` on \`${at.defaultBranch}\` in ${source.period.from.slice(0, 10)}..${source.period.to.slice(0, 10)}`;
  return run
    ? { startedAt: run.createdAt, from: `${which} (${run.url || `run ${run.id}`})` }
    : { startedAt: null, from: `${which}: none yet` };
}
