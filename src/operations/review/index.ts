// `operation: review`: an access review as GitHub issues. The reviewers file at the default
// branch's head first (./reviewers-read.ts: every problem stops the step before any GitHub write
// or cloud read), then the report's read (../report/: the same scope, manifests and claims), each
// grant a row with its reviewers and, where asked, its last use (./review-usage.ts,
// ./assigned-rows.ts), the campaign's issues and their comments
// read (./campaign-github.ts), the plan (./issues-plan.ts: each issue opened or rewritten with
// every row's decision), written unless the run only plans (a dry run, a `pull_request` run), and
// the record (./record.ts): the `review` output's JSON and the job summary's counts.
import { campaignOf } from '../../core/inputs/review-inputs.js';
import { printable } from '../../core/inputs/fields.js';
import { runRefOf } from './model/campaign-start.js';
import { isDue } from './model/outcomes.js';
import type { ConfigOf } from '../../core/inputs/index.js';
import { emitStepReport, headerOf } from '../../core/output/step.js';
import { stoppedReport } from '../../core/output/stopped.js';
import type { ReviewersFile } from './model/reviewers-file.js';
import { withReadProgress } from '../../engine/calls/read-progress.js';
import { TeamNotFoundError, type ReviewApi } from '../../github/review-api.js';
import { CloudAccessError } from '../../core/errors.js';
import type { Reviewer } from './model/reviewers.js';
import { readAccess, type ReportSources } from '../report/index.js';
import type { EventRunner, StepRunner } from '../runner.js';
import type { Session } from '../step-session.js';
import { issueNumberOf, readCampaign, writeIssues, type IssueWritten } from './campaign-github.js';
import { readCampaignStart } from './campaign-start.js';
import { ownAccessOf, readPeople } from './self-review.js';
import { actAtDueDate, type DueDateContext } from './due-date.js';
import { closeMovedIssues } from './moved-close.js';
import { planCampaign, type CampaignPlan } from './issues-plan.js';
import { issueRecord } from './record.js';
import { reviewEnding } from './review-report.js';
import { assignRows } from './assigned-rows.js';
import { readReviewUsage } from './review-usage.js';
import { readReviewers } from './reviewers-read.js';

/** Where a review reads from and writes to. */
export interface ReviewSources extends Pick<ReportSources, 'readManifest' | 'readPrevious' | 'openReader'> {
  /** GitHub's API with `github-token`, on the run's repository. */
  github(): Promise<ReviewApi>;
  /** Writes the `review` JSON under RUNNER_TEMP; its path. */
  writeRecord(json: string): Promise<string>;
  /** The grants' session, as a revoke's (with `audit-log`'s trail): what acts at the due date. */
  openGrants(signal: AbortSignal): Promise<Session>;
}

/** The events a review acts on at the due date; any other only rewrites its tables. */
const ACTING_EVENTS = ['schedule', 'workflow_dispatch'];

export async function runReview(
  config: ConfigOf<'review'>,
  runner: EventRunner,
  sources: ReviewSources,
  now: () => number,
): Promise<void> {
  const { effects } = runner;
  const campaign = config.review.campaign ?? campaignOf(now());
  const header = headerOf(config);
  const api = await sources.github();
  const basis = await readBasis(api, config, runner, campaign);
  if ('stopped' in basis) return emitStepReport(stoppedReport(basis.stopped, header), effects);
  const { reviewers, start, plansOnly } = basis;
  if (basis.offDefaultBranch) effects.warning(basis.offDefaultBranch);
  // Groups' members are read as `expand-groups` reads them (core/inputs/review-inputs.ts).
  const access = await readAccess({ ...config, operation: 'report' }, runner, sources, now);
  if (!access) return;
  // Who last used each row, where the reviewers file (`revoke-unused`) or `last-used: true` asks.
  const usage = await readReviewUsage(config.report.usage, reviewers.file, access, effects, now());
  const assignment = await assignRows(
    { ...access, rows: usage.rows },
    reviewers.file,
    effects,
    usage.evidence,
  );
  const ownAccess = basis.people && ownAccessOf(basis.people, assignment, access.rows);
  // Due only by both the runner's clock and GitHub's (the earlier): a runner's clock that runs ahead does not act early.
  const at = new Date(Math.min(now(), api.githubNow() ?? Infinity));
  const planned = async () => {
    const due = isDue(start.startedAt ?? '', reviewers.file.due.ms, at);
    const read = await readCampaign(api, { campaign, cloud: config.cloud, due }, assignment);
    return planCampaign({
      campaign,
      cloud: config.cloud,
      assignment,
      file: reviewers.file,
      ...read,
      startedAt: start.startedAt,
      ...(ownAccess ? { ownAccess } : {}),
      now: at,
      // A run that only plans says what a run that acts would do; it acts on nothing (below).
      mayAct: plansOnly || ACTING_EVENTS.includes(runner.env.GITHUB_EVENT_NAME ?? ''),
    });
  };
  // GitHub's answers can be slow too: a campaign's issues and comments, read and written, say so.
  const say = (line: string) => effects.info(line);
  const plan = await withReadProgress("the campaign's issues and comments on GitHub", planned, {
    say,
  }).catch(atTeamLine(reviewers.file, config.review.reviewers));
  // A campaign whose issues are all closed is over: a run changes nothing (nor opens a new issue).
  const writes = !plansOnly && !plan.closed;
  const written: IssueWritten[] = writes
    ? await withReadProgress("the campaign's issues on GitHub", () => writeIssues(api, plan), {
        say,
        doing: 'writing',
      })
    : [];
  warnOfCopies(plan, campaign, effects);
  // One sign-in for the run's cloud writes and audit records, opened only when one is needed.
  let grants: Promise<Session> | undefined;
  const acting: DueDateContext = {
    ...{ config, campaign, api, effects, now },
    openGrants: (signal) => (grants ??= sources.openGrants(signal)),
    accountsUnder: async (units) => (await access.reader.accountsUnder?.(units)) ?? new Map(),
  };
  const moved = await closeMovedIssues(plan, written, { ...acting, writes, plansOnly });
  const closed = writes ? await actAtDueDate(plan, acting) : new Map();
  // writeIssues writes every open issue in the plan's order, and skips the closed ones.
  const numberOf = issueNumberOf(plan, written);
  const records = plan.issues.map((i) => closed.get(i)?.record ?? issueRecord(i, numberOf(i)));
  const path = await sources.writeRecord(`${JSON.stringify([...records, ...moved], null, 2)}\n`);
  const ending = reviewEnding({
    header,
    campaign,
    plan,
    written,
    records,
    path,
    plansOnly,
    closed: [...closed.values()].filter((c) => c.finished).length,
    keptOpen: [...closed.values()].filter((c) => !c.finished).length,
    requests: api.requests(),
  });
  await emitStepReport(ending, effects);
}

/**
 * Whether the run only plans, writing nothing: a dry run, a pull request's, or one on `ref`
 * (model/campaign-start.ts, runRefOf) other than the default branch, with the warning that says why.
 */
function onlyPlans(
  config: Pick<ConfigOf<'review'>, 'dryRun'>,
  event: string,
  ref: string | undefined,
  defaultBranch: string,
): { plansOnly: boolean; offDefaultBranch?: string } {
  if (config.dryRun || event === 'pull_request' || event === 'pull_request_target')
    return { plansOnly: true };
  if (ref === `refs/heads/${defaultBranch}`) return { plansOnly: false };
  const where = ref
    ? `on \`${printable(ref)}\``
    : 'on a ref neither GITHUB_WORKFLOW_REF nor GITHUB_REF names';
  return {
    plansOnly: true,
    offDefaultBranch: `review: this run is ${where}, not the default branch \`${defaultBranch}\`: it only plans (no issue written, nothing revoked). A review acts only from the default branch, whose workflow, inputs and reviewers file its reviewers vouch for; run it there (\`schedule\`, or \`workflow_dispatch\` on \`${defaultBranch}\`)`,
  };
}

/** GITHUB_RUN_ID as a run's ID, or undefined. */
const runIdOf = (text: string | undefined): number | undefined =>
  /^[1-9]\d{0,15}$/.test(text ?? '') ? Number(text) : undefined;

/** A team GitHub answers 404 for, at the line of the reviewers file that names it. */
const atTeamLine =
  (file: ReviewersFile, path: string) =>
  (failure: unknown): never => {
    if (!(failure instanceof TeamNotFoundError)) throw failure;
    const named = (r: Reviewer) =>
      'team' in r && `${r.org}/${r.team}`.toLowerCase() === `${failure.org}/${failure.team}`.toLowerCase();
    const entry = file.entries.find((e) => e.reviewers.some(named));
    throw new CloudAccessError(
      `${failure.message}: check the name (${entry ? `${path}:${entry.line}` : `\`default-reviewers\` of ${path}`})`,
      failure.fix === undefined ? {} : { fix: failure.fix },
    );
  };

/** A later issue with a campaign issue's marker: anyone who may write issues may copy a marker. */
function warnOfCopies(plan: CampaignPlan, campaign: string, effects: StepRunner['effects']): void {
  for (const d of plan.duplicates ?? [])
    effects.warning(
      `review: issue #${d.number} (${d.url}, opened by ${d.author ?? 'a deleted account'}) bears the marker of campaign ${campaign}'s issue #${d.of}: its tables are not read, and it is not the campaign's (anyone who may write issues may copy a marker); reviewers' decisions in it still count. Close it if it is not yours.`,
    );
  for (const p of plan.planted ?? [])
    effects.warning(
      `review: issue #${p.number} (${p.url}, opened by ${p.author ?? 'a deleted account'}) bears campaign ${campaign}'s marker but was closed at ${p.closedAt}, before the campaign started (${plan.startedAt}): it is not the campaign's (anyone who may write issues may copy a marker), and is left as it is; nothing in it decides.`,
    );
}

/**
 * What the default branch says before any cloud read: the reviewers file, when the campaign
 * started (never from an issue), whether this run only plans, and who each reviewer is in the cloud
 * (the policy's `people`, for self-review). Each problem stops the step before any GitHub write or
 * cloud read. The run's ref is read once, on the repository the API is on (the run's own).
 */
async function readBasis(api: ReviewApi, config: ConfigOf<'review'>, runner: EventRunner, campaign: string) {
  const { effects, env } = runner;
  const reviewers = await readReviewers(api, config.review.reviewers);
  if ('stopped' in reviewers) return reviewers;
  effects.info(`review: campaign ${campaign}; reviewers file ${reviewers.where}`);
  const event = env.GITHUB_EVENT_NAME ?? '';
  const ref = runRefOf(env.GITHUB_WORKFLOW_REF, env.GITHUB_REF, api.repository);
  const start = await readCampaignStart(api, {
    campaign,
    file: reviewers.file,
    inputStart: config.review.campaignStart,
    workflowRef: env.GITHUB_WORKFLOW_REF,
    repository: api.repository,
    defaultBranch: reviewers.defaultBranch,
    thisRun: { event, ref, id: runIdOf(env.GITHUB_RUN_ID) },
  });
  if ('stopped' in start) return start;
  effects.info(`review: campaign ${campaign} started: ${start.startedAt ?? 'not yet'}, by ${start.from}`);
  const only = onlyPlans(config, event, ref, reviewers.defaultBranch);
  const people = await readPeople(
    api,
    { path: config.review.policy, cloud: config.cloud, allowed: reviewers.file.selfReview === true },
    effects,
  );
  if ('stopped' in people) return people;
  return { reviewers, start, ...only, people: people.people };
}
