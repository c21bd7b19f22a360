// A campaign at its due date, on a run that acts (`schedule`, `workflow_dispatch`; never a dry run,
// a `pull_request` or an `issue_comment` run): a manifest's rows are removed by one pull request
// (./pull-request.ts), then the rows to revoke directly are revoked as `revoke`
// revokes them, each one grant of the engine's write plan (engine/run/run-grants.ts), so a kind's
// effects run on it (AWS: `end-sessions`'s session fences) and `audit-log` records each change;
// a claimed row is left to end by itself. Then each issue gets its closing comment (every row's
// outcome, server text inert), its audit record, and is closed; an issue with a row not carried
// out (a revoke that failed, a manifest's row no pull request removes) gets the same comment
// saying so and stays open, for the next run to retry what is left.
import type { ConfigOf } from '../../core/inputs/index.js';
import { emitGrantLog } from '../../core/output/grants-ending.js';
import { effectFailureOf, effectLiveUntilOf, effectWarningsOf } from '../../core/output/effects.js';
import { allCarriedOut, closingComments, type RevokeResult } from './model/closing.js';
import { CloudAccessError } from '../../core/errors.js';
import type { RowOutcome } from './model/outcomes.js';
import type { UnitAccounts } from '../../core/inputs/org-targets.js';
import { revokeGrantOf } from './model/revoke-grants.js';
import type { Grant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { withoutUndefined, type OwnRecord, type RecordBody } from '../../engine/audit/record.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { runGrants } from '../../engine/run/run-grants.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { PullRequestRef } from '../../github/review-pulls.js';
import type { StepRunner } from '../runner.js';
import type { Session } from '../step-session.js';
import { closeIssue } from './campaign-github.js';
import { removeByPullRequest } from './pull-request.js';
import type { CampaignPlan } from './issues-plan.js';
import type { IssuePlan } from './issue-plan.js';
import { issueRecord, type IssueRecord } from './record.js';

export interface DueDateContext {
  config: ConfigOf<'review'>;
  campaign: string;
  api: ReviewApi;
  /** The grants' session (signed in as a revoke's, with `audit-log`'s trail): opened only when needed. */
  openGrants(signal: AbortSignal): Promise<Session>;
  /** The accounts under a manifest's OU, root and path targets (the report's read's session). */
  accountsUnder(units: readonly string[]): Promise<Map<string, UnitAccounts>>;
  effects: StepRunner['effects'];
  now: () => number;
}

/** An issue due this run: its record, with every outcome; closed only when every row was carried out. */
export interface IssueClosed {
  number: number;
  record: IssueRecord;
  /** Every row was carried out and the issue closed; false: it stays open, its rows to retry. */
  finished: boolean;
}

/** The issues of the plan due and open, with their outcomes (planCampaign computes them only then). */
export const dueIssues = (plan: CampaignPlan): (IssuePlan & { number: number; outcomes: RowOutcome[] })[] =>
  plan.issues.filter(
    (i): i is IssuePlan & { number: number; outcomes: RowOutcome[] } =>
      i.outcomes !== undefined && i.number !== undefined && !i.closed,
  );

/**
 * Removes the due issues' manifest rows by pull request, revokes their rows to revoke, then closes
 * each issue; the issues closed, by plan entry.
 */
export async function actAtDueDate(
  plan: CampaignPlan,
  context: DueDateContext,
): Promise<Map<IssuePlan, IssueClosed>> {
  const closed = new Map<IssuePlan, IssueClosed>();
  const due = dueIssues(plan);
  if (due.length === 0) return closed;
  // The manifest's rows first: one pull request for the campaign, whatever issues list them. Only
  // GitHub is written, so a refusal (its permission) stops the run before any cloud write, and the
  // next run, which finds the pull request open, goes on from there.
  const pull = await removeByPullRequest(
    context.api,
    context.campaign,
    due.flatMap((i) => i.outcomes),
    context.accountsUnder,
    new Map(due.flatMap((i) => i.outcomes.map((o) => [o.rowId, i.number] as const))),
  ).catch((failure: unknown) => refusedPull(failure, due));
  const results = new Map<string, RevokeResult>(pull.left);
  if (pull.pullRequest)
    context.effects.info(`review: manifest rows removed by pull request ${pull.pullRequest.url}`);
  const toRevoke = due.flatMap((i) => i.outcomes.filter((o) => o.outcome === 'revoke'));
  const grants: { rowId: string; grant: Grant }[] = [];
  for (const o of toRevoke) {
    const grant = revokeGrantOf(o.row!);
    if (typeof grant === 'string') results.set(o.rowId, { status: 'failed', detail: grant });
    else grants.push({ rowId: o.rowId, grant });
  }
  // Signed in only when there is something to write: a revoke, or an audit record.
  const session =
    grants.length > 0 || context.config.auditLog
      ? await context.openGrants(new AbortController().signal)
      : undefined;
  if (session && grants.length > 0)
    for (const [rowId, result] of await revokeGrants(grants, session, context)) results.set(rowId, result);
  for (const issue of due) {
    const done = await closeDueIssue(issue, results, session?.audit, pull.pullRequest, context);
    closed.set(issue, { number: issue.number, ...done });
  }
  return closed;
}

/**
 * GitHub refused the pull request (a permission, a branch left without one): its rows are left for
 * removal by hand, with GitHub's refusal and its fix, and the rows to revoke directly still are.
 */
function refusedPull(
  failure: unknown,
  due: readonly { outcomes: RowOutcome[] }[],
): Awaited<ReturnType<typeof removeByPullRequest>> {
  if (!(failure instanceof CloudAccessError)) throw failure;
  const rows = due.flatMap((i) => i.outcomes.filter((o) => o.outcome === 'pull-request'));
  const detail = `no pull request: ${failure.describe()}`;
  return {
    pullRequest: undefined,
    left: new Map(rows.map((o) => [o.rowId, { status: 'skipped' as const, detail }])),
  };
}

/** The grants revoked through the engine, as a revoke runs them; each row's result. */
async function revokeGrants(
  grants: readonly { rowId: string; grant: Grant }[],
  session: Session,
  context: DueDateContext,
): Promise<Map<string, RevokeResult>> {
  const { config, effects } = context;
  const list = grants.map((g) => g.grant);
  effects.info(`review: revoking ${list.length} row(s) decided \`revoke\` on ${config.cloud}`);
  await session.driver.prepare({ operation: 'revoke', grants: list, proveOwnership: false });
  const done = await runGrants<Grant>(list, session.driver, {
    operation: 'revoke',
    dryRun: false,
    wait: config.wait,
    maxConcurrency: config.maxConcurrency,
    deadline: session.deadline,
    progress: new BatchProgress((line) => effects.info(line), 'revokes'),
    ...(session.audit ? { audit: session.audit } : {}),
    onResult: (result) => emitGrantLog(result, false, effects),
  });
  const warnings = done.flatMap((r) => [r.warning, ...effectWarningsOf([r]), effectFailureOf(r)]);
  for (const warning of new Set(warnings)) if (warning) effects.warning(warning);
  return new Map(done.map((result, i) => [grants[i]!.rowId, revokeResultOf(result)]));
}

/** What a revoke's result comes to in the closing comment and the record. */
export function revokeResultOf(result: GrantResult): RevokeResult {
  // What the revoke's effects left: until when the access stays usable, why they failed or were not made.
  const liveUntil = effectLiveUntilOf(result);
  const live = liveUntil ? { sessionsLiveUntil: liveUntil } : {};
  const effectSaid = effectFailureOf(result) ?? effectWarningsOf([result])[0];
  if (result.status === 'FAILED')
    return { status: 'failed', detail: result.failureReason ?? effectFailureOf(result) ?? 'failed', ...live };
  if (result.status === 'IN_PROGRESS')
    return {
      status: 'in-progress',
      detail: result.failureReason ?? 'not ended when the step stopped waiting',
    };
  if (result.change === 'delete' && result.changed) return { status: 'revoked', detail: effectSaid, ...live };
  return {
    status: 'skipped',
    detail: result.before === 'absent' ? 'already absent' : (result.note ?? 'left in place'),
  };
}

/**
 * An issue's closing comment, its audit record (before the close), and the close; where a row was
 * not carried out, the comment says so and the issue stays open.
 */
async function closeDueIssue(
  issue: IssuePlan & { number: number; outcomes: RowOutcome[] },
  results: ReadonlyMap<string, RevokeResult>,
  audit: AuditTrail | undefined,
  pullRequest: PullRequestRef | undefined,
  context: DueDateContext,
): Promise<{ record: IssueRecord; finished: boolean }> {
  const content = {
    campaign: context.campaign,
    outcomes: issue.outcomes,
    results,
    pullRequest,
    dryRun: false,
  };
  const closing = closingComments(content);
  const closeWith = (at: string | undefined, commentUrl: string) =>
    issueRecord(issue, issue.number, {
      outcomes: issue.outcomes,
      results,
      at,
      commentUrl,
      ...(pullRequest ? { pullRequest: pullRequest.url } : {}),
    });
  if (!allCarriedOut(content)) {
    let first = '';
    for (const body of closing) first ||= (await context.api.comment(issue.number, body)).url;
    context.effects.info(
      `review: #${issue.number} stays open: rows not carried out (see its comment ${first})`,
    );
    return { record: closeWith(undefined, first), finished: false };
  }
  let record = issueRecord(issue, issue.number);
  await closeIssue(context.api, issue.number, closing, async (commentUrl) => {
    record = closeWith(new Date(context.now()).toISOString(), commentUrl);
    if (!audit) return;
    audit.recordChange(
      `close of campaign issue #${issue.number}`,
      reviewCloseRecord(context.config.cloud, record),
    );
    await audit.settled();
  });
  context.effects.info(`review: closed #${issue.number} (${issue.outcomes.length} row(s))`);
  return { record, finished: true };
}

/** The audit record of a campaign issue at its close (`review-close`), in the form of every record. */
export const reviewCloseRecord = (
  cloud: 'aws' | 'azure',
  record: IssueRecord,
): RecordBody<ReviewCloseRecord> =>
  withoutUndefined({
    change: 'review-close' as const,
    cloud,
    review: record,
  });

/** A campaign issue's record at its close: its rows, decisions and outcomes, as the review builds them. */
type ReviewCloseRecord = OwnRecord<'review-close', { review: IssueRecord }>;
