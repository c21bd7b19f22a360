// GitHub's REST API for what `operation: request` reads of its repository, as Octokit calls it at
// GITHUB_API_URL: "Get a repository" (`default_branch`), "Get a branch" (`commit.sha`,
// `protected`), "List branches" (`?protected=`), "Get repository content" at a ref (base64 `content`), "Get an environment"
// (`protection_rules`, `can_admins_bypass`, `deployment_branch_policy`), its deployment branch
// policies, and "Get the review history for a workflow run" (`…/actions/runs/{id}/approvals`).
// Its GraphQL API (`POST /graphql`, ./graphql.ts) answers from the same state: the default branch,
// its head commit and the files in it. Only a token the runs emulator knows reads (the job's);
// others get 401.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, startRecord } from '../common/http.js';
import type { RecordRequest } from '../common/requests.js';
import { answerGraphql, type GraphqlRepository } from './graphql.js';

export interface EnvironmentSpec {
  /** Reviewers' logins; empty: no required reviewers rule. */
  reviewers: string[];
  preventSelfReview: boolean;
  canAdminsBypass: boolean;
  /** null: every branch; 'protected'; or the custom policies' branch names. */
  branches: null | 'protected' | string[];
}

export interface ApprovalSpec {
  environment: string;
  state: 'approved' | 'rejected';
  login: string;
  userId: number;
}

export interface GithubRepositoryEmulator {
  defaultBranch: string;
  /** Branch → protected. The default branch always exists. */
  protectedBranches: Set<string>;
  /** Sets a file on a branch (a new commit of that branch). */
  setFile(branch: string, path: string, text: string): void;
  setEnvironment(name: string, spec: EnvironmentSpec): void;
  setApprovals(runId: string, approvals: ApprovalSpec[]): void;
  /** The head commit of a branch. */
  headOf(branch: string): string;
  /** A commit's parents' SHAs (the branch's head it was made on; none for a branch's first). */
  parentsOf(sha: string): string[];
  /** A file at a branch's head; undefined when the branch has none there. */
  fileAt(branch: string, path: string): string | undefined;
  /** Whether a branch exists (the default branch always does). */
  hasBranch(branch: string): boolean;
  /** A new branch at commit `sha` (`POST …/git/refs`); false when no commit has that SHA. */
  createBranch(branch: string, sha: string): boolean;
  /** The paths whose text differs between two branches' heads (a pull request's files), sorted. */
  changedPaths(base: string, head: string): string[];
  reset(): void;
}

interface Store {
  /** branch → path → text */
  branches: Map<string, Map<string, string>>;
  commits: Map<string, Map<string, string>>;
  /** commit → its parents' SHAs */
  parents: Map<string, string[]>;
  heads: Map<string, string>;
  environments: Map<string, EnvironmentSpec>;
  approvals: Map<string, ApprovalSpec[]>;
}

const REPO = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/;

export function createGithubRepository(record: RecordRequest, tokenKnown: (token: string) => boolean) {
  const store: Store = {
    branches: new Map(),
    commits: new Map(),
    parents: new Map(),
    heads: new Map(),
    environments: new Map(),
    approvals: new Map(),
  };
  const commit = (branch: string) => {
    const files = new Map(store.branches.get(branch) ?? []);
    const sha = createHash('sha1')
      .update(`${branch}:${store.commits.size}:${JSON.stringify([...files])}`)
      .digest('hex');
    store.commits.set(sha, files);
    const parent = store.heads.get(branch);
    store.parents.set(sha, parent === undefined ? [] : [parent]);
    store.heads.set(branch, sha);
  };
  const emulator: GithubRepositoryEmulator = {
    defaultBranch: 'main',
    protectedBranches: new Set(),
    setFile(branch, path, text) {
      const files = store.branches.get(branch) ?? new Map<string, string>();
      files.set(path, text);
      store.branches.set(branch, files);
      commit(branch);
    },
    setEnvironment: (name, spec) => void store.environments.set(name, spec),
    setApprovals: (runId, approvals) => void store.approvals.set(runId, approvals),
    headOf: (branch) => {
      if (!store.heads.has(branch)) commit(branch);
      return store.heads.get(branch)!;
    },
    parentsOf: (sha) => store.parents.get(sha) ?? [],
    fileAt: (branch, path) => store.branches.get(branch)?.get(path),
    hasBranch: (branch) => branch === emulator.defaultBranch || store.heads.has(branch),
    createBranch: (branch, sha) => branchAt(store, branch, sha),
    changedPaths: (base, head) => changedPathsOf(store, base, head),
    reset() {
      emulator.defaultBranch = 'main';
      emulator.protectedBranches = new Set();
      for (const map of Object.values(store)) map.clear();
    },
  };
  /** Whether this module answers `url`: a repository route other than a run's. */
  const handles = (url: URL) => {
    if (url.pathname === '/graphql') return true;
    const rest = REPO.exec(url.pathname)?.[3] ?? '';
    return REPO.test(url.pathname) && !/^\/actions\/runs\/\d+(?:\/attempts\/\d+)?\/?$/.test(rest);
  };
  const graphqlRepository = repositoryForGraphql(emulator, store);
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const graphql = url.pathname === '/graphql';
    const [, owner, repo, rest = ''] = REPO.exec(url.pathname) ?? [];
    const operation = graphql ? 'GraphQL' : operationOf(rest);
    const entry = startRecord(record, 'github', operation, req, false);
    const answer = (status: number, body: unknown) => {
      entry.status = status;
      if (status >= 400) entry.errorCode = status === 404 ? 'NotFound' : 'BadCredentials';
      sendJson(res, status, body, { 'content-type': 'application/json; charset=utf-8' });
    };
    const token = /^(?:bearer|token)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || !tokenKnown(token)) return answer(401, { message: 'Bad credentials' });
    if (graphql) {
      if (req.method !== 'POST') return answer(404, { message: 'Not Found' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readBody(req));
      } catch {
        return answer(200, { errors: [{ message: 'Problems parsing JSON' }] });
      }
      const result = answerGraphql(parsed, graphqlRepository);
      if (result.errors) entry.errorCode = 'GraphqlError';
      return answer(200, result);
    }
    const body = req.method === 'GET' ? answerOf(emulator, store, `${owner}/${repo}`, rest, url) : undefined;
    return body === undefined ? answer(404, { message: 'Not Found' }) : answer(200, body);
  }
  return { emulator, handles, handle };
}

function branchAt(store: Store, branch: string, sha: string): boolean {
  const files = store.commits.get(sha);
  if (!files) return false;
  store.branches.set(branch, new Map(files));
  store.heads.set(branch, sha);
  return true;
}

/** The repository as the GraphQL API reads it: the default branch and the files at its head. */
function repositoryForGraphql(emulator: GithubRepositoryEmulator, store: Store) {
  return (owner: string, name: string): GraphqlRepository | undefined => {
    if (`${owner}/${name}`.toLowerCase() !== 'octo-org/octo-repo') return undefined;
    const head = emulator.headOf(emulator.defaultBranch);
    return {
      nameWithOwner: 'octo-org/octo-repo',
      defaultBranch: emulator.defaultBranch,
      head,
      files: store.commits.get(head) ?? new Map(),
    };
  };
}

function operationOf(rest: string): string {
  if (rest === '' || rest === '/') return 'GetRepository';
  if (rest === '/branches') return 'ListBranches';
  if (rest.startsWith('/branches/')) return 'GetBranch';
  if (rest.startsWith('/contents/')) return 'GetRepositoryContent';
  if (/^\/environments\/[^/]+\/deployment-branch-policies/.test(rest)) return 'ListDeploymentBranchPolicies';
  if (rest.startsWith('/environments/')) return 'GetEnvironment';
  if (/\/approvals$/.test(rest)) return 'GetReviewsForRun';
  return 'Unknown';
}

function answerOf(
  e: GithubRepositoryEmulator,
  store: Store,
  fullName: string,
  rest: string,
  url: URL,
): unknown {
  if (fullName.toLowerCase() !== 'octo-org/octo-repo') return undefined;
  if (rest === '' || rest === '/')
    return {
      id: 123456789,
      full_name: 'octo-org/octo-repo',
      name: 'octo-repo',
      private: true,
      default_branch: e.defaultBranch,
    };
  if (rest === '/branches') {
    // `protected=true|false` filters on the flag; omitted, every branch.
    const only = url.searchParams.get('protected');
    const names = [...new Set([e.defaultBranch, ...store.heads.keys()])].sort();
    return names
      .map((name) => ({ name, commit: { sha: e.headOf(name) }, protected: e.protectedBranches.has(name) }))
      .filter((b) => only === null || String(b.protected) === only);
  }
  let m = /^\/branches\/(.+)$/.exec(rest);
  if (m) {
    const branch = decodeURIComponent(m[1]!);
    if (branch !== e.defaultBranch && !store.heads.has(branch)) return undefined;
    return { name: branch, commit: { sha: e.headOf(branch) }, protected: e.protectedBranches.has(branch) };
  }
  m = /^\/contents\/(.+)$/.exec(rest);
  if (m) {
    const ref = url.searchParams.get('ref') ?? e.defaultBranch;
    const files = store.commits.get(ref) ?? store.commits.get(store.heads.get(ref) ?? '');
    const path = decodeURIComponent(m[1]!);
    const text = files?.get(path);
    if (text === undefined) return undefined;
    return {
      type: 'file',
      encoding: 'base64',
      path,
      name: path.split('/').pop(),
      size: Buffer.byteLength(text),
      sha: blobSha(text),
      content: Buffer.from(text).toString('base64'),
    };
  }
  m = /^\/environments\/([^/]+)(\/deployment-branch-policies)?$/.exec(rest);
  if (m) {
    const name = decodeURIComponent(m[1]!);
    const env = store.environments.get(name);
    if (!env) return undefined;
    if (m[2]) {
      const list = Array.isArray(env.branches) ? env.branches : [];
      return {
        total_count: list.length,
        branch_policies: list.map((n, i) => ({ id: i + 1, name: n, type: 'branch' })),
      };
    }
    return environmentJson(name, env);
  }
  m = /^\/actions\/runs\/(\d+)\/approvals$/.exec(rest);
  if (m)
    return (store.approvals.get(m[1]!) ?? []).map((a) => ({
      environments: [{ id: 1, name: a.environment }],
      state: a.state,
      user: { login: a.login, id: a.userId, type: 'User' },
      comment: '',
    }));
  return undefined;
}

function environmentJson(name: string, env: EnvironmentSpec) {
  const rules: unknown[] = [];
  if (env.reviewers.length > 0)
    rules.push({
      id: 3755,
      type: 'required_reviewers',
      prevent_self_review: env.preventSelfReview,
      reviewers: env.reviewers.map((login, i) => ({ type: 'User', reviewer: { login, id: 1000 + i } })),
    });
  return {
    id: 161088068,
    name,
    can_admins_bypass: env.canAdminsBypass,
    protection_rules: rules,
    deployment_branch_policy:
      env.branches === null
        ? null
        : {
            protected_branches: env.branches === 'protected',
            custom_branch_policies: Array.isArray(env.branches),
          },
  };
}

/** The paths whose text differs between two branches' heads. */
function changedPathsOf(store: Store, base: string, head: string): string[] {
  const from = store.branches.get(base) ?? new Map<string, string>();
  const to = store.branches.get(head) ?? new Map<string, string>();
  return [...new Set([...from.keys(), ...to.keys()])].filter((p) => from.get(p) !== to.get(p)).sort();
}

/** A file's blob SHA, as git names it (`blob <size>\0<bytes>`): what a contents write must name. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
