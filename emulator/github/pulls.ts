// GitHub's REST API for what a review's pull request needs, as Octokit calls it: "Get a reference"
// (`git/ref/heads/{branch}`), "Create a reference" (a branch at a commit), "Create or update file
// contents" (a commit on the branch's head, naming the blob SHA of the file it replaces; it answers
// the commit's SHA and parents), "Create a pull request" (its `head.sha`), "Update a pull request"
// (closed), "List pull requests" (by `head` and state) and "List pull requests files"; and the
// people a campaign names: "Get a user" and "List team members". A pull request is an issue too,
// numbered with them.
import { ACTIONS_BOT, nowOf, type IssueRecord } from './issues-store.js';
import { accountJson, issueJson } from './issues.js';
import { blobSha } from './repository.js';
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

function refJson(ctx: RouteContext, branch: string) {
  return {
    ref: `refs/heads/${branch}`,
    node_id: `REF_${branch}`,
    url: `${ctx.apiBase}/repos/${REPOSITORY}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha: ctx.repository.headOf(branch) },
  };
}

/** Octokit sends the ref as one path segment (`heads%2Fmain`); a client may send it as written. */
function getRef(ctx: RouteContext): Answer {
  const ref = ctx.params[0]!;
  const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
  return branch !== undefined && ctx.repository.hasBranch(branch)
    ? { status: 200, body: refJson(ctx, branch) }
    : notFound();
}

function createRef(ctx: RouteContext): Answer {
  const { ref, sha } = ctx.body;
  if (typeof ref !== 'string' || !/^refs\/heads\/[^\s~^:?*[\\]+$/.test(ref))
    return invalid('Reference', 'ref', `${String(ref)} is not a valid ref name.`);
  const branch = ref.slice('refs/heads/'.length);
  if (ctx.repository.hasBranch(branch)) return invalid('Reference', 'ref', 'Reference already exists');
  if (typeof sha !== 'string' || !ctx.repository.createBranch(branch, sha))
    return invalid('Reference', 'sha', 'Object does not exist');
  return { status: 201, body: refJson(ctx, branch) };
}

function putContents(ctx: RouteContext): Answer {
  const path = ctx.params[0]!;
  const { message, content, sha, branch: named } = ctx.body;
  const branch = typeof named === 'string' ? named : ctx.repository.defaultBranch;
  if (typeof message !== 'string' || message === '') return invalid('Commit', 'message', '', 'missing_field');
  if (typeof content !== 'string') return invalid('Commit', 'content', '', 'missing_field');
  if (!ctx.repository.hasBranch(branch)) return notFound();
  const before = ctx.repository.fileAt(branch, path);
  if (before !== undefined && sha !== blobSha(before))
    return before !== undefined && sha === undefined
      ? invalid('Commit', 'sha', '"sha" wasn\'t supplied.')
      : { status: 409, body: { message: `${path} does not match ${String(sha)}` } };
  const text = Buffer.from(content, 'base64').toString('utf8');
  ctx.repository.setFile(branch, path, text);
  const made = ctx.repository.headOf(branch);
  const commitUrl = (sha: string) => ({
    sha,
    url: `${ctx.apiBase}/repos/${REPOSITORY}/git/commits/${sha}`,
    html_url: `${HTML_BASE}/${REPOSITORY}/commit/${sha}`,
  });
  return {
    status: before === undefined ? 201 : 200,
    body: {
      content: { name: path.split('/').pop(), path, sha: blobSha(text), type: 'file' },
      commit: { ...commitUrl(made), message, parents: ctx.repository.parentsOf(made).map(commitUrl) },
    },
  };
}

function pullJson(ctx: RouteContext, pull: IssueRecord) {
  const issue = issueJson(ctx, pull);
  return {
    ...issue,
    url: `${ctx.apiBase}/repos/${REPOSITORY}/pulls/${pull.number}`,
    html_url: `${HTML_BASE}/${REPOSITORY}/pull/${pull.number}`,
    head: {
      ref: pull.pull!.head,
      label: `octo-org:${pull.pull!.head}`,
      sha: ctx.repository.headOf(pull.pull!.head),
    },
    base: { ref: pull.pull!.base, label: `octo-org:${pull.pull!.base}` },
    merged: false,
    draft: false,
  };
}

function createPull(ctx: RouteContext): Answer {
  const { title, head, base, body } = ctx.body;
  if (typeof title !== 'string' || title === '') return invalid('PullRequest', 'title', '', 'missing_field');
  const headBranch = typeof head === 'string' ? head.replace(/^octo-org:/i, '') : '';
  if (typeof base !== 'string' || !ctx.repository.hasBranch(base))
    return invalid('PullRequest', 'base', '', 'invalid');
  if (!ctx.repository.hasBranch(headBranch)) return invalid('PullRequest', 'head', '', 'invalid');
  const open = [...ctx.state.issues.values()].find((i) => i.pull?.head === headBranch && i.state === 'open');
  if (open)
    return invalid('PullRequest', 'head', `A pull request already exists for octo-org:${headBranch}.`);
  const now = nowOf(ctx.state);
  const pull: IssueRecord = {
    number: ctx.state.nextNumber++,
    id: ctx.state.nextId++,
    title,
    body: typeof body === 'string' ? body : null,
    state: 'open',
    stateReason: null,
    labels: [],
    user: ACTIONS_BOT,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    pull: { head: headBranch, base },
  };
  ctx.state.issues.set(pull.number, pull);
  return { status: 201, body: pullJson(ctx, pull) };
}

/** "Update a pull request": only its state here (closed, or reopened while its head branch exists). */
function updatePull(ctx: RouteContext): Answer {
  const pull = ctx.state.issues.get(Number(ctx.params[0]));
  if (!pull?.pull) return notFound();
  const { state } = ctx.body;
  if (state !== undefined && state !== 'open' && state !== 'closed')
    return invalid('PullRequest', 'state', '', 'invalid');
  if (state === 'closed' && pull.state === 'open')
    Object.assign(pull, { state: 'closed', closedAt: nowOf(ctx.state), closedBy: ACTIONS_BOT });
  else if (state === 'open' && pull.state === 'closed')
    Object.assign(pull, { state: 'open', closedAt: null, stateReason: 'reopened' });
  pull.updatedAt = nowOf(ctx.state);
  return { status: 200, body: pullJson(ctx, pull) };
}

function listPulls(ctx: RouteContext): Answer {
  const state = ctx.url.searchParams.get('state') ?? 'open';
  const head = ctx.url.searchParams.get('head');
  const pulls = [...ctx.state.issues.values()]
    .filter((i) => i.pull && (state === 'all' || i.state === state))
    .filter((i) => !head || `octo-org:${i.pull!.head}`.toLowerCase() === head.toLowerCase())
    .sort((a, b) => b.number - a.number);
  return page(
    ctx,
    pulls.map((p) => pullJson(ctx, p)),
  );
}

/** "List pull requests files": each path the pull request changes, with its status. */
function pullFiles(ctx: RouteContext): Answer {
  const pull = ctx.state.issues.get(Number(ctx.params[0]));
  if (!pull?.pull) return notFound();
  const { base, head } = pull.pull;
  const files = ctx.repository.changedPaths(base, head).map((filename) => ({
    filename,
    status:
      ctx.repository.fileAt(head, filename) === undefined
        ? 'removed'
        : ctx.repository.fileAt(base, filename) === undefined
          ? 'added'
          : 'modified',
  }));
  return page(ctx, files);
}

function getUser(ctx: RouteContext): Answer {
  const user = ctx.state.users.get(ctx.params[0]!.toLowerCase());
  return user ? { status: 200, body: accountJson(user) } : notFound();
}

function teamMembers(ctx: RouteContext): Answer {
  if (ctx.state.permissions.members === 'none') return notFound();
  const members = ctx.state.teams.get(`${ctx.params[0]}/${ctx.params[1]}`.toLowerCase());
  return members ? page(ctx, members.map(accountJson)) : notFound();
}

export const PULL_ROUTES: Route[] = [
  {
    method: 'GET',
    path: repoPath('/git/ref/(.+)'),
    operation: 'GetRef',
    needs: ['contents', 'read'],
    answer: getRef,
  },
  {
    method: 'POST',
    path: repoPath('/git/refs'),
    operation: 'CreateRef',
    needs: ['contents', 'write'],
    answer: createRef,
  },
  {
    method: 'PUT',
    path: repoPath('/contents/(.+)'),
    operation: 'CreateOrUpdateFileContents',
    needs: ['contents', 'write'],
    answer: putContents,
  },
  {
    method: 'POST',
    path: repoPath('/pulls'),
    operation: 'CreatePullRequest',
    needs: ['pullRequests', 'write'],
    answer: createPull,
  },
  {
    method: 'PATCH',
    path: repoPath('/pulls/(\\d+)'),
    operation: 'UpdatePullRequest',
    needs: ['pullRequests', 'write'],
    answer: updatePull,
  },
  {
    method: 'GET',
    path: repoPath('/pulls'),
    operation: 'ListPullRequests',
    needs: ['pullRequests', 'read'],
    answer: listPulls,
  },
  {
    method: 'GET',
    path: repoPath('/pulls/(\\d+)/files'),
    operation: 'ListPullRequestFiles',
    needs: ['pullRequests', 'read'],
    answer: pullFiles,
  },
  { method: 'GET', path: /^\/users\/([^/]+)$/, operation: 'GetUser', answer: getUser },
  {
    method: 'GET',
    path: /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/,
    operation: 'ListTeamMembers',
    answer: teamMembers,
  },
];
