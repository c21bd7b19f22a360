// A review's campaign on GitHub: what a run reads (the campaign's issues by label, once; the
// comments of this campaign's issues, a request per page; each reviewer login of an issue still
// to open, once; each team's members, once) and what it writes (an issue opened, or its body
// rewritten where it changed, and its continuation comments; at the due date its closing comments
// and its close). The step calls no write on a dry run or a `pull_request` run.
import { CloudAccessError } from '../../core/errors.js';
import type { Reviewer } from '../../core/review/reviewers.js';
import { readMarker } from '../../core/review/marker.js';
import { reopenedComment } from '../../core/review/closing.js';
import type { ReviewAssignment } from '../../core/review/rows.js';
import type { Cloud } from '../../core/types.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { CampaignPlan, IssueRead } from './issues-plan.js';

/** The label every campaign issue carries: the one list a run reads. */
export const REVIEW_LABEL = 'access-review';

export interface CampaignRead {
  issues: IssueRead[];
  resolved: Map<string, number>;
  teams: Map<string, Map<string, number>>;
}

export async function readCampaign(
  api: ReviewApi,
  at: { campaign: string; cloud: Cloud },
  assignment: ReviewAssignment,
): Promise<CampaignRead> {
  const listed = await api.campaignIssues(REVIEW_LABEL);
  const ours = listed.filter((i) => {
    const m = readMarker(i.body);
    return i.author?.type === 'Bot' && m?.part === 1 && m.campaign === at.campaign && m.cloud === at.cloud;
  });
  const issues: IssueRead[] = [];
  for (const i of ours) issues.push({ ...i, comments: await api.comments(i.number) });
  const keys = new Set(ours.map((i) => readMarker(i.body)!.key));
  const reviewers = assignment.groups.flatMap((g) =>
    g.reviewers.map((r) => ({ r, opened: keys.has(g.key) })),
  );
  const resolved = new Map<string, number>();
  for (const login of unique(reviewers.filter((x) => !x.opened).flatMap((x) => loginOf(x.r)))) {
    const user = await api.user(login);
    if (user) resolved.set(login, user.id);
  }
  const teams = new Map<string, Map<string, number>>();
  for (const team of unique(reviewers.flatMap((x) => teamOf(x.r)))) {
    const [org, slug] = team.split('/');
    teams.set(team, await api.teamMembers(org!, slug!));
  }
  return { issues, resolved, teams };
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
  return (await writeOpening(api, plan)).written;
}

/** writeIssues, and when GitHub created the first issue it opened (`created_at`), if it opened one. */
async function writeOpening(
  api: ReviewApi,
  plan: CampaignPlan,
): Promise<{ written: IssueWritten[]; firstOpenedAt: string | undefined }> {
  const unresolved = [...new Set(plan.issues.flatMap((i) => i.unresolved))];
  if (unresolved.length > 0)
    throw new CloudAccessError(
      `the reviewers file names ${unresolved.map((l) => `\`${l}\``).join(', ')}, which GitHub has no account for`,
      { fix: 'correct the login in the reviewers file on the default branch' },
    );
  const written: IssueWritten[] = [];
  let firstOpenedAt: string | undefined;
  for (const issue of plan.issues) {
    if (issue.closed) continue;
    let number = issue.number;
    let writes = 0;
    let openedAt: string | undefined;
    if (number === undefined) {
      ({ number, createdAt: openedAt } = await api.openIssue(
        issue.write!.title,
        issue.write!.body,
        REVIEW_LABEL,
      ));
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
    firstOpenedAt ??= openedAt;
  }
  return { written, firstOpenedAt };
}

/**
 * The plan's issue writes, as writeIssues makes them; on a campaign's first run, then its bodies
 * written again from `planAgain` where the due date moved. The campaign starts when GitHub created
 * its first issue (`created_at`, which no edit of the issue moves): a first run wrote the due date
 * from its own clock, a moment earlier, and where `dueMoved` says that shows another minute, the
 * next run would find the issue to rewrite. Only the text is written again: the run acts on `plan`
 * alone (its campaign started with it, so it is not due). What was written, in `plan`'s order.
 */
export async function writeCampaign(
  api: ReviewApi,
  plan: CampaignPlan,
  again: { dueMoved: (startedAt: string) => boolean; planAgain: () => Promise<CampaignPlan> },
): Promise<IssueWritten[]> {
  const { written, firstOpenedAt } = await writeOpening(api, plan);
  if (plan.startedAt !== null || firstOpenedAt === undefined || !again.dueMoved(firstOpenedAt))
    return written;
  const replanned = await again.planAgain();
  // Every issue was opened just now: one the list does not show yet is not opened twice.
  if (replanned.issues.some((i) => i.number === undefined)) return written;
  const rewritten = new Map((await writeIssues(api, replanned)).map((w) => [w.number, w.writes]));
  return written.map((w) => ({ ...w, writes: w.writes + (rewritten.get(w.number) ?? 0) }));
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
