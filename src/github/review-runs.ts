// When a review's campaign started, through the review's Octokit calls (./review-api.ts): the
// oldest run of the review's own workflow on the default branch, of each event that may start a
// campaign, created in the campaign's period ("List workflow runs for a workflow", newest first:
// the first page says how many there are, the last page holds the oldest; at most 2 requests an
// event). Only GitHub writes these runs: nothing an issue says moves a campaign's start.
import type { Call } from './review-pulls.js';

export interface WorkflowRunRef {
  id: number;
  event: string;
  createdAt: string;
  url: string;
}

export interface ReviewRunsApi {
  /**
   * The oldest run of workflow `file` (its name under `.github/workflows/`) on `branch`, of one of
   * `events`, created in [`from`, `to`); undefined when there is none (or no such workflow).
   */
  firstRun(
    file: string,
    within: { branch: string; events: readonly string[]; from: string; to: string },
  ): Promise<WorkflowRunRef | undefined>;
  /** A run of this repository by its ID ("Get a workflow run"); undefined when GitHub has none. */
  run(id: number): Promise<WorkflowRunRef | undefined>;
}

const PER_PAGE = 100;
/** GitHub lists at most this many runs of a query filtered by branch, event or creation time. */
const LISTED_AT_MOST = 1_000;

type ListPage = (
  window: { from: string; to: string },
  page: number,
) => Promise<{ total: number; runs: RawRun[] }>;

/**
 * The page that holds the oldest runs of `window`: its last (the list is newest first). Past the
 * LISTED_AT_MOST runs GitHub lists of a query, the last page it lists is not the oldest, so the
 * window is halved, keeping its earlier half while that has runs, until it lists them all: one
 * request a halving (at most about 23 for a quarter, to the second).
 */
async function oldestPage(list: ListPage, window: { from: string; to: string }): Promise<RawRun[]> {
  let first = await list(window, 1);
  while (first.total > LISTED_AT_MOST) {
    const from = Date.parse(window.from);
    const mid = new Date(from + Math.floor((Date.parse(window.to) - from) / 2000) * 1000).toISOString();
    if (mid === window.from) break;
    const earlier = { from: window.from, to: mid };
    const half = await list(earlier, 1);
    if (half.total > 0) [window, first] = [earlier, half];
    else [window, first] = [{ from: mid, to: window.to }, await list({ from: mid, to: window.to }, 1)];
  }
  const last = Math.min(Math.ceil(first.total / PER_PAGE), LISTED_AT_MOST / PER_PAGE);
  return last > 1 ? (await list(window, last)).runs : first.runs;
}

interface RawRun {
  id?: unknown;
  event?: unknown;
  head_branch?: unknown;
  path?: unknown;
  created_at?: unknown;
  html_url?: unknown;
}

export function runsOver(call: Call): ReviewRunsApi {
  return {
    run: async (id) => {
      const answer = await call(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
        { run_id: id },
        `read run ${id}`,
        'actions',
        true,
      );
      const r = answer?.data as RawRun | undefined;
      if (typeof r?.id !== 'number' || typeof r.created_at !== 'string' || typeof r.event !== 'string')
        return undefined;
      return {
        id: r.id,
        event: r.event,
        createdAt: r.created_at,
        url: typeof r.html_url === 'string' ? r.html_url : '',
      };
    },
    firstRun: async (file, within) => {
      const from = Date.parse(within.from);
      const to = Date.parse(within.to);
      // Each run as GitHub answers it, checked again here: the workflow's file, the branch, the
      // event and the period (the query's own filters are a search's).
      const fits = (r: RawRun, event: string) =>
        typeof r.id === 'number' &&
        typeof r.created_at === 'string' &&
        r.event === event &&
        r.head_branch === within.branch &&
        (typeof r.path !== 'string' || r.path.replace(/@.*$/, '') === `.github/workflows/${file}`) &&
        Date.parse(r.created_at) >= from &&
        Date.parse(r.created_at) < to;
      const found: WorkflowRunRef[] = [];
      for (const event of within.events) {
        const list = async (window: { from: string; to: string }, page: number) => {
          const answer = await call(
            'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
            {
              workflow_id: file,
              branch: within.branch,
              event,
              created: `${window.from}..${window.to}`,
              per_page: PER_PAGE,
              page,
            },
            `list the runs of workflow \`${file}\``,
            'actions',
            true,
          );
          const data = answer?.data as { total_count?: unknown; workflow_runs?: unknown } | undefined;
          return {
            total: typeof data?.total_count === 'number' ? data.total_count : 0,
            runs: Array.isArray(data?.workflow_runs) ? (data.workflow_runs as RawRun[]) : [],
          };
        };
        for (const r of (await oldestPage(list, within)).filter((r) => fits(r, event)))
          found.push({
            id: r.id as number,
            event,
            createdAt: r.created_at as string,
            url: typeof r.html_url === 'string' ? r.html_url : '',
          });
      }
      return found.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id)[0];
    },
  };
}
