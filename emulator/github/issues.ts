// GitHub's REST API for issues, their comments and labels, as a campaign of `operation: review`
// calls them through Octokit: "Create an issue", "List repository issues" (by label and state,
// pull requests among them as GitHub lists them), "Get an issue", "Update an issue" (title, body,
// state, labels), "List issue comments" (paged), "Create an issue comment", "Update an issue
// comment", "Get a label" and "Create a label". A body past 65,536 characters is refused as GitHub
// refuses it. The job's token writes as GitHub Actions' bot.
import {
  ACTIONS_BOT,
  addComment,
  nowOf,
  labelNamed,
  type CommentRecord,
  type IssueRecord,
} from './issues-store.js';
import {
  HTML_BASE,
  REPOSITORY,
  invalid,
  notFound,
  page,
  repoPath,
  type Answer,
  type Route,
  type RouteContext,
} from './rest-routes.js';

/** GitHub's limit on an issue's or a comment's body. */
export const MAX_BODY = 65_536;

export function issueJson(ctx: RouteContext, issue: IssueRecord) {
  const kind = issue.pull ? 'pull' : 'issues';
  return {
    id: issue.id,
    node_id: `I_${issue.id}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason,
    locked: false,
    labels: issue.labels.map((name) => labelJson(labelNamed(ctx.state, name))),
    user: accountJson(issue.user),
    comments: [...ctx.state.comments.values()].filter((c) => c.issue === issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    url: `${ctx.apiBase}/repos/${REPOSITORY}/issues/${issue.number}`,
    html_url: `${HTML_BASE}/${REPOSITORY}/${kind}/${issue.number}`,
    ...(issue.pull
      ? { pull_request: { url: `${ctx.apiBase}/repos/${REPOSITORY}/pulls/${issue.number}` } }
      : {}),
  };
}

export const accountJson = (a: { login: string; id: number; type: string }) => ({
  login: a.login,
  id: a.id,
  node_id: `U_${a.id}`,
  type: a.type,
  site_admin: false,
});

const labelJson = (l: { id: number; name: string; color: string; description: string | null }) => ({
  id: l.id,
  node_id: `LA_${l.id}`,
  name: l.name,
  color: l.color,
  description: l.description,
  default: false,
});

function commentJson(ctx: RouteContext, c: CommentRecord) {
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    body: c.body,
    user: accountJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    url: `${ctx.apiBase}/repos/${REPOSITORY}/issues/comments/${c.id}`,
    html_url: `${HTML_BASE}/${REPOSITORY}/issues/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${ctx.apiBase}/repos/${REPOSITORY}/issues/${c.issue}`,
  };
}

const tooLong = (resource: string, body: unknown): Answer | undefined =>
  typeof body === 'string' && body.length > MAX_BODY
    ? invalid(resource, 'body', `body is too long (maximum is ${MAX_BODY} characters)`)
    : undefined;

function createIssue(ctx: RouteContext): Answer {
  const { title, body, labels } = ctx.body;
  if (typeof title !== 'string' || title === '') return invalid('Issue', 'title', '', 'missing_field');
  const refused = tooLong('Issue', body);
  if (refused) return refused;
  const now = nowOf(ctx.state);
  const issue: IssueRecord = {
    number: ctx.state.nextNumber++,
    id: ctx.state.nextId++,
    title,
    body: typeof body === 'string' ? body : null,
    state: 'open',
    stateReason: null,
    labels: labelNames(ctx, labels),
    user: ACTIONS_BOT,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  ctx.state.issues.set(issue.number, issue);
  return { status: 201, body: issueJson(ctx, issue) };
}

function labelNames(ctx: RouteContext, labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  return labels.map(
    (l) => labelNamed(ctx.state, typeof l === 'string' ? l : String((l as { name?: unknown }).name)).name,
  );
}

function listIssues(ctx: RouteContext): Answer {
  const state = ctx.url.searchParams.get('state') ?? 'open';
  const wanted = (ctx.url.searchParams.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const issues = [...ctx.state.issues.values()]
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .sort((a, b) => b.number - a.number);
  return page(
    ctx,
    issues.map((i) => issueJson(ctx, i)),
  );
}

function updateIssue(ctx: RouteContext): Answer {
  const issue = ctx.state.issues.get(Number(ctx.params[0]));
  if (!issue) return notFound();
  const { title, body, state, state_reason: reason, labels } = ctx.body;
  const refused = tooLong('Issue', body);
  if (refused) return refused;
  if (state !== undefined && state !== 'open' && state !== 'closed')
    return invalid('Issue', 'state', '', 'invalid');
  const now = nowOf(ctx.state);
  if (typeof title === 'string') issue.title = title;
  if (typeof body === 'string') issue.body = body;
  if (labels !== undefined) issue.labels = labelNames(ctx, labels);
  if (state === 'closed' && issue.state === 'open') {
    issue.state = 'closed';
    issue.closedAt = now;
    issue.closedBy = ACTIONS_BOT;
    issue.stateReason = typeof reason === 'string' ? reason : 'completed';
  } else if (state === 'open' && issue.state === 'closed') {
    Object.assign(issue, { state: 'open', closedAt: null, stateReason: 'reopened' });
  }
  issue.updatedAt = now;
  return { status: 200, body: issueJson(ctx, issue) };
}

function createComment(ctx: RouteContext): Answer {
  const issue = ctx.state.issues.get(Number(ctx.params[0]));
  if (!issue) return notFound();
  const { body } = ctx.body;
  if (typeof body !== 'string' || body === '') return invalid('IssueComment', 'body', '', 'missing_field');
  const refused = tooLong('IssueComment', body);
  if (refused) return refused;
  const now = nowOf(ctx.state);
  return { status: 201, body: commentJson(ctx, addComment(ctx.state, issue.number, ACTIONS_BOT, body, now)) };
}

function updateComment(ctx: RouteContext): Answer {
  const comment = ctx.state.comments.get(Number(ctx.params[0]));
  if (!comment) return notFound();
  const { body } = ctx.body;
  if (typeof body !== 'string' || body === '') return invalid('IssueComment', 'body', '', 'missing_field');
  const refused = tooLong('IssueComment', body);
  if (refused) return refused;
  if (comment.user.id !== ACTIONS_BOT.id)
    return { status: 403, body: { message: 'Resource not accessible by integration' } };
  comment.body = body;
  comment.updatedAt = nowOf(ctx.state);
  return { status: 200, body: commentJson(ctx, comment) };
}

function listComments(ctx: RouteContext): Answer {
  if (!ctx.state.issues.has(Number(ctx.params[0]))) return notFound();
  const comments = [...ctx.state.comments.values()]
    .filter((c) => c.issue === Number(ctx.params[0]))
    .sort((a, b) => a.id - b.id);
  return page(
    ctx,
    comments.map((c) => commentJson(ctx, c)),
  );
}

function createLabel(ctx: RouteContext): Answer {
  const { name, color, description } = ctx.body;
  if (typeof name !== 'string' || name === '') return invalid('Label', 'name', '', 'missing_field');
  if (ctx.state.labels.has(name.toLowerCase())) return invalid('Label', 'name', '', 'already_exists');
  const label = labelNamed(ctx.state, name);
  if (typeof color === 'string') label.color = color;
  if (typeof description === 'string') label.description = description;
  return { status: 201, body: labelJson(label) };
}

function getLabel(ctx: RouteContext): Answer {
  const label = ctx.state.labels.get(ctx.params[0]!.toLowerCase());
  return label ? { status: 200, body: labelJson(label) } : notFound();
}

export const ISSUE_ROUTES: Route[] = [
  {
    method: 'GET',
    path: repoPath('/issues'),
    operation: 'ListIssues',
    needs: ['issues', 'read'],
    answer: listIssues,
  },
  {
    method: 'POST',
    path: repoPath('/issues'),
    operation: 'CreateIssue',
    needs: ['issues', 'write'],
    answer: createIssue,
  },
  {
    method: 'GET',
    path: repoPath('/issues/(\\d+)'),
    operation: 'GetIssue',
    needs: ['issues', 'read'],
    answer: (ctx) => {
      const issue = ctx.state.issues.get(Number(ctx.params[0]));
      // Only "Get an issue" says who closed it (`closed_by`); the lists do not.
      const closedBy = issue?.closedBy ? accountJson(issue.closedBy) : null;
      return issue ? { status: 200, body: { ...issueJson(ctx, issue), closed_by: closedBy } } : notFound();
    },
  },
  {
    method: 'PATCH',
    path: repoPath('/issues/(\\d+)'),
    operation: 'UpdateIssue',
    needs: ['issues', 'write'],
    answer: updateIssue,
  },
  {
    method: 'GET',
    path: repoPath('/issues/(\\d+)/comments'),
    operation: 'ListIssueComments',
    needs: ['issues', 'read'],
    answer: listComments,
  },
  {
    method: 'POST',
    path: repoPath('/issues/(\\d+)/comments'),
    operation: 'CreateIssueComment',
    needs: ['issues', 'write'],
    answer: createComment,
  },
  {
    method: 'PATCH',
    path: repoPath('/issues/comments/(\\d+)'),
    operation: 'UpdateIssueComment',
    needs: ['issues', 'write'],
    answer: updateComment,
  },
  {
    method: 'GET',
    path: repoPath('/labels/([^/]+)'),
    operation: 'GetLabel',
    needs: ['issues', 'read'],
    answer: getLabel,
  },
  {
    method: 'POST',
    path: repoPath('/labels'),
    operation: 'CreateLabel',
    needs: ['issues', 'write'],
    answer: createLabel,
  },
];
