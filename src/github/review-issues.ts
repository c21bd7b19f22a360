// The campaign's issues and their comments, through the review's Octokit calls (./review-api.ts):
// every issue with the campaign's label, an issue's comments page by page, issues opened and
// updated, comments written and updated; each answer kept to the fields a review reads.
import type { Call, Need } from './review-pulls.js';

/** Every page of a list, one request per page. */
export type Pages = (
  route: string,
  params: Record<string, unknown>,
  what: string,
  need: Need,
) => Promise<unknown[]>;

/** A comment as GitHub's "List issue comments" answers it (the fields read). */
export interface IssueComment {
  id: number;
  url: string;
  body: string;
  /** null: a deleted account ("ghost"). */
  author: { login: string; id: number; type: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A campaign issue as "List repository issues" answers it (the fields read). */
export interface CampaignIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  createdAt: string;
  /** When it was last closed (GitHub's `closed_at`); null while open. */
  closedAt: string | null;
  url: string;
  /** Who opened it: a campaign's issues are the token's own, which writes as a bot. */
  author: { login: string; id: number; type: string } | null;
}

export interface ReviewIssuesApi {
  /** Every issue with `label`, open or closed. */
  campaignIssues(label: string): Promise<CampaignIssue[]>;
  comments(issue: number): Promise<IssueComment[]>;
  openIssue(title: string, body: string, label: string): Promise<CampaignIssue>;
  updateIssue(
    issue: number,
    change: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
  /** Who closed the issue last and when ("Get an issue": `closed_by`, `closed_at`), if it is closed. */
  closedBy(issue: number): Promise<{ login: string | null; at: string | null }>;
  comment(issue: number, body: string): Promise<{ id: number; url: string }>;
  updateComment(id: number, body: string): Promise<void>;
}

export function issuesOver(call: Call, pages: Pages): ReviewIssuesApi {
  return {
    campaignIssues: async (label) =>
      (
        await pages(
          'GET /repos/{owner}/{repo}/issues',
          { labels: label, state: 'all' },
          'list the campaign issues',
          'issues',
        )
      )
        .filter((i) => !(i as { pull_request?: unknown }).pull_request)
        .map(issueOf),
    comments: async (issue) =>
      (
        await pages(
          'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
          { issue_number: issue },
          `list the comments of issue #${issue}`,
          'issues',
        )
      ).map(commentOf),
    openIssue: async (title, body, label) =>
      issueOf(
        (await call(
          'POST /repos/{owner}/{repo}/issues',
          { title, body, labels: [label] },
          'open a campaign issue',
          'issues',
        ))!.data,
      ),
    updateIssue: async (issue, change) =>
      void (await call(
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        { issue_number: issue, ...change },
        `update issue #${issue}`,
        'issues',
      )),
    closedBy: async (issue) => {
      const data = (await call(
        'GET /repos/{owner}/{repo}/issues/{issue_number}',
        { issue_number: issue },
        `read who closed issue #${issue}`,
        'issues',
      ))!.data as { closed_by?: { login?: unknown } | null; closed_at?: unknown };
      const login = data.closed_by?.login;
      return {
        login: typeof login === 'string' ? login : null,
        at: typeof data.closed_at === 'string' ? data.closed_at : null,
      };
    },
    comment: async (issue, body) => {
      const data = (await call(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { issue_number: issue, body },
        `comment on issue #${issue}`,
        'issues',
      ))!.data as { id: number; html_url: string };
      return { id: data.id, url: data.html_url };
    },
    updateComment: async (id, body) =>
      void (await call(
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        { comment_id: id, body },
        `update comment ${id}`,
        'issues',
      )),
  };
}

function issueOf(raw: unknown): CampaignIssue {
  const i = raw as {
    number: number;
    title: string;
    body: string | null;
    state: string;
    created_at: string;
    closed_at?: string | null;
    html_url: string;
    user: { login: string; id: number; type: string } | null;
  };
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    createdAt: i.created_at,
    closedAt: i.closed_at ?? null,
    url: i.html_url,
    author: i.user ? { login: i.user.login, id: i.user.id, type: i.user.type } : null,
  };
}

function commentOf(raw: unknown): IssueComment {
  const c = raw as {
    id: number;
    html_url: string;
    body?: string | null;
    user: { login: string; id: number; type: string } | null;
    created_at: string;
    updated_at: string;
  };
  return {
    id: c.id,
    url: c.html_url,
    body: c.body ?? '',
    author: c.user ? { login: c.user.login, id: c.user.id, type: c.user.type } : null,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
