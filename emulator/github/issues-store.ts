// What the emulated repository keeps of issues, their comments and labels, pull requests (issues
// with a head and a base, in the same numbering), and GitHub's accounts and teams, as a campaign
// of `operation: review` uses them; and the control methods a test or a local mode stages
// reviewers' comments with (by any account, at any time, edited or not). Times come from one
// clock a test may set, so that a campaign's due date is reached without waiting.

export interface GithubAccount {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The account the job's token acts as (`GITHUB_TOKEN`: GitHub Actions' app). */
export const ACTIONS_BOT: GithubAccount = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  user: GithubAccount;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Who closed it last (GitHub's `closed_by`, which only "Get an issue" answers). */
  closedBy?: GithubAccount | null;
  /** Set on a pull request: its head and base branches. */
  pull?: { head: string; base: string };
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: GithubAccount;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** What the job's token may do, as its `permissions:` grant it (`none`, `read`, `write`). */
export interface TokenPermissions {
  issues: 'none' | 'read' | 'write';
  pullRequests: 'none' | 'read' | 'write';
  contents: 'none' | 'read' | 'write';
  /** Reading an organization's team members (a GitHub App's `members: read`). */
  members: 'none' | 'read';
  /** Reading the repository's workflow runs. */
  actions: 'none' | 'read' | 'write';
}

/** A run of one of the repository's workflows, as "List workflow runs for a workflow" lists it. */
export interface WorkflowRunRecord {
  id: number;
  /** The workflow's file under `.github/workflows/`, e.g. `access-review.yml`. */
  workflow: string;
  event: string;
  headBranch: string;
  createdAt: string;
  status: string;
  conclusion: string | null;
}

const ALL_WRITE: TokenPermissions = {
  issues: 'write',
  pullRequests: 'write',
  contents: 'write',
  members: 'read',
  actions: 'read',
};

export interface GithubIssuesEmulator {
  /** The clock issue and comment times come from; `undefined`: the real one. */
  setNow(at: string | undefined): void;
  now(): string;
  /** An account `GET /users/{login}` answers, and a comment can be staged as. */
  setUser(account: GithubAccount): void;
  /** A team's members, as `GET /orgs/{org}/teams/{slug}/members` answers them. */
  setTeam(org: string, slug: string, members: GithubAccount[]): void;
  setPermissions(permissions: Partial<TokenPermissions>): void;
  /** Closes an issue as `by` would in GitHub's page (at the clock's time, or `at`). */
  close(issue: number, by: GithubAccount, at?: string): IssueRecord;
  /**
   * The next `count` requests to the issues and pull requests routes answer as GitHub's secondary
   * rate limit does: 403, its message and `retry-after: <seconds>`.
   */
  secondaryRateLimit(count: number, retryAfterSeconds: number): void;
  /**
   * A run of a workflow of the repository (`schedule` on `main`, at the clock's time, by default),
   * as the Actions API lists it; its ID.
   */
  addWorkflowRun(
    run: Pick<WorkflowRunRecord, 'workflow'> & Partial<Omit<WorkflowRunRecord, 'workflow'>>,
  ): number;
  workflowRuns(): WorkflowRunRecord[];
  /** A comment by `author`, at the clock's time (or `at`); `editedAt`: its `updated_at` after an edit. */
  comment(
    issue: number,
    author: GithubAccount,
    body: string,
    times?: { at?: string; editedAt?: string },
  ): CommentRecord;
  issue(number: number): IssueRecord | undefined;
  issues(): IssueRecord[];
  comments(issue: number): CommentRecord[];
  labels(): LabelRecord[];
  reset(): void;
}

export interface IssuesState {
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  labels: Map<string, LabelRecord>;
  users: Map<string, GithubAccount>;
  teams: Map<string, GithubAccount[]>;
  workflowRuns: WorkflowRunRecord[];
  permissions: TokenPermissions;
  nextNumber: number;
  nextId: number;
  fixedNow: string | undefined;
  /** Requests still to answer with the secondary rate limit, and the `retry-after` they carry. */
  throttle: { count: number; retryAfterSeconds: number };
}

function emptyState(): IssuesState {
  return {
    issues: new Map(),
    comments: new Map(),
    labels: new Map(),
    users: new Map(),
    teams: new Map(),
    workflowRuns: [],
    permissions: { ...ALL_WRITE },
    nextNumber: 1,
    nextId: 1_000_001,
    fixedNow: undefined,
    throttle: { count: 0, retryAfterSeconds: 60 },
  };
}

/** The time now as GitHub writes it (to the second, UTC), by the clock a test may have set. */
export const nowOf = (state: IssuesState): string =>
  state.fixedNow ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createIssuesState(): { state: IssuesState; emulator: GithubIssuesEmulator } {
  const state = emptyState();
  const now = () => nowOf(state);
  const emulator: GithubIssuesEmulator = {
    setNow: (at) =>
      void (state.fixedNow =
        at === undefined ? undefined : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')),
    now,
    setUser: (account) => void state.users.set(account.login.toLowerCase(), account),
    setTeam: (org, slug, members) => void state.teams.set(`${org}/${slug}`.toLowerCase(), members),
    setPermissions: (permissions) => void Object.assign(state.permissions, permissions),
    close(number, by, at) {
      const issue = state.issues.get(number);
      if (!issue) throw new Error(`emulator: no issue #${number}`);
      const when = at === undefined ? now() : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
      Object.assign(issue, { state: 'closed', stateReason: 'completed', closedAt: when, closedBy: by });
      issue.updatedAt = when;
      return issue;
    },
    secondaryRateLimit: (count, retryAfterSeconds) => void (state.throttle = { count, retryAfterSeconds }),
    addWorkflowRun(run) {
      const id = run.id ?? 7_000_000_000 + state.workflowRuns.length + 1;
      state.workflowRuns.push({
        event: 'schedule',
        headBranch: 'main',
        createdAt: now(),
        status: 'completed',
        conclusion: 'success',
        ...run,
        id,
      });
      return id;
    },
    workflowRuns: () => state.workflowRuns.map((r) => ({ ...r })),
    comment(issue, author, body, times = {}) {
      if (!state.issues.has(issue)) throw new Error(`emulator: no issue #${issue}`);
      const at = times.at ?? now();
      return addComment(state, issue, author, body, at, times.editedAt ?? at);
    },
    issue: (number) => state.issues.get(number),
    issues: () => [...state.issues.values()],
    comments: (issue) => [...state.comments.values()].filter((c) => c.issue === issue),
    labels: () => [...state.labels.values()],
    reset: () => void Object.assign(state, emptyState()),
  };
  return { state, emulator };
}

export function addComment(
  state: IssuesState,
  issue: number,
  user: GithubAccount,
  body: string,
  createdAt: string,
  updatedAt = createdAt,
): CommentRecord {
  const comment = { id: state.nextId++, issue, body, user, createdAt, updatedAt };
  state.comments.set(comment.id, comment);
  return comment;
}

/** A label by name (GitHub compares names without case), made when an issue first names it. */
export function labelNamed(state: IssuesState, name: string): LabelRecord {
  const key = name.toLowerCase();
  const found = state.labels.get(key);
  if (found) return found;
  const label = { id: state.nextId++, name, color: 'ededed', description: null };
  state.labels.set(key, label);
  return label;
}
