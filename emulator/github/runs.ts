// GitHub's REST API for workflow runs, as Octokit (`@actions/github`'s getOctokit) calls it at
// GITHUB_API_URL: "Get a workflow run" (`GET /repos/{owner}/{repo}/actions/runs/{run_id}`) and "Get
// a workflow run attempt" (`…/attempts/{attempt_number}`), and both again under
// `/repositories/{repository_id}/…`, as GitHub serves every repository endpoint by numeric ID.
// Tokens read the repositories they were given; GitHub answers 404 for a repository a token cannot
// see, 401 "Bad credentials" for an unknown token, and 403 with `x-ratelimit-remaining: 0` once the
// token's hourly limit is spent (1,000 requests an hour for a job's GITHUB_TOKEN).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startRecord } from '../common/http.js';
import type { RecordRequest, RequestRecord } from '../common/requests.js';
import { runJson, RUN_STATUSES, type WorkflowRunSpec } from './run-shape.js';

export type { RunStatus, WorkflowRunSpec } from './run-shape.js';
export { RUN_STATUSES } from './run-shape.js';

export const SEEDED_REPOSITORY = { fullName: 'octo-org/octo-repo', id: '123456789' };
const API_VERSIONS = ['2022-11-28', '2026-03-10'];
const DOCS = 'https://docs.github.com/rest';
const RUN_DOCS = `${DOCS}/actions/workflow-runs#get-a-workflow-run`;
const HOUR_MS = 3600_000;

export interface GithubRunsFaults {
  /** The next N requests answer 429 with `retry-after` (GitHub's secondary rate limit). */
  secondaryRateLimit: number;
  /**
   * Awaited before each run request is answered: what happens in the world while GitHub answers
   * slowly (a sweep reads GitHub between its evidence and its revokes). Cleared by reset().
   */
  beforeAnswer?: (() => void | Promise<void>) | undefined;
}

export interface GithubRunsEmulator {
  /** A token like a job's GITHUB_TOKEN: it reads octo-org/octo-repo (ID 123456789). Also `EMULATOR_GITHUB_TOKEN`. */
  readonly jobToken: string;
  /** Requests an hour for each token without its own (default 1000, a GITHUB_TOKEN's). */
  rateLimit: number;
  faults: GithubRunsFaults;
  /** Sets a run attempt; the run endpoint answers its latest attempt, the attempts endpoint each. */
  setRun(run: WorkflowRunSpec): void;
  /** A token that reads these repositories (`owner/repo`), with its own hourly limit if given. */
  addToken(token: string, repositories: string[], options?: { rateLimit?: number }): void;
  /** Every run attempt set, in the order set. */
  runs(): WorkflowRunSpec[];
  reset(): void;
}

interface TokenState {
  repositories: Set<string>;
  rateLimit?: number;
  installationId: number;
  windowStart: number;
  used: number;
}

const ROUTE =
  /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))\/actions\/runs\/(\d+)(?:\/attempts\/(\d+))?\/?$/;

/** What the runs endpoint knows: its tokens, its runs and the repositories' numeric IDs. */
interface RunsStore {
  tokens: Map<string, TokenState>;
  /** `owner/repo#runId#attempt` (repository in lower case) → run. */
  runs: Map<string, WorkflowRunSpec>;
  repositoryIds: Map<string, string>;
  installation: number;
}

export function createGithubRuns(record: RecordRequest) {
  const jobToken = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
  const store: RunsStore = {
    tokens: new Map(),
    runs: new Map(),
    repositoryIds: new Map(),
    installation: 40_000_000,
  };
  const addToken: GithubRunsEmulator['addToken'] = (token, repositories, options = {}) =>
    addTokenTo(store, token, repositories, options);
  const seed = () => seedStore(store, jobToken);

  const emulator: GithubRunsEmulator = {
    jobToken,
    rateLimit: 1000,
    faults: { secondaryRateLimit: 0 },
    setRun: (run) => setRun(store, run),
    addToken,
    runs: () => [...store.runs.values()].map((r) => ({ ...r })),
    reset() {
      emulator.rateLimit = 1000;
      emulator.faults.secondaryRateLimit = 0;
      emulator.faults.beforeAnswer = undefined;
      seed();
    },
  };
  seed();

  const handles = (url: URL) =>
    url.pathname.startsWith('/repos/') || url.pathname.startsWith('/repositories/');

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const before = emulator.faults.beforeAnswer;
    const run = () => answerRun({ store, emulator, record }, req, res, url);
    if (!before) return run();
    void Promise.resolve(before()).then(run, run);
  }

  return { emulator, handles, handle };
}

function addTokenTo(
  store: RunsStore,
  token: string,
  repositories: string[],
  options: { rateLimit?: number },
): void {
  store.tokens.set(token, {
    repositories: new Set(repositories.map((r) => r.toLowerCase())),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    installationId: ++store.installation,
    windowStart: 0,
    used: 0,
  });
}

/** The state at start and after reset(): the seeded repository, and the job's token for it. */
function seedStore(store: RunsStore, jobToken: string): void {
  store.tokens.clear();
  store.runs = new Map();
  store.repositoryIds.clear();
  store.repositoryIds.set(SEEDED_REPOSITORY.id, SEEDED_REPOSITORY.fullName);
  store.installation = 40_000_000;
  addTokenTo(store, jobToken, [SEEDED_REPOSITORY.fullName], {});
}

function setRun(store: RunsStore, run: WorkflowRunSpec): void {
  if (!/^[\w.-]+\/[\w.-]+$/.test(run.repository))
    throw new Error(`emulator: ${run.repository} is not owner/repo`);
  if (!(RUN_STATUSES as readonly string[]).includes(run.status))
    throw new Error(`emulator: unknown run status ${run.status}`);
  const spec = { ...run, attempt: run.attempt ?? '1', updatedAt: run.updatedAt ?? Date.now() };
  store.runs.set(`${run.repository.toLowerCase()}#${run.runId}#${spec.attempt}`, spec);
  if (run.repositoryId) store.repositoryIds.set(run.repositoryId, run.repository);
}

/** The run attempt asked for (the latest when no attempt is named). */
function find(
  store: RunsStore,
  repository: string,
  runId: string,
  attempt?: string,
): WorkflowRunSpec | undefined {
  const prefix = `${repository.toLowerCase()}#${runId}#`;
  if (attempt) return store.runs.get(`${prefix}${attempt}`);
  return [...store.runs.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .map(([, run]) => run)
    .sort((a, b) => Number(b.attempt) - Number(a.attempt))[0];
}

/** One request to the runs endpoint: what every answer to it says (its ID, version, the token's window). */
interface RunRequest {
  res: ServerResponse;
  entry: RequestRecord;
  requestId: string;
  version: string | undefined;
  now: number;
  state: TokenState | undefined;
  limit: number;
}

const error = (status: number, message: string, docs = DOCS) => ({
  message,
  documentation_url: docs,
  status: String(status),
});

function answer(
  r: RunRequest,
  status: number,
  body: unknown,
  errorCode?: string,
  extra: Record<string, string> = {},
): void {
  const { res, entry, requestId, version, now, state, limit } = r;
  entry.status = status;
  if (errorCode) entry.errorCode = errorCode;
  const used = state?.used ?? 0;
  sendJson(res, status, body, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-request-id': requestId,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': version ?? API_VERSIONS[0]!,
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - used)),
    'x-ratelimit-reset': String(Math.ceil(((state?.windowStart ?? now) + HOUR_MS) / 1000)),
    'x-ratelimit-used': String(Math.min(used, limit)),
    'x-ratelimit-resource': 'core',
    ...extra,
  });
}

function answerRun(
  { store, emulator, record }: { store: RunsStore; emulator: GithubRunsEmulator; record: RecordRequest },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const route = ROUTE.exec(url.pathname);
  const entry = startRecord(
    record,
    'github',
    route?.[5] ? 'GetWorkflowRunAttempt' : route ? 'GetWorkflowRun' : 'Unknown',
    req,
    false,
  );
  // GitHub's shape: `CC2A:3B9F:1A2B3C:1B2C3D4:65F0A1B2`.
  const requestId = [2, 2, 3, 4, 4].map((n) => randomBytes(n).toString('hex').toUpperCase()).join(':');
  entry.requestId = requestId;
  const versionHeader = req.headers['x-github-api-version'];
  const version = typeof versionHeader === 'string' ? versionHeader : undefined;
  const now = Date.now();
  const header = String(req.headers.authorization ?? '');
  const token = /^(?:bearer|token)\s+(\S+)$/i.exec(header)?.[1];
  const state = token ? store.tokens.get(token) : undefined;
  const limit = state?.rateLimit ?? (state ? emulator.rateLimit : 60);
  if (state && now - state.windowStart >= HOUR_MS) Object.assign(state, { windowStart: now, used: 0 });
  const r: RunRequest = { res, entry, requestId, version, now, state, limit };
  // refused() answers a request without a token's state.
  if (refused(r, emulator) || !state) return;
  state.used++;
  const repository = route
    ? route[3]
      ? store.repositoryIds.get(route[3])
      : `${route[1]}/${route[2]}`
    : undefined;
  const notFound = () =>
    answer(r, 404, error(404, 'Not Found', route?.[5] ? `${RUN_DOCS}-attempt` : RUN_DOCS), 'NotFound');
  if (req.method !== 'GET' || !route || !repository || !state.repositories.has(repository.toLowerCase()))
    return notFound();
  const run = find(store, repository, route[4]!, route[5]);
  if (!run) return notFound();
  const base = `http://${req.headers.host ?? '127.0.0.1'}`;
  return answer(r, 200, runJson(run, base, store.repositoryIds));
}

/** Answered before the route is read: an unknown API version, a bad token, a secondary or the hourly rate limit. */
function refused(r: RunRequest, emulator: GithubRunsEmulator): boolean {
  const { version, state, limit, requestId } = r;
  if (version !== undefined && !API_VERSIONS.includes(version)) {
    answer(
      r,
      400,
      error(400, `Invalid version '${version}' in 'X-GitHub-Api-Version' header.`),
      'UnsupportedApiVersion',
    );
    return true;
  }
  if (!state) {
    answer(r, 401, error(401, 'Bad credentials'), 'BadCredentials');
    return true;
  }
  if (emulator.faults.secondaryRateLimit > 0) {
    emulator.faults.secondaryRateLimit--;
    answer(
      r,
      429,
      error(
        429,
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      ),
      'SecondaryRateLimit',
      { 'retry-after': '60' },
    );
    return true;
  }
  if (state.used >= limit) {
    answer(
      r,
      403,
      error(
        403,
        `API rate limit exceeded for installation ID ${state.installationId}.`,
        `${DOCS}/overview/rate-limits-for-the-rest-api`,
      ),
      'RateLimitExceeded',
    );
    return true;
  }
  return false;
}
