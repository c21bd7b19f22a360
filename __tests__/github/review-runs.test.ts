// A campaign's first run, read through "List workflow runs for a workflow" (newest first) as GitHub
// answers it: the oldest run is on the last page, and past the 1,000 runs GitHub lists of a query
// filtered by branch, event or creation time, the window is narrowed until it lists them all.
import { describe, expect, it } from '@jest/globals';
import type { Call } from '../../src/github/review-pulls.js';
import { runsOver } from '../../src/github/review-runs.js';

const QUARTER = {
  branch: 'main',
  events: ['schedule'],
  from: '2026-10-01T00:00:00Z',
  to: '2027-01-01T00:00:00Z',
};

/** GitHub's answers over `runs` (created times): filtered, newest first, 1,000 listed at most. */
function github(runs: string[]): { call: Call; requests: () => number } {
  let requests = 0;
  const call: Call = async (_route, params) => {
    requests++;
    const [from, to] = String(params.created)
      .split('..')
      .map((t) => Date.parse(t));
    const matching = runs
      .map((createdAt, i) => ({
        id: i + 1,
        event: 'schedule',
        head_branch: 'main',
        path: '.github/workflows/access-review.yml',
        created_at: createdAt,
      }))
      .filter((r) => Date.parse(r.created_at) >= from! && Date.parse(r.created_at) <= to!)
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    const perPage = Number(params.per_page);
    const page = Number(params.page);
    const listed = matching.slice(0, 1000);
    return {
      data: {
        total_count: matching.length,
        workflow_runs: listed.slice((page - 1) * perPage, page * perPage),
      },
      headers: {},
    };
  };
  return { call, requests: () => requests };
}

const hourly = (count: number, from = Date.parse('2026-10-01T06:00:00Z')) =>
  Array.from({ length: count }, (_, i) => new Date(from + i * 3_600_000).toISOString().replace('.000Z', 'Z'));

describe("a campaign's first run", () => {
  it('is on the last page of its runs: 2 requests for 250 runs', async () => {
    const { call, requests } = github(hourly(250));
    expect((await runsOver(call).firstRun('access-review.yml', QUARTER))?.createdAt).toBe(
      '2026-10-01T06:00:00Z',
    );
    expect(requests()).toBe(2);
  });

  it('is found past the 1,000 runs GitHub lists of a query (an hourly schedule: 2,184 runs in the quarter)', async () => {
    const { call, requests } = github(hourly(2_184));
    expect((await runsOver(call).firstRun('access-review.yml', QUARTER))?.createdAt).toBe(
      '2026-10-01T06:00:00Z',
    );
    expect(requests()).toBeLessThanOrEqual(25);
  });

  it('is none when the quarter has no run', async () => {
    const { call } = github([]);
    expect(await runsOver(call).firstRun('access-review.yml', QUARTER)).toBeUndefined();
  });
});
