// GitHub's "List workflow runs for a workflow" (`GET /repos/{owner}/{repo}/actions/workflows/
// {workflow_id}/runs`, the workflow named by its file), as a review reads when its campaign
// started: filtered by `branch`, `event`, `status` and `created` (`2026-10-01..2026-12-31`,
// `>=2026-10-01`, `<2026-10-01`, one day, `*` for an open end), newest first, paged with a `Link`
// header, answered as `{ total_count, workflow_runs }`; the job's token needs `actions: read`.
import type { WorkflowRunRecord } from './issues-store.js';
import {
  HTML_BASE,
  REPOSITORY,
  notFound,
  page,
  repoPath,
  type Route,
  type RouteContext,
} from './rest-routes.js';

const DAY_MS = 86_400_000;

function runJson(ctx: RouteContext, run: WorkflowRunRecord) {
  const api = `${ctx.apiBase}/repos/${REPOSITORY}`;
  return {
    id: run.id,
    name: 'access review',
    head_branch: run.headBranch,
    path: `.github/workflows/${run.workflow}`,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    run_started_at: run.createdAt,
    run_attempt: 1,
    url: `${api}/actions/runs/${run.id}`,
    html_url: `${HTML_BASE}/${REPOSITORY}/actions/runs/${run.id}`,
  };
}

/** The instants `created` allows, as [from, to] in epoch ms (inclusive); undefined: not a date. */
export function createdRange(text: string): [number, number] | undefined {
  const start = (d: string) => (d === '*' ? -Infinity : Date.parse(d));
  // A date alone stands for its whole day (UTC).
  const end = (d: string) =>
    d === '*' ? Infinity : /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(d) + DAY_MS - 1 : Date.parse(d);
  let range: [number, number];
  if (text.includes('..')) {
    const [a = '', b = ''] = text.split('..');
    range = [start(a), end(b)];
  } else if (text.startsWith('>=')) range = [start(text.slice(2)), Infinity];
  else if (text.startsWith('>')) range = [end(text.slice(1)) + 1, Infinity];
  else if (text.startsWith('<=')) range = [-Infinity, end(text.slice(2))];
  else if (text.startsWith('<')) range = [-Infinity, start(text.slice(1)) - 1];
  else range = [start(text), end(text)];
  return range.some((n) => Number.isNaN(n)) ? undefined : range;
}

function listRuns(ctx: RouteContext) {
  const workflow = ctx.params[0]!;
  const runs = ctx.state.workflowRuns.filter((r) => r.workflow === workflow);
  if (runs.length === 0) return notFound();
  const q = (name: string) => ctx.url.searchParams.get(name);
  const created: [number, number] | undefined =
    q('created') === null ? [-Infinity, Infinity] : createdRange(q('created')!);
  if (!created) return { status: 422, body: { message: 'Validation Failed: created' } };
  const listed = runs
    .filter((r) => q('branch') === null || r.headBranch === q('branch'))
    .filter((r) => q('event') === null || r.event === q('event'))
    .filter((r) => q('status') === null || r.status === q('status') || r.conclusion === q('status'))
    .filter((r) => Date.parse(r.createdAt) >= created[0] && Date.parse(r.createdAt) <= created[1])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const answer = page(
    ctx,
    listed.map((r) => runJson(ctx, r)),
  );
  return { ...answer, body: { total_count: listed.length, workflow_runs: answer.body } };
}

export const WORKFLOW_RUN_ROUTES: Route[] = [
  {
    method: 'GET',
    path: repoPath('/actions/workflows/([^/]+)/runs'),
    operation: 'ListWorkflowRuns',
    needs: ['actions', 'read'],
    answer: listRuns,
  },
];
