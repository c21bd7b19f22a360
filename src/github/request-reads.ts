// What `operation: request` reads of GitHub before any cloud call, through Octokit (@octokit/core,
// loaded only here, as github/runs.ts loads it for the sweep) at GITHUB_API_URL with `github-token`:
// in one GraphQL query, the repository's default branch, its head commit and the policy file in
// that very commit (never the workspace's copy, never another branch's); then over REST the
// environment's protection (with its deployment-branch policies, or the default branch's
// `protected` when the environment admits protected branches), the run's approvals and when the
// run was created: five requests. Any answer not in GitHub's shape is a refusal, never a guess.
import { setGlobalProxyFromEnv } from 'node:http';
import type {
  EnvironmentProtection,
  PolicyAtHead,
  RunApproval,
  RunEvidence,
} from '../core/access-request.js';
import { CloudAccessError, UnreachableEndpointError } from '../core/errors.js';
import { printable } from '../core/inputs/fields.js';
import type { Deadline } from '../engine/limits/deadline.js';
import { retryOnlyUnreachable } from '../engine/limits/network.js';
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
  evidence(environment: string, runId: string, defaultBranch: string): Promise<RunEvidence>;
  /** Requests sent to GitHub so far. */
  requests(): number;
}

type Get = (
  route: string,
  params: Record<string, unknown>,
  what: string,
) => Promise<Record<string, unknown> | undefined>;

/** One GraphQL query; GitHub's errors in its answer are a refusal naming the permission. */
type Query = (query: string, variables: Record<string, string>, what: string) => Promise<unknown>;

const PERMISSIONS_FIX =
  "give the job `permissions: contents: read, actions: read` (the default `github-token`), or pass a token that may read this repository's contents, environments and Actions runs";

export async function githubRequestReads(options: RequestReadOptions): Promise<RequestReads> {
  const { Octokit } = await import('@octokit/core');
  if (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]))
    setGlobalProxyFromEnv();
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
  const octokit = new Octokit({ auth: options.token, baseUrl });
  const [owner, repo] = options.repository.split('/');
  const api = { url: `GitHub's API at ${baseUrl} (GITHUB_API_URL)` };
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
    evidence: (environment, runId, defaultBranch) => evidence(get, environment, runId, defaultBranch),
    requests: () => requests,
  };
}

const unexpected = (what: string) =>
  new CloudAccessError(`GitHub's answer for ${what} is not in the shape GitHub documents`, {
    fix: 'check GITHUB_API_URL: it must be the API of the GitHub server the run belongs to',
  });

/**
 * The default branch, its head commit and the policy file in that commit, in one answer: the file
 * is read from the commit object whose `oid` the summary names, so the two cannot disagree.
 */
const POLICY_QUERY = `query ($owner: String!, $name: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef {
      name
      target {
        ... on Commit {
          oid
          file(path: $path) {
            type
            object { ... on Blob { byteSize isBinary isTruncated text } }
          }
        }
      }
    }
  }
}`;

/** GitHub's GraphQL errors, as data: their type and message, shown inert. */
function graphqlFailure(failure: unknown): string {
  const { errors, status } = failure as { errors?: unknown; status?: number };
  if (!Array.isArray(errors)) return `HTTP ${status ?? '?'}`;
  const shown = (errors as { type?: unknown; message?: unknown }[])
    .slice(0, 3)
    .map((e) => printable(`${typeof e?.type === 'string' ? `${e.type}: ` : ''}${String(e?.message ?? '')}`));
  return `GraphQL: ${shown.join('; ')}`;
}

type Ref = { name?: unknown; target?: { oid?: unknown; file?: TreeEntry | null } | null };
type TreeEntry = {
  type?: unknown;
  object?: { byteSize?: unknown; isBinary?: unknown; isTruncated?: unknown; text?: unknown } | null;
};

async function policyAtHead(query: Query, variables: Record<string, string>): Promise<PolicyAtHead> {
  const path = variables.path!;
  const answer = (await query(POLICY_QUERY, variables, `the policy \`${path}\` on the default branch`)) as
    { repository?: { defaultBranchRef?: Ref | null } | null } | undefined;
  const ref = answer?.repository?.defaultBranchRef;
  const defaultBranch = ref?.name;
  if (typeof defaultBranch !== 'string' || defaultBranch === '') throw unexpected('the default branch');
  const commit = ref?.target?.oid;
  if (typeof commit !== 'string' || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit))
    throw unexpected('the default branch');
  const file = ref?.target?.file;
  const head = { defaultBranch, commit };
  if (!file) return { ...head, text: undefined };
  const blob = file.object;
  const size = typeof blob?.byteSize === 'number' ? blob.byteSize : undefined;
  if (size !== undefined && size > MAX_POLICY_BYTES)
    throw new CloudAccessError(`the policy \`${path}\` is larger than ${MAX_POLICY_BYTES / 1024} KiB`, {
      fix: 'split the policy, or remove what it no longer needs',
    });
  if (
    file.type !== 'blob' ||
    blob?.isBinary !== false ||
    blob.isTruncated !== false ||
    typeof blob.text !== 'string'
  )
    throw new CloudAccessError(
      `the policy \`${path}\` on the default branch is not a text file GitHub returns whole`,
      { fix: `make \`${path}\` a YAML file of at most ${MAX_POLICY_BYTES / 1024} KiB` },
    );
  return { ...head, text: blob.text };
}

async function evidence(
  get: Get,
  environment: string,
  runId: string,
  defaultBranch: string,
): Promise<RunEvidence> {
  const env = await get(
    'GET /repos/{owner}/{repo}/environments/{environment_name}',
    { environment_name: environment },
    `the environment \`${environment}\``,
  );
  const protection = env ? await protectionOf(get, env, environment, defaultBranch) : undefined;
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
  defaultBranch: string,
): Promise<EnvironmentProtection> {
  const rules = Array.isArray(env.protection_rules)
    ? (env.protection_rules as Record<string, unknown>[])
    : [];
  const reviewers = rules.find((r) => r.type === 'required_reviewers');
  const policy = env.deployment_branch_policy as
    { protected_branches?: unknown; custom_branch_policies?: unknown } | null | undefined;
  let branches: EnvironmentProtection['branches'] = 'all';
  let defaultBranchProtected = false;
  if (policy?.protected_branches === true) {
    branches = 'protected';
    // REST's `protected`: whether classic branch protection applies (GraphQL's
    // Ref.branchProtectionRule needs `administration: read`, which a job's token cannot have).
    const branch = await get(
      'GET /repos/{owner}/{repo}/branches/{branch}',
      { branch: defaultBranch },
      'the default branch',
    );
    defaultBranchProtected = branch?.protected === true;
  } else if (policy?.custom_branch_policies === true) {
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
    defaultBranchProtected,
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
