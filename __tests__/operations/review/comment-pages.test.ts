// A campaign issue flooded with comments (any workflow with `issues: write` may post hundreds as the
// same bot, and anyone may comment): a reviewer's decision on the third page of GitHub's list still
// decides, and the flood decides nothing.
import { describe, expect, it } from '@jest/globals';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { readCampaign, writeIssues } from '../../../src/operations/review/campaign-github.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub((e) => {
  e.github.issues.setUser({ login: 'alice', id: 101, type: 'User' });
});
const emulator = () => github.emulator();

const DAY = 86_400_000;
const file: ReviewersFile = {
  entries: [{ line: 3, accounts: ['root'], scopes: [], roles: [], reviewers: [{ login: 'alice' }] }],
  defaultReviewers: [],
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
};
const rows = [awsRow(), awsRow({ principalId: 'u-2' })];
const assignment = assignReviewers(rows, file, { accountsUnder: () => undefined });
const startedAt = '2026-07-01T00:00:00Z';

async function run(now: string) {
  emulator().github.issues.setNow(now);
  const api = await github.reviewApi();
  const due = Date.parse(now) >= Date.parse(startedAt) + 14 * DAY;
  const read = await readCampaign(api, { campaign: '2026-Q3', cloud: 'aws', due }, assignment);
  const plan = planCampaign({
    ...{ campaign: '2026-Q3', cloud: 'aws' as const, assignment, file, ...read },
    ...{ startedAt, now: new Date(now), mayAct: true },
  });
  await writeIssues(api, plan);
  return { api, plan };
}

describe('decisions past the first page of comments', () => {
  it('reads every page: a decision after 250 flooding comments decides, the flood does not', async () => {
    await run('2026-07-01T00:00:00Z');
    const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const };
    const mallory = { login: 'mallory', id: 666, type: 'User' as const };
    for (let i = 0; i < 200; i++)
      emulator().github.issues.comment(1, bot, `/keep all\n/revoke ${rows[1]!.id} flood ${i}`);
    for (let i = 0; i < 50; i++) emulator().github.issues.comment(1, mallory, `/keep ${rows[0]!.id}`);
    emulator().github.issues.comment(
      1,
      { login: 'alice', id: 101, type: 'User' },
      `/revoke ${rows[0]!.id} unused`,
    );
    const due = await run('2026-07-16T00:00:00Z');
    const issue = due.plan.issues[0]!;
    const outcome = (id: string) => issue.outcomes!.find((o) => o.rowId === id)!;
    expect(outcome(rows[0]!.id)).toEqual(
      expect.objectContaining({
        outcome: 'revoke',
        decisions: [expect.objectContaining({ login: 'alice' })],
      }),
    );
    expect(outcome(rows[1]!.id)).toEqual(
      expect.objectContaining({ outcome: 'kept-by-default', decisions: [] }),
    );
    // Every mallory command is listed as ignored (the bot's are the review's own kind: never read).
    expect(issue.decisions.ignored.filter((i) => i.login === 'mallory')).toHaveLength(50);
  });
});
