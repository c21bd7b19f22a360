// When a review's campaign started (model/campaign-start.ts says from what): a named start as
// given, or the first run of the review's own workflow on the default branch in the quarter, as
// GitHub's Actions API lists its runs (`actions: read`). A campaign whose start cannot be known
// stops the step before any GitHub write or cloud read, naming what would give it.
import { CloudAccessError } from '../../core/errors.js';
import type { Stopped } from '../../core/output/stopped.js';
import { STARTING_EVENTS, startSource } from './model/campaign-start.js';
import type { ReviewersFile } from './model/reviewers-file.js';
import type { ReviewApi } from '../../github/review-api.js';

export type CampaignStart =
  /** The start, ISO 8601 (null: no run has started it yet), and where it comes from, in words. */
  { startedAt: string | null; from: string } | { stopped: Stopped };

export async function readCampaignStart(
  api: Pick<ReviewApi, 'firstRun' | 'run'>,
  at: {
    campaign: string;
    file: ReviewersFile;
    inputStart: string | undefined;
    workflowRef: string | undefined;
    repository: string;
    defaultBranch: string;
    /** This run: its event, the ref it is on (model/campaign-start.ts, runRefOf) and its ID. */
    thisRun?: { event: string; ref: string | undefined; id: number | undefined };
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
  if (run) return { startedAt: run.createdAt, from: `${which} (${run.url || `run ${run.id}`})` };
  // GitHub lists a run from the moment it starts: this run, one that starts the campaign, listed
  // by none means the list is not the truth (the workflow's name, or what the token may see).
  // Its creation time is GitHub's (a run queued before the quarter started is not in it).
  const own = at.thisRun;
  const created =
    own?.id !== undefined &&
    (STARTING_EVENTS as readonly string[]).includes(own.event) &&
    own.ref === `refs/heads/${at.defaultBranch}`
      ? Date.parse((await api.run(own.id))?.createdAt ?? '')
      : NaN;
  if (created >= Date.parse(source.period.from) && created < Date.parse(source.period.to))
    return {
      stopped: {
        refused: [
          new CloudAccessError(
            `GitHub lists no run for ${which}, though this run is one: the campaign's start cannot be read`,
            {
              fix: `check that the job has \`permissions: actions: read\` and that GitHub knows the workflow as \`${source.workflow}\`, or give the campaign its start (\`campaign-start\`, or \`campaigns\` in the reviewers file)`,
            },
          ),
        ],
      },
    };
  return { startedAt: null, from: `${which}: none yet` };
}
