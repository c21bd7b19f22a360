// A workflow run as GitHub's REST API answers it ("Workflow runs": the `workflow-run` schema), from
// what a test sets: repository, run ID, attempt, status and conclusion, and a few optional details.

/** The statuses a run can have ("Get a workflow run": `status`). */
export const RUN_STATUSES = [
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
  'action_required',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface WorkflowRunSpec {
  /** `owner/repo`. */
  repository: string;
  /** The repository's numeric ID, for `/repositories/{id}/…` (octo-org/octo-repo is 123456789). */
  repositoryId?: string;
  runId: string;
  /** Default '1'. */
  attempt?: string;
  /** One of RUN_STATUSES (`setRun` refuses any other). */
  status: RunStatus | (string & {});
  /** `success`, `failure`, `cancelled` …; for a completed run without one, `success`. */
  conclusion?: string | null;
  /** Default `deploy`. */
  name?: string;
  /** Who started it (`actor`, and `triggering_actor`); default octocat. */
  actor?: { login: string; id: number };
  /** Default `push`. */
  event?: string;
  /** Default `main`. */
  headBranch?: string;
  /** Epoch ms; default an hour before `updatedAt`. */
  startedAt?: number;
  /** Epoch ms; default when it was set. */
  updatedAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const owner = (login: string) => ({
  login,
  id: 65432101,
  node_id: 'O_kgDOA-5gZQ',
  type: 'Organization',
  html_url: `https://github.com/${login}`,
});
const OCTOCAT = { login: 'octocat', id: 583231, node_id: 'MDQ6VXNlcjU4MzIzMQ==', type: 'User' };

/** A user as a run names it (`simple-user`, in part). */
const userOf = (user: WorkflowRunSpec['actor']) =>
  user
    ? {
        login: user.login,
        id: user.id,
        node_id: `U_${Buffer.from(String(user.id)).toString('base64url')}`,
        type: 'User',
      }
    : OCTOCAT;

/** The run's JSON; `base` is the API's URL (for the `url` members), `ids` repository ID → name. */
export function runJson(
  run: WorkflowRunSpec,
  base: string,
  ids: Map<string, string>,
): Record<string, unknown> {
  const [login = '', name = ''] = run.repository.split('/');
  const repositoryId =
    run.repositoryId ??
    [...ids.entries()].find(([, full]) => full.toLowerCase() === run.repository.toLowerCase())?.[0];
  const updated = run.updatedAt ?? Date.now();
  const started = run.startedAt ?? updated - 3600_000;
  const api = `${base}/repos/${run.repository}`;
  const runUrl = `${api}/actions/runs/${run.runId}`;
  const attempt = Number(run.attempt ?? '1');
  const actor = userOf(run.actor);
  const repository = {
    id: repositoryId ? Number(repositoryId) : null,
    node_id: 'R_kgDOHkPx3Q',
    name,
    full_name: run.repository,
    private: true,
    owner: owner(login),
    html_url: `https://github.com/${run.repository}`,
    url: api,
  };
  return {
    id: Number(run.runId),
    name: run.name ?? 'deploy',
    node_id: `WFR_kwLO${Buffer.from(`${run.repository}#${run.runId}`).toString('base64url').slice(0, 16)}`,
    head_branch: run.headBranch ?? 'main',
    head_sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9011223344',
    path: '.github/workflows/deploy.yml',
    display_title: run.name ?? 'deploy',
    run_number: 42,
    event: run.event ?? 'push',
    status: run.status,
    conclusion: run.status === 'completed' ? (run.conclusion ?? 'success') : (run.conclusion ?? null),
    workflow_id: 161335,
    url: runUrl,
    html_url: `https://github.com/${run.repository}/actions/runs/${run.runId}`,
    pull_requests: [],
    created_at: iso(started),
    updated_at: iso(updated),
    actor,
    run_attempt: attempt,
    run_started_at: iso(started),
    triggering_actor: actor,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: attempt > 1 ? `${runUrl}/attempts/${attempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/161335`,
    repository,
    head_repository: repository,
  };
}
