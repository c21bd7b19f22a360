// What `operation: request` reads of GitHub before any cloud call, through Octokit (@octokit/core,
// loaded only here, as github/runs.ts loads it for the sweep) at GITHUB_API_URL with `github-token`:
// in one GraphQL query, the repository's default branch, its head commit and the policy file in
// that very commit (never the workspace's copy, never another branch's); then over REST the
// environment's protection (with its deployment-branch policies, or the default branch's
// `protected` when the environment admits protected branches), the run's approvals and when the
// run was created: five requests. This file sends them (retried while GitHub is unreachable, a
// refusal naming the permission); what each answer must hold is ./request-answers.ts's.
import type { PolicyAtHead, RunEvidence } from '../core/access-request.js';
import { CloudAccessError, UnreachableEndpointError } from '../core/errors.js';
import { printable } from '../core/inputs/fields.js';
import type { Deadline } from '../engine/limits/deadline.js';
import { retryOnlyUnreachable } from '../engine/limits/network.js';
import { withRetry } from '../engine/limits/retry.js';
import { policyAtHead, runEvidence, type Get, type Query } from './request-answers.js';
import { githubClient } from './octokit-client.js';

export interface RequestReadOptions {
  token: string;
  /** `owner/repo`: the run's own repository. */
  repository: string;
  deadline: Deadline;
}

export interface RequestReads {
  policyAtHead(path: string): Promise<PolicyAtHead>;
  evidence(environment: string, runId: string, defaultBranch: string): Promise<RunEvidence>;
  /** Requests sent to GitHub so far. */
  requests(): number;
}

const PERMISSIONS_FIX =
  "give the job `permissions: contents: read, actions: read` (the default `github-token`), or pass a token that may read this repository's contents, environments and Actions runs";

export async function githubRequestReads(options: RequestReadOptions): Promise<RequestReads> {
  const { octokit, api } = await githubClient(options.token);
  const [owner, repo] = options.repository.split('/');
  let requests = 0;
  const signal = () => AbortSignal.timeout(Math.max(1, Math.min(30_000, options.deadline.remainingMs())));
  const send = <T>(what: string, call: () => Promise<T>) =>
    withRetry(
      what,
      () => {
        requests++;
        return call();
      },
      {
        deadline: options.deadline,
        classify: retryOnlyUnreachable(api),
      },
    );
  /** One GET; undefined for a 404 (a missing environment), a refusal naming the read otherwise. */
  const get: Get = async (route, params, what) => {
    try {
      const { data } = await send(what, () =>
        octokit.request(route, {
          owner,
          repo,
          ...params,
          headers: { 'X-GitHub-Api-Version': '2022-11-28' },
          request: { signal: signal() },
        }),
      );
      return (data ?? {}) as Record<string, unknown>;
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) throw failure;
      const status = (failure as { status?: number }).status;
      if (status === 404) return undefined;
      throw new CloudAccessError(`GitHub refused to read ${what} (HTTP ${status ?? '?'})`, {
        fix: PERMISSIONS_FIX,
      });
    }
  };
  const query: Query = async (text, variables, what) => {
    try {
      return await send(what, () => octokit.graphql(text, { ...variables, request: { signal: signal() } }));
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) throw failure;
      throw new CloudAccessError(`GitHub refused to read ${what} (${graphqlFailure(failure)})`, {
        fix: PERMISSIONS_FIX,
      });
    }
  };
  return {
    policyAtHead: (path) => policyAtHead(query, { owner: owner!, name: repo!, path }),
    evidence: (environment, runId, defaultBranch) => runEvidence(get, environment, runId, defaultBranch),
    requests: () => requests,
  };
}

/** GitHub's GraphQL errors, as data: their type and message, shown inert. */
function graphqlFailure(failure: unknown): string {
  const { errors, status } = failure as { errors?: unknown; status?: number };
  if (!Array.isArray(errors)) return `HTTP ${status ?? '?'}`;
  const shown = (errors as { type?: unknown; message?: unknown }[])
    .slice(0, 3)
    .map((e) => printable(`${typeof e?.type === 'string' ? `${e.type}: ` : ''}${String(e?.message ?? '')}`));
  return `GraphQL: ${shown.join('; ')}`;
}
