// What `operation: review` reads and writes of GitHub, through Octokit (@octokit/core, loaded only
// here, as github/request-reads.ts loads it) at GITHUB_API_URL with `github-token`: the reviewers
// file at the default branch's head (one GraphQL query, as the request's policy is read), the
// campaign's issues by label, an issue's comments page by page, issues and comments written, a
// reviewer login's account ID and a team's members. Each request retried only while GitHub is
// unreachable; a refusal names the permission the job needs. The issues' and comments' calls are
// ./review-issues.ts's, the due date's pull request's ./review-pulls.ts's, the campaign's first run
// ./review-runs.ts's.
import type { PolicyAtHead } from '../core/access-request.js';
import { CloudAccessError, UnreachableEndpointError } from '../core/errors.js';
import type { Deadline } from '../engine/limits/deadline.js';
import { retryOnlyUnreachable } from '../engine/limits/network.js';
import { withRetry } from '../engine/limits/retry.js';
import { throwIfThrottled, throttleRetries } from './github-throttle.js';
import { policyAtHead, type Query } from './request-answers.js';
import { githubClient } from './octokit-client.js';
import { githubsOwn } from './runs.js';
import { pullsOver, type Call, type Need, type ReviewPullsApi } from './review-pulls.js';
import { issuesOver, type Pages, type ReviewIssuesApi } from './review-issues.js';
import { runsOver, type ReviewRunsApi } from './review-runs.js';

export interface ReviewApiOptions {
  token: string;
  /** `owner/repo`: the run's own repository. */
  repository: string;
  deadline: Deadline;
  /** Where a wait GitHub asked for is said (one line each). */
  say?: (line: string) => void;
}

/** A team GitHub answers 404 for: it does not exist, or the token cannot see it. */
export class TeamNotFoundError extends CloudAccessError {
  constructor(
    readonly org: string,
    readonly team: string,
  ) {
    super(`team \`${org}/${team}\` is not found, or this token cannot see it`, {
      fix: `reading a team's members needs ${NEEDS_MEMBERS}`,
    });
  }
}

export interface ReviewApi extends ReviewIssuesApi, ReviewPullsApi, ReviewRunsApi {
  /** `owner/repo`: the repository it reads and writes, the run's own (ReviewApiOptions). */
  readonly repository: string;
  /**
   * A file of the repository at the default branch's head (never the workspace): the reviewers
   * file, the access policy (self-review), a manifest a pull request edits.
   */
  fileAtHead(path: string): Promise<PolicyAtHead>;
  /** A login's account ID; undefined when GitHub has no such account. */
  user(login: string): Promise<{ login: string; id: number } | undefined>;
  /** A team's members: login (lower-cased) → account ID. */
  teamMembers(org: string, team: string): Promise<Map<string, number>>;
  /** Requests sent to GitHub so far. */
  requests(): number;
  /** GitHub's time now by the `Date` of its last answer (the runner's time since added); undefined before one. */
  githubNow(): number | undefined;
}

const NEEDS_MEMBERS =
  "a token that may read the organization's team members (a GitHub App's `members: read`; the job's `GITHUB_TOKEN` cannot)";

/** The permission each kind of call needs, for the refusal's fix. */
const NEEDS: Record<Need, string> = {
  actions: "`actions: read` (a campaign starts at its workflow's first run, read through the Actions API)",
  contents: '`contents: read` (`contents: write` for the pull request that removes manifest rows)',
  pulls: '`pull-requests: write`',
  issues: '`issues: write`',
  members: NEEDS_MEMBERS,
};

type Answer = { data: unknown; headers: Record<string, string | number | undefined> };

/** Why GitHub refused a call, and the fix: a permission the job lacks, unless the answer says otherwise. */
function refusal(
  failure: unknown,
  what: string,
  need: Need,
  missing: boolean,
  url: string,
): CloudAccessError {
  const status = (failure as { status?: number }).status;
  if (status === 404 && missing)
    return new CloudAccessError(`${url} answered 404 to ${what} with a page that is not GitHub's`, {
      fix: 'see that GITHUB_API_URL and any proxy between reach GitHub, then run again',
    });
  // 409 and 422 are no missing permission: what the call would change changed, or was made,
  // meanwhile; or (422) a ruleset of the repository or its organization refuses the write.
  const rules = status === 422 && /\brule\b/i.test(String((failure as Error).message));
  const conflict = status === 409 || status === 422;
  return new CloudAccessError(`GitHub refused to ${what} (HTTP ${status ?? '?'})`, {
    fix: rules
      ? 'a ruleset of the repository or its organization refuses it: let the job make the branch and its commits (or pass a `github-token` that may), then run again'
      : conflict
        ? 'another workflow may have written it meanwhile: see what the repository holds now, then run again'
        : `give the job ${NEEDS[need]}, or pass a \`github-token\` that has it`,
  });
}

export async function githubReviewApi(options: ReviewApiOptions): Promise<ReviewApi> {
  const { octokit, api } = await githubClient(options.token);
  const [owner, repo] = options.repository.split('/');
  let requests = 0;
  // GitHub's clock less the runner's, by each answer's `Date` (GraphQL's too: they share the hook).
  let skew: number | undefined;
  octokit.hook.after('request', (answer) => {
    const date = Date.parse(String(answer.headers.date));
    if (Number.isFinite(date)) skew = date - Date.now();
  });
  const signal = () => AbortSignal.timeout(Math.max(1, Math.min(30_000, options.deadline.remainingMs())));
  // GitHub's rate limits are throttling: waited within the deadline (./github-throttle.ts).
  const retrying = { deadline: options.deadline, ...throttleRetries(retryOnlyUnreachable(api), options.say) };
  /** One request; undefined for a 404 where `missing` allows it, a refusal naming the permission otherwise. */
  const call: Call = async (route, params, what, need, missing = false) => {
    try {
      return (await withRetry(
        `the call to ${what}`,
        () => {
          requests++;
          return octokit.request(route, {
            owner,
            repo,
            ...params,
            headers: { 'X-GitHub-Api-Version': '2022-11-28' },
            request: { signal: signal() },
          });
        },
        retrying,
      )) as Answer;
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) throw failure;
      throwIfThrottled(failure, options.deadline);
      // Only GitHub's own 404 (its JSON) says there is none: a proxy's page says nothing (a
      // reviewer's login read as no account would drop their decisions).
      if ((failure as { status?: number }).status === 404 && missing && githubsOwn(failure as never))
        return undefined;
      throw refusal(failure, what, need, missing, api.url);
    }
  };
  /** Every page of a list, following GitHub's `Link: rel="next"`: one request per page. */
  const pagesOrMissing: PagesOrMissing = async (route, params, what, need, missing = false) => {
    const items: unknown[] = [];
    for (let page = 1; ; page++) {
      const answer = await call(route, { ...params, per_page: 100, page }, what, need, missing);
      if (!answer) return undefined;
      items.push(...(answer.data as unknown[]));
      if (!/rel="next"/.test(String(answer.headers.link ?? ''))) return items;
    }
  };
  const pages: Pages = async (route, params, what, need) =>
    (await pagesOrMissing(route, params, what, need))!;
  const query: Query = async (text, variables, what) => {
    try {
      return await withRetry(
        `the call to read ${what}`,
        () => {
          requests++;
          return octokit.graphql(text, { ...variables, request: { signal: signal() } });
        },
        retrying,
      );
    } catch (failure) {
      if (failure instanceof UnreachableEndpointError) throw failure;
      throwIfThrottled(failure, options.deadline);
      throw new CloudAccessError(`GitHub refused to read ${what}`, {
        fix: `give the job ${NEEDS.contents}, or pass a \`github-token\` that has it`,
      });
    }
  };
  return reviewApiOver(call, pages, pagesOrMissing, query, {
    repository: options.repository,
    owner: owner!,
    repo: repo!,
    requests: () => requests,
    githubNow: () => (skew === undefined ? undefined : Date.now() + skew),
  });
}

/** Every page of a list; undefined when its first page is a 404 (`missing`). */
type PagesOrMissing = (...args: [...Parameters<Pages>, missing?: boolean]) => Promise<unknown[] | undefined>;

function reviewApiOver(
  call: Call,
  pages: Pages,
  pagesOrMissing: PagesOrMissing,
  query: Query,
  at: Pick<ReviewApi, 'repository' | 'requests' | 'githubNow'> & { owner: string; repo: string },
): ReviewApi {
  return {
    repository: at.repository,
    fileAtHead: (path) => policyAtHead(query, { owner: at.owner, name: at.repo, path }),
    ...issuesOver(call, pages),
    ...peopleOver(call, pagesOrMissing),
    ...pullsOver(call, at.owner),
    ...runsOver(call),
    requests: at.requests,
    githubNow: at.githubNow,
  };
}

/** The people a campaign names: a login's account ID, a team's members. */
function peopleOver(call: Call, pages: PagesOrMissing): Pick<ReviewApi, 'user' | 'teamMembers'> {
  return {
    user: async (login) => {
      const answer = await call(
        'GET /users/{username}',
        { username: login },
        `read the account of \`${login}\``,
        'contents',
        true,
      );
      const data = answer?.data as { login?: unknown; id?: unknown } | undefined;
      return typeof data?.login === 'string' && typeof data.id === 'number'
        ? { login: data.login, id: data.id }
        : undefined;
    },
    teamMembers: async (org, team) => {
      const members = await pages(
        'GET /orgs/{org}/teams/{team_slug}/members',
        { org, team_slug: team },
        `read the members of team \`${org}/${team}\``,
        'members',
        true,
      );
      if (!members) throw new TeamNotFoundError(org, team);
      return new Map(
        members.map((m) => [
          String((m as { login: string }).login).toLowerCase(),
          Number((m as { id: number }).id),
        ]),
      );
    },
  };
}
