// What a request makes of GitHub's answers (./request-reads.ts sends the requests): the policy
// file at the head of the default branch, read from the one commit the answer names, and the run's
// evidence (its environment's protection, its approvals, when it was created). Any answer not in
// GitHub's shape is a refusal, never a guess.
import type {
  EnvironmentProtection,
  PolicyAtHead,
  RunApproval,
  RunEvidence,
} from '../core/access-request.js';
import { CloudAccessError } from '../core/errors.js';

/** A policy file larger than this is refused: the contents API answers up to 1 MB inline. */
const MAX_POLICY_BYTES = 256 * 1024;

/** One REST GET of the run's repository: undefined for a 404 (a missing environment). */
export type Get = (
  route: string,
  params: Record<string, unknown>,
  what: string,
) => Promise<Record<string, unknown> | undefined>;

/** One GraphQL query; GitHub's errors in its answer are a refusal naming the permission. */
export type Query = (query: string, variables: Record<string, string>, what: string) => Promise<unknown>;

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

type Ref = { name?: unknown; target?: { oid?: unknown; file?: TreeEntry | null } | null };
type TreeEntry = {
  type?: unknown;
  object?: { byteSize?: unknown; isBinary?: unknown; isTruncated?: unknown; text?: unknown } | null;
};

export async function policyAtHead(query: Query, variables: Record<string, string>): Promise<PolicyAtHead> {
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

export async function runEvidence(
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
  let otherProtectedBranches: string[] = [];
  if (policy?.protected_branches === true) {
    branches = 'protected';
    // Every protected branch may deploy, so the default branch must be the only one: REST's
    // `protected` (branch protection or rulesets; GraphQL's Ref.branchProtectionRule needs
    // `administration: read`, which a job's token cannot have). Past a page, there are others.
    const list = await get(
      'GET /repos/{owner}/{repo}/branches',
      { protected: true, per_page: 100 },
      'the protected branches',
    );
    const listed = (Array.isArray(list) ? list : []) as { name?: unknown; protected?: unknown }[];
    defaultBranchProtected = listed.some((b) => b?.name === defaultBranch && b.protected === true);
    otherProtectedBranches = listed.flatMap((b) =>
      b?.name !== defaultBranch && b?.protected !== false ? [String(b?.name)] : [],
    );
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
    otherProtectedBranches,
  };
}

function approvalOf(entry: unknown): RunApproval[] {
  const e = entry as { state?: unknown; environments?: unknown; user?: { id?: unknown; login?: unknown } };
  // An approval by no account GitHub names (no numeric `user.id`) is nobody's: it never counts.
  if (
    typeof e?.state !== 'string' ||
    !Array.isArray(e.environments) ||
    !/^[1-9][0-9]{0,19}$/.test(String(e.user?.id))
  )
    return [];
  const environments = (e.environments as { name?: unknown }[]).flatMap((x) =>
    typeof x?.name === 'string' ? [x.name] : [],
  );
  return [{ state: e.state, environments, userId: String(e.user!.id), login: String(e.user!.login ?? '') }];
}
