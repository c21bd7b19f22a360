// Whether the workflow runs that made the swept grants have finished, from the GitHub REST API
// ("Get a workflow run": its latest attempt, since a re-run relies on what an earlier attempt
// left, so a run has finished only when its latest attempt has), through Octokit (@octokit/core, the client @actions/github's
// getOctokit builds on) at GITHUB_API_URL. One request
// per distinct run, one after another in small numbers; a run the token cannot read, or any
// answer not in GitHub's shape, is left unreadable and named, never guessed. When GitHub's rate
// limit is reached (1,000 requests an hour for a job's GITHUB_TOKEN), no further run is asked
// about: those left are named with the limit and when it resets. What an answer is taken to say is
// ./run-answers.ts's.
//
// Octokit is loaded only when GitHub is called (./octokit-client.ts), so no other operation pays for
// it. It is taken from @octokit/core rather than @actions/github's main module, which bundles
// undici for its proxy support (a 677 KB chunk against 31 KB, and the bundle past
// configure-aws-credentials' size): Node 24's own fetch goes through HTTPS_PROXY / NO_PROXY once
// http.setGlobalProxyFromEnv() is called, as the AWS and Azure clients' agents do (docs/proxy.md).
import { safeIso } from '../core/duration.js';
import { UnreachableEndpointError } from '../core/errors.js';
import { runKeyOf, type RunRef, type RunState } from '../core/claims/claims.js';
import type { Deadline } from '../engine/limits/deadline.js';
import type { CallActivity } from '../engine/calls/read-progress.js';
import { mapWithConcurrency } from '../engine/limits/limits.js';
import { retryOnlyUnreachable } from '../engine/limits/network.js';
import { withRetry } from '../engine/limits/retry.js';
import { githubClient } from './octokit-client.js';
import { approversOf, runStateOf } from './run-answers.js';

/** Runs asked about at once: GitHub asks integrations to avoid many concurrent requests. */
const RUN_READS_AT_ONCE = 4;

export interface RunReadOptions {
  token: string;
  /** The sweep's own repository: its runs are read by name, the documented path. */
  own: { repository?: string | undefined; repositoryId?: string | undefined };
  deadline: Deadline;
  /** Told of each request, for the sweep's progress lines while it reads (engine/calls/read-progress.ts). */
  activity?: CallActivity | undefined;
  /** Also who approved each run's deployments ("Get the review history for a workflow run"). */
  approvals?: boolean | undefined;
}

export interface RunReads {
  states: Map<string, RunState>;
  /** Requests sent to GitHub. */
  requests: number;
  /** Set when GitHub's rate limit stopped the reads: what to say once. */
  rateLimited?: string;
  /** Set when GitHub's API could not be reached (its host unresolved, its connection refused): what to say once. */
  unreachable?: string;
}

interface RequestFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export async function readRunStates(runs: readonly RunRef[], options: RunReadOptions): Promise<RunReads> {
  const reads: RunReads = { states: new Map(), requests: 0 };
  if (runs.length === 0) return reads;
  const { octokit, api } = await githubClient(options.token);
  // Once it could not be reached, no later run is asked: each run's reason says why in short.
  let unreachableReason: string | undefined;
  // Only a host that did not resolve or refused is retried (twice): any answer is final.
  const send = (operation: string, path: string, params: Record<string, unknown>) =>
    withRetry(
      operation,
      () => {
        reads.requests++;
        const answered = options.activity?.sent();
        return octokit
          .request(path, {
            ...params,
            headers: { 'X-GitHub-Api-Version': '2022-11-28' },
            request: {
              signal: AbortSignal.timeout(Math.max(1, Math.min(30_000, options.deadline.remainingMs()))),
            },
          })
          .finally(() => answered?.());
      },
      { deadline: options.deadline, classify: retryOnlyUnreachable(api) },
    );
  await mapWithConcurrency([...runs], RUN_READS_AT_ONCE, async (run) => {
    const key = runKeyOf(run);
    const stopped = reads.rateLimited ?? unreachableReason;
    if (stopped) return reads.states.set(key, { state: 'unreadable', reason: stopped, transient: true });
    if (options.deadline.remainingMs() <= 0)
      return reads.states.set(key, {
        state: 'unreadable',
        reason: 'the step’s deadline (`timeout-seconds`) passed first',
        transient: true,
      });
    const { path, params, where } = routeOf(run, options.own);
    try {
      const { data } = await send('GetWorkflowRun', path, params);
      const state = runStateOf(data as Record<string, unknown>, run);
      reads.states.set(
        key,
        options.approvals && state.state !== 'unreadable'
          ? { ...state, ...(await approversOf(() => send('GetReviewsForRun', `${path}/approvals`, params))) }
          : state,
      );
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) {
        unreachableReason ??= `${failure.endpoint.url} could not be reached (${failure.detail})`;
        reads.unreachable ??= `${unreachableReason}: the runs were not read; ${failure.fix ?? ''}`;
        return reads.states.set(key, { state: 'unreadable', reason: unreachableReason, transient: true });
      }
      const limit = rateLimitOf(failure as RequestFailure);
      if (limit) reads.rateLimited ??= limit;
      // Only GitHub's own 404 (its JSON) says there is no such run: a proxy's page says nothing.
      const status = (failure as RequestFailure).status;
      const foreign = status !== undefined && !githubsOwn(failure as RequestFailure);
      reads.states.set(key, {
        state: 'unreadable',
        reason:
          limit ??
          (foreign
            ? `${api.url} answered ${status} with a page that is not GitHub's (a proxy, or a wrong endpoint): the run was not read`
            : failureOf(failure as RequestFailure, where)),
        ...(limit ? { transient: true } : {}),
        ...(!limit && !foreign && status === 404 ? { notFound: true } : {}),
      });
    }
  });
  return reads;
}

function routeOf(run: RunRef, own: RunReadOptions['own']) {
  const ids = { run_id: Number(run.runId) };
  const repository =
    run.repository ??
    (run.repositoryId !== undefined && run.repositoryId === own.repositoryId ? own.repository : undefined);
  if (repository) {
    const [owner, repo] = repository.split('/');
    return {
      path: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
      params: { owner, repo, ...ids },
      where: `repository ${repository}`,
    };
  }
  // Another repository, known by its numeric ID only (AWS session names): GitHub serves every
  // repository endpoint under /repositories/{id} as well.
  return {
    path: 'GET /repositories/{repository_id}/actions/runs/{run_id}',
    params: { repository_id: Number(run.repositoryId), ...ids },
    where: `repository ID ${run.repositoryId ?? '?'}`,
  };
}

/** Whether a refusal is GitHub's own: a JSON answer (its `message`), not a proxy's or another server's page. */
export const githubsOwn = (failure: RequestFailure) =>
  /^application\/([\w.+-]*\+)?json\b/i.test(String(failure.response?.headers?.['content-type'] ?? '')) &&
  typeof failure.response?.data === 'object' &&
  failure.response.data !== null;

function rateLimitOf(failure: RequestFailure): string | undefined {
  const headers = failure.response?.headers ?? {};
  const remaining = headers['x-ratelimit-remaining'];
  const primary = failure.status === 403 && String(remaining) === '0';
  const secondary =
    failure.status === 429 || (failure.status === 403 && headers['retry-after'] !== undefined);
  if (!primary && !secondary) return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  const limit = Number(headers['x-ratelimit-limit']);
  const resets = Number.isFinite(reset) && reset > 0 ? `; it resets at ${safeIso(reset * 1000)}` : '';
  return primary
    ? `GitHub’s API rate limit${Number.isFinite(limit) && limit > 0 ? ` (${limit} requests an hour for this token)` : ''} was reached${resets}: the run was not read`
    : `GitHub’s secondary rate limit was reached${headers['retry-after'] !== undefined ? ` (retry after ${Number(headers['retry-after'])} s)` : ''}: the run was not read`;
}

function failureOf(failure: RequestFailure, where: string): string {
  switch (failure.status) {
    case 401:
      return 'GitHub refused the token (401): check `github-token`';
    case 403:
    case 404:
      return `GitHub answered ${failure.status}: the run does not exist, or \`github-token\` cannot read ${where} (the job's token reads its own repository with \`permissions: actions: read\`; a run of another repository needs a GitHub App installation token)`;
    default:
      return failure.status
        ? `GitHub answered ${failure.status}`
        : `GitHub could not be reached (${failure instanceof Error ? failure.name : 'error'})`;
  }
}
