// When a campaign starts, read from what only the default branch decides, against the emulated
// GitHub's Actions API: a quarter's campaign at its workflow's first `schedule` or
// `workflow_dispatch` run on the default branch in the quarter (past a page of runs too); a named
// one at its given start; refused, naming the inputs, where no start can be known.
import { describe, expect, it } from '@jest/globals';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { readCampaignStart } from '../../../src/operations/review/campaign-start.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub();
const issues = () => github.emulator().github.issues;

const file: ReviewersFile = {
  entries: [],
  defaultReviewers: [{ login: 'alice' }],
  due: { iso: 'P14D', ms: 14 * 86_400_000 },
  defaultDecision: 'keep',
};
const REF = 'octo-org/octo-repo/.github/workflows/access-review.yml@refs/heads/main';
const start = async (over: Partial<Parameters<typeof readCampaignStart>[1]> = {}) =>
  readCampaignStart(await github.reviewApi(), {
    campaign: '2026-Q4',
    file,
    inputStart: undefined,
    workflowRef: REF,
    repository: 'octo-org/octo-repo',
    defaultBranch: 'main',
    ...over,
  });
const run = (createdAt: string, over: Record<string, string> = {}) =>
  issues().addWorkflowRun({ workflow: 'access-review.yml', createdAt, ...over });

describe("a quarter's campaign starts at its workflow's first run on the default branch", () => {
  it('takes the oldest schedule or workflow_dispatch run of the quarter on the default branch, and no other', async () => {
    run('2026-09-30T23:00:00Z');
    run('2026-10-01T01:00:00Z', { headBranch: 'feature' });
    run('2026-10-01T02:00:00Z', { event: 'issue_comment' });
    run('2026-10-01T03:00:00Z', { event: 'push' });
    issues().addWorkflowRun({ workflow: 'other.yml', createdAt: '2026-10-01T04:00:00Z' });
    run('2026-10-02T00:00:00Z', { event: 'workflow_dispatch' });
    run('2026-10-05T00:00:00Z');
    expect(await start()).toEqual({
      startedAt: '2026-10-02T00:00:00Z',
      from: expect.stringContaining('`access-review.yml` on `main` in 2026-10-01..2027-01-01'),
    });
  });

  it('finds the oldest past the first page of runs', async () => {
    for (let i = 0; i < 150; i++)
      run(new Date(Date.parse('2026-10-03T00:00:00Z') + i * 3_600_000).toISOString());
    const api = await github.reviewApi();
    const read = await readCampaignStart(api, {
      campaign: '2026-Q4',
      file,
      inputStart: undefined,
      workflowRef: REF,
      repository: 'octo-org/octo-repo',
      defaultBranch: 'main',
    });
    expect(read).toEqual(expect.objectContaining({ startedAt: '2026-10-03T00:00:00.000Z' }));
    // Two events, two pages each at most.
    expect(api.requests()).toBeLessThanOrEqual(4);
  });

  it('has not started while no such run exists', async () => {
    expect(await start()).toEqual(expect.objectContaining({ startedAt: null }));
  });

  it('is refused when GitHub lists no run though this run, on the default branch and created in the quarter, is one', async () => {
    // This run as "Get a workflow run" answers it: created in the quarter, yet not in the list.
    const setRun = (id: string, createdAt: string) =>
      github.emulator().github.runs.setRun({
        repository: 'octo-org/octo-repo',
        runId: id,
        status: 'in_progress',
        event: 'schedule',
        startedAt: Date.parse(createdAt),
      });
    setRun('501', '2026-11-02T00:00:00Z');
    const thisRun = { event: 'schedule', ref: 'refs/heads/main', id: 501 };
    const read = await start({ thisRun });
    expect(read).toEqual({
      stopped: {
        refused: [
          expect.objectContaining({
            message: expect.stringMatching(/GitHub lists no run for .*, though this run is one/),
            fix: expect.stringContaining('actions: read'),
          }),
        ],
      },
    });
    // Not when this run could not start it: another branch, another event, created before the
    // quarter (queued, and started in it), or a run GitHub does not know.
    setRun('502', '2026-09-30T23:00:00Z');
    for (const other of [
      { ...thisRun, ref: 'refs/heads/feature' },
      { ...thisRun, event: 'push' },
      { ...thisRun, id: 502 },
      { ...thisRun, id: 999 },
    ])
      expect(await start({ thisRun: other })).toEqual(expect.objectContaining({ startedAt: null }));
  });

  it('is refused without the run’s workflow, naming `campaign-start`', async () => {
    const read = await start({ workflowRef: undefined });
    expect(read).toEqual({
      stopped: { refused: [expect.objectContaining({ input: 'campaign-start' })] },
    });
  });
});

describe('a named campaign starts at its given start', () => {
  it('takes the reviewers file’s start, or `campaign-start`, without reading a run', async () => {
    const starts = new Map([['drill', '2026-12-01T00:00:00.000Z']]);
    expect(await start({ campaign: 'drill', file: { ...file, campaignStarts: starts } })).toEqual({
      startedAt: '2026-12-01T00:00:00.000Z',
      from: '`campaigns.drill.start` in the reviewers file',
    });
    expect(await start({ campaign: 'drill', inputStart: '2026-11-01T00:00:00.000Z' })).toEqual({
      startedAt: '2026-11-01T00:00:00.000Z',
      from: 'input `campaign-start`',
    });
    expect(github.emulator().requests).toEqual([]);
  });

  it('is refused without a start, and where the file and the input disagree', async () => {
    const none = await start({ campaign: 'drill' });
    expect(JSON.stringify(none)).toBeDefined();
    expect(none).toEqual({
      stopped: { refused: [expect.objectContaining({ message: 'campaign `drill` has no start' })] },
    });
    const starts = new Map([['drill', '2026-12-01T00:00:00.000Z']]);
    const both = await start({
      campaign: 'drill',
      file: { ...file, campaignStarts: starts },
      inputStart: '2026-11-01T00:00:00.000Z',
    });
    expect(both).toEqual({ stopped: { refused: [expect.objectContaining({ input: 'campaign-start' })] } });
  });
});
