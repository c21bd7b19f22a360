// A review's campaign on GitHub: what a run reads (the campaign's issues by label, once: any issue
// with the label whose body opens with the campaign's marker, whoever opened it; the comments of
// these issues, a request per page; each reviewer login not pinned in the reviewers file, once a
// run; each team's members, once) and what it writes (an issue opened, or its body rewritten where
// it changed, and its continuation comments; at the due date its closing comments and its close).
// The step calls no write on a dry run or a `pull_request` run.
import { CloudAccessError } from '../../core/errors.js';
import type { Reviewer } from './model/reviewers.js';
import { readMarker } from './model/marker.js';
import { reopenedComment } from './model/closing.js';
import type { ReviewAssignment } from './model/rows.js';
import type { Cloud } from '../../core/types.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { CampaignPlan } from './issues-plan.js';
import type { IssuePlan, IssueRead } from './issue-plan.js';
import { reviewBranch } from './pull-request.js';

/** The label every campaign issue carries: the one list a run reads. */
export const REVIEW_LABEL = 'access-review';

export interface CampaignRead {
  issues: IssueRead[];
  /** Each reviewer login (lower-cased) → its account ID: pinned in the reviewers file, or resolved this run. */
  resolved: Map<string, number>;
  teams: Map<string, Map<string, number>>;
  /** Read only on a due run with a closed issue: whether the campaign's branch has a pull request (./issues-plan.ts). */
  removalPullMade?: boolean;
}

export async function readCampaign(
  api: ReviewApi,
  at: { campaign: string; cloud: Cloud; due?: boolean },
  assignment: ReviewAssignment,
): Promise<CampaignRead> {
  const listed = await api.campaignIssues(REVIEW_LABEL);
  // Every workflow with `issues: write` posts as the same bot: who opened an issue proves nothing.
  const ours = listed.filter((i) => {
    const m = readMarker(i.body);
    return m?.part === 1 && m.campaign === at.campaign && m.cloud === at.cloud;
  });
  const issues: IssueRead[] = [];
  for (const i of ours) issues.push({ ...i, comments: await api.comments(i.number) });
  const reviewers = assignment.groups.flatMap((g) => g.reviewers);
  // A login is the reviewer's account only as GitHub resolves it now, or as the file pins it: never
  // as an issue's marker says (anyone who may write an issue may write a marker).
  const resolved = new Map<string, number>();
  for (const r of reviewers)
    if ('login' in r && r.id !== undefined) resolved.set(r.login.toLowerCase(), r.id);
  for (const login of unique(reviewers.flatMap(loginOf)).filter((l) => !resolved.has(l))) {
    const user = await api.user(login);
    if (user) resolved.set(login, user.id);
  }
  const teams = new Map<string, Map<string, number>>();
  for (const team of unique(reviewers.flatMap(teamOf))) {
    const [org, slug] = team.split('/');
    teams.set(team, await api.teamMembers(org!, slug!));
  }
  // A closed issue at the due date is reopened where rows are left (./issues-plan.ts, reopening):
  // a manifest row is left unless the campaign's pull request was made.
  const closedAtDue = at.due === true && issues.some((i) => i.state === 'closed');
  const removalPullMade = closedAtDue
    ? (await api.anyPullOf(reviewBranch(at.campaign))) !== undefined
    : undefined;
  return { issues, resolved, teams, ...(removalPullMade === undefined ? {} : { removalPullMade }) };
}

const loginOf = (r: Reviewer): string[] => ('login' in r ? [r.login.toLowerCase()] : []);
const teamOf = (r: Reviewer): string[] => ('team' in r ? [`${r.org}/${r.team}`.toLowerCase()] : []);
const unique = (values: string[]): string[] => [...new Set(values)];

export interface IssueWritten {
  number: number;
  opened: boolean;
  /** Requests that changed the issue: the body, then each comment. */
  writes: number;
  /** Reopened this run: who closed it, when, and why it was reopened. */
  reopened?: string;
}

/**
 * The plan's issue writes, in order. A reviewer login that is no GitHub account stops the run
 * before any write, naming it: the issue would have no one to decide.
 */
export async function writeIssues(api: ReviewApi, plan: CampaignPlan): Promise<IssueWritten[]> {
  const unresolved = [...new Set(plan.issues.flatMap((i) => i.unresolved))];
  if (unresolved.length > 0)
    throw new CloudAccessError(
      `the reviewers file names ${unresolved.map((l) => `\`${l}\``).join(', ')}, which GitHub has no account for`,
      { fix: 'correct the login in the reviewers file on the default branch' },
    );
  const written: IssueWritten[] = [];
  for (const issue of plan.issues) {
    if (issue.closed) continue;
    let number = issue.number;
    let writes = 0;
    if (number === undefined) {
      ({ number } = await api.openIssue(issue.write!.title, issue.write!.body, REVIEW_LABEL));
      writes++;
    }
    const reopened = issue.reopen ? await reopenIssue(api, number, issue.reopen) : undefined;
    if (reopened) writes += 2;
    if (issue.number !== undefined && issue.write) {
      await api.updateIssue(number, issue.write);
      writes++;
    }
    for (const c of issue.comments) {
      if ('create' in c) await api.comment(number, c.create);
      else await api.updateComment(c.update, c.body);
      writes++;
    }
    written.push({ number, opened: issue.number === undefined, writes, ...(reopened ? { reopened } : {}) });
  }
  return written;
}

/**
 * A campaign issue closed by someone else, reopened: who closed it and when (GitHub's `closed_by`
 * and `closed_at`), said in a comment and in the log's line (returned).
 */
async function reopenIssue(api: ReviewApi, number: number, why: string): Promise<string> {
  const by = await api.closedBy(number);
  await api.updateIssue(number, { state: 'open' });
  await api.comment(number, reopenedComment(by, why));
  return `closed by ${by.login ?? 'an unknown account'} at ${by.at ?? 'an unknown time'} ${why}; its decisions still count`;
}

/**
 * At the due date: the closing comments, then (once `beforeClose` has recorded them) the issue
 * closed as completed. The first closing comment's address.
 */
export async function closeIssue(
  api: ReviewApi,
  number: number,
  closing: readonly string[],
  beforeClose: (commentUrl: string) => Promise<void> = () => Promise.resolve(),
): Promise<string> {
  let first: string | undefined;
  for (const body of closing) first ??= (await api.comment(number, body)).url;
  await beforeClose(first ?? '');
  await api.updateIssue(number, { state: 'closed' });
  return first ?? '';
}

/** Each reviewer set's issue number: found, or opened this run (writeIssues writes the open ones in order). */
export function issueNumbers(plan: CampaignPlan, written: readonly IssueWritten[]): Map<string, number> {
  const numberOf = issueNumberOf(plan, written);
  const numbers = new Map<string, number>();
  for (const i of plan.issues) {
    const number = numberOf(i);
    if (number !== undefined) numbers.set(i.group.key, number);
  }
  return numbers;
}

/** Each issue's number: found, or opened this run (writeIssues writes the open ones, in the plan's order). */
export function issueNumberOf(
  plan: CampaignPlan,
  written: readonly IssueWritten[],
): (issue: IssuePlan) => number | undefined {
  const numbers = new Map<IssuePlan, number | undefined>();
  let k = 0;
  for (const i of plan.issues) numbers.set(i, i.closed ? i.number : (written[k++]?.number ?? i.number));
  return (issue) => numbers.get(issue);
}
