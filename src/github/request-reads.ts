// What `operation: request` reads of GitHub before any cloud call, through Octokit (@octokit/core,
// loaded only here, as github/runs.ts loads it for the sweep) at GITHUB_API_URL with `github-token`:
// the repository's default branch, that branch's head and protection, the policy file at that
// commit (never the workspace's copy, never another branch's), the environment's protection, the
// run's approvals and when the run was created. Any answer not in GitHub's shape is a refusal,
// never a guess.
import { setGlobalProxyFromEnv } from 'node:http';
import type {
  EnvironmentProtection,
  PolicyAtHead,
  RunApproval,
  RunEvidence,
} from '../core/access-request.js';
import { CloudAccessError, UnreachableEndpointError } from '../core/errors.js';
import type { Deadline } from '../engine/limits/deadline.js';
import { unreachable } from '../engine/limits/network.js';
import { withRetry } from '../engine/limits/retry.js';

/** A policy file larger than this is refused: the contents API answers up to 1 MB inline. */
const MAX_POLICY_BYTES = 256 * 1024;

export interface RequestReadOptions {
  token: string;
  /** `owner/repo`: the run's own repository. */
  repository: string;
  deadline: Deadline;
}

export interface RequestReads {
  policyAtHead(path: string): Promise<PolicyAtHead>;
  evidence(environment: string, runId: string): Promise<RunEvidence>;
  /** Requests sent to GitHub so far. */
  requests(): number;
}

type Get = (
  route: string,
  params: Record<string, unknown>,
  what: string,
) => Promise<Record<string, unknown> | undefined>;

export async function githubRequestReads(options: RequestReadOptions): Promise<RequestReads> {
  const { Octokit } = await import('@octokit/core');
  if (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]))
    setGlobalProxyFromEnv();
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
  const octokit = new Octokit({ auth: options.token, baseUrl });
  const [owner, repo] = options.repository.split('/');
  const api = { url: `GitHub's API at ${baseUrl} (GITHUB_API_URL)` };
  let requests = 0;
  /** One GET; undefined for a 404 (a missing file or environment), a refusal naming the read otherwise. */
  const get: Get = async (route, params, what) => {
    try {
      const { data } = await withRetry(
        what,
        () => {
          requests++;
          return octokit.request(route, {
            owner,
            repo,
            ...params,
            headers: { 'X-GitHub-Api-Version': '2022-11-28' },
            request: {
              signal: AbortSignal.timeout(Math.max(1, Math.min(30_000, options.deadline.remainingMs()))),
            },
          });
        },
        {
          deadline: options.deadline,
          classify: (error) => {
            const detail = unreachable(error);
            return detail
              ? { action: 'retry', kind: 'unreachable', endpoint: api, detail }
              : { action: 'fail', error: error as Error };
          },
        },
      );
      return (data ?? {}) as Record<string, unknown>;
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) throw failure;
      const status = (failure as { status?: number }).status;
      if (status === 404) return undefined;
      throw new CloudAccessError(`GitHub refused to read ${what} (HTTP ${status ?? '?'})`, {
        fix: "give the job `permissions: contents: read, actions: read` (the default `github-token`), or pass a token that may read this repository's contents, environments and Actions runs",
      });
    }
  };
  return {
    policyAtHead: (path) => policyAtHead(get, path),
    evidence: (environment, runId) => evidence(get, environment, runId),
    requests: () => requests,
  };
}

const unexpected = (what: string) =>
  new CloudAccessError(`GitHub's answer for ${what} is not in the shape GitHub documents`, {
    fix: 'check GITHUB_API_URL: it must be the API of the GitHub server the run belongs to',
  });

async function policyAtHead(get: Get, path: string): Promise<PolicyAtHead> {
  const repository = await get('GET /repos/{owner}/{repo}', {}, 'the repository');
  const defaultBranch = repository?.default_branch;
  if (typeof defaultBranch !== 'string' || defaultBranch === '') throw unexpected('the repository');
  const branch = await get(
    'GET /repos/{owner}/{repo}/branches/{branch}',
    { branch: defaultBranch },
    'the default branch',
  );
  const commit = (branch?.commit as { sha?: unknown } | undefined)?.sha;
  if (typeof commit !== 'string' || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit))
    throw unexpected('the default branch');
  const file = await get(
    'GET /repos/{owner}/{repo}/contents/{path}',
    { path, ref: commit },
    `the policy \`${path}\``,
  );
  const head = { defaultBranch, defaultBranchProtected: branch?.protected === true, commit };
  if (!file) return { ...head, text: undefined };
  if (file.type !== 'file' || file.encoding !== 'base64' || typeof file.content !== 'string')
    throw new CloudAccessError(
      `the policy \`${path}\` on the default branch is not a file GitHub returns inline`,
      {
        fix: `make \`${path}\` a YAML file of at most ${MAX_POLICY_BYTES / 1024} KiB`,
      },
    );
  const bytes = Buffer.from(file.content, 'base64');
  if (bytes.length > MAX_POLICY_BYTES)
    throw new CloudAccessError(`the policy \`${path}\` is larger than ${MAX_POLICY_BYTES / 1024} KiB`, {
      fix: 'split the policy, or remove what it no longer needs',
    });
  return { ...head, text: bytes.toString('utf8') };
}

async function evidence(get: Get, environment: string, runId: string): Promise<RunEvidence> {
  const env = await get(
    'GET /repos/{owner}/{repo}/environments/{environment_name}',
    { environment_name: environment },
    `the environment \`${environment}\``,
  );
  const protection = env ? await protectionOf(get, env, environment) : undefined;
  const approvals = await get(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
    { run_id: Number(runId) },
    "the run's approvals",
  );
  const run = await get(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
    { run_id: Number(runId) },
    'the run',
  );
  const createdAt = Date.parse(typeof run?.created_at === 'string' ? run.created_at : '');
  if (!Number.isFinite(createdAt) || String(run?.id) !== runId) throw unexpected('the run');
  if (!Array.isArray(approvals)) throw unexpected("the run's approvals");
  return { environment: protection, approvals: approvals.flatMap(approvalOf), createdAt };
}

async function protectionOf(
  get: Get,
  env: Record<string, unknown>,
  name: string,
): Promise<EnvironmentProtection> {
  const rules = Array.isArray(env.protection_rules)
    ? (env.protection_rules as Record<string, unknown>[])
    : [];
  const reviewers = rules.find((r) => r.type === 'required_reviewers');
  const policy = env.deployment_branch_policy as
    { protected_branches?: unknown; custom_branch_policies?: unknown } | null | undefined;
  let branches: EnvironmentProtection['branches'] = 'all';
  if (policy?.protected_branches === true) branches = 'protected';
  else if (policy?.custom_branch_policies === true) {
    const list = await get(
      'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
      { environment_name: name, per_page: 100 },
      `the deployment branches of \`${name}\``,
    );
    const items = Array.isArray(list?.branch_policies)
      ? (list.branch_policies as Record<string, unknown>[])
      : [];
    branches = {
      custom: items.map((p) => ({
        name: String(p.name ?? ''),
        type: typeof p.type === 'string' ? p.type : 'branch',
      })),
    };
    if (Number(list?.total_count ?? items.length) > items.length)
      branches.custom.push({ name: '*', type: 'branch' });
  }
  return {
    requiredReviewers:
      reviewers !== undefined && Array.isArray(reviewers.reviewers) && reviewers.reviewers.length > 0,
    preventSelfReview: reviewers?.prevent_self_review === true,
    canAdminsBypass: env.can_admins_bypass !== false,
    branches,
  };
}

function approvalOf(entry: unknown): RunApproval[] {
  const e = entry as { state?: unknown; environments?: unknown; user?: { id?: unknown; login?: unknown } };
  if (typeof e?.state !== 'string' || !Array.isArray(e.environments) || !e.user) return [];
  const environments = (e.environments as { name?: unknown }[]).flatMap((x) =>
    typeof x?.name === 'string' ? [x.name] : [],
  );
  return [
    { state: e.state, environments, userId: String(e.user.id ?? ''), login: String(e.user.login ?? '') },
  ];
}
